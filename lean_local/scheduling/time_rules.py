"""``self.time_rules``: LEAN's TimeRules — at which UTC instants a scheduled event fires on each date.

Local times are converted with LEAN's lenient DST resolver (``clock.to_utc``). Market-relative rules use
the exchange's own zone and calendar, so early closes, late opens and holidays move or drop events.
Where LEAN reads the rules' time zone lazily (``midnight``, ``noon``, ``every``) so do we; ``at`` captures it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from lean_local.scheduling import hours as _hours
from lean_local.scheduling.clock import format_0_hash, to_utc, tz_name
from lean_local.scheduling.rules import FuncTimeRule, ITimeRule

if TYPE_CHECKING:
    from lean_local.scheduling.context import ExchangeHoursLike, SchedulingContext

ONE_DAY = timedelta(days=1)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _symbol_text(symbol: Any) -> str:
    value = getattr(symbol, "value", None)
    return value if isinstance(value, str) else str(symbol)


class TimeRules:
    """Time-rule factory bound to the algorithm (its time zone, clock and securities)."""

    def __init__(self, context: SchedulingContext) -> None:
        self._context = context
        self._time_zone: str | None = None

    # ----- time zone -------------------------------------------------------------------------
    @property
    def time_zone(self) -> str:
        """Zone for ``at``/``midnight``/``noon``/``every``: the explicit default if set, else the algorithm's."""
        return self._time_zone if self._time_zone is not None else self._context.time_zone

    def set_default_time_zone(self, time_zone: Any) -> None:
        """LEAN calls this from ``SetTimeZone``; algorithms may call it too."""
        self._time_zone = tz_name(time_zone)

    # ----- clock rules -----------------------------------------------------------------------
    @property
    def now(self) -> ITimeRule:
        """The current algorithm UTC time for every date (read as each date is consumed)."""
        return FuncTimeRule("Now", lambda dates: (self._context.utc_time for _ in dates))

    @property
    def midnight(self) -> ITimeRule:
        """00:00 of each date in the rules' time zone."""
        return FuncTimeRule("Midnight", lambda dates: (to_utc(d, self.time_zone) for d in dates))

    @property
    def noon(self) -> ITimeRule:
        """Midnight in the rules' zone converted to UTC, plus 12 hours (so 11:00/13:00 local on DST days)."""
        return FuncTimeRule("Noon", lambda dates: (to_utc(d, self.time_zone) + timedelta(hours=12) for d in dates))

    def at(self, *args: Any, **kwargs: Any) -> ITimeRule:
        """``at(hour, minute, second=0[, tz])``, ``at(hour, minute, tz)`` or ``at(timedelta[, tz])``.

        The zone defaults to the rules' zone at the time of the call.
        """
        time_of_day, zone = _parse_at(args, kwargs)
        tz = tz_name(zone) if zone is not None else self.time_zone
        name = format_0_hash(time_of_day.total_seconds() / 3600.0)
        return FuncTimeRule(name, lambda dates: (to_utc(d + time_of_day, tz) for d in dates))

    def every(self, interval: timedelta) -> ITimeRule:
        """Every ``interval`` from local midnight while still inside the day, in the rules' zone."""
        if interval <= timedelta(0):
            raise ValueError("TimeRules.every(): time span interval can not be zero or less")
        name = f"Every {format_0_hash(interval.total_seconds() / 60.0)} min"

        def times(dates: Iterable[datetime]) -> Iterator[datetime]:
            tz = self.time_zone
            for d in dates:
                offset = timedelta(0)
                while offset < ONE_DAY:
                    yield to_utc(d + offset, tz)
                    offset += interval

        return FuncTimeRule(name, times)

    # ----- market rules ----------------------------------------------------------------------
    def after_market_open(self, symbol: Any = None, minutes_after_open: float = 0,
                          extended_market_open: bool = False) -> ITimeRule:
        """``minutes_after_open`` after the day's first (regular, or extended) open; skips closed days.

        Without a symbol: the earliest such time across the algorithm's securities and SPY.
        """
        if symbol is None or _is_number(symbol):
            minutes = float(symbol) if symbol is not None else float(minutes_after_open)
            return self._earliest_open_rule(minutes, extended_market_open)
        resolved = self._context.resolve_symbol(symbol)
        hours = self._context.exchange_hours_for(resolved)
        minutes = float(minutes_after_open)
        kind = "ExtendedMarketOpen" if extended_market_open else "MarketOpen"
        name = f"{_symbol_text(resolved)}: {format_0_hash(abs(minutes))} min {'after' if minutes > 0 else 'before'} {kind}"
        delta = timedelta(minutes=minutes)

        def times(dates: Iterable[datetime]) -> Iterator[datetime]:
            for d in dates:
                opened = _hours.first_daily_market_open(hours, d, extended_market_open)
                if _hours.is_date_open(hours, d, extended_market_open) and opened.date() == d.date():
                    yield to_utc(opened + delta, hours.time_zone)

        return FuncTimeRule(name, times)

    def before_market_open(self, symbol: Any = None, minutes_before_open: float = 0,
                           extended_market_open: bool = False) -> ITimeRule:
        """``minutes_before_open`` before the first open (``after_market_open`` with negated minutes)."""
        if symbol is None or _is_number(symbol):
            minutes = float(symbol) if symbol is not None else float(minutes_before_open)
            return self.after_market_open(None, -minutes, extended_market_open)
        return self.after_market_open(symbol, -float(minutes_before_open), extended_market_open)

    def before_market_close(self, symbol: Any = None, minutes_before_close: float = 0,
                            extended_market_close: bool = False) -> ITimeRule:
        """``minutes_before_close`` before the day's last (regular, or extended) close; early closes apply.

        Without a symbol: the latest such time across the algorithm's securities and SPY.
        """
        if symbol is None or _is_number(symbol):
            minutes = float(symbol) if symbol is not None else float(minutes_before_close)
            return self._latest_close_rule(minutes, extended_market_close)
        resolved = self._context.resolve_symbol(symbol)
        hours = self._context.exchange_hours_for(resolved)
        minutes = float(minutes_before_close)
        kind = "ExtendedMarketClose" if extended_market_close else "MarketClose"
        name = f"{_symbol_text(resolved)}: {format_0_hash(abs(minutes))} min {'before' if minutes > 0 else 'after'} {kind}"
        delta = timedelta(minutes=minutes)

        def times(dates: Iterable[datetime]) -> Iterator[datetime]:
            for d in dates:
                closed = _hours.last_daily_market_close(hours, d, extended_market_close)
                if _hours.is_date_open(hours, d, extended_market_close):
                    yield to_utc(closed - delta, hours.time_zone)

        return FuncTimeRule(name, times)

    def after_market_close(self, symbol: Any = None, minutes_after_close: float = 0,
                           extended_market_close: bool = False) -> ITimeRule:
        """``minutes_after_close`` after the last close (``before_market_close`` with negated minutes)."""
        if symbol is None or _is_number(symbol):
            minutes = float(symbol) if symbol is not None else float(minutes_after_close)
            return self.before_market_close(None, -minutes, extended_market_close)
        return self.before_market_close(symbol, -float(minutes_after_close), extended_market_close)

    # ----- symbol-less market rules ----------------------------------------------------------
    def _market_hours_candidates(self) -> list[ExchangeHoursLike]:
        """SPY's hours plus every not-always-open exchange among the algorithm's securities, de-duplicated."""
        spy = self._context.exchange_hours_for(self._context.resolve_symbol("SPY"))
        found: list[ExchangeHoursLike] = [spy]
        seen = {id(spy)}
        for hours in self._context.security_exchange_hours():
            if id(hours) in seen or hours.is_market_always_open:
                continue
            seen.add(id(hours))
            found.append(hours)
        return found

    def _earliest_open_rule(self, minutes: float, extended: bool) -> ITimeRule:
        kind = "ExtendedMarketOpen" if extended else "MarketOpen"
        name = f"{format_0_hash(abs(minutes))} min {'after' if minutes > 0 else 'before'} {kind}"
        delta = timedelta(minutes=minutes)

        def times(dates: Iterable[datetime]) -> Iterator[datetime]:
            candidates = self._market_hours_candidates()
            for d in dates:
                earliest: datetime | None = None
                for hours in candidates:
                    if not _hours.is_date_open(hours, d, extended):
                        continue
                    opened = _hours.first_daily_market_open(hours, d, extended)
                    if opened.date() != d.date():
                        continue
                    utc = to_utc(opened + delta, hours.time_zone)
                    if earliest is None or utc < earliest:
                        earliest = utc
                if earliest is not None:
                    yield earliest

        return FuncTimeRule(name, times)

    def _latest_close_rule(self, minutes: float, extended: bool) -> ITimeRule:
        kind = "ExtendedMarketClose" if extended else "MarketClose"
        name = f"{format_0_hash(abs(minutes))} min {'before' if minutes > 0 else 'after'} {kind}"
        delta = timedelta(minutes=minutes)

        def times(dates: Iterable[datetime]) -> Iterator[datetime]:
            candidates = self._market_hours_candidates()
            for d in dates:
                latest: datetime | None = None
                for hours in candidates:
                    if not _hours.is_date_open(hours, d, extended):
                        continue
                    utc = to_utc(_hours.last_daily_market_close(hours, d, extended) - delta, hours.time_zone)
                    if latest is None or utc > latest:
                        latest = utc
                if latest is not None:
                    yield latest

        return FuncTimeRule(name, times)

    # PascalCase spellings, which LEAN's Python bridge also accepts
    At = at
    Every = every
    AfterMarketOpen = after_market_open
    BeforeMarketOpen = before_market_open
    BeforeMarketClose = before_market_close
    AfterMarketClose = after_market_close
    SetDefaultTimeZone = set_default_time_zone

    @property
    def Now(self) -> ITimeRule:  # noqa: N802 - LEAN spelling
        return self.now

    @property
    def Midnight(self) -> ITimeRule:  # noqa: N802 - LEAN spelling
        return self.midnight

    @property
    def Noon(self) -> ITimeRule:  # noqa: N802 - LEAN spelling
        return self.noon


def _parse_at(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[timedelta, Any]:
    """Resolve LEAN's ``At`` overloads into (time of day, zone or None)."""
    zone = kwargs.pop("time_zone", None)
    if "time_of_day" in kwargs:
        args = (kwargs.pop("time_of_day"),) + args
    if "hour" in kwargs or "minute" in kwargs or "second" in kwargs:
        args = (kwargs.pop("hour", args[0] if args else 0), kwargs.pop("minute", 0), kwargs.pop("second", 0)) + args[1:]
    if kwargs:
        raise TypeError(f"unexpected arguments for TimeRules.at: {sorted(kwargs)}")
    if args and isinstance(args[0], timedelta):
        if len(args) > 2:
            raise TypeError("TimeRules.at(timedelta[, time_zone])")
        if len(args) == 2:
            zone = args[1]
        return args[0], zone
    numbers = list(args)
    if numbers and not _is_number(numbers[-1]):
        zone = numbers.pop()
    if len(numbers) not in (2, 3) or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        raise TypeError("TimeRules.at(hour, minute[, second][, time_zone]) needs integer hour and minute")
    hour, minute = numbers[0], numbers[1]
    second = numbers[2] if len(numbers) == 3 else 0
    return timedelta(hours=hour, minutes=minute, seconds=second), zone
