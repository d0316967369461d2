"""A single US-equity security on a hand-driven clock, for fill-model tests with hand-made bars.

The exchange calendar is LEAN's real one (from the sample market-hours database); bars are pushed into the
security cache exactly as the engine does, and fills are asked for the way the backtesting brokerage asks.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from lean_local.data.market_hours import ExchangeHours, MarketHoursDatabase
from lean_local.data.symbol_properties import SymbolProperties
from lean_local.enums import DataNormalizationMode, OrderStatus, Resolution, SecurityType, TickType
from lean_local.market_data import Bar, QuoteBar, TradeBar
from lean_local.orders.fills import EquityFillModel, FillModel, FillModelParameters, NullSlippageModel
from lean_local.securities.security import Security, SecurityExchange
from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.timeutil import to_utc

NEW_YORK = "America/New_York"
ONE_MINUTE = timedelta(minutes=1)


@lru_cache(maxsize=1)
def equity_hours(lean_data: Path) -> ExchangeHours:
    database = MarketHoursDatabase.load(lean_data / "market-hours" / "market-hours-database.json")
    return database.get_exchange_hours(SecurityType.EQUITY, "usa", "SPY")


class ConfigProvider:
    """What the fill model asks for: the security's subscriptions (internal feeds on request)."""

    def __init__(self, security: Security) -> None:
        self._security = security

    def get_subscription_data_configs(self, symbol: Any = None, include_internal_configs: bool = False) -> list[Any]:
        return [c for c in self._security.subscriptions if include_internal_configs or not c.is_internal_feed]


@dataclass
class EquityBench:
    """One equity (``SPY`` by default) whose clock the test moves by hand."""

    lean_data: Path
    resolution: Resolution = Resolution.MINUTE
    quotes: bool = True
    mode: DataNormalizationMode = DataNormalizationMode.ADJUSTED
    extended_hours: bool = False
    now: datetime = datetime(2013, 10, 8, 10, 0)
    security: Security = field(init=False)

    def __post_init__(self) -> None:
        symbol = Symbol.create("SPY", SecurityType.EQUITY, "usa")
        exchange = SecurityExchange(equity_hours(self.lean_data), lambda: self.now)
        self.security = Security(symbol, exchange, SymbolProperties.default())
        self.security.data_normalization_mode = self.mode
        self.security.slippage_model = NullSlippageModel()
        types = [(TradeBar, TickType.TRADE)] + ([(QuoteBar, TickType.QUOTE)] if self.quotes else [])
        for data_type, tick_type in types:
            self.security.subscriptions.append(SubscriptionDataConfig(
                symbol, data_type, self.resolution, NEW_YORK, NEW_YORK, extended_market_hours=self.extended_hours,
                data_normalization_mode=self.mode, tick_type=tick_type,
            ))

    @property
    def utc_now(self) -> datetime:
        return to_utc(self.now, NEW_YORK)

    def utc(self, local: datetime) -> datetime:
        return to_utc(local, NEW_YORK)

    def trade(self, start: datetime, o: float, h: float, l: float, c: float, period: timedelta = ONE_MINUTE) -> TradeBar:
        """Emit a trade bar at its end time (the clock moves there)."""
        bar = TradeBar(start, self.security.symbol, o, h, l, c, 1000, period)
        self.now = bar.end_time
        self.security.update([bar], TradeBar)
        return bar

    def quote(self, start: datetime, bid: float, ask: float, period: timedelta = ONE_MINUTE) -> QuoteBar:
        """Emit a flat quote bar (each side constant over the bar) at its end time."""
        bar = QuoteBar(start, self.security.symbol, Bar(bid, bid, bid, bid), 100, Bar(ask, ask, ask, ask), 100, period)
        self.now = bar.end_time
        self.security.update([bar], QuoteBar)
        return bar

    def fill(self, order: Any, model: FillModel | None = None, on_updated: Any = None) -> Any:
        """One fill attempt, as the brokerage's scan makes it; returns the single order event."""
        model = model if model is not None else EquityFillModel()
        if order.status == OrderStatus.NONE:
            order.status = OrderStatus.SUBMITTED
        parameters = FillModelParameters(self.security, order, ConfigProvider(self.security), timedelta(hours=1),
                                         {order: self.security}, on_updated or (lambda o: None))
        events = model.fill(parameters)
        assert len(events) == 1
        return events[0]


def d(text: str) -> Decimal:
    return Decimal(text)


# --- sample-data helpers (LEAN's SPY minute files, read directly so expectations do not depend on the engine) ---
SCALE = Decimal(1) / Decimal(10000)


def price_factor(lean_data: Path, ticker: str, day: date) -> Decimal:
    """Price × split factor of the first factor-file row dated on or after ``day``."""
    path = lean_data / "equity" / "usa" / "factor_files" / f"{ticker}.csv"
    for row in csv.reader(path.read_text().splitlines()):
        if datetime.strptime(row[0], "%Y%m%d").date() >= day:
            return Decimal(row[1]) * Decimal(row[2])
    return Decimal(1)


def minute_row(lean_data: Path, ticker: str, day: date, kind: str, start: str) -> list[str]:
    """The raw minute row starting at ``start`` (HH:MM New York) of a trade or quote zip."""
    path = lean_data / "equity" / "usa" / "minute" / ticker / f"{day:%Y%m%d}_{kind}.zip"
    hours, minutes = map(int, start.split(":"))
    millis = str((hours * 60 + minutes) * 60_000)
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    return next(row for row in csv.reader(io.StringIO(text)) if row[0] == millis)


def adjusted(lean_data: Path, day: date, raw: str, ticker: str = "spy") -> Decimal:
    return Decimal(raw) * SCALE * price_factor(lean_data, ticker, day)


def trade_bar(lean_data: Path, day: date, start: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Adjusted (open, high, low, close) of SPY's trade bar starting at ``start``."""
    row = minute_row(lean_data, "spy", day, "trade", start)
    o, h, l, c = (adjusted(lean_data, day, value) for value in row[1:5])
    return o, h, l, c


def quote_closes(lean_data: Path, day: date, start: str) -> tuple[Decimal, Decimal]:
    """Adjusted (bid close, ask close) of SPY's quote bar starting at ``start``."""
    row = minute_row(lean_data, "spy", day, "quote", start)
    return adjusted(lean_data, day, row[4]), adjusted(lean_data, day, row[9])
