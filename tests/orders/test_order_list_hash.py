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
                 fill_price: Decimal, filled_utc: datetime, symbol: Symbol | None = None, order_id: int = 1) -> Order:
    """The order object after LEAN's submit and fill handling in a backtest."""
    request = SubmitOrderRequest(order_type, SecurityType.EQUITY, symbol or spy_symbol(), Decimal(quantity),
                                 Decimal(0), Decimal(0), submitted_utc, "")
    request.set_order_id(order_id)
    order = Order.create_order(request)                       # status New, id 1, time = request time (UTC)
    order.order_submission_data = submission                  # security bid/ask/close when the order was added
    order.price_currency = "USD"                              # security quote currency, set on submit
    order.price_adjustment_mode = DataNormalizationMode.ADJUSTED  # subscription's normalization mode
    order.broker_id.append(str(order.id))                     # backtesting brokerage id
    order.status = OrderStatus.SUBMITTED
    order.status = OrderStatus.FILLED                         # from the fill event
    order.last_fill_time = filled_utc                         # fill event UTC time
    order.price = (fill_price * abs(quantity)) / abs(quantity)  # ticket: sum(abs fill qty * fill price) / abs(qty)
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
    assert order.price_exact == Decimal("144.78172417")


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


def hour_row(ticker: str, day: date, start_hour: int) -> list[str]:
    path = LEAN_DATA / "equity" / "usa" / "hour" / f"{ticker}.zip"
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    key = f"{day:%Y%m%d} {start_hour:02d}:00"
    return next(row for row in csv.reader(io.StringIO(text)) if row[0] == key)


def test_set_holdings_regression_algorithm() -> None:
    """Four synchronous set_holdings calls at 09:31 (10%, 20%, 30%, 100%): 68, 69, 69 and 482 shares, all filled
    at the same ask with the same submission snapshot."""
    day = date(2013, 10, 7)
    factor = price_factor("spy", day)
    trade = minute_row("spy", day, "trade", "09:30")
    quote = minute_row("spy", day, "quote", "09:30")
    bid, ask, last = adjusted(quote[4], factor), adjusted(quote[9], factor), adjusted(trade[4], factor)
    orders = {
        order_id: filled_order(OrderType.MARKET, quantity, datetime(2013, 10, 7, 13, 31),
                               OrderSubmissionData(bid, ask, last), ask, datetime(2013, 10, 7, 13, 31),
                               order_id=order_id)
        for order_id, quantity in ((1, 68), (2, 69), (3, 69), (4, 482))
    }
    assert order_list_hash(orders) == expected_hash("SetHoldingsRegressionAlgorithm")


def test_parameterized_algorithm() -> None:
    """EMA cross: the single set_holdings(1) happens at 2013-10-10 09:32 New York (689 shares at the 09:31 ask)."""
    day = date(2013, 10, 10)
    factor = price_factor("spy", day)
    trade = minute_row("spy", day, "trade", "09:31")
    quote = minute_row("spy", day, "quote", "09:31")
    bid, ask, last = adjusted(quote[4], factor), adjusted(quote[9], factor), adjusted(trade[4], factor)
    order = filled_order(OrderType.MARKET, 689, datetime(2013, 10, 10, 13, 32), OrderSubmissionData(bid, ask, last),
                         ask, datetime(2013, 10, 10, 13, 32))
    assert order_list_hash({1: order}) == expected_hash("ParameterizedAlgorithm")


def test_zeroed_benchmark_regression_algorithm() -> None:
    """SPY hour: set_holdings(1) when the 09:30-10:00 bar arrives (10:00 New York) fills at once at that bar's
    close (fresh data), 687 shares; bid/ask/last are all that close (no quotes at hour resolution)."""
    day = date(2013, 10, 7)
    close = adjusted(hour_row("spy", day, 9)[4], price_factor("spy", day))
    order = filled_order(OrderType.MARKET, 687, datetime(2013, 10, 7, 14, 0), OrderSubmissionData(close, close, close),
                         close, datetime(2013, 10, 7, 14, 0))
    assert order_list_hash({1: order}) == expected_hash("ZeroedBenchmarkRegressionAlgorithm")


def test_hour_split_regression_algorithm() -> None:
    """AAPL hour, adjusted prices: buy 1 share at 10:00 on 2014-06-09 (after the 7:1 split) at the first bar's
    close; the factor is price factor × split factor of the 2014-08-06 row (0.9011818 × 0.25)."""
    day = date(2014, 6, 9)
    factor = price_factor("aapl", day)
    assert str(factor) == "0.225295450"
    close = adjusted(hour_row("aapl", day, 9)[4], factor)
    aapl = Symbol.create("AAPL", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))
    order = filled_order(OrderType.MARKET, 1, datetime(2014, 6, 9, 14, 0), OrderSubmissionData(close, close, close),
                         close, datetime(2014, 6, 9, 14, 0), symbol=aapl)
    assert order_list_hash({1: order}) == expected_hash("HourSplitRegressionAlgorithm")


def test_delisting_events_algorithm() -> None:
    """AAA.1 daily. The symbol keeps the ticker it was added with ("AAA.1") and the SID of its map file.
    Order 1: MarketOnOpen for 3670 placed at 2007-05-15 16:00, filled at the 05-16 open (05-16 16:00 New York).
    Order 2: the delisting warning arrives at midnight of the delisting date (2007-05-18 00:00 New York = 04:00Z);
    set_holdings(0) places a MarketOnOpen for -3670 (submission snapshot = the 05-17 close), filled at the 05-18
    open. From 2007-05-15 on the factor row is the final 20501231 one (factor 1)."""
    factor = price_factor("aaa.1", date(2007, 5, 15))
    assert factor == 1
    aaa = Symbol.create("AAA.1", SecurityType.EQUITY, "usa", first_date=date(2002, 5, 22), first_ticker="aaa")
    close_0515 = adjusted(daily_row("aaa", date(2007, 5, 15))[4], factor)
    close_0517 = adjusted(daily_row("aaa", date(2007, 5, 17))[4], factor)
    buy = filled_order(OrderType.MARKET_ON_OPEN, 3670, datetime(2007, 5, 15, 20),
                       OrderSubmissionData(close_0515, close_0515, close_0515),
                       adjusted(daily_row("aaa", date(2007, 5, 16))[1], factor), datetime(2007, 5, 16, 20), symbol=aaa)
    sell = filled_order(OrderType.MARKET_ON_OPEN, -3670, datetime(2007, 5, 18, 4),
                        OrderSubmissionData(close_0517, close_0517, close_0517),
                        adjusted(daily_row("aaa", date(2007, 5, 18))[1], factor), datetime(2007, 5, 18, 20),
                        symbol=aaa, order_id=2)
    assert '"symbol":{"value":"AAA.1","id":"AAA SEVKGI6HF885","permtick":"AAA.1"}' in order_to_json(sell, for_hash=True)
    assert order_list_hash({1: buy, 2: sell}) == expected_hash("DelistingEventsAlgorithm")


def test_no_orders() -> None:
    assert order_list_hash({}) == expected_hash("OnWarmupFinishedRegressionAlgorithm") == (
        "d41d8cd98f00b204e9800998ecf8427e"
    )
