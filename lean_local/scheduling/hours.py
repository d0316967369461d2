"""The exchange-calendar questions scheduling asks, answered through ``lean_local.data.market_hours``.

Kept as one thin layer so the rules read like LEAN (``IsDateOpen``, ``GetNextTradingDay``,
``GetFirstDailyMarketOpen`` ...) while all calendar semantics stay in the market-hours module.
Dates travel as naive midnights (``datetime``) here, like C# ``DateTime`` dates.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from lean_local.data.market_hours import ExchangeHours
from lean_local.scheduling.context import ExchangeHoursLike

ONE_DAY = timedelta(days=1)
#: LEAN looks up "the first open of date D" at D + 1 day - 1 tick; our clock's tick is one microsecond.
_TICK = timedelta(microseconds=1)

#: ``SecurityExchangeHours.AlwaysOpen(TimeZones.NewYork)``: the calendar of symbol-less period rules.
ALWAYS_OPEN_NEW_YORK: ExchangeHoursLike = ExchangeHours.always_open("America/New_York")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def is_date_open(hours: ExchangeHoursLike, day: datetime, extended: bool = False) -> bool:
    """``IsDateOpen``: the day has regular hours (or, with ``extended``, any hours)."""
    return hours.is_date_open(day, extended)


def next_trading_day(hours: ExchangeHoursLike, day: datetime) -> datetime:
    """``GetNextTradingDay``: the next day with *regular* hours (never extended-only days)."""
    return _midnight(hours.next_trading_day(day.date()))


def previous_trading_day(hours: ExchangeHoursLike, day: datetime) -> datetime:
    """``GetPreviousTradingDay``: the previous day with *regular* hours."""
    return _midnight(hours.previous_trading_day(day.date()))


def first_daily_market_open(hours: ExchangeHoursLike, day: datetime, extended: bool) -> datetime:
    """``GetFirstDailyMarketOpen(day + 1 day - 1 tick)``: exchange-local first open at or before that day's end."""
    return hours.get_first_daily_market_open(_midnight(day.date()) + ONE_DAY - _TICK, extended)


def last_daily_market_close(hours: ExchangeHoursLike, day: datetime, extended: bool) -> datetime:
    """``GetLastDailyMarketClose(day)``: exchange-local last close of the first trading day from midnight of ``day``."""
    return hours.get_last_daily_market_close(_midnight(day.date()), extended)


def weekly_trading_days(hours: ExchangeHoursLike) -> list[int]:
    """Weekdays with any regular-schedule hours, as C# ``DayOfWeek`` numbers (Sunday = 0), ascending."""
    open_days = [(wd + 1) % 7 for wd, local in hours.regular_hours.items() if not local.is_closed_all_day]
    return sorted(open_days)
