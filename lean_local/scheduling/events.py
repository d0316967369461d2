"""``ScheduledEvent``: a named, lazily enumerated stream of UTC times with a callback, plus LEAN's
event factory (end-of-day events).

The time stream is not touched until someone asks for the next time, skips, or scans — LEAN relies on
that so rules that read the clock (``today``, ``now``) see the time at which the engine starts the event,
not the time it was declared.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from lean_local.scheduling import hours as _hours
from lean_local.scheduling.clock import MAX_TIME, as_date_time, each_day, to_utc
from lean_local.scheduling.context import ExchangeHoursLike

EventCallback = Callable[[str, datetime], Any]


class ScheduledEvent:
    """A self-advancing event: fires its callback for every time in its stream that the clock passes."""

    #: default lead before market close for per-security end-of-day events
    SECURITY_END_OF_DAY_DELTA = timedelta(minutes=10)
    #: default lead before midnight for the algorithm end-of-day event
    ALGORITHM_END_OF_DAY_DELTA = timedelta(minutes=2)

    def __init__(self, name: str, event_utc_times: datetime | Iterable[datetime],
                 callback: EventCallback | None = None) -> None:
        """``event_utc_times`` is one UTC time or an ordered iterable of them; ``callback(name, utc_time)``."""
        self._name = name
        self.enabled = True
        self.is_logging_enabled = False
        self._callback = callback
        self._times: Iterator[datetime] = iter([event_utc_times]) if isinstance(event_utc_times, datetime) \
            else iter(event_utc_times)
        self._current: datetime = MAX_TIME
        # do not pull the first time until it is needed: warm-up and clock-reading rules depend on it
        self._needs_move_next = True
        self._end_of_events = False
        #: extra ``(name, trigger_time)`` listeners, LEAN's ``EventFired`` event
        self.event_fired: list[EventCallback] = []

    @property
    def name(self) -> str:
        return self._name

    def _move_next(self) -> bool:
        try:
            self._current = next(self._times)
        except StopIteration:
            return False
        return True

    @property
    def next_event_utc_time(self) -> datetime:
        """The next pending UTC time; ``datetime.max`` once the stream is exhausted."""
        if self._end_of_events:
            return MAX_TIME
        if self._needs_move_next:
            self._needs_move_next = False
            self._end_of_events = not self._move_next()
            return self.next_event_utc_time
        return self._current

    def scan(self, utc_time: datetime) -> None:
        """Fire, back to back and in order, every pending time ``<= utc_time``; each call gets its own time."""
        if self._end_of_events:
            return
        while True:
            if self._needs_move_next:
                if not self._move_next():
                    self._end_of_events = True
                    return
            if utc_time >= self._current:
                self.on_event_fired(self._current)
                self._needs_move_next = True
            else:
                self._needs_move_next = False
                return

    def skip_events_until(self, utc_time: datetime) -> None:
        """Drop, without firing, every pending time strictly before ``utc_time``."""
        while True:
            if utc_time <= self.next_event_utc_time:
                return
            if not self._move_next():
                break
        self._end_of_events = True

    def on_event_fired(self, trigger_time: datetime) -> None:
        """Invoke the callback and listeners unless disabled (a disabled event still advances)."""
        if not self.enabled:
            return
        if self._callback is not None:
            self._callback(self._name, self._current)
        for listener in list(self.event_fired):
            listener(self._name, trigger_time)

    def __str__(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"ScheduledEvent({self._name!r})"

    # LEAN spellings
    @property
    def Name(self) -> str:  # noqa: N802
        return self._name

    @property
    def Enabled(self) -> bool:  # noqa: N802
        return self.enabled

    @Enabled.setter
    def Enabled(self, value: bool) -> None:  # noqa: N802
        self.enabled = value

    @property
    def NextEventUtcTime(self) -> datetime:  # noqa: N802
        return self.next_event_utc_time


# ----- ScheduledEventFactory ----------------------------------------------------------------------------------------
def create_event_name(scope: str, name: str) -> str:
    """LEAN's ``scope.name`` naming for engine-created events, e.g. ``SPY.EndOfDay``."""
    return f"{scope}.{name}"


def every_day_at(name: str, dates: Iterable[datetime], time_of_day: timedelta, callback: EventCallback,
                 current_utc_time: datetime | None = None) -> ScheduledEvent:
    """Fire at ``date + time_of_day`` for each date (times used as given, no zone conversion).

    LEAN keeps only times *before* ``current_utc_time`` when one is given; reproduced as is.
    """
    times: Iterable[datetime] = (as_date_time(d) + time_of_day for d in dates)
    if current_utc_time is not None:
        cutoff = current_utc_time
        times = (t for t in times if t < cutoff)
    return ScheduledEvent(name, times, callback)


def every_security_end_of_day(symbol: Any, exchange_hours: ExchangeHoursLike, is_extended_market_hours: bool,
                              start: datetime, end: datetime, callback: EventCallback,
                              end_of_day_delta: timedelta = ScheduledEvent.SECURITY_END_OF_DAY_DELTA,
                              current_utc_time: datetime | None = None) -> ScheduledEvent:
    """``EverySecurityEndOfDay``: ``end_of_day_delta`` before each trading day's last close (midnight for
    always-open markets), only times strictly after ``current_utc_time``. ``start``/``end`` are read as
    exchange dates (LEAN passes the algorithm's UTC time as ``start``)."""
    if end_of_day_delta >= timedelta(days=1):
        raise ValueError("end_of_day_delta must be less than a day")
    always_open = exchange_hours.is_market_always_open
    tz = exchange_hours.time_zone

    def times() -> Iterator[datetime]:
        for day in each_day(start, end):
            if not _hours.is_date_open(exchange_hours, day, False):
                continue
            if always_open:
                local = day + timedelta(days=1)
            else:
                local = _hours.last_daily_market_close(exchange_hours, day, is_extended_market_hours) - end_of_day_delta
            utc = to_utc(local, tz)
            if current_utc_time is None or utc > current_utc_time:
                yield utc

    return ScheduledEvent(create_event_name(str(symbol), "EndOfDay"), times(), callback)


def every_algorithm_end_of_day(securities_hours: Iterable[ExchangeHoursLike], algorithm_time_zone: str,
                               start: datetime, end: datetime, callback: EventCallback,
                               end_of_day_delta: timedelta = ScheduledEvent.ALGORITHM_END_OF_DAY_DELTA,
                               current_utc_time: datetime | None = None) -> ScheduledEvent:
    """``EveryAlgorithmEndOfDay``: ``end_of_day_delta`` before midnight (algorithm zone) of every day on
    which any security's exchange is open, only times strictly after ``current_utc_time``."""
    if end_of_day_delta >= timedelta(days=1):
        raise ValueError("end_of_day_delta must be less than a day")
    calendars = list(securities_hours)
    event_time_of_day = timedelta(days=1) - end_of_day_delta

    def times() -> Iterator[datetime]:
        for day in each_day(start, end):
            if not any(_hours.is_date_open(h, day, False) for h in calendars):
                continue
            utc = to_utc(day + event_time_of_day, algorithm_time_zone)
            if current_utc_time is None or utc > current_utc_time:
                yield utc

    return ScheduledEvent(create_event_name("Algorithm", "EndOfDay"), times(), callback)
