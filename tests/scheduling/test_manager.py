"""``self.schedule`` as algorithms use it: overloads, names, fluent builder, end-to-end timing."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from _sched_support import Harness

from lean_local.scheduling import DayOfWeek

START = datetime(2013, 10, 7, 4, 0)


def test_on_overloads_and_names(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    s = h.schedule
    ev = s.on(s.date_rules.every(DayOfWeek.MONDAY), s.time_rules.at(10, 0), h.record("x"))
    assert ev.name == "Monday: 10"
    named = s.on("Rebalance", s.date_rules.month_start("SPY"), s.time_rules.after_market_open("SPY", 30),
                 h.record("y"))
    assert named.name == "Rebalance"
    kw = s.on(date_rule=s.date_rules.every_day(), time_rule=s.time_rules.noon, callback=h.record("z"))
    assert kw.name == "EveryDay: Noon"
    with pytest.raises(TypeError):
        s.on(s.date_rules.every_day(), s.time_rules.noon)
    # LEAN's PascalCase spellings
    pascal = s.On(s.DateRules.EveryDay("SPY"), s.TimeRules.AfterMarketOpen("SPY", 10), h.record("p"))
    assert pascal.name == "SPY: EveryDay: SPY: 10 min after MarketOpen"


def test_python_callbacks_get_no_arguments(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    calls: list[tuple[Any, ...]] = []

    def rebalance(*args: Any) -> None:
        calls.append(args)

    h.schedule.on(h.schedule.date_rules.today, h.schedule.time_rules.at(10, 0), rebalance)
    h.start(sampling=False)
    h.step(datetime(2013, 10, 7, 14, 0))
    assert calls == [()]


def test_month_start_event_on_a_month_starting_with_a_holiday_weekend(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2013, 8, 20, 4, 0))
    s = h.schedule
    s.on(s.date_rules.month_start("SPY"), s.time_rules.after_market_open("SPY", 30), h.record("ms"))
    h.start()
    h.run_minutes(datetime(2013, 8, 20, 9, 0), datetime(2013, 10, 2, 17, 0))
    # Sept 1 2013 is a Sunday and Sept 2 Labor Day
    assert h.fired == [("ms", datetime(2013, 9, 3, 14, 0)), ("ms", datetime(2013, 10, 1, 14, 0))]


def test_before_close_on_christmas_eve_early_close(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2015, 12, 23, 5, 0))
    s = h.schedule
    s.on(s.date_rules.every_day("SPY"), s.time_rules.before_market_close("SPY", 10), h.record("bmc"))
    h.start()
    h.run_minutes(datetime(2015, 12, 23, 9, 0), datetime(2015, 12, 28, 17, 0))
    assert h.fired == [("bmc", datetime(2015, 12, 23, 20, 50)), ("bmc", datetime(2015, 12, 24, 17, 50)),
                       ("bmc", datetime(2015, 12, 28, 20, 50))]


def test_daily_times_across_dst_in_utc(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2013, 10, 31, 4, 0))
    s = h.schedule
    s.on(s.date_rules.every_day("SPY"), s.time_rules.after_market_open("SPY", 1), h.record("open"))
    s.on(s.date_rules.every_day(), s.time_rules.at(12, 0), h.record("noon-at"))
    h.start()
    h.run_minutes(datetime(2013, 10, 31, 9, 0), datetime(2013, 11, 5, 17, 0))
    opens = [t for label, t in h.fired if label == "open"]
    assert opens == [datetime(2013, 10, 31, 13, 31), datetime(2013, 11, 1, 13, 31),
                     datetime(2013, 11, 4, 14, 31), datetime(2013, 11, 5, 14, 31)]
    noons = [t for label, t in h.fired if label == "noon-at"]
    assert noons == [datetime(2013, 10, 31, 16), datetime(2013, 11, 1, 16), datetime(2013, 11, 2, 16),
                     datetime(2013, 11, 3, 17), datetime(2013, 11, 4, 17), datetime(2013, 11, 5, 17)]


def test_set_time_zone_hook_changes_rule_zone(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.schedule.set_time_zone("Europe/London")
    rule = h.schedule.time_rules.at(9, 0)
    assert list(rule.create_utc_event_times([datetime(2013, 10, 7)])) == [datetime(2013, 10, 7, 8, 0)]
    assert h.schedule.date_rules.time_zone == "Europe/London"


def test_fluent_builder(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    got: list[tuple[str, Any]] = []
    ev = (h.schedule.event("fluent").every_day("SPY").at(10, 0).at(15, 0)
          .where(lambda t: t.day != 8).run(lambda t: got.append(("time", t))))
    assert ev.name == "fluent"
    unnamed = h.schedule.event().every(DayOfWeek.TUESDAY).at(11, 0).run(lambda n, t: got.append((n, t)))
    assert unnamed.name == "Tuesday: 11"
    h.schedule.event().every_day("SPY").every(timedelta(hours=1)).during_market_hours("SPY").run(
        lambda: got.append(("hourly", h.ctx.utc_time)))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 8, 17, 0))
    assert [x for x in got if x[0] == "time"] == [("time", datetime(2013, 10, 7, 14)),
                                                  ("time", datetime(2013, 10, 7, 19))]
    assert [x for x in got if x[0] == "Tuesday: 11"] == [("Tuesday: 11", datetime(2013, 10, 8, 15))]
    hourly = [t for n, t in got if n == "hourly"]
    # on the hour while the market is open: 10:00 .. 15:00 New York each day
    assert hourly == [datetime(2013, 10, d, h) for d in (7, 8) for h in range(14, 20)]


def test_training_now_runs_once_now(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.start(sampling=False)
    h.step(datetime(2013, 10, 7, 14, 0))
    h.schedule.training_now(h.record("train"))
    h.step(datetime(2013, 10, 7, 14, 1))
    h.step(datetime(2013, 10, 7, 14, 2))
    assert h.fired == [("train", datetime(2013, 10, 7, 14, 0))]
