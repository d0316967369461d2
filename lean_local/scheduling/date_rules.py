"""``self.date_rules``: LEAN's DateRules — which days a scheduled event runs on.

Every rule is lazy: it receives ``(start, end)`` only when its event is first enumerated (LEAN passes the
day before the current UTC date and ``Time.EndOfTime``) and yields naive midnights in order of generation.
Rules bound to a symbol use that security's exchange calendar (holidays, weekends); rules without one use
an always-open calendar.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from lean_local.scheduling import hours as _hours
from lean_local.scheduling.clock import as_date_time, each_day, from_utc, tz_name
from lean_local.scheduling.rules import FuncDateRule, IDateRule

if TYPE_CHECKING:
    from lean_local.scheduling.context import ExchangeHoursLike, SchedulingContext


class DayOfWeek(IntEnum):
    """``System.DayOfWeek`` numbering (Sunday = 0), which LEAN's week rules depend on."""

    SUNDAY = 0
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6

    def __str__(self) -> str:
        return self.name.capitalize()


def csharp_day_of_week(day: datetime | date) -> int:
    """Python's Monday=0 weekday → C#'s Sunday=0 ``DayOfWeek``."""
    return (day.weekday() + 1) % 7


def _offset_suffix(offset: int) -> str:
    """C# ``offset.ToString("+#;-#;''")``: "+N", "-N" or empty for zero."""
    if offset > 0:
        return f"+{offset}"
    if offset < 0:
        return f"-{-offset}"
    return ""


def _rule_name(symbol: Any, rule_type: str, offset: int) -> str:
    suffix = _offset_suffix(offset)
    if symbol is None:
        return f"{rule_type}{suffix}"
    return f"{_symbol_value(symbol)}: {rule_type}{suffix}"


def _symbol_value(symbol: Any) -> str:
    value = getattr(symbol, "value", None)
    return value if isinstance(value, str) else str(symbol)


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class DateRules:
    """Date-rule factory bound to the algorithm (its time zone, clock and securities)."""

    def __init__(self, context: SchedulingContext) -> None:
        self._context = context
        self._time_zone: str | None = None

    # ----- time zone -------------------------------------------------------------------------
    @property
    def time_zone(self) -> str:
        """The zone ``today``/``tomorrow`` use: the explicit default if set, else the algorithm's."""
        return self._time_zone if self._time_zone is not None else self._context.time_zone

    def set_default_time_zone(self, time_zone: Any) -> None:
        """LEAN calls this from ``SetTimeZone``; algorithms may call it too."""
        self._time_zone = tz_name(time_zone)

    # ----- helpers ---------------------------------------------------------------------------
    def _symbol(self, symbol: Any) -> Any:
        return self._context.resolve_symbol(symbol)

    def _hours(self, symbol: Any) -> ExchangeHoursLike:
        return self._context.exchange_hours_for(symbol)

    # ----- simple rules ----------------------------------------------------------------------
    def on(self, *args: Any) -> IDateRule:
        """``on(year, month, day)`` or ``on(*dates)``: only those dates that fall inside the range, in given order."""
        if len(args) == 3 and all(_is_offset(a) for a in args):
            dates = [datetime(args[0], args[1], args[2])]
        else:
            dates = [as_date_time(d) for d in _flatten(args, (datetime, date))]
        name = ",".join(_short_date(d) for d in dates)

        def get_dates(start: datetime, end: datetime) -> Iterator[datetime]:
            return (d for d in dates if start <= d <= end)

        return FuncDateRule(name, get_dates)

    @property
    def today(self) -> IDateRule:
        """Only the current day in the rules' time zone (read when the event is first enumerated)."""

        def get_dates(start: datetime, end: datetime) -> list[datetime]:
            return [as_date_time(from_utc(self._context.utc_time, self.time_zone))]

        return FuncDateRule("TodayOnly", get_dates)

    @property
    def tomorrow(self) -> IDateRule:
        """Only the day after the current day in the rules' time zone."""

        def get_dates(start: datetime, end: datetime) -> list[datetime]:
            return [as_date_time(from_utc(self._context.utc_time, self.time_zone)) + timedelta(days=1)]

        return FuncDateRule("TomorrowOnly", get_dates)

    def every(self, *days: Any) -> IDateRule:
        """Every calendar day whose day of week is one of ``days`` (``DayOfWeek`` or C# numbers, Sunday = 0)."""
        wanted = [DayOfWeek(int(d)) for d in _flatten(days, (int,))]
        members = set(int(d) for d in wanted)

        def get_dates(start: datetime, end: datetime) -> Iterator[datetime]:
            return (d for d in each_day(start, end) if csharp_day_of_week(d) in members)

        return FuncDateRule(",".join(str(d) for d in wanted), get_dates)

    def every_day(self, symbol: Any = None, extended_market_hours: bool = False) -> IDateRule:
        """Every calendar day, or with a symbol every day its exchange is open."""
        if symbol is None:
            return FuncDateRule("EveryDay", each_day)
        resolved = self._symbol(symbol)
        schedule = self._hours(resolved)

        def get_dates(start: datetime, end: datetime) -> Iterator[datetime]:
            return (d for d in each_day(start, end) if _hours.is_date_open(schedule, d, extended_market_hours))

        return FuncDateRule(f"{_symbol_value(resolved)}: EveryDay", get_dates)

    # ----- period rules ----------------------------------------------------------------------
    def month_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """First (trading) day of each month, moved forward ``days_offset`` trading days within the month."""
        if _is_offset(symbol):
            symbol, days_offset = None, int(symbol)
        if symbol is None:
            # LEAN does not range-check the offset on the symbol-less overload
            return FuncDateRule(_rule_name(None, "MonthStart", days_offset),
                                lambda s, e: _month_iterator(None, s, e, days_offset, True, False))
        _check_range("MonthStart", days_offset, 30)
        resolved = self._symbol(symbol)
        return FuncDateRule(_rule_name(resolved, "MonthStart", days_offset),
                            lambda s, e: _month_iterator(self._hours(resolved), s, e, days_offset, True,
                                                         extended_market_hours))

    def month_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """Last (trading) day of each month, moved back ``days_offset`` trading days within the month."""
        if _is_offset(symbol):
            symbol, days_offset = None, int(symbol)
        if symbol is None:
            return FuncDateRule(_rule_name(None, "MonthEnd", -days_offset),
                                lambda s, e: _month_iterator(None, s, e, days_offset, False, False))
        _check_range("MonthEnd", days_offset, 30)
        resolved = self._symbol(symbol)
        return FuncDateRule(_rule_name(resolved, "MonthEnd", -days_offset),
                            lambda s, e: _month_iterator(self._hours(resolved), s, e, days_offset, False,
                                                         extended_market_hours))

    def week_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """First trading day of each week (Monday without a symbol), plus ``days_offset`` trading days."""
        return self._week_rule("WeekStart", symbol, days_offset, extended_market_hours, True)

    def week_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """Last trading day of each week (Friday without a symbol), minus ``days_offset`` trading days."""
        return self._week_rule("WeekEnd", symbol, days_offset, extended_market_hours, False)

    def _week_rule(self, rule: str, symbol: Any, days_offset: int, extended: bool, forward: bool) -> IDateRule:
        if _is_offset(symbol):
            symbol, days_offset = None, int(symbol)
        name_offset = days_offset if forward else -days_offset
        if symbol is None:
            _check_range(rule, days_offset, 6)
            return FuncDateRule(_rule_name(None, rule, name_offset),
                                lambda s, e: _week_iterator(None, s, e, days_offset, forward, False))
        resolved = self._symbol(symbol)
        schedule = self._hours(resolved)
        trading_days = _hours.weekly_trading_days(schedule)
        if days_offset > len(trading_days) - 1:
            raise ValueError(
                f"DateRules.{rule}(): offset {days_offset} is out of range for {_symbol_value(resolved)}, whose "
                f"weekly schedule has {len(trading_days)} trading days; use 0 to {len(trading_days) - 1}"
            )
        return FuncDateRule(_rule_name(resolved, rule, name_offset),
                            lambda s, e: _week_iterator(schedule, s, e, days_offset, forward, extended))

    def year_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """First (trading) day of each year, plus ``days_offset`` (trading) days."""
        return self._period_rule("YearStart", _year_iterator, 365, symbol, days_offset, extended_market_hours, True)

    def year_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """Last (trading) day of each year, minus ``days_offset`` (trading) days."""
        return self._period_rule("YearEnd", _year_iterator, 365, symbol, days_offset, extended_market_hours, False)

    def quarter_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """First (trading) day of each quarter, plus ``days_offset`` (trading) days."""
        return self._period_rule("QuarterStart", _quarter_iterator, 92, symbol, days_offset, extended_market_hours,
                                 True)

    def quarter_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> IDateRule:
        """Last (trading) day of each quarter, minus ``days_offset`` (trading) days."""
        return self._period_rule("QuarterEnd", _quarter_iterator, 92, symbol, days_offset, extended_market_hours,
                                 False)

    def _period_rule(self, rule: str, iterator: _PeriodIterator, limit: int, symbol: Any, days_offset: int,
                     extended: bool, forward: bool) -> IDateRule:
        if _is_offset(symbol):
            symbol, days_offset = None, int(symbol)
        _check_range(rule, days_offset, limit)
        name_offset = days_offset if forward else -days_offset
        if symbol is None:
            return FuncDateRule(_rule_name(None, rule, name_offset),
                                lambda s, e: iterator(None, s, e, days_offset, forward, False))
        resolved = self._symbol(symbol)
        schedule = self._hours(resolved)
        return FuncDateRule(_rule_name(resolved, rule, name_offset),
                            lambda s, e: iterator(schedule, s, e, days_offset, forward, extended))

    # PascalCase spellings, which LEAN's Python bridge also accepts
    On = on
    Every = every
    EveryDay = every_day
    MonthStart = month_start
    MonthEnd = month_end
    WeekStart = week_start
    WeekEnd = week_end
    YearStart = year_start
    YearEnd = year_end
    QuarterStart = quarter_start
    QuarterEnd = quarter_end
    SetDefaultTimeZone = set_default_time_zone

    @property
    def Today(self) -> IDateRule:  # noqa: N802 - LEAN spelling
        return self.today

    @property
    def Tomorrow(self) -> IDateRule:  # noqa: N802 - LEAN spelling
        return self.tomorrow


def _check_range(rule: str, offset: int, limit: int) -> None:
    if offset < 0 or offset > limit:
        raise ValueError(f"DateRules.{rule}(): days_offset must be between 0 and {limit}, got {offset}")


def _short_date(d: datetime) -> str:
    """Invariant-culture ``ToShortDateString`` (MM/dd/yyyy), only used in rule names."""
    return d.strftime("%m/%d/%Y")


def _flatten(values: Iterable[Any], leaf_types: tuple[type, ...]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, leaf_types) or not isinstance(value, Iterable) or isinstance(value, str):
            yield value
        else:
            yield from _flatten(value, leaf_types)


# ----- LEAN's period iterators -----------------------------------------------------------------------
_PeriodIterator = Callable[["ExchangeHoursLike | None", datetime, datetime, int, bool, bool], Iterator[datetime]]


def _step(schedule: ExchangeHoursLike, day: datetime, forward: bool) -> datetime:
    return _hours.next_trading_day(schedule, day) if forward else _hours.previous_trading_day(schedule, day)


def _scheduled_day(schedule: ExchangeHoursLike, base_day: datetime, offset: int, forward: bool, extended: bool,
                   boundary: datetime | None = None) -> datetime:
    """Base day moved onto a trading day, then ``offset`` trading days further, clamped to ``boundary``.

    The first move honours ``extended``; the offset steps use regular-hours trading days, as LEAN does.
    """
    scheduled = base_day
    if not _hours.is_date_open(schedule, scheduled, extended):
        scheduled = _step(schedule, scheduled, forward)
    for _ in range(offset):
        scheduled = _step(schedule, scheduled, forward)
    if boundary is not None:
        if forward and scheduled > boundary:
            scheduled = _scheduled_day(schedule, boundary, 0, False, extended)
        if not forward and scheduled < boundary:
            scheduled = _scheduled_day(schedule, boundary, 0, True, extended)
    return scheduled


def _base_iterator(schedule: ExchangeHoursLike | None, start: datetime, end: datetime, offset: int, forward: bool,
                   period_begin: datetime, period_end: datetime, base_of: Callable[[datetime], datetime],
                   boundary_of: Callable[[datetime], datetime], extended: bool) -> Iterator[datetime]:
    calendar: ExchangeHoursLike = schedule if schedule is not None else _hours.ALWAYS_OPEN_NEW_YORK
    for day in each_day(period_begin, period_end):
        base = base_of(day)
        if day == base:
            scheduled = _scheduled_day(calendar, base, offset, forward, extended, boundary_of(day))
            if start <= scheduled <= end:
                yield scheduled


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime(year, month + 1, 1) - datetime(year, month, 1)).days


def _month_iterator(schedule: ExchangeHoursLike | None, start: datetime, end: datetime, offset: int, forward: bool,
                    extended: bool) -> Iterator[datetime]:
    begin = datetime(start.year, start.month, 1)
    finish = datetime(end.year, end.month, _days_in_month(end.year, end.month))

    def first(d: datetime) -> datetime:
        return datetime(d.year, d.month, 1)

    def last(d: datetime) -> datetime:
        return datetime(d.year, d.month, _days_in_month(d.year, d.month))

    return _base_iterator(schedule, start, end, offset, forward, begin, finish,
                          first if forward else last, last if forward else first, extended)


def _quarter_iterator(schedule: ExchangeHoursLike | None, start: datetime, end: datetime, offset: int,
                      forward: bool, extended: bool) -> Iterator[datetime]:
    begin = datetime(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    end_month = ((end.month - 1) // 3) * 3 + 3
    finish = datetime(end.year, end_month, _days_in_month(end.year, end_month))

    def first(d: datetime) -> datetime:
        return datetime(d.year, ((d.month - 1) // 3) * 3 + 1, 1)

    def last(d: datetime) -> datetime:
        month = ((d.month - 1) // 3) * 3 + 3
        return datetime(d.year, month, _days_in_month(d.year, month))

    return _base_iterator(schedule, start, end, offset, forward, begin, finish,
                          first if forward else last, last if forward else first, extended)


def _year_iterator(schedule: ExchangeHoursLike | None, start: datetime, end: datetime, offset: int, forward: bool,
                   extended: bool) -> Iterator[datetime]:
    # LEAN starts walking at the first of the *start month* (not January) and stops at the end of the end
    # month, so a year whose January 1 precedes that walk is never considered even if offset lands later.
    begin = datetime(start.year, start.month, 1)
    finish = datetime(end.year, end.month, _days_in_month(end.year, end.month))

    def first(d: datetime) -> datetime:
        return datetime(d.year, 1, 1)

    def last(d: datetime) -> datetime:
        return datetime(d.year, 12, 31)

    return _base_iterator(schedule, start, end, offset, forward, begin, finish,
                          first if forward else last, last if forward else first, extended)


def _week_iterator(schedule: ExchangeHoursLike | None, start: datetime, end: datetime, offset: int, forward: bool,
                   extended: bool) -> Iterator[datetime]:
    if schedule is None:
        calendar: ExchangeHoursLike = _hours.ALWAYS_OPEN_NEW_YORK
        # Monday..Sunday forward, Friday back to the previous Saturday backward
        base_dow: int = DayOfWeek.MONDAY if forward else DayOfWeek.FRIDAY
        boundary_dow: int = DayOfWeek.SATURDAY + 1 if forward else DayOfWeek.SUNDAY - 1
    else:
        calendar = schedule
        days = _hours.weekly_trading_days(schedule)
        base_dow = days[0] if forward else days[-1]
        boundary_dow = days[-1] if forward else days[0]
    start_dow = csharp_day_of_week(start)
    begin = start + timedelta(days=-start_dow + 1 + (-7 if start_dow == 0 else 0))
    end_dow = csharp_day_of_week(end)
    finish = end + timedelta(days=-end_dow + 7 + (-7 if end_dow == 0 else 0))
    for day in each_day(begin, finish):
        if csharp_day_of_week(day) != base_dow:
            continue
        boundary = day + timedelta(days=int(boundary_dow) - int(base_dow))
        scheduled = _scheduled_day(calendar, day, offset, forward, extended, boundary)
        if start <= scheduled <= end:
            yield scheduled
