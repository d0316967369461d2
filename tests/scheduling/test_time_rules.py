"""Time rules: UTC event times from the real calendars, early closes and DST changes."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from _sched_support import KNOWN, FakeContext

from lean_local.scheduling import CompositeTimeRule, TimeRules


def times(rule, *days: datetime) -> list[datetime]:
    return list(rule.create_utc_event_times(list(days)))


def test_after_market_open_spy(ctx: FakeContext) -> None:
    rule = TimeRules(ctx).after_market_open("SPY", 10)
    assert rule.name == "SPY: 10 min after MarketOpen"
    assert times(rule, datetime(2013, 10, 7)) == [datetime(2013, 10, 7, 13, 40)]  # 09:40 EDT
    assert times(rule, datetime(2013, 12, 2)) == [datetime(2013, 12, 2, 14, 40)]  # 09:40 EST
    # closed days produce nothing
    assert times(rule, datetime(2013, 10, 5), datetime(2013, 12, 25)) == []


def test_market_open_variants(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    d = datetime(2000, 1, 3)
    assert times(rules.after_market_open("SPY"), d) == [datetime(2000, 1, 3, 14, 30)]
    assert times(rules.after_market_open("SPY", 0, True), d) == [datetime(2000, 1, 3, 9, 0)]
    assert times(rules.after_market_open("SPY", 30, True), d) == [datetime(2000, 1, 3, 9, 30)]
    before = rules.before_market_open("SPY", 30)
    assert before.name == "SPY: 30 min before MarketOpen"
    assert times(before, d) == [datetime(2000, 1, 3, 14, 0)]
    assert times(rules.before_market_open("SPY", 30, True), d) == [datetime(2000, 1, 3, 8, 30)]
    assert rules.after_market_open("SPY").name == "SPY: 0 min before MarketOpen"


def test_before_market_close_honours_early_close(ctx: FakeContext) -> None:
    rule = TimeRules(ctx).before_market_close("SPY", 10)
    assert rule.name == "SPY: 10 min before MarketClose"
    # Christmas Eve 2015 closes at 13:00 -> 12:50 EST
    assert times(rule, datetime(2015, 12, 24)) == [datetime(2015, 12, 24, 17, 50)]
    assert times(rule, datetime(2015, 12, 23)) == [datetime(2015, 12, 23, 20, 50)]
    # the day after Thanksgiving 2013
    assert times(TimeRules(ctx).after_market_close("SPY", 5), datetime(2013, 11, 29)) == [
        datetime(2013, 11, 29, 18, 5)]


def test_market_close_variants(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    d = datetime(2000, 1, 3)
    assert times(rules.before_market_close("SPY"), d) == [datetime(2000, 1, 3, 21, 0)]
    assert times(rules.before_market_close("SPY", 30), d) == [datetime(2000, 1, 3, 20, 30)]
    assert times(rules.before_market_close("SPY", 0, True), d) == [datetime(2000, 1, 4, 1, 0)]
    after = rules.after_market_close("SPY", 30)
    assert after.name == "SPY: 30 min after MarketClose"
    assert times(after, d) == [datetime(2000, 1, 3, 21, 30)]
    assert times(rules.after_market_close("SPY", 30, True), d) == [datetime(2000, 1, 4, 1, 30)]


def test_extended_close_over_several_days(ctx: FakeContext) -> None:
    rule = TimeRules(ctx).before_market_close("SPY", 0, True)
    got = times(rule, *[datetime(2022, 1, d) for d in range(1, 10)])
    assert got == [datetime(2022, 1, d + 1, 1, 0) for d in range(3, 8)]


def test_futures_open_for_continuous_sessions(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    es = KNOWN["ES"]
    week = [datetime(2022, 1, d) for d in (3, 4, 5, 6, 7, 10)]
    assert times(rules.after_market_open(es), *week) == [d + timedelta(hours=14, minutes=30) for d in week]
    got = times(rules.after_market_open(es, 0, True), *[datetime(2022, 1, d) for d in range(1, 10)])
    assert got == [datetime(2022, 1, 2, 23, 0)] + [datetime(2022, 1, d, 5, 0) for d in range(3, 8)] + [
        datetime(2022, 1, 9, 23, 0)]


def test_symbol_less_market_rules(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    d = datetime(2000, 1, 3)
    assert times(rules.after_market_open(30), d) == [datetime(2000, 1, 3, 15, 0)]
    assert times(rules.before_market_close(30), d) == [datetime(2000, 1, 3, 20, 30)]
    ctx.securities = [KNOWN["SPY"], KNOWN["BTCUSD"]]  # always-open markets are ignored
    assert times(rules.after_market_open(), d) == [datetime(2000, 1, 3, 14, 30)]
    ctx.securities = [KNOWN["SPY"], KNOWN["EURUSD"]]
    assert times(rules.after_market_open(), datetime(2022, 1, 3)) == [datetime(2022, 1, 3, 5, 0)]
    assert times(rules.before_market_close(), datetime(2022, 1, 3)) == [datetime(2022, 1, 4, 5, 0)]
    ctx.securities = [KNOWN["SPY"], KNOWN["ES"]]
    assert times(rules.after_market_open(0, extended_market_open=True), datetime(2022, 1, 3)) == [
        datetime(2022, 1, 3, 5, 0)]


def test_at_in_algorithm_zone_and_explicit_zone(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    assert times(rules.at(12, 0), datetime(2000, 1, 1)) == [datetime(2000, 1, 1, 17, 0)]
    assert times(rules.at(12, 0, 0, "UTC"), datetime(2000, 1, 1)) == [datetime(2000, 1, 1, 12, 0)]
    assert times(rules.at(12, 0, "UTC"), datetime(2000, 1, 1)) == [datetime(2000, 1, 1, 12, 0)]
    assert times(rules.at(timedelta(hours=9, minutes=45)), datetime(2013, 10, 7)) == [datetime(2013, 10, 7, 13, 45)]
    assert times(rules.at(timedelta(hours=1), "Asia/Hong_Kong"), datetime(2013, 10, 7)) == [
        datetime(2013, 10, 6, 17, 0)]
    assert rules.at(9, 30).name == "9.5"
    assert rules.at(10, 20).name == "10.33"


def test_dst_changes(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    spring, autumn = datetime(2013, 3, 10), datetime(2013, 11, 3)
    # 09:30 local on the days around the change
    assert times(rules.at(9, 30), datetime(2013, 3, 8), datetime(2013, 3, 11)) == [
        datetime(2013, 3, 8, 14, 30), datetime(2013, 3, 11, 13, 30)]
    # midnight: the local day start, before the change on the change day itself
    assert times(rules.midnight, spring, datetime(2013, 3, 11), autumn, datetime(2013, 11, 4)) == [
        datetime(2013, 3, 10, 5, 0), datetime(2013, 3, 11, 4, 0), datetime(2013, 11, 3, 4, 0),
        datetime(2013, 11, 4, 5, 0)]
    # a skipped wall time maps to the end of the gap, a repeated one to its later instant
    assert times(rules.at(2, 30), spring) == [datetime(2013, 3, 10, 7, 0)]
    assert times(rules.at(1, 30), autumn) == [datetime(2013, 11, 3, 6, 30)]
    # noon is UTC midnight + 12h: 13:00 EDT on the spring day, 11:00 EST on the autumn day
    assert times(rules.noon, spring, autumn, datetime(2013, 11, 4)) == [
        datetime(2013, 3, 10, 17, 0), datetime(2013, 11, 3, 16, 0), datetime(2013, 11, 4, 17, 0)]
    # market open moves with the exchange zone
    assert times(rules.after_market_open("SPY"), datetime(2013, 3, 8), datetime(2013, 3, 11)) == [
        datetime(2013, 3, 8, 14, 30), datetime(2013, 3, 11, 13, 30)]


def test_every_interval_including_dst_gap(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    rule = rules.every(timedelta(hours=6))
    assert rule.name == "Every 360 min"
    assert times(rule, datetime(2013, 10, 7)) == [datetime(2013, 10, 7, h) for h in (4, 10, 16, 22)]
    got = times(rules.every(timedelta(minutes=30)), datetime(2013, 3, 10))
    assert len(got) == 48
    # 02:00, 02:30 and 03:00 local all land on 07:00 UTC
    assert got[3:7] == [datetime(2013, 3, 10, 6, 30)] + [datetime(2013, 3, 10, 7, 0)] * 3
    with pytest.raises(ValueError):
        rules.every(timedelta(0))


def test_default_time_zone_is_read_lazily(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    midnight, at_noon = rules.midnight, rules.at(12, 0)
    rules.set_default_time_zone("UTC")
    assert times(midnight, datetime(2013, 10, 7)) == [datetime(2013, 10, 7)]  # lazy: new zone
    assert times(at_noon, datetime(2013, 10, 7)) == [datetime(2013, 10, 7, 16, 0)]  # captured: old zone


def test_now_reads_the_clock(ctx: FakeContext) -> None:
    rule = TimeRules(ctx).now
    ctx.utc_time = datetime(2013, 10, 7, 15, 1, 2)
    assert times(rule, datetime(2013, 10, 7)) == [datetime(2013, 10, 7, 15, 1, 2)]


def test_composite_rule_dedups_and_sorts_per_day(ctx: FakeContext) -> None:
    rules = TimeRules(ctx)
    rule = CompositeTimeRule(rules.at(15, 0), rules.after_market_open("SPY"), rules.at(9, 30))
    assert rule.name == "15,SPY: 0 min before MarketOpen,9.5"
    assert times(rule, datetime(2013, 10, 7), datetime(2013, 10, 8)) == [
        datetime(2013, 10, 7, 13, 30), datetime(2013, 10, 7, 19, 0),
        datetime(2013, 10, 8, 13, 30), datetime(2013, 10, 8, 19, 0)]
