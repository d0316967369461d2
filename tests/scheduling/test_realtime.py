"""The engine-facing scheduler: firing order, past-event scans, setup skipping, errors, end of day."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from _sched_support import KNOWN, Harness

from lean_local.scheduling import (
    MAX_TIME,
    RealTimeScheduler,
    ScheduledEvent,
    ScheduleManager,
    sort_first_element,
)

START = datetime(2013, 10, 7, 4, 0)  # 2013-10-07 00:00 New York


def test_daily_after_open_fires_at_0940_each_trading_day(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    sched, rules = h.schedule, h.schedule
    ev = sched.on(rules.date_rules.every_day("SPY"), rules.time_rules.after_market_open("SPY", 10),
                  h.record("open+10"))
    assert ev.name == "SPY: EveryDay: SPY: 10 min after MarketOpen"
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 13, 17, 0))
    assert h.fired == [("open+10", datetime(2013, 10, d, 13, 40)) for d in (7, 8, 9, 10, 11)]


def test_midnight_every_day_fires_on_weekends_through_scan_past(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.schedule.on(h.schedule.date_rules.every_day(), h.schedule.time_rules.midnight, h.record("midnight"))
    h.start()
    h.run_minutes(datetime(2013, 10, 11, 9, 0), datetime(2013, 10, 14, 10, 0))
    # Monday 09:31 is the first slice after Friday: Sat, Sun and Mon midnights fire then, each with its own
    # time on the algorithm clock; the Oct 7..11 midnights fired at their first slices
    assert h.fired[-3:] == [("midnight", datetime(2013, 10, d, 4, 0)) for d in (12, 13, 14)]
    assert [t for _, t in h.fired] == [datetime(2013, 10, d, 4, 0) for d in range(7, 15)]


def test_event_before_start_is_skipped_and_event_at_start_kept(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2013, 10, 7, 13, 30))  # algorithm starts at 09:30 New York
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(dr.every_day("SPY"), tr.at(9, 0), h.record("9:00"))
    h.schedule.on(dr.every_day("SPY"), tr.at(9, 30), h.record("9:30"))
    h.start()
    h.step(datetime(2013, 10, 7, 13, 31))
    assert h.fired == [("9:30", datetime(2013, 10, 7, 13, 30))]


def test_scan_past_is_strict_and_fire_due_is_inclusive(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.schedule.on(h.schedule.date_rules.on(2013, 10, 7), h.schedule.time_rules.at(10, 0), h.record("10:00"))
    h.start(sampling=False)
    clock_changes: list[datetime] = []
    h.scheduler.scan_past(datetime(2013, 10, 7, 14, 0), clock_changes.append)
    assert h.fired == [] and clock_changes == []
    h.ctx.utc_time = datetime(2013, 10, 7, 14, 0)
    h.scheduler.fire_due(datetime(2013, 10, 7, 14, 0))
    assert h.fired == [("10:00", datetime(2013, 10, 7, 14, 0))]


def test_scan_past_sets_each_events_own_time_in_time_order(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(dr.on(2013, 10, 12), tr.at(15, 0), h.record("sat 15:00"))
    h.schedule.on(dr.on(2013, 10, 12), tr.at(10, 0), h.record("sat 10:00"))
    h.schedule.on(dr.on(2013, 10, 13), tr.at(8, 0), h.record("sun 08:00"))
    h.start()
    h.step(datetime(2013, 10, 14, 13, 31))
    assert h.fired == [("sat 10:00", datetime(2013, 10, 12, 14, 0)), ("sat 15:00", datetime(2013, 10, 12, 19, 0)),
                       ("sun 08:00", datetime(2013, 10, 13, 12, 0))]
    assert h.ctx.utc_time == datetime(2013, 10, 14, 13, 31)


def test_two_same_time_events_keep_creation_order(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    for label in ("first", "second"):
        h.schedule.on(dr.every_day("SPY"), tr.after_market_open("SPY", 10), h.record(label))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 9, 17, 0))
    assert [label for label, _ in h.fired] == ["first", "second"] * 3


def test_same_time_order_depends_on_events_in_between(make_harness: Any) -> None:
    """LEAN re-places only the event that just fired, and only if it is now *strictly* later than the
    event behind it. Without the engine's midnight sampling event in between, two identical daily events
    swap every day; with three, the sampling event is not enough to keep creation order."""
    h: Harness = make_harness(START)
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    for label in ("first", "second"):
        h.schedule.on(dr.every_day("SPY"), tr.after_market_open("SPY", 10), h.record(label))
    h.start(sampling=False)
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 9, 17, 0))
    assert [label for label, _ in h.fired] == ["first", "second", "second", "first", "first", "second"]

    h = make_harness(START)
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    for label in ("first", "second", "third"):
        h.schedule.on(dr.every_day("SPY"), tr.after_market_open("SPY", 10), h.record(label))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 8, 17, 0))
    assert [label for label, _ in h.fired] == ["first", "second", "third", "first", "third", "second"]


def test_lean_scheduled_events_order_regression_scenario(make_harness: Any) -> None:
    """The set-up of LEAN's ScheduledEventsOrderRegressionAlgorithm driven by minute slices."""
    h: Harness = make_harness(START, end_date=datetime(2013, 10, 11))
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    log: list[tuple[str, int, datetime]] = []
    h.schedule.on(dr.week_start("AAPL"), tr.after_market_open("AAPL"), lambda: log.append(("W", 0, h.ctx.utc_time)))
    for i in range(2):
        h.schedule.on(dr.every_day("SPY"), tr.at(9, 25), lambda i=i: log.append(("A", i, h.ctx.utc_time)))
        h.schedule.on(dr.every_day("SPY"), tr.before_market_close("SPY", 5),
                      lambda i=i: log.append(("B", i, h.ctx.utc_time)))
        h.schedule.on(dr.every_day("SPY"), tr.at(16, 5), lambda i=i: log.append(("C", i, h.ctx.utc_time)))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 11, 23, 59))
    assert [e for e in log if e[0] == "W"] == [("W", 0, datetime(2013, 10, 7, 13, 30))]
    others = [e for e in log if e[0] != "W"]
    assert len(others) == 28  # the last day's 16:05 events have no later slice
    times_seen = [t for _, _, t in others]
    assert times_seen == sorted(times_seen)
    for kind in "ABC":
        ids = [i for k, i, _ in others if k == kind]
        assert ids == [0, 1] * (len(ids) // 2)


def test_sort_first_element_inserts_after_the_binary_search_hit() -> None:
    t1, t2, t3 = datetime(2013, 1, 1, 10), datetime(2013, 1, 1, 11), datetime(2013, 1, 1, 12)
    a = ScheduledEvent("a", [t1, t3])
    b = ScheduledEvent("b", [t2])
    c, d, e = (ScheduledEvent(n, [t3]) for n in "cde")
    events = [a, b, c, d, e]
    a.scan(t1)  # a's next time is now t3, the same as c, d and e
    sort_first_element(events)
    # the binary search over [b, c, d, e] hits c first and a goes right after it
    assert [x.name for x in events] == ["b", "c", "a", "d", "e"]


def test_event_that_is_not_later_than_the_second_stays_first() -> None:
    t1, t2 = datetime(2013, 1, 1, 10), datetime(2013, 1, 1, 11)
    a, b = ScheduledEvent("a", [t1, t2]), ScheduledEvent("b", [t2])
    events = [a, b]
    a.scan(t1)
    sort_first_element(events)
    assert [e.name for e in events] == ["a", "b"]


def test_exhausted_event_reports_max_time_and_sinks(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    once = h.schedule.on(h.schedule.date_rules.on(2013, 10, 7), h.schedule.time_rules.at(9, 45), h.record("once"))
    h.schedule.on(h.schedule.date_rules.every_day("SPY"), h.schedule.time_rules.at(9, 50), h.record("daily"))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 8, 17, 0))
    assert once.next_event_utc_time == MAX_TIME
    assert [label for label, _ in h.fired] == ["once", "daily", "daily"]


def test_events_added_after_setup_skip_past_times(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.start()
    h.step(datetime(2013, 10, 7, 14, 0))  # 10:00 New York
    dr, tr = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(dr.today, tr.at(9, 0), h.record("today 9:00"))  # already past
    h.schedule.on(dr.today, tr.at(11, 0), h.record("today 11:00"))
    h.schedule.on(dr.tomorrow, tr.at(9, 0), h.record("tomorrow 9:00"))
    h.schedule.on(dr.today, tr.now, h.record("now"))
    h.step(datetime(2013, 10, 7, 14, 1))
    h.step(datetime(2013, 10, 8, 13, 31))
    # added at 10:00: "now" is 10:00 and fires from the next slice's past-event scan at its own time
    assert h.fired == [("now", datetime(2013, 10, 7, 14, 0)),
                       ("today 11:00", datetime(2013, 10, 7, 15, 0)),
                       ("tomorrow 9:00", datetime(2013, 10, 8, 13, 0))]


def test_events_declared_before_setup_use_the_setup_clock(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2013, 10, 1, 4, 0))  # clock during Initialize
    h.schedule.on(h.schedule.date_rules.today, h.schedule.time_rules.at(12, 0), h.record("today noon"))
    h.ctx.utc_time = datetime(2013, 10, 7, 4, 0)  # e.g. start date set later in Initialize
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 7, 17, 0))
    assert h.fired == [("today noon", datetime(2013, 10, 7, 16, 0))]


def test_disabled_events_advance_without_calling_back(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    ev = h.schedule.on(h.schedule.date_rules.every_day("SPY"), h.schedule.time_rules.at(10, 0), h.record("x"))
    h.start()
    ev.enabled = False
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 7, 17, 0))
    assert h.fired == [] and ev.next_event_utc_time == datetime(2013, 10, 8, 14, 0)
    ev.enabled = True
    h.run_minutes(datetime(2013, 10, 8, 9, 0), datetime(2013, 10, 8, 17, 0))
    assert h.fired == [("x", datetime(2013, 10, 8, 14, 0))]


def test_removed_events_stop_firing(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    ev = h.schedule.on(h.schedule.date_rules.every_day("SPY"), h.schedule.time_rules.at(10, 0), h.record("x"))
    h.start()
    h.run_minutes(datetime(2013, 10, 7, 9, 0), datetime(2013, 10, 7, 17, 0))
    h.schedule.remove(ev)
    h.run_minutes(datetime(2013, 10, 8, 9, 0), datetime(2013, 10, 8, 17, 0))
    assert h.fired == [("x", datetime(2013, 10, 7, 14, 0))]


def test_callback_errors_go_to_the_handler_with_lean_context(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    errors: list[tuple[BaseException, str]] = []
    h.scheduler = RealTimeScheduler(lambda: h.ctx.utc_time, on_error=lambda e, c: errors.append((e, c)))
    h.schedule.set_event_schedule(h.scheduler)

    def boom() -> None:
        raise RuntimeError("bad")

    h.schedule.on("Boom", h.schedule.date_rules.every_day("SPY"), h.schedule.time_rules.at(10, 0), boom)
    h.start()
    h.step(datetime(2013, 10, 7, 14, 0))
    assert len(errors) == 1 and str(errors[0][0]) == "bad"
    assert errors[0][1] == "Scheduled event: 'Boom' at 10/07/2013 14:00:00"


def test_callback_errors_propagate_without_handler(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    h.schedule.on(h.schedule.date_rules.every_day("SPY"), h.schedule.time_rules.at(10, 0),
                  lambda: 1 / 0)
    h.start()
    with pytest.raises(ZeroDivisionError):
        h.step(datetime(2013, 10, 7, 14, 0))


def test_scan_fires_every_passed_time_with_its_own_time() -> None:
    seen: list[tuple[str, datetime]] = []
    ev = ScheduledEvent("hourly", [datetime(2013, 1, 1, h) for h in range(8, 14)],
                        lambda n, t: seen.append((n, t)))
    ev.skip_events_until(datetime(2013, 1, 1, 9))
    assert ev.next_event_utc_time == datetime(2013, 1, 1, 9)
    ev.scan(datetime(2013, 1, 1, 11, 30))
    assert seen == [("hourly", datetime(2013, 1, 1, h)) for h in (9, 10, 11)]
    assert ev.next_event_utc_time == datetime(2013, 1, 1, 12)
    ev.skip_events_until(datetime(2014, 1, 1))
    assert ev.next_event_utc_time == MAX_TIME


def test_stream_is_not_pulled_before_needed() -> None:
    pulled: list[int] = []

    def stream():
        pulled.append(1)
        yield datetime(2013, 1, 1)

    ev = ScheduledEvent("lazy", stream())
    assert pulled == []
    assert ev.next_event_utc_time == datetime(2013, 1, 1)
    assert pulled == [1]


def test_pre_initialized_events_are_handed_over_in_order(make_harness: Any) -> None:
    h: Harness = make_harness(START)
    manager = ScheduleManager(h.ctx)  # no scheduler yet
    first = manager.on(manager.date_rules.every_day("SPY"), manager.time_rules.at(10, 0), h.record("a"))
    gone = manager.on(manager.date_rules.every_day("SPY"), manager.time_rules.at(10, 0), h.record("gone"))
    manager.on(manager.date_rules.every_day("SPY"), manager.time_rules.at(10, 0), h.record("b"))
    manager.remove(gone)
    manager.set_event_schedule(h.scheduler)
    assert h.scheduler.scheduled_events[0] is first
    h.start()
    h.step(datetime(2013, 10, 7, 14, 0))
    assert [label for label, _ in h.fired] == ["a", "b"]


class _Exchange:
    def __init__(self, hours: Any) -> None:
        self.hours = hours


class _Security:
    def __init__(self, h: Harness, key: str) -> None:
        self.symbol = KNOWN[key]
        self.exchange = _Exchange(h.ctx.exchange_hours_for(self.symbol))
        self.is_extended_market_hours = False
        self.is_internal = False


def test_end_of_day_events(make_harness: Any) -> None:
    h: Harness = make_harness(datetime(2015, 12, 23, 5, 0), end_date=datetime(2015, 12, 28))
    calls: list[tuple[str, datetime]] = []
    spy = _Security(h, "SPY")
    h.start(end_date=h.ctx.end_date, algorithm_time_zone="America/New_York",
                      on_end_of_day=lambda: calls.append(("algo", h.ctx.utc_time)),
                      on_end_of_day_symbol=lambda s: calls.append((str(s), h.ctx.utc_time)),
                      securities_hours=lambda: [spy.exchange.hours])
    h.scheduler.on_securities_changed([spy], [])
    h.run_minutes(datetime(2015, 12, 23, 9, 0), datetime(2015, 12, 28, 17, 0))
    h.step(datetime(2015, 12, 29, 14, 31))
    assert calls == [
        ("SPY", datetime(2015, 12, 23, 20, 50)), ("algo", datetime(2015, 12, 24, 4, 58)),
        ("SPY", datetime(2015, 12, 24, 17, 50)), ("algo", datetime(2015, 12, 25, 4, 58)),  # early close
        ("SPY", datetime(2015, 12, 28, 20, 50)), ("algo", datetime(2015, 12, 29, 4, 58)),
    ]
