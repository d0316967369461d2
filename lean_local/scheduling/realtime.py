"""``RealTimeScheduler``: LEAN's BacktestingRealTimeHandler (plus the end-of-day events of its base class).

Engine contract, in LEAN's order:

1. Build ``scheduler = RealTimeScheduler(lambda: algorithm.utc_time, on_error=...)`` and
   ``ScheduleManager(context, scheduler)`` before ``initialize`` (LEAN attaches the handler first; events
   declared in ``initialize`` are only enumerated later). Forward ``set_time_zone`` to
   ``schedule.set_time_zone``.
2. After ``initialize``/post-initialize, with the algorithm clock at the start (or warm-up start):
   ``scheduler.setup(...)``.
3. Then, as AlgorithmManager.Run does, add the results sampler:
   ``schedule.on("Daily Sampling", schedule.date_rules.every_day(), schedule.time_rules.midnight, sample)``.
   Every LEAN backtest has this midnight event and it changes the firing order of same-time user events.
4. For every time slice (time pulses included)::

       scheduler.scan_past(slice_utc, set_time)   # before consolidator scans and before the clock moves
       set_time(slice_utc)                        # the algorithm's SetDateTime
       ...                                        # (time pulse: stop here) data updates, fills
       scheduler.fire_due(slice_utc)              # after fills, before the next slice (OnData follows)

``scan_past`` fires events strictly before the slice time, calling ``set_time(event_utc)`` first so the
callback sees the event's own time; ``fire_due`` fires events at or before the slice time without touching
the clock. Events are ordered by next time, then by the order they were added, and re-placed after each
firing exactly as LEAN does (see ``sort_first_element``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from lean_local.scheduling.clock import csharp_datetime, from_utc
from lean_local.scheduling.context import ExchangeHoursLike
from lean_local.scheduling.events import (
    ScheduledEvent,
    every_algorithm_end_of_day,
    every_security_end_of_day,
)

ErrorHandler = Callable[[BaseException, str], None]


class SecurityLike(Protocol):
    """What end-of-day events need from a security."""

    @property
    def symbol(self) -> Any: ...

    @property
    def is_extended_market_hours(self) -> bool: ...

    @property
    def is_internal(self) -> bool: ...

    @property
    def exchange(self) -> Any: ...  # ``.hours`` is an ``ExchangeHoursLike``


def sort_first_element(events: list[ScheduledEvent]) -> None:
    """Re-place ``events[0]`` after it fired, assuming the rest is sorted (LEAN's ``SortFirstElement``).

    It moves only if now strictly later than the second event, and is inserted *after* whichever equal
    element LEAN's binary search happens to hit, which is what LEAN's ordering of ties depends on.
    """
    first = events[0]
    next_time = first.next_event_utc_time
    if len(events) > 1 and next_time > events[1].next_event_utc_time:
        del events[0]
        lower, upper = 0, len(events) - 1
        found = -1
        while lower <= upper:
            middle = lower + (upper - lower) // 2
            other = events[middle].next_event_utc_time
            if next_time < other:
                upper = middle - 1
            elif next_time > other:
                lower = middle + 1
            else:
                found = middle
                break
        if found >= 0:
            events.insert(found + 1, first)
        else:
            events.insert(lower, first)


class RealTimeScheduler:
    """Holds the scheduled events and fires them as backtest time advances."""

    def __init__(self, utc_clock: Callable[[], datetime], on_error: ErrorHandler | None = None) -> None:
        """``utc_clock`` returns the algorithm's current UTC time (used when events are added after setup).

        ``on_error(exception, context)`` receives an exception raised by an event callback, with LEAN's
        context text ``"Scheduled event: '<name>' at <time>"``; firing then stops for this call, as LEAN's
        does before it flags the runtime error. Without it the exception propagates.
        """
        self._utc_clock = utc_clock
        self._on_error = on_error
        self._events: dict[ScheduledEvent, int] = {}
        self._last_id = 0
        self._sorted: list[ScheduledEvent] = []
        self._sort_required = False
        self._is_setup = False
        # end-of-day support (BaseRealTimeHandler)
        self._on_end_of_day: Callable[[], Any] | None = None
        self._on_end_of_day_symbol: Callable[[Any], Any] | None = None
        self._on_end_of_day_error: Callable[[str, BaseException], Any] | None = None
        self._algorithm_eod: ScheduledEvent | None = None
        self._security_eod: dict[Any, ScheduledEvent] = {}
        self._securities_hours: Callable[[], Iterable[ExchangeHoursLike]] = lambda: ()
        self._time_zone = "America/New_York"
        self._end_date: datetime | None = None

    # ----- registry --------------------------------------------------------------------------
    @property
    def scheduled_events(self) -> list[ScheduledEvent]:
        """Events in the order they were (last) added."""
        return sorted(self._events, key=self._events.__getitem__)

    def add(self, scheduled_event: ScheduledEvent) -> None:
        """Register an event; after ``setup`` its past times are skipped immediately. Re-adding an event
        gives it a new (later) creation rank."""
        if self._is_setup:
            scheduled_event.skip_events_until(self._utc_clock())
        self._last_id += 1
        self._events[scheduled_event] = self._last_id
        self._sort_required = True

    def remove(self, scheduled_event: ScheduledEvent) -> None:
        self._events.pop(scheduled_event, None)
        self._sort_required = True

    def _sorted_events(self) -> list[ScheduledEvent]:
        if self._sort_required:
            self._sort_required = False
            keyed = [(e.next_event_utc_time, rank, e) for e, rank in self._events.items()]
            keyed.sort(key=lambda item: (item[0], item[1]))
            self._sorted = [item[2] for item in keyed]
        return self._sorted

    # ----- lifecycle -------------------------------------------------------------------------
    def setup(self, *, algorithm_time_zone: str = "America/New_York", end_date: datetime | None = None,
              on_end_of_day: Callable[[], Any] | None = None,
              on_end_of_day_symbol: Callable[[Any], Any] | None = None,
              securities_hours: Callable[[], Iterable[ExchangeHoursLike]] | None = None,
              on_end_of_day_error: Callable[[str, BaseException], Any] | None = None) -> None:
        """Call once after ``Initialize``/``PostInitialize``, when the algorithm clock is at the (warm-up)
        start. Skips every event's times before that instant; later ``add`` calls skip immediately.

        ``on_end_of_day`` (the deprecated no-argument ``OnEndOfDay``) adds LEAN's algorithm end-of-day event,
        two minutes before midnight (algorithm zone) of each day any security's exchange is open;
        ``on_end_of_day_symbol`` enables per-security events ten minutes before close, created in
        ``on_securities_changed``. Pass them only when the algorithm overrides those methods.
        ``securities_hours`` returns the exchange hours of all the algorithm's securities.
        ``on_end_of_day_error(event_name, exception)``: LEAN catches exceptions of end-of-day callbacks,
        reports ``"Runtime error in <name> event: <message>"`` through the result handler and keeps running;
        give this hook to do the same (without it they propagate like any scheduled-event error).
        """
        self._time_zone = algorithm_time_zone
        self._end_date = end_date
        self._on_end_of_day = on_end_of_day
        self._on_end_of_day_symbol = on_end_of_day_symbol
        self._on_end_of_day_error = on_end_of_day_error
        if securities_hours is not None:
            self._securities_hours = securities_hours
        self._is_setup = True
        utc_now = self._utc_clock()
        self._add_algorithm_end_of_day(from_utc(utc_now, algorithm_time_zone), utc_now)
        for scheduled_event in self._sorted_events():
            scheduled_event.skip_events_until(utc_now)
        self._sort_required = True

    # ----- firing ----------------------------------------------------------------------------
    def fire_due(self, utc_now: datetime) -> None:
        """LEAN ``SetTime``: fire every event whose next time is ``<= utc_now``; callbacks run at the
        current algorithm time (the clock is not changed)."""
        events = self._sorted_events()
        while events and events[0].next_event_utc_time <= utc_now:
            scheduled_event = events[0]
            try:
                if scheduled_event.next_event_utc_time <= utc_now:
                    scheduled_event.scan(utc_now)
            except Exception as exc:  # noqa: BLE001 - handed to the engine like LEAN's SetRuntimeError
                self._report(exc, f"Scheduled event: '{scheduled_event.name}' at {csharp_datetime(utc_now)}")
                break
            sort_first_element(events)

    def scan_past(self, utc_now: datetime, set_time: Callable[[datetime], Any]) -> None:
        """LEAN ``ScanPastEvents``: fire every event whose next time is strictly ``< utc_now``, in time order,
        first calling ``set_time(event_utc_time)`` so the algorithm clock shows the event's own time."""
        events = self._sorted_events()
        while events and events[0].next_event_utc_time < utc_now:
            scheduled_event = events[0]
            event_time = scheduled_event.next_event_utc_time
            set_time(event_time)
            try:
                if scheduled_event.next_event_utc_time <= event_time:
                    scheduled_event.scan(event_time)
            except Exception as exc:  # noqa: BLE001
                self._report(exc, f"Scheduled event: '{scheduled_event.name}' at {csharp_datetime(event_time)}")
                break
            sort_first_element(events)

    def _report(self, exc: Exception, context: str) -> None:
        if self._on_error is None:
            raise exc
        self._on_error(exc, context)

    # ----- end-of-day events (BaseRealTimeHandler) -------------------------------------------
    def _add_algorithm_end_of_day(self, start: datetime, current_utc: datetime) -> None:
        if self._on_end_of_day is None or self._end_date is None:
            return
        if self._algorithm_eod is not None:
            self.remove(self._algorithm_eod)
        callback = self._on_end_of_day
        self._algorithm_eod = every_algorithm_end_of_day(
            list(self._securities_hours()), self._time_zone, start, self._end_date,
            self._guarded(lambda: callback()), current_utc_time=current_utc)
        self.add(self._algorithm_eod)

    def _guarded(self, call: Callable[[], Any]) -> Callable[[str, datetime], Any]:
        """Wrap an end-of-day callback so its errors go to ``on_end_of_day_error`` when one is set."""
        def fire(name: str, _time: datetime) -> None:
            try:
                call()
            except Exception as exc:  # noqa: BLE001
                if self._on_end_of_day_error is None:
                    raise
                self._on_end_of_day_error(name, exc)
        return fire

    def on_securities_changed(self, added: Iterable[SecurityLike], removed: Iterable[SecurityLike]) -> None:
        """Call when the universe changes (after ``setup``): maintains per-security end-of-day events and
        re-creates the algorithm end-of-day event, as LEAN does on every security change."""
        added = list(added)
        removed = list(removed)
        if not added and not removed:
            return
        utc_now = self._utc_clock()
        symbol_callback = self._on_end_of_day_symbol
        if symbol_callback is not None and self._end_date is not None:
            for security in added:
                if security.is_internal:
                    continue
                symbol = security.symbol
                scheduled_event = every_security_end_of_day(
                    symbol, security.exchange.hours, security.is_extended_market_hours, utc_now, self._end_date,
                    self._guarded(_bind(symbol_callback, symbol)), current_utc_time=utc_now)
                self._security_eod[symbol] = scheduled_event
                self.add(scheduled_event)
            for security in removed:
                if security.is_internal:
                    continue
                old = self._security_eod.pop(security.symbol, None)
                if old is not None:
                    self.remove(old)
        self._add_algorithm_end_of_day(utc_now, utc_now)


def _bind(callback: Callable[[Any], Any], symbol: Any) -> Callable[[], Any]:
    return lambda: callback(symbol)
