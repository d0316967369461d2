"""Proof that our order JSON is byte-exact: rebuild, from the sample data, the orders LEAN holds at the end of
three regression algorithms and compare OrderListHash with the value LEAN's regression tests expect."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.enums import DataNormalizationMode, OrderStatus, OrderType, SecurityType
from lean_local.orders.order import Order, OrderSubmissionData
from lean_local.orders.requests import SubmitOrderRequest
from lean_local.orders.serialization import order_list_hash, order_to_json
from lean_local.securities.symbol import Symbol

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LEAN_DATA = SHARED / "lean-data"
CASES = SHARED / "fidelity" / "cases.json"
pytestmark = pytest.mark.skipif(not LEAN_DATA.is_dir() or not CASES.is_file(),
                                reason="shared LEAN sample data not available")

SCALE = Decimal(1) / Decimal(10000)  # LEAN's 1/10000m: deci-cents to dollars (scale 4)


def expected_hash(case: str) -> str:
    cases = json.loads(CASES.read_text())["cases"]
    return next(c for c in cases if c["name"] == case)["expected_statistics"]["OrderListHash"]  # type: ignore[no-any-return]


def price_factor(ticker: str, day: date) -> Decimal:
    """Price × split factor of the first factor-file row dated on or after ``day`` (scale as written)."""
    path = LEAN_DATA / "equity" / "usa" / "factor_files" / f"{ticker}.csv"
    for row in csv.reader(path.read_text().splitlines()):
        if datetime.strptime(row[0], "%Y%m%d").date() >= day:
            return Decimal(row[1]) * Decimal(row[2])
    return Decimal(1)


def minute_row(ticker: str, day: date, kind: str, start: str) -> list[str]:
    """The minute bar starting at ``start`` (HH:MM, New York) from LEAN's minute zip."""
    path = LEAN_DATA / "equity" / "usa" / "minute" / ticker / f"{day:%Y%m%d}_{kind}.zip"
    hours, minutes = map(int, start.split(":"))
    millis = str((hours * 60 + minutes) * 60_000)
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    return next(row for row in csv.reader(io.StringIO(text)) if row[0] == millis)


def daily_row(ticker: str, day: date) -> list[str]:
    path = LEAN_DATA / "equity" / "usa" / "daily" / f"{ticker}.zip"
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    key = f"{day:%Y%m%d} 00:00"
    return next(row for row in csv.reader(io.StringIO(text)) if row[0] == key)


def adjusted(raw: str, factor: Decimal) -> Decimal:
    """Equity file price → adjusted price with LEAN's decimal scale: raw × 0.0001 × factor."""
    return Decimal(raw) * SCALE * factor


def spy_symbol() -> Symbol:
    # spy.csv map file: first row 19980102,spy
    return Symbol.create("SPY", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))


def filled_order(order_type: OrderType, quantity: int, submitted_utc: datetime, submission: OrderSubmissionData,
                 fill_price: Decimal, filled_utc: datetime) -> Order:
    """The order object after LEAN's submit and fill handling in a backtest."""
    request = SubmitOrderRequest(order_type, SecurityType.EQUITY, spy_symbol(), Decimal(quantity), Decimal(0),
                                 Decimal(0), submitted_utc, "")
    request.set_order_id(1)
    order = Order.create_order(request)                       # status New, id 1, time = request time (UTC)
    order.order_submission_data = submission                  # security bid/ask/close when the order was added
    order.price_currency = "USD"                              # security quote currency, set on submit
    order.price_adjustment_mode = DataNormalizationMode.ADJUSTED  # subscription's normalization mode
    order.broker_id.append(str(order.id))                     # backtesting brokerage id
    order.status = OrderStatus.SUBMITTED
    order.status = OrderStatus.FILLED                         # from the fill event
    order.last_fill_time = filled_utc                         # fill event UTC time
    order.price = (fill_price * quantity) / abs(quantity)     # ticket's quantity-weighted average fill price
    return order


def test_basic_template_algorithm() -> None:
    """SPY minute: set_holdings(1) at 09:31 New York buys 688 at the 09:30 bar's ask close × factor."""
    day = date(2013, 10, 7)
    factor = price_factor("spy", day)
    assert factor == Decimal("0.8646266")
    trade = minute_row("spy", day, "trade", "09:30")
    quote = minute_row("spy", day, "quote", "09:30")
    bid, ask, last = adjusted(quote[4], factor), adjusted(quote[9], factor), adjusted(trade[4], factor)
    assert (bid, ask, last) == (Decimal("144.77307790400"), Decimal("144.78172417000"), Decimal("144.77307790400"))
    order = filled_order(OrderType.MARKET, 688, datetime(2013, 10, 7, 13, 31), OrderSubmissionData(bid, ask, last),
                         ask, datetime(2013, 10, 7, 13, 31))
    assert order_to_json(order, for_hash=True) == (
        '{"type":0,"id":1,"contingentId":0,"brokerId":["1"],'
        '"symbol":{"value":"SPY","id":"SPY R735QTJ8XC9X","permtick":"SPY"},"price":144.7817,"priceCurrency":"USD",'
        '"time":"2013-10-07T13:31:00Z","createdTime":"2013-10-07T13:31:00Z","lastFillTime":"2013-10-07T13:31:00Z",'
        '"quantity":688.0,"status":3,"tag":"","properties":{"timeInForce":{}},"securityType":1,"direction":0,'
        '"value":99609.8096,"orderSubmissionData":{"bidPrice":144.77307790400,"askPrice":144.78172417000,'
        '"lastPrice":144.77307790400},"isMarketable":true,"priceAdjustmentMode":1}'
    )
    assert order_list_hash({1: order}) == expected_hash("BasicTemplateAlgorithm") == "3da9fa60bf95b9ed148b95e02e0cfc9e"
    # hashing does not modify the order (LEAN's GetHash rounds in place; we round a copy)
    assert order.price == Decimal("144.78172417")


def test_basic_template_axos_algorithm() -> None:
    """Same fill as BasicTemplateAlgorithm, set_holdings(0.25) → 172 shares."""
    day = date(2013, 10, 7)
    factor = price_factor("spy", day)
    trade = minute_row("spy", day, "trade", "09:30")
    quote = minute_row("spy", day, "quote", "09:30")
    bid, ask, last = adjusted(quote[4], factor), adjusted(quote[9], factor), adjusted(trade[4], factor)
    order = filled_order(OrderType.MARKET, 172, datetime(2013, 10, 7, 13, 31), OrderSubmissionData(bid, ask, last),
                         ask, datetime(2013, 10, 7, 13, 31))
    assert order_list_hash({1: order}) == expected_hash("BasicTemplateAxosAlgorithm")


def test_basic_template_daily_algorithm() -> None:
    """SPY daily: the market order placed at 10/08 16:00 (exchange closed) becomes MarketOnOpen, fills at the
    10/09 open when the 10/09 bar arrives (16:00 New York = 20:00Z). No quotes at daily resolution, so bid, ask
    and last all fall back to the 10/08 close."""
    factor = price_factor("spy", date(2013, 10, 8))
    close_1008 = adjusted(daily_row("spy", date(2013, 10, 8))[4], factor)
    open_1009 = adjusted(daily_row("spy", date(2013, 10, 9))[1], factor)
    order = filled_order(OrderType.MARKET_ON_OPEN, 697, datetime(2013, 10, 8, 20, 0),
                         OrderSubmissionData(close_1008, close_1008, close_1008), open_1009,
                         datetime(2013, 10, 9, 20, 0))
    assert not order.is_marketable
    text = order_to_json(order, for_hash=True)
    assert text.startswith('{"type":4,"id":1,')
    assert '"lastFillTime":"2013-10-09T20:00:00Z"' in text and '"isMarketable":false' in text
    assert order_list_hash({1: order}) == expected_hash("BasicTemplateDailyAlgorithm")


def test_no_orders() -> None:
    assert order_list_hash({}) == expected_hash("OnWarmupFinishedRegressionAlgorithm") == (
        "d41d8cd98f00b204e9800998ecf8427e"
    )
