"""Structured outputs (JSON schemas) of the market-data, portfolio and paper-broker tools."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class SymbolOut(BaseModel):
    symbol: str
    resolutions: list[str] = Field(description="resolutions with files: minute, hour, daily")
    first_date: str | None
    last_date: str | None
    minute_days: int
    tradable: bool = Field(description="on the risk policy's allow-list")


class SymbolList(BaseModel):
    data_folder: str
    synthetic: bool = Field(description="true when the folder is lean_local's synthetic market (fake prices)")
    symbols: list[SymbolOut]


class BarOut(BaseModel):
    symbol: str
    resolution: str
    start: str = Field(description="bar start, exchange time (America/New_York)")
    end: str = Field(description="bar end; the bar is known from this time on")
    open: float
    high: float
    low: float
    close: float
    volume: int


class QuoteOut(BaseModel):
    symbol: str
    time: str
    bid: float | None
    ask: float | None
    bid_size: int
    ask_size: int
    last: float
    source: str = Field(description="'quote bars' (minute quote data) or 'trade bars' (bid = ask = last trade)")


class HistoryOut(BaseModel):
    symbol: str
    resolution: str
    start: str | None
    end: str
    clamped_to_clock: bool = Field(description="end was moved back to the paper clock (no look-ahead)")
    truncated: bool = Field(description="more bars matched than limit; the newest are returned")
    bars: list[BarOut]


class MarketStatusOut(BaseModel):
    symbol: str
    at: str
    open: bool = Field(description="regular session open")
    extended_open: bool = Field(description="pre/post market open")
    next_open: str
    next_close: str


class PositionOut(BaseModel):
    symbol: str
    quantity: int
    average_price: float
    market_price: float | None
    market_value: float | None
    unrealized_pnl: float | None
    realized_pnl: float
    weight: float | None = Field(description="market value / equity")


class AccountOut(BaseModel):
    account_id: str
    mode: Literal["paper"]
    currency: str
    clock: str
    cash: float
    equity: float | None
    initial_cash: float
    open_orders: int
    gross_exposure: float
    net_exposure: float
    gross_exposure_ratio: float | None
    net_exposure_ratio: float | None
    realized_pnl: float
    unrealized_pnl: float
    total_pnl: float | None
    total_fees: float
    day_start_date: str
    day_start_equity: float
    day_pnl: float | None
    unpriced_symbols: list[str]


class PositionsOut(BaseModel):
    clock: str
    cash: float
    equity: float | None
    positions: list[PositionOut]


class ExposureRow(BaseModel):
    symbol: str
    market_value: float | None
    weight: float | None
    weight_limit: float
    open_order_quantity: int = Field(description="signed quantity of open orders")


class ExposureOut(BaseModel):
    clock: str
    equity: float | None
    gross_exposure: float
    net_exposure: float
    gross_exposure_ratio: float | None
    gross_exposure_limit: float
    rows: list[ExposureRow]


class PnlRow(BaseModel):
    symbol: str
    realized_pnl: float
    unrealized_pnl: float | None


class PnlOut(BaseModel):
    clock: str
    realized_pnl: float
    unrealized_pnl: float
    total_pnl: float | None
    day_pnl: float | None
    day_start_equity: float
    total_fees: float
    by_symbol: list[PnlRow]


class RiskStatusOut(BaseModel):
    policy_version: int | None
    policy_error: str | None
    limits: dict[str, Any]
    kill_switch_on: bool
    daily_loss: float | None
    daily_loss_limit_amount: float | None
    daily_loss_limit_reached: bool | None
    orders_blocked_reason: str | None = Field(description="why no new risk can be taken now, if so")


class OrderOut(BaseModel):
    id: int
    symbol: str
    side: Literal["buy", "sell"]
    quantity: int
    order_type: Literal["market", "limit"]
    limit_price: float | None
    status: Literal["open", "filled", "canceled", "rejected"]
    submitted_at: str
    rationale: str
    policy_version: int | None
    client_order_id: str | None
    filled_at: str | None
    fill_price: float | None
    fee: float | None
    canceled_at: str | None
    reasons: list[str]


class PlaceOrderOut(BaseModel):
    order: OrderOut
    risk_checks: dict[str, str] = Field(description="check -> pass | skip")
    risk_policy_version: int | None
    clock: str


class OrderList(BaseModel):
    clock: str
    orders: list[OrderOut]


class ClockOut(BaseModel):
    clock: str = Field(description="the paper account's simulated now, exchange time")
    time_zone: str
    us_equity_market_open: bool | None
    kill_switch_on: bool
    policy_readable: bool
    open_orders: int


class AdvanceOut(ClockOut):
    previous_clock: str
    fills: list[OrderOut]
    note: str


class AuditRecordOut(BaseModel):
    seq: int
    ts: str = Field(description="UTC time of recording")
    kind: str
    actor: str
    data: Any
    hash: str


class AuditTrailOut(BaseModel):
    path: str
    records: list[AuditRecordOut]


class AuditVerifyOut(BaseModel):
    ok: bool
    count: int
    head: str = Field(description="hash of the newest record; keep it to detect truncation later")
    errors: list[str]
