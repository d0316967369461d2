"""``MarketHourAwareConsolidator``: what LEAN uses for daily consolidation of intraday data.

With ``daily_strict_end_time`` (LEAN's default ``Settings.DailyPreciseEndTime``) a daily bar spans the trading
day's first open to its last close (09:30-16:00 for US equities, 13:00 on early closes), so it is emitted at the
close. Data outside regular hours is ignored unless extended hours are requested.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lean_local.consolidators.base import ConsolidatorBase, interface_event
from lean_local.consolidators.calendar import CalendarInfo
from lean_local.consolidators.period import (
    ONE_DAY,
    ONE_HOUR,
    QuoteBarConsolidator,
    TickConsolidator,
    TradeBarConsolidator,
    resolution_to_timedelta,
    round_down,
)
from lean_local.enums import Resolution, SecurityType, TickType
from lean_local.market_data import QuoteBar, Tick, TradeBar

_TICK = timedelta(microseconds=1)


def higher_resolution_equivalent(span: timedelta) -> Resolution:
    """``TimeSpan.ToHigherResolutionEquivalent(false)``."""
    if span < timedelta(seconds=1):
        return Resolution.TICK
    if span < timedelta(minutes=1):
        return Resolution.SECOND
    if span < ONE_HOUR:
        return Resolution.MINUTE
    if span < ONE_DAY:
        return Resolution.HOUR
    return Resolution.DAILY


def use_strict_end_time(enabled: bool, symbol: Any, increment: timedelta, exchange_hours: Any) -> bool:
    """``LeanData.UseStrictEndTime``."""
    security_type = getattr(symbol, "security_type", None)
    market = getattr(getattr(symbol, "id", None), "market", None)
    if (getattr(exchange_hours, "is_market_always_open", False)
            or increment <= ONE_HOUR
            or (security_type == SecurityType.CFD and market == "oanda")
            or security_type in (SecurityType.FOREX, SecurityType.BASE)):
        return False
    return enabled


class MarketHourAwareConsolidator(ConsolidatorBase):
    """Consolidates only market-hours data; daily bars follow the exchange's trading day.

    ``MarketHourAwareConsolidator(daily_strict_end_time, resolution_or_period, data_type, tick_type,
    extended_market_hours, exchange_hours=None)``; ``exchange_hours`` (an ``ExchangeHours``) is required before
    the first update (the algorithm helpers pass the security's).
    """

    def __init__(
        self,
        daily_strict_end_time_enabled: bool,
        resolution: Any,
        data_type: type,
        tick_type: TickType,
        extended_market_hours: bool,
        exchange_hours: Any = None,
    ) -> None:
        super().__init__()
        self._daily_strict_end_time_enabled = bool(daily_strict_end_time_enabled)
        self._extended_market_hours = bool(extended_market_hours)
        self._use_strict_end_time = False
        self.exchange_hours = exchange_hours
        self._initialized = False
        if isinstance(resolution, Resolution):
            self._period = resolution_to_timedelta(resolution)
            self.consolidator = self._create_for_resolution(resolution, data_type, tick_type)
        else:
            self._period = resolution
            equivalent = higher_resolution_equivalent(resolution)
            if resolution_to_timedelta(equivalent) == resolution:
                self.consolidator = self._create_for_resolution(equivalent, data_type, tick_type)
            else:
                calendar = self.intraday_calendar if resolution < ONE_DAY else self.daily_strict_end_time
                self.consolidator = self._create_for_calendar(calendar, data_type, tick_type)
        interface_event(self.consolidator).__iadd__(self._forward)

    @property
    def period(self) -> timedelta:
        return self._period

    @property
    def input_type(self) -> type:
        return self.consolidator.input_type  # type: ignore[no-any-return]

    @property
    def output_type(self) -> type:
        return self.consolidator.output_type  # type: ignore[no-any-return]

    @property
    def working_data(self) -> Any:
        return self.consolidator.working_data

    def _create_for_resolution(self, resolution: Resolution, data_type: type, tick_type: TickType) -> Any:
        daily = resolution == Resolution.DAILY
        if data_type is Tick:
            return TickConsolidator(self.daily_strict_end_time if daily else self._period)
        if data_type is TradeBar:
            return TradeBarConsolidator(self.daily_strict_end_time if daily else self._period)
        if data_type is QuoteBar:
            return QuoteBarConsolidator(self.daily_strict_end_time if daily else self._period)
        raise TypeError(f"{getattr(data_type, '__name__', data_type)} not supported")

    def _create_for_calendar(self, calendar: Any, data_type: type, tick_type: TickType) -> Any:
        if data_type is Tick:
            return TickConsolidator(calendar)
        if data_type is TradeBar:
            return TradeBarConsolidator(calendar)
        if data_type is QuoteBar:
            return QuoteBarConsolidator(calendar)
        raise TypeError(f"{getattr(data_type, '__name__', data_type)} not supported")

    def _initialize(self, data: Any) -> None:
        if self._initialized:
            return
        if self.exchange_hours is None:
            raise RuntimeError(
                "MarketHourAwareConsolidator needs the exchange hours of the security; pass exchange_hours= "
                "(security.exchange.hours) or create it through the algorithm's consolidate/resolve_consolidator"
            )
        self._initialized = True
        self._use_strict_end_time = use_strict_end_time(
            self._daily_strict_end_time_enabled, data.symbol, self._period, self.exchange_hours)

    def update(self, data: Any) -> None:
        self._initialize(data)
        hours = self.exchange_hours
        if (self._extended_market_hours
                or hours.is_open_at(data.time, False)
                or (self._period == ONE_DAY and data.end_time - data.time >= ONE_HOUR
                    and hours.is_open(data.time, data.end_time, False))):
            self.consolidator.update(data)

    def scan(self, current_local_time: datetime) -> None:
        self.consolidator.scan(current_local_time)

    def daily_strict_end_time(self, moment: datetime) -> CalendarInfo:
        period = self._period
        if not self._use_strict_end_time or period > ONE_DAY:
            return CalendarInfo(moment if period > ONE_DAY else round_down(moment, period), period)
        start, end = self.exchange_hours.daily_calendar(moment, self._extended_market_hours)
        return CalendarInfo(start, end - start)

    def intraday_calendar(self, moment: datetime) -> CalendarInfo:
        hours = self.exchange_hours
        period = self._period
        if hours is None or hours.is_market_always_open:
            return CalendarInfo(round_down(moment, period), period)
        extended = self._extended_market_hours
        if hours.is_open_at(moment, extended):
            market_open = hours.get_previous_market_open(moment + _TICK, extended)
        else:
            market_open = hours.get_previous_market_open(moment, extended)
        intervals = (moment - market_open) // period
        start = market_open + intervals * period
        end = start + period
        market_close = hours.get_next_market_close(market_open, extended)
        if end > market_close:
            end = market_close
        return CalendarInfo(start, end - start)

    def _forward(self, sender: Any, consolidated: Any) -> None:
        self.on_data_consolidated(consolidated)

    def dispose(self) -> None:
        interface_event(self.consolidator).__isub__(self._forward)
        self.consolidator.dispose()
        super().dispose()

    def reset(self) -> None:
        self._use_strict_end_time = False
        self._initialized = False
        self.consolidator.reset()
        super().reset()
