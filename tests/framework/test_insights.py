"""Insight timing on the exchange calendar, expiry, groups, and the insight collections."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lean_local.enums import InsightDirection, InsightType, Resolution, SecurityType
from lean_local.framework.insights import (
    GeneratedInsightsCollection,
    Insight,
    InsightCollection,
    InsightManager,
    compute_close_time,
)
from lean_local.securities.symbol import Symbol

from framework_testdata import DATA_FOLDER

pytestmark = pytest.mark.needs_data


@pytest.fixture(scope="module")
def hours():
    from lean_local.data.market_hours import MarketHoursDatabase

    database = MarketHoursDatabase.load(DATA_FOLDER / "market-hours" / "market-hours-database.json")
    return database.get_exchange_hours(SecurityType.EQUITY, "usa", "SPY")


SPY = Symbol.create("SPY", SecurityType.EQUITY, "usa")
AAPL = Symbol.create("AAPL", SecurityType.EQUITY, "usa")


def utc(*args: int) -> datetime:
    return datetime(*args)


def test_minute_period_within_the_session(hours) -> None:
    # 09:31 ET on Monday 2013-10-07 is 13:31 UTC; twenty open minutes later is 09:51 ET
    assert compute_close_time(hours, utc(2013, 10, 7, 13, 31), timedelta(minutes=20)) == utc(2013, 10, 7, 13, 51)


def test_minute_period_continues_after_the_next_open(hours) -> None:
    # 15:50 ET + 20 market minutes: 10 today, 10 after Tuesday's 09:30 open
    assert compute_close_time(hours, utc(2013, 10, 7, 19, 50), timedelta(minutes=20)) == utc(2013, 10, 8, 13, 40)


def test_resolution_bar_count_daily_skips_the_weekend(hours) -> None:
    # Friday 16:00 ET + one daily bar = Monday 16:00 ET
    assert compute_close_time(hours, utc(2013, 10, 11, 20, 0), Resolution.DAILY, 1) == utc(2013, 10, 14, 20, 0)


def test_hour_bars_count_as_sixty_open_minutes(hours) -> None:
    # 15:30 ET + 2 hours: 30 minutes today, 90 minutes from the 09:30 open → 11:00 ET
    assert compute_close_time(hours, utc(2013, 10, 7, 19, 30), Resolution.HOUR, 2) == utc(2013, 10, 8, 15, 0)


def test_whole_day_periods_count_open_days(hours) -> None:
    # 31 days from Monday 2014-06-02 10:00 ET steps over 31 open dates
    close = compute_close_time(hours, utc(2014, 6, 2, 14, 0), timedelta(days=31))
    assert close > utc(2014, 7, 10) and close.hour == 14


def test_price_insight_is_stamped_by_set_period_and_close_time(hours) -> None:
    insight = Insight.price(SPY, Resolution.MINUTE, 5, InsightDirection.UP, 0.01, 0.5, "model", 0.2, "tag")
    assert insight.type == InsightType.PRICE and insight.magnitude == 0.01 and insight.weight == 0.2
    insight.generated_time_utc = utc(2013, 10, 7, 13, 31)
    insight.set_period_and_close_time(hours)
    assert insight.close_time_utc == utc(2013, 10, 7, 13, 36)
    assert insight.period == timedelta(minutes=5)


def test_constructor_overloads() -> None:
    plain = Insight(SPY, timedelta(minutes=20), InsightType.PRICE, InsightDirection.UP)
    assert plain.magnitude is None and plain.tag == ""
    tagged = Insight(SPY, timedelta(minutes=20), InsightType.PRICE, InsightDirection.DOWN, "why")
    assert tagged.tag == "why"
    stamped = Insight(utc(2013, 10, 7, 14), SPY, timedelta(hours=1), InsightType.PRICE, InsightDirection.UP, 0.1, None)
    assert stamped.close_time_utc == utc(2013, 10, 7, 15)
    with pytest.raises(ValueError):
        Insight.price(SPY, timedelta(milliseconds=10), InsightDirection.UP)
    with pytest.raises(ValueError):
        Insight.price(SPY, Resolution.DAILY, 0, InsightDirection.UP)


def test_expire_and_cancel_close_one_second_before_now() -> None:
    insight = Insight(utc(2013, 10, 7, 14), SPY, timedelta(hours=1), InsightType.PRICE, InsightDirection.UP, None, None)
    now = utc(2013, 10, 7, 14, 30)
    assert insight.is_active(now) and not insight.is_expired(now)
    insight.cancel(now)
    assert insight.close_time_utc == now - timedelta(seconds=1)
    assert insight.is_expired(now)
    assert insight.period == timedelta(minutes=29, seconds=59)


def test_group_assigns_one_id_once() -> None:
    first = Insight.price(SPY, timedelta(hours=1), InsightDirection.UP)
    second = Insight.price(AAPL, timedelta(hours=1), InsightDirection.DOWN)
    grouped = Insight.group(first, second)
    assert grouped == [first, second] and first.group_id == second.group_id is not None
    with pytest.raises(RuntimeError):
        Insight.group(first)


def _stamped(symbol: Symbol, start: datetime, minutes: int) -> Insight:
    return Insight(start, symbol, timedelta(minutes=minutes), InsightType.PRICE, InsightDirection.UP, None, None)


def test_collection_tracks_open_and_all_insights() -> None:
    collection = InsightCollection()
    a = _stamped(SPY, utc(2013, 10, 7, 14), 10)
    b = _stamped(SPY, utc(2013, 10, 7, 14, 5), 30)
    c = _stamped(AAPL, utc(2013, 10, 7, 14), 60)
    collection.add_range([a, b, c])
    assert collection.count == 3 and collection.total_count == 3
    now = utc(2013, 10, 7, 14, 20)
    assert collection.get_active_insights(now) == [b, c]
    assert collection.get_next_expiry_time() == a.close_time_utc
    assert collection.remove_expired_insights(now) == [a]
    assert collection.count == 2 and collection.total_count == 3
    assert collection[SPY] == [b] and SPY in collection and collection.contains(b)
    assert collection.has_active_insights(AAPL, now)
    collection.clear([AAPL])
    assert not collection.contains_key(AAPL) and collection.count == 1
    assert collection.get_insights() == [a, b, c]
    assert collection.get_insights(lambda i: i.symbol == AAPL) == [c]


class _Clock:
    utc_time = utc(2013, 10, 7, 14, 10)


def test_manager_expires_by_symbol_and_by_insight() -> None:
    manager = InsightManager(_Clock())
    a = _stamped(SPY, utc(2013, 10, 7, 14), 60)
    b = _stamped(AAPL, utc(2013, 10, 7, 14), 60)
    manager.add_range([a, b])
    manager.cancel([SPY])
    assert a.close_time_utc == utc(2013, 10, 7, 14, 9, 59) and b.is_active(_Clock.utc_time)
    manager.expire([b])
    assert b.is_expired(_Clock.utc_time)
    generated = GeneratedInsightsCollection(_Clock.utc_time, [a])
    assert list(generated) == [a] and generated.date_time_utc == _Clock.utc_time
