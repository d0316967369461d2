"""What scheduling needs from the engine: the ``SchedulingContext`` protocol and the calendar protocol.

LEAN's schedule rules reach into the algorithm (its time zone and clock) and its securities (exchange
hours); this protocol is the narrow slice of that the engine must provide.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol


class LocalMarketHoursLike(Protocol):
    @property
    def is_closed_all_day(self) -> bool: ...


class ExchangeHoursLike(Protocol):
    """The subset of ``lean_local.data.market_hours.ExchangeHours`` that scheduling calls."""

    @property
    def time_zone(self) -> str: ...

    @property
    def is_market_always_open(self) -> bool: ...

    @property
    def regular_hours(self) -> Mapping[int, LocalMarketHoursLike]: ...

    def is_date_open(self, day: date | datetime, extended: bool = False) -> bool: ...

    def is_open_at(self, t: datetime, extended: bool = False) -> bool: ...

    def next_trading_day(self, day: date) -> date: ...

    def previous_trading_day(self, day: date) -> date: ...

    def get_first_daily_market_open(self, t: datetime, extended: bool = False) -> datetime: ...

    def get_last_daily_market_close(self, t: datetime, extended: bool = False) -> datetime: ...


class SchedulingContext(Protocol):
    """The algorithm as scheduling sees it. Attributes may be plain attributes or properties.

    * ``time_zone`` – the algorithm's IANA zone (``self.time_zone``).
    * ``start_date`` / ``end_date`` – the algorithm range, naive algorithm-local datetimes.
    * ``utc_time`` – the algorithm clock now, naive UTC; read lazily (when an event is first enumerated),
      exactly when LEAN reads ``Securities.UtcTime``.
    * ``exchange_hours_for(symbol)`` – the security's exchange hours if it is in the algorithm, else the
      market-hours database entry for the symbol (LEAN's ``GetSecurityExchangeHours``).
    * ``resolve_symbol(x)`` – a ``Symbol`` for a ticker string (the symbol cache, else a USA equity) or the
      symbol itself when given a ``Symbol``/``Security``.
    * ``security_exchange_hours()`` – exchange hours of every security currently in the algorithm; the
      symbol-less ``after_market_open()``/``before_market_close()`` pick the earliest open / latest close
      among these and SPY's hours.
    """

    @property
    def time_zone(self) -> str: ...

    @property
    def start_date(self) -> datetime: ...

    @property
    def end_date(self) -> datetime: ...

    @property
    def utc_time(self) -> datetime: ...

    def exchange_hours_for(self, symbol: Any) -> ExchangeHoursLike: ...

    def resolve_symbol(self, ticker_or_symbol: Any) -> Any: ...

    def security_exchange_hours(self) -> Iterable[ExchangeHoursLike]: ...
