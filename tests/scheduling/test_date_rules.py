"""Date rules against the real US-equity (and crypto/forex/futures) calendars."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from lean_local.scheduling import DateRules, DayOfWeek

from _sched_support import FakeContext


def days(rule, start: datetime, end: datetime) -> list[date]:
    return [d.date() for d in rule.get_dates(start, end)]


def test_every_day_symbol_gives_only_trading_days(ctx: FakeContext) -> None:
    rule = DateRules(ctx).every_day("SPY")
    got = days(rule, datetime(2013, 10, 5), datetime(2013, 10, 15))
    # weekend 5-6 and 12-13 skipped; Columbus Day (14th) is a NYSE trading day
    assert got == [date(2013, 10, d) for d in (7, 8, 9, 10, 11, 14, 15)]
    assert rule.name == "SPY: EveryDay"


def test_every_day_symbol_skips_holidays(ctx: FakeContext) -> None:
    got = days(DateRules(ctx).every_day("SPY"), datetime(2013, 12, 23), datetime(2014, 1, 3))
    assert date(2013, 12, 25) not in got and date(2014, 1, 1) not in got
    assert date(2013, 12, 24) in got  # early close is still a trading day
    assert len(days(DateRules(ctx).every_day("SPY"), datetime(2000, 1, 1), datetime(2000, 12, 31))) == 252


def test_every_day_without_symbol_is_every_calendar_day(ctx: FakeContext) -> None:
    got = days(DateRules(ctx).every_day(), datetime(2013, 10, 5, 13, 0), datetime(2013, 10, 15))
    assert got == [date(2013, 10, d) for d in range(5, 16)]
    assert len(days(DateRules(ctx).every_day(), datetime(2000, 1, 1), datetime(2000, 12, 31))) == 366


def test_every_days_of_week(ctx: FakeContext) -> None:
    rule = DateRules(ctx).every(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)
    assert rule.name == "Monday,Friday"
    got = days(rule, datetime(2013, 10, 1), datetime(2013, 10, 31))
    assert got == [date(2013, 10, d) for d in (4, 7, 11, 14, 18, 21, 25, 28)]
    # a list works too, and C# numbering (Sunday = 0) is used for plain ints
    assert days(DateRules(ctx).every([0]), datetime(2013, 10, 1), datetime(2013, 10, 14)) == [
        date(2013, 10, 6), date(2013, 10, 13)]


def test_on_keeps_given_dates_inside_range(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    assert days(rules.on(2013, 10, 7), datetime(2013, 10, 1), datetime(2013, 10, 31)) == [date(2013, 10, 7)]
    rule = rules.on(datetime(2013, 10, 9, 15, 30), date(2013, 10, 8), datetime(2014, 1, 1))
    assert rule.name == "10/09/2013,10/08/2013,01/01/2014"
    assert days(rule, datetime(2013, 10, 1), datetime(2013, 12, 31)) == [date(2013, 10, 9), date(2013, 10, 8)]


def test_today_and_tomorrow_read_the_clock_when_enumerated(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    today, tomorrow = rules.today, rules.tomorrow
    ctx.utc_time = datetime(2013, 10, 8, 3, 59)  # still Oct 7 in New York
    assert days(today, datetime(2000, 1, 1), datetime(2050, 1, 1)) == [date(2013, 10, 7)]
    assert days(tomorrow, datetime(2000, 1, 1), datetime(2050, 1, 1)) == [date(2013, 10, 8)]
    rules.set_default_time_zone("UTC")
    assert days(today, datetime(2000, 1, 1), datetime(2050, 1, 1)) == [date(2013, 10, 8)]


def test_month_start_symbol_moves_past_weekend_and_holiday(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    # Sept 2013: the 1st is a Sunday and the 2nd Labor Day; Jan 1 2014 is a holiday
    got = days(rules.month_start("SPY"), datetime(2013, 8, 15), datetime(2014, 2, 28))
    assert got == [date(2013, 9, 3), date(2013, 10, 1), date(2013, 11, 1), date(2013, 12, 2),
                   date(2014, 1, 2), date(2014, 2, 3)]
    # without a symbol: calendar first of the month, any weekday
    got = days(rules.month_start(), datetime(2013, 8, 15), datetime(2013, 12, 31))
    assert got == [date(2013, m, 1) for m in (9, 10, 11, 12)]
    assert days(rules.month_start("SPY", 2), datetime(2013, 9, 1), datetime(2013, 9, 30)) == [date(2013, 9, 5)]
    assert rules.month_start("SPY", 2).name == "SPY: MonthStart+2"
    assert rules.month_start().name == "MonthStart"


def test_month_start_positional_offset_means_no_symbol(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    assert days(rules.month_start(5), datetime(2000, 1, 1), datetime(2000, 3, 31)) == [
        date(2000, 1, 6), date(2000, 2, 6), date(2000, 3, 6)]


@pytest.mark.parametrize("offset, expected", [
    (5, [10, 8, 8, 10, 8, 8]),
    (12, [20, 17, 17, 19, 17, 19]),   # Jan 17 2000 is a holiday
    (25, [31, 29, 31, 28, 31, 30]),   # clamped to the month's last trading day
])
def test_month_start_offsets_clamp_inside_the_month(ctx: FakeContext, offset: int, expected: list[int]) -> None:
    got = days(DateRules(ctx).month_start("SPY", offset), datetime(2000, 1, 1), datetime(2000, 6, 30))
    assert [d.day for d in got] == expected


@pytest.mark.parametrize("offset, expected", [
    (5, [24, 22, 24, 20, 23, 23]),
    (12, [12, 10, 15, 11, 12, 14]),
    (25, [3, 1, 1, 3, 1, 1]),
])
def test_month_end_offsets(ctx: FakeContext, offset: int, expected: list[int]) -> None:
    got = days(DateRules(ctx).month_end("SPY", offset), datetime(2000, 1, 1), datetime(2000, 6, 30))
    assert [d.day for d in got] == expected


def test_month_end_symbol_and_plain(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    got = days(rules.month_end("SPY"), datetime(2013, 8, 1), datetime(2013, 11, 30))
    assert got == [date(2013, 8, 30), date(2013, 9, 30), date(2013, 10, 31), date(2013, 11, 29)]
    assert days(rules.month_end(), datetime(2013, 8, 1), datetime(2013, 9, 30)) == [date(2013, 8, 31),
                                                                                  date(2013, 9, 30)]
    assert rules.month_end("SPY", 3).name == "SPY: MonthEnd-3"


def test_month_rules_only_in_range(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    # the month's start is before the range start: nothing that month
    assert days(rules.month_start(10), datetime(2000, 12, 12), datetime(2000, 12, 31)) == []
    assert days(rules.month_start(10), datetime(2000, 12, 8), datetime(2000, 12, 31)) == [date(2000, 12, 11)]
    assert days(rules.month_end(10), datetime(2000, 12, 1), datetime(2000, 12, 21)) == [date(2000, 12, 21)]


def test_week_start_and_end(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    assert [d.day for d in days(rules.week_start("SPY"), datetime(2000, 1, 1), datetime(2000, 1, 31))] == [
        3, 10, 18, 24, 31]  # MLK day Jan 17
    assert [d.day for d in days(rules.week_start("SPY", 2), datetime(2000, 1, 1), datetime(2000, 1, 31))] == [
        5, 12, 20, 26]
    assert [d.day for d in days(rules.week_end("SPY"), datetime(2000, 1, 1), datetime(2000, 1, 31))] == [
        7, 14, 21, 28]
    assert [d.day for d in days(rules.week_end("SPY", 2), datetime(2000, 1, 1), datetime(2000, 1, 31))] == [
        5, 12, 19, 26]
    # Labor Day week starts on Tuesday; Good Friday 2014 week ends Thursday
    assert days(rules.week_start("SPY"), datetime(2013, 9, 1), datetime(2013, 9, 7)) == [date(2013, 9, 3)]
    assert days(rules.week_end("SPY"), datetime(2014, 4, 14), datetime(2014, 4, 20)) == [date(2014, 4, 17)]
    # without a symbol: Monday / Friday, offsets roll over weekends
    assert all(d.weekday() == 0 for d in days(rules.week_start(), datetime(2000, 1, 1), datetime(2000, 12, 31)))
    assert len(days(rules.week_start(), datetime(2000, 1, 1), datetime(2000, 12, 31))) == 52
    assert {d.weekday() for d in days(rules.week_start(6), datetime(2000, 1, 1), datetime(2000, 12, 31))} == {6}
    assert {d.weekday() for d in days(rules.week_end(5), datetime(2000, 1, 1), datetime(2000, 12, 31))} == {6}


def test_week_offset_limited_to_exchange_week(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    with pytest.raises(ValueError):
        rules.week_start("SPY", 5)
    with pytest.raises(ValueError):
        rules.week_end("SPY", 6)
    with pytest.raises(ValueError):
        rules.week_start(7)


@pytest.mark.parametrize("key, expected", [
    ("BTCUSD", [2, 9, 16, 23, 30]),
    ("EURUSD", [2, 9, 16, 23, 30]),
])
def test_week_start_for_sunday_opening_markets(ctx: FakeContext, key: str, expected: list[int]) -> None:
    got = days(DateRules(ctx).week_start(key), datetime(2000, 1, 1), datetime(2000, 1, 31))
    assert [d.day for d in got] == expected


def test_week_end_crypto(ctx: FakeContext) -> None:
    got = days(DateRules(ctx).week_end("BTCUSD"), datetime(2000, 1, 1), datetime(2000, 1, 31))
    assert [d.day for d in got] == [1, 8, 15, 22, 29]


@pytest.mark.parametrize("offset, expected", [(5, [10, 9, 9, 9, 9]), (12, [20, 19, 18, 21, 21]),
                                              (348, [29, 31, 31, 31, 31])])
def test_year_start_offsets(ctx: FakeContext, offset: int, expected: list[int]) -> None:
    got = days(DateRules(ctx).year_start("SPY", offset), datetime(2000, 1, 1), datetime(2004, 12, 31))
    assert [d.day for d in got] == expected


@pytest.mark.parametrize("offset, expected", [(5, [21, 21, 23, 23, 23]), (12, [12, 12, 12, 12, 14]),
                                              (19, [1, 3, 3, 3, 3])])
def test_year_end_offsets(ctx: FakeContext, offset: int, expected: list[int]) -> None:
    got = days(DateRules(ctx).year_end("SPY", offset), datetime(2000, 1, 1), datetime(2004, 12, 31))
    assert [d.day for d in got] == expected


def test_year_rules_plain(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    assert days(rules.year_start("SPY"), datetime(2013, 6, 1), datetime(2014, 12, 31)) == [date(2014, 1, 2)]
    assert days(rules.year_end("SPY"), datetime(2013, 6, 1), datetime(2013, 12, 31)) == [date(2013, 12, 31)]
    # LEAN walks from the first of the *start month*, so a later-year start with big offset is skipped
    assert days(rules.year_start(200), datetime(2000, 3, 1), datetime(2000, 12, 31)) == []
    assert days(rules.year_start(5), datetime(2000, 1, 1), datetime(2001, 12, 31)) == [date(2000, 1, 6),
                                                                                     date(2001, 1, 6)]


def test_quarter_rules(ctx: FakeContext) -> None:
    rules = DateRules(ctx)
    assert days(rules.quarter_start(), datetime(2000, 2, 15), datetime(2000, 12, 31)) == [
        date(2000, 4, 1), date(2000, 7, 1), date(2000, 10, 1)]
    assert days(rules.quarter_end(5), datetime(2000, 1, 1), datetime(2000, 12, 31)) == [
        date(2000, 3, 26), date(2000, 6, 25), date(2000, 9, 25), date(2000, 12, 26)]
    with pytest.raises(ValueError):
        rules.quarter_start(93)
