"""Calendar periods for consolidators: ``Calendar.WEEKLY`` (Monday 00:00 to Monday), ``MONTHLY``, ``QUARTERLY``,
``YEARLY``. Each is a function from a time to the ``CalendarInfo`` (start, period) of the bar containing it."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any


class CalendarInfo:
    """The start and length of a calendar bar."""

    __slots__ = ("start", "period")

    def __init__(self, start: datetime, period: timedelta) -> None:
        self.start = start
        self.period = period

    @property
    def end(self) -> datetime:
        return self.start + self.period

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CalendarInfo) and other.start == self.start and other.period == self.period

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((self.start, self.period))

    def equals(self, other: object) -> bool:
        return self.__eq__(other)

    def to_string(self) -> str:
        return f"{self.start} {self.period}"

    def __repr__(self) -> str:
        return f"CalendarInfo({self.start}, {self.period})"


def _midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time())


def _add_months(moment: datetime, months: int) -> datetime:
    """``DateTime.AddMonths``: the day is clamped to the target month's length."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=min(moment.day, day))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {moment}")


def end_of_week(moment: datetime) -> datetime:
    """LEAN's ``Expiry.EndOfWeek``: the following Monday 00:00 (the next day for a Sunday)."""
    dotnet_day_of_week = (moment.weekday() + 1) % 7  # Sunday = 0
    days = 8 - dotnet_day_of_week
    if days == 8:
        days = 1
    return _midnight(moment + timedelta(days=days))


def weekly(moment: datetime) -> CalendarInfo:
    start = end_of_week(moment) - timedelta(days=7)
    return CalendarInfo(start, timedelta(days=7))


def monthly(moment: datetime) -> CalendarInfo:
    start = _midnight(moment - timedelta(days=moment.day - 1))
    following = _add_months(moment, 1)
    end = datetime(following.year, following.month, 1)
    return CalendarInfo(start, end - start)


def quarterly(moment: datetime) -> CalendarInfo:
    first_month = ((moment.month - 1) // 3) * 3 + 1
    start = datetime(moment.year, first_month, 1)
    end = _add_months(start, 3)
    return CalendarInfo(start, end - start)


def yearly(moment: datetime) -> CalendarInfo:
    start = datetime(moment.year, 1, 1)
    end = datetime(moment.year + 1, 1, 1)
    return CalendarInfo(start, end - start)


class Calendar:
    """Calendar period functions for ``consolidate`` and the bar consolidators."""

    WEEKLY = staticmethod(weekly)
    MONTHLY = staticmethod(monthly)
    QUARTERLY = staticmethod(quarterly)
    YEARLY = staticmethod(yearly)


class CalendarType:
    """Obsolete alias of :class:`Calendar` (weekly and monthly only)."""

    WEEKLY = staticmethod(weekly)
    MONTHLY = staticmethod(monthly)


def calendar_info(value: Any) -> CalendarInfo:
    """Accept what a Python calendar function may return: ``CalendarInfo`` or ``(start, period)``."""
    if isinstance(value, CalendarInfo):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        return CalendarInfo(value[0], value[1])
    start = getattr(value, "start", None)
    period = getattr(value, "period", None)
    if isinstance(start, datetime) and isinstance(period, timedelta):
        return CalendarInfo(start, period)
    raise TypeError(f"a calendar function must return a CalendarInfo, got {type(value).__name__}")
