"""LEAN's fill rules for every order type, on hand-made bars (EquityFillModel unless stated otherwise).

Times are New York; the security's clock sits at the end of the last bar pushed. An order placed at time T never
fills on data that ended at or before T.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lean_local.enums import OrderStatus, Resolution
from lean_local.orders import (
    LimitIfTouchedOrder,
    LimitOrder,
    MarketOnCloseOrder,
    MarketOnOpenOrder,
    MarketOrder,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopOrder,
)
from lean_local.orders.fills import FillModel

from orders_testkit import EquityBench, d

DAY = datetime(2013, 10, 8)


def at(hour: int, minute: int, day: datetime = DAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.fixture
def bench(lean_data: Path) -> EquityBench:
    """Trade and quote minute bars; SPY at 100 at 10:00."""
    b = EquityBench(lean_data)
    b.trade(at(9, 59), 100, 100, 100, 100)
    b.quote(at(9, 59), 99.99, 100.01)
    return b


@pytest.fixture
def trades_only(lean_data: Path) -> EquityBench:
    b = EquityBench(lean_data, quotes=False)
    b.trade(at(9, 59), 100, 100, 100, 100)
    return b


def placed(bench: EquityBench, order: Any) -> Any:
    order.status = OrderStatus.SUBMITTED
    return order


def filled(event: Any, price: str) -> bool:
    return event.status == OrderStatus.FILLED and event.fill_price_exact == d(price)


# --- market ------------------------------------------------------------------------------------------------
def test_market_orders_take_the_quote_side(bench: EquityBench) -> None:
    buy = bench.fill(placed(bench, MarketOrder(bench.security.symbol, 10, bench.utc_now)))
    sell = bench.fill(placed(bench, MarketOrder(bench.security.symbol, -10, bench.utc_now)))
    assert filled(buy, "100.01") and buy.fill_quantity_exact == 10 and buy.message == ""
    assert filled(sell, "99.99") and sell.fill_quantity_exact == -10


def test_market_order_without_quotes_uses_the_trade_close_with_a_warning(trades_only: EquityBench) -> None:
    event = trades_only.fill(placed(trades_only, MarketOrder(trades_only.security.symbol, 10, trades_only.utc_now)))
    assert filled(event, "100")
    assert event.message == ("Warning: No quote information available at 10/08/2013 10:00:00 America/New_York, "
                             "order filled using TradeBar data")


def test_market_order_waits_when_the_last_quote_is_more_than_one_bar_stale(bench: EquityBench) -> None:
    bench.now = at(11, 30)
    event = bench.fill(placed(bench, MarketOrder(bench.security.symbol, 10, bench.utc_now)))
    assert event.status == OrderStatus.SUBMITTED and event.fill_quantity_exact == 0


def test_market_order_on_hour_data_waits_for_the_next_bar_instead_of_a_stale_fill(lean_data: Path) -> None:
    b = EquityBench(lean_data, resolution=Resolution.HOUR)
    b.trade(at(9, 0), 100, 100, 100, 100, timedelta(hours=1))
    b.quote(at(9, 0), 99.99, 100.01, timedelta(hours=1))
    b.now = at(11, 30)
    order = placed(b, MarketOrder(b.security.symbol, 10, b.utc_now))
    assert b.fill(order).status == OrderStatus.SUBMITTED
    b.trade(at(11, 0), 100.5, 100.7, 100.4, 100.6, timedelta(hours=1))
    b.quote(at(11, 0), 100.59, 100.61, timedelta(hours=1))
    assert filled(b.fill(order), "100.61")


def test_market_order_is_not_filled_while_the_exchange_is_closed(bench: EquityBench) -> None:
    bench.now = at(17, 0)
    event = bench.fill(placed(bench, MarketOrder(bench.security.symbol, 10, bench.utc_now)))
    assert event.status == OrderStatus.SUBMITTED


# --- limit ---------------------------------------------------------------------------------------------------
def test_limit_buy_fills_at_the_limit_when_the_bar_trades_through_it(bench: EquityBench) -> None:
    order = placed(bench, LimitOrder(bench.security.symbol, 10, d("99.50"), bench.utc_now))
    assert bench.fill(order).status == OrderStatus.SUBMITTED  # no bar after the order yet
    bench.trade(at(10, 0), 100, 100.2, 99.50, 99.8)
    assert bench.fill(order).status == OrderStatus.SUBMITTED  # touching the limit is not enough
    bench.trade(at(10, 1), 99.8, 99.9, 99.49, 99.6)
    assert filled(bench.fill(order), "99.50")


def test_limit_buy_fills_at_the_open_after_a_favorable_gap(bench: EquityBench) -> None:
    order = placed(bench, LimitOrder(bench.security.symbol, 10, d("99.50"), bench.utc_now))
    bench.trade(at(10, 0), 99.25, 99.4, 99.1, 99.3)
    event = bench.fill(order)
    assert filled(event, "99.25")
    assert event.message == ("Due to a favorable gap at 10/08/2013 10:01:00 America/New_York, order filled using "
                             "the open price (99.25)")


def test_limit_sell_mirrors_the_buy(bench: EquityBench) -> None:
    order = placed(bench, LimitOrder(bench.security.symbol, -10, d("100.50"), bench.utc_now))
    bench.trade(at(10, 0), 100, 100.50, 99.9, 100.1)
    assert bench.fill(order).status == OrderStatus.SUBMITTED
    bench.trade(at(10, 1), 100.1, 100.51, 100, 100.4)
    assert filled(bench.fill(order), "100.50")
    bench.trade(at(10, 2), 100.75, 100.8, 100.6, 100.7)
    assert filled(bench.fill(order), "100.75")


# --- stop market -------------------------------------------------------------------------------------------
def test_stop_market_fills_at_the_stop_when_touched(bench: EquityBench) -> None:
    buy = placed(bench, StopMarketOrder(bench.security.symbol, 10, d("100.50"), bench.utc_now))
    sell = placed(bench, StopMarketOrder(bench.security.symbol, -10, d("99.50"), bench.utc_now))
    bench.trade(at(10, 0), 100, 100.49, 99.51, 100)
    assert bench.fill(buy).status == OrderStatus.SUBMITTED and bench.fill(sell).status == OrderStatus.SUBMITTED
    bench.trade(at(10, 1), 100, 100.50, 99.50, 100)
    assert filled(bench.fill(buy), "100.50") and filled(bench.fill(sell), "99.50")


def test_stop_market_fills_at_the_open_after_an_unfavorable_gap(bench: EquityBench) -> None:
    sell = placed(bench, StopMarketOrder(bench.security.symbol, -10, d("99.50"), bench.utc_now))
    bench.trade(at(10, 0), 99.20, 99.6, 99.1, 99.5)
    event = bench.fill(sell)
    assert filled(event, "99.2")
    assert event.message == ("Due to an unfavorable gap at 10/08/2013 10:01:00 America/New_York, order filled "
                             "using the open price (99.2)")


def test_generic_stop_market_needs_a_strict_cross_and_fills_at_the_worse_price(trades_only: EquityBench) -> None:
    sell = placed(trades_only, StopMarketOrder(trades_only.security.symbol, -10, d("99.50"), trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100, 99.50, 99.7)
    assert trades_only.fill(sell, FillModel()).status == OrderStatus.SUBMITTED
    trades_only.trade(at(10, 1), 99.7, 99.8, 99.3, 99.4)
    assert filled(trades_only.fill(sell, FillModel()), "99.4")


# --- stop limit ---------------------------------------------------------------------------------------------
def test_stop_limit_triggers_once_then_fills_inside_the_limit(trades_only: EquityBench) -> None:
    updates: list[Any] = []
    buy = placed(trades_only, StopLimitOrder(trades_only.security.symbol, 10, d("100.50"), d("100.60"), trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100.50, 99.9, 100.4)
    assert trades_only.fill(buy, on_updated=updates.append).status == OrderStatus.SUBMITTED
    assert not buy.stop_triggered  # high == stop does not trigger
    trades_only.trade(at(10, 1), 100.4, 100.9, 100.4, 100.8)
    event = trades_only.fill(buy, on_updated=updates.append)
    assert buy.stop_triggered and updates == [buy]
    assert event.status == OrderStatus.SUBMITTED  # triggered, but the close is above the limit
    trades_only.trade(at(10, 2), 100.8, 100.85, 100.3, 100.55)
    event = trades_only.fill(buy, on_updated=updates.append)
    assert filled(event, "100.60") and updates == [buy]  # min(high, limit); no second trigger notice


def test_stop_limit_sell_fills_at_the_bar_low_capped_by_the_limit(trades_only: EquityBench) -> None:
    sell = placed(trades_only, StopLimitOrder(trades_only.security.symbol, -10, d("99.50"), d("99.20"), trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100, 99.40, 99.45)
    assert filled(trades_only.fill(sell), "99.40")


def test_stop_limit_uses_the_quote_side_when_quotes_are_subscribed(bench: EquityBench) -> None:
    buy = placed(bench, StopLimitOrder(bench.security.symbol, 10, d("100.50"), d("100.70"), bench.utc_now))
    bench.trade(at(10, 0), 100, 100.9, 100, 100.6)
    bench.quote(at(10, 0), 100.40, 100.45)  # the ask never crossed the stop: no trigger despite the trade high
    event = bench.fill(buy)
    assert event.status == OrderStatus.SUBMITTED and not buy.stop_triggered


# --- trailing stop ---------------------------------------------------------------------------------------------
def test_trailing_stop_follows_the_high_and_fills_when_touched(trades_only: EquityBench) -> None:
    updates: list[Any] = []
    sell = placed(trades_only, TrailingStopOrder(trades_only.security.symbol, -10, d("99"), d("1"), False, trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100.5, 99.8, 100.4)
    assert trades_only.fill(sell, on_updated=updates.append).status == OrderStatus.SUBMITTED
    assert sell.stop_price_exact == d("99.5") and updates == [sell]  # high 100.5 - 1
    trades_only.trade(at(10, 1), 100.4, 100.45, 100, 100.2)
    trades_only.fill(sell, on_updated=updates.append)
    assert sell.stop_price_exact == d("99.5") and len(updates) == 1  # never moves away from the market
    trades_only.trade(at(10, 2), 100.2, 100.2, 99.5, 99.7)
    assert filled(trades_only.fill(sell), "99.5")  # min(stop, close)


def test_trailing_stop_percentage_buy_moves_down_with_the_low(trades_only: EquityBench) -> None:
    buy = placed(trades_only, TrailingStopOrder(trades_only.security.symbol, 10, d("101"), d("0.01"), True, trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100.2, 99, 99.5)
    assert trades_only.fill(buy).status == OrderStatus.SUBMITTED
    assert buy.stop_price_exact == d("99.99")  # 99 * 1.01
    trades_only.trade(at(10, 1), 99.5, 100.5, 99.4, 100.3)
    assert filled(trades_only.fill(buy), "100.3")  # high >= stop: max(stop, close)


# --- limit if touched ---------------------------------------------------------------------------------------------
def test_limit_if_touched_buy_remembers_the_touch_and_fills_at_the_ask(bench: EquityBench) -> None:
    order = placed(bench, LimitIfTouchedOrder(bench.security.symbol, 10, d("99.50"), d("99.40"), bench.utc_now))
    bench.trade(at(10, 0), 100, 100, 99.50, 99.6)
    bench.quote(at(10, 0), 99.55, 99.60)
    event = bench.fill(order)
    assert order.trigger_touched and event.status == OrderStatus.SUBMITTED  # touched, ask above the limit
    bench.trade(at(10, 1), 99.6, 99.7, 99.55, 99.6)
    bench.quote(at(10, 1), 99.30, 99.35)
    assert filled(bench.fill(order), "99.35")


# --- market on open / close -------------------------------------------------------------------------------------------
def test_market_on_open_waits_for_the_next_session_open_bar(trades_only: EquityBench) -> None:
    trades_only.trade(at(15, 59), 101, 101, 101, 101)
    order = placed(trades_only, MarketOnOpenOrder(trades_only.security.symbol, 10, trades_only.utc_now))
    next_day = DAY + timedelta(days=1)
    trades_only.trade(at(9, 30, next_day), 102.5, 103, 102, 102.8)
    assert filled(trades_only.fill(order), "102.5")


def test_market_on_open_placed_during_the_session_waits_for_the_next_day(trades_only: EquityBench) -> None:
    order = placed(trades_only, MarketOnOpenOrder(trades_only.security.symbol, 10, trades_only.utc_now))
    trades_only.trade(at(10, 0), 100, 100, 100, 100)
    assert trades_only.fill(order).status == OrderStatus.SUBMITTED


def test_market_on_close_fills_at_the_last_bar_of_the_session(trades_only: EquityBench) -> None:
    order = placed(trades_only, MarketOnCloseOrder(trades_only.security.symbol, -10, trades_only.utc_now))
    trades_only.trade(at(15, 58), 101, 101, 101, 101)
    assert trades_only.fill(order).status == OrderStatus.SUBMITTED
    trades_only.trade(at(15, 59), 101, 101.2, 100.9, 101.1)
    assert filled(trades_only.fill(order), "101.1")
