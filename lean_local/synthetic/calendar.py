"""NYSE trading calendar from rules: holidays, weekend observance, early closes.

The rules reproduce the New York Stock Exchange calendar from 1998 on (the year the exchange started
closing for Martin Luther King Jr. Day):

* New Year's Day (a Sunday moves to Monday; a Saturday is *not* observed on the Friday before),
  Martin Luther King Jr. Day (3rd Monday of January), Washington's Birthday (3rd Monday of February),
  Good Friday (two days before Easter Sunday), Memorial Day (last Monday of May), Juneteenth (from 2022),
  Independence Day, Labor Day (1st Monday of September), Thanksgiving (4th Thursday of November) and
  Christmas. Fixed-date holidays other than New Year's Day move to Friday when they fall on a Saturday
  and to Monday when they fall on a Sunday.
* Unscheduled closures (September 11, 2001, national days of mourning, Hurricane Sandy) come from a table.
* The session ends at 13:00 on the day after Thanksgiving, on Christmas Eve and on July 3 when those fall
  on a regular weekday session (plus the two historical exceptions in the table below).
"""
from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache

EARLY_CLOSE_TIME = time(13, 0)
MARKET_OPEN = time(9, 30)
MARKET_CLOSE = time(16, 0)
PRE_MARKET_OPEN = time(4, 0)
POST_MARKET_CLOSE = time(20, 0)

#: Days the exchange was closed for reasons outside the yearly rules.
UNSCHEDULED_CLOSURES: dict[date, str] = {
    date(2001, 9, 11): "September 11 attacks",
    date(2001, 9, 12): "September 11 attacks",
    date(2001, 9, 13): "September 11 attacks",
    date(2001, 9, 14): "September 11 attacks",
    date(2004, 6, 11): "National day of mourning (President Reagan)",
    date(2007, 1, 2): "National day of mourning (President Ford)",
    date(2012, 10, 29): "Hurricane Sandy",
    date(2012, 10, 30): "Hurricane Sandy",
    date(2018, 12, 5): "National day of mourning (President G. H. W. Bush)",
    date(2025, 1, 9): "National day of mourning (President Carter)",
}

#: Early closes that the yearly rules do not produce, and rule-made early closes that did not happen.
EXTRA_EARLY_CLOSES: frozenset[date] = frozenset({date(2002, 7, 5), date(2003, 12, 26)})
SKIPPED_EARLY_CLOSES: frozenset[date] = frozenset({date(2002, 7, 3)})


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian / Meeus-Jones-Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's customary name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based) given weekday (Monday=0) of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """Saturday holidays are observed on Friday, Sunday holidays on Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=None)
def holidays(year: int) -> tuple[date, ...]:
    """Weekdays in ``year`` on which the exchange is closed, in date order."""
    days: set[date] = set()
    new_year = date(year, 1, 1)
    if new_year.weekday() == 6:
        days.add(new_year + timedelta(days=1))
    elif new_year.weekday() < 5:
        days.add(new_year)
    if year >= 1998:
        days.add(_nth_weekday(year, 1, 0, 3))  # Martin Luther King Jr. Day
    days.add(_nth_weekday(year, 2, 0, 3))  # Washington's Birthday
    days.add(easter_sunday(year) - timedelta(days=2))  # Good Friday
    days.add(_last_weekday(year, 5, 0))  # Memorial Day
    if year >= 2022:
        days.add(_observed(date(year, 6, 19)))  # Juneteenth
    days.add(_observed(date(year, 7, 4)))  # Independence Day
    days.add(_nth_weekday(year, 9, 0, 1))  # Labor Day
    days.add(_nth_weekday(year, 11, 3, 4))  # Thanksgiving
    christmas = _observed(date(year, 12, 25))
    if christmas.year == year:
        days.add(christmas)
    days.update(day for day in UNSCHEDULED_CLOSURES if day.year == year)
    return tuple(sorted(day for day in days if day.weekday() < 5))


@lru_cache(maxsize=None)
def early_closes(year: int) -> tuple[date, ...]:
    """Trading days in ``year`` whose regular session ends at 13:00, in date order."""
    closed = set(holidays(year))
    candidates = {
        _nth_weekday(year, 11, 3, 4) + timedelta(days=1),  # day after Thanksgiving
        date(year, 12, 24),
        date(year, 7, 3),
    }
    candidates.update(day for day in EXTRA_EARLY_CLOSES if day.year == year)
    candidates.difference_update(SKIPPED_EARLY_CLOSES)
    return tuple(sorted(day for day in candidates if day.weekday() < 5 and day not in closed))


def is_trading_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def is_early_close(day: date) -> bool:
    return day in early_closes(day.year)


def trading_days(start: date, end: date) -> list[date]:
    """All trading days in ``[start, end]``, in order."""
    days: list[date] = []
    day = start
    one = timedelta(days=1)
    while day <= end:
        if is_trading_day(day):
            days.append(day)
        day += one
    return days


def previous_trading_day(day: date) -> date:
    """The last trading day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_trading_day(day):
        day -= timedelta(days=1)
    return day


def next_trading_day(day: date) -> date:
    """The first trading day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_trading_day(day):
        day += timedelta(days=1)
    return day


def session_close(day: date) -> time:
    """End of the regular session on a trading day."""
    return EARLY_CLOSE_TIME if is_early_close(day) else MARKET_CLOSE
