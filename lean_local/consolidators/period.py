"""Period and count consolidators: ``TradeBarConsolidator``, ``QuoteBarConsolidator``, ``BaseDataConsolidator``,
``TickConsolidator`` and the identity consolidator.

Emission rules (LEAN's ``PeriodCountConsolidatorBase``):

* time mode (``timedelta``, ``Resolution`` or calendar function): a bar starts at the data time rounded down to
  the period (calendar functions give the start) and is emitted by the first data at or past ``start + period``
  (before that data is aggregated into the next bar) or by ``scan(local_time)`` once ``local_time`` reaches it;
* count mode (``int``): every ``n``-th data point emits, after aggregating it; the bar ends at that point's end;
* mixed mode (``count, timedelta``): whichever comes first.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from lean_local.consolidators.bars import ConsolidatedBar, ConsolidatedTradeBar, clone_data, price_of
from lean_local.consolidators.base import DataConsolidator
from lean_local.consolidators.calendar import CalendarInfo, calendar_info
from lean_local.enums import Resolution, TickType
from lean_local.indicators.data_point import exact_value_of
from lean_local.market_data import BaseData, QuoteBar, Tick, TradeBar

ONE_SECOND = timedelta(seconds=1)
ONE_HOUR = timedelta(hours=1)
ONE_DAY = timedelta(days=1)
ZERO_SPAN = timedelta(0)

_RESOLUTION_SPANS = {
    Resolution.TICK: ZERO_SPAN,
    Resolution.SECOND: ONE_SECOND,
    Resolution.MINUTE: timedelta(minutes=1),
    Resolution.HOUR: ONE_HOUR,
    Resolution.DAILY: ONE_DAY,
}


def resolution_to_timedelta(resolution: Resolution) -> timedelta:
    return _RESOLUTION_SPANS[Resolution(resolution)]


def round_down(moment: datetime, interval: timedelta) -> datetime:
    """``DateTime.RoundDown``: to a multiple of ``interval`` counted from 0001-01-01 (a zero interval is a no-op)."""
    if interval <= ZERO_SPAN:
        return moment
    remainder = (moment - datetime.min) % interval
    return moment - remainder if remainder else moment


def consolidator_start_time(period: timedelta, start_time: timedelta, moment: datetime) -> datetime:
    """LEAN's ``GetConsolidatorStartTime``: bars anchored at ``start_time`` each day (each month for weekly+)."""
    reference = datetime.combine(moment.date(), datetime.min.time()) + start_time
    if period >= timedelta(days=7):
        reference = datetime(moment.year, moment.month, 1) + start_time
    difference = (moment - reference).total_seconds()
    intervals = difference // period.total_seconds()
    return reference + timedelta(seconds=intervals * period.total_seconds())


class _CountSpec:
    period: timedelta | None = None

    def rounded(self, moment: datetime) -> datetime:
        return moment


class _MixedSpec:
    def __init__(self, period: timedelta) -> None:
        self.period: timedelta | None = period

    def rounded(self, moment: datetime) -> datetime:
        return moment


class _TimeSpanSpec:
    def __init__(self, period: timedelta, start_time: timedelta | None = None) -> None:
        self.period: timedelta | None = period
        self.start_time = start_time

    def rounded(self, moment: datetime) -> datetime:
        period = self.period
        assert period is not None
        if self.start_time is not None:
            return consolidator_start_time(period, self.start_time, moment)
        if period > ONE_DAY:
            return moment  # periods longer than a day are not rounded
        return round_down(moment, period)


_VERIFICATION_DATE = datetime(2022, 1, 3, 10, 10, 10)


class _FuncSpec:
    def __init__(self, function: Callable[[datetime], Any]) -> None:
        if calendar_info(function(_VERIFICATION_DATE)).start > _VERIFICATION_DATE:
            raise ValueError(
                "FuncPeriodSpecification: Please use a function that computes the start of the bar associated with "
                "the given date time. Should never return a time later than the one passed in."
            )
        self.function = function
        self.period: timedelta | None = None

    def rounded(self, moment: datetime) -> datetime:
        info: CalendarInfo = calendar_info(self.function(moment))
        self.period = info.period
        return info.start


def _specification(period: Any, second: Any, start_time: Any) -> tuple[Any, int | None, timedelta | None]:
    """(spec, max_count, period) from the constructor arguments LEAN accepts."""
    if isinstance(period, Resolution):
        span = resolution_to_timedelta(period)
        return _TimeSpanSpec(span, start_time), None, span
    if isinstance(period, timedelta):
        return _TimeSpanSpec(period, start_time), None, period
    if isinstance(period, int) and not isinstance(period, bool):
        if second is not None:
            if not isinstance(second, timedelta):
                raise TypeError("a count consolidator's second argument is the maximum period (timedelta)")
            return _MixedSpec(second), period, second
        return _CountSpec(), period, None
    if callable(period):
        return _FuncSpec(period), None, ONE_SECOND
    raise TypeError(
        f"Unable to create a consolidator period from {period!r}: use a timedelta, a Resolution, a bar count (int) "
        "or a calendar function (such as Calendar.WEEKLY)"
    )


class PeriodCountConsolidatorBase(DataConsolidator):
    """Shared time/count logic; subclasses implement ``aggregate_bar(working_bar, data) -> working_bar``."""

    _output_type: type = TradeBar

    def __init__(self, period: Any, second: Any = None, start_time: timedelta | None = None) -> None:
        super().__init__()
        spec, max_count, span = _specification(period, second, start_time)
        self._spec = spec
        self._max_count = max_count
        self._period: timedelta | None = span
        self._current_count = 0
        self._working_bar: Any = None
        self._last_emit: datetime | None = None
        self._validate_time_span = False
        self._symbol_id: Any = None
        self._symbol_id_set = False
        # the typed event (C# ``new event``) Python handlers subscribe to
        self.data_consolidated = type(self._interface_consolidated)()

    @property
    def output_type(self) -> type:
        return self._output_type

    @property
    def working_data(self) -> Any:
        return clone_data(self._working_bar)

    @property
    def working_bar(self) -> Any:
        return self.working_data

    @property
    def is_time_based(self) -> bool:
        return self._max_count is None

    @property
    def period(self) -> timedelta | None:
        return self._period

    def should_process(self, data: Any) -> bool:
        return True

    def aggregate_bar(self, working_bar: Any, data: Any) -> Any:
        raise NotImplementedError

    # --- rounding -----------------------------------------------------------------------------------------------
    def get_rounded_bar_time(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            start = self._spec.rounded(value)
            if self._working_bar is None:
                self._period = self._spec.period
            return start  # type: ignore[no-any-return]
        potential = self.get_rounded_bar_time(value.time)
        period = self._period
        if period is not None and potential + period < value.end_time:
            if value.end_time - value.time == ONE_HOUR and potential.date() < value.time.date():
                # hour bars from 9:00 when the exchange opens at 9:30
                potential = self.get_rounded_bar_time(value.end_time)
            else:
                potential = value.time
        return potential

    # --- update/scan --------------------------------------------------------------------------------------------
    def _update(self, data: Any) -> None:
        symbol = data.symbol
        symbol_id = getattr(symbol, "id", symbol)
        if not self._symbol_id_set:
            self._symbol_id_set = True
            self._symbol_id = symbol_id
        elif symbol_id != self._symbol_id:
            raise RuntimeError(
                f"Consolidators can only be used with a single symbol. The previous consolidated SecurityIdentifier "
                f"({self._symbol_id}) is not the same as in the current data ({symbol_id})."
            )
        if not self.should_process(data):
            return
        if not self._validate_time_span and self._period is not None and isinstance(self._spec, _TimeSpanSpec):
            self._validate_time_span = True
            if data.end_time - data.time > self._period:
                raise ValueError(
                    f"For Symbol {symbol} can not consolidate bars of period: {self._period}, using data of the same "
                    f"or higher period: {data.end_time - data.time}"
                )
        fire = False
        aggregate_before_fire = self._max_count is not None
        if self._max_count is not None:
            self._current_count += 1
            if self._current_count >= self._max_count:
                self._current_count = 0
                fire = True
        if self._last_emit is None:
            self._last_emit = datetime.min if self.is_time_based else data.time
        if self._period is not None:
            if (self._working_bar is not None and data.time - self._working_bar.time >= self._period
                    and self.get_rounded_bar_time(data) > self._last_emit):
                fire = True
            if self._period == ZERO_SPAN:
                fire = True
                aggregate_before_fire = True
        if aggregate_before_fire and data.time >= self._last_emit:
            self._working_bar = self.aggregate_bar(self._working_bar, data)
            if self._max_count is not None:
                self._working_bar.end_time = data.end_time
        if fire:
            working = self._working_bar
            if isinstance(working, TradeBar) and self._period is not None:
                working.end_time = working.time + self._period
            self._last_emit = working.end_time if self.is_time_based and working is not None else data.time
            self.on_data_consolidated(working)
        if not aggregate_before_fire and data.time >= self._last_emit:
            self._working_bar = self.aggregate_bar(self._working_bar, data)

    def scan(self, current_local_time: datetime) -> None:
        working = self._working_bar
        period = self._period
        if (working is not None and period is not None and period != ZERO_SPAN
                and current_local_time - working.time >= period
                and self._last_emit is not None and self.get_rounded_bar_time(current_local_time) > self._last_emit):
            self._last_emit = working.end_time
            self.on_data_consolidated(working)

    def on_data_consolidated(self, consolidated: Any) -> None:
        super().on_data_consolidated(consolidated)
        self.data_consolidated(self, consolidated)
        self._working_bar = None

    def reset(self) -> None:
        super().reset()
        self._symbol_id = None
        self._symbol_id_set = False
        self._current_count = 0
        self._working_bar = None
        self._last_emit = None
        self._validate_time_span = False


class TradeBarConsolidator(PeriodCountConsolidatorBase):
    """Consolidates trade bars into larger trade bars: ``TradeBarConsolidator(timedelta | Resolution | int |
    calendar_function)`` or ``TradeBarConsolidator(max_count, max_period)``."""

    _input_type = TradeBar

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> "TradeBarConsolidator":
        return cls(resolution_to_timedelta(resolution))

    def aggregate_bar(self, working_bar: Any, data: TradeBar) -> Any:
        if working_bar is None:
            start = self.get_rounded_bar_time(data)
            period = self._period if self.is_time_based and self._period is not None else data.period
            bar = ConsolidatedTradeBar(start, data.symbol, period, data.volume)
            bar.copy_prices(data)
            return bar
        close, exact_close = price_of(data, "close")
        working_bar.set_price("close", close, exact_close)
        working_bar.volume += data.volume
        low, exact_low = price_of(data, "low")
        if exact_low < working_bar.exact_low:
            working_bar.set_price("low", low, exact_low)
        high, exact_high = price_of(data, "high")
        if exact_high > working_bar.exact_high:
            working_bar.set_price("high", high, exact_high)
        return working_bar


class BaseDataConsolidator(PeriodCountConsolidatorBase):
    """Consolidates any data's ``value`` into trade bars (no volume)."""

    _input_type = BaseData

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> "BaseDataConsolidator":
        return cls(resolution_to_timedelta(resolution))

    def aggregate_bar(self, working_bar: Any, data: Any) -> Any:
        value = float(data.value)
        exact = exact_value_of(data)
        if working_bar is None:
            bar = ConsolidatedTradeBar(self.get_rounded_bar_time(data.time), data.symbol)
            bar.set_all(value, exact)
            return bar
        working_bar.set_price("close", value, exact)
        if exact < working_bar.exact_low:
            working_bar.set_price("low", value, exact)
        if exact > working_bar.exact_high:
            working_bar.set_price("high", value, exact)
        return working_bar


class TickConsolidator(PeriodCountConsolidatorBase):
    """Consolidates trade ticks into trade bars (quote ticks are ignored)."""

    _input_type = Tick

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> "TickConsolidator":
        return cls(resolution_to_timedelta(resolution))

    def should_process(self, data: Any) -> bool:
        return bool(data.tick_type == TickType.TRADE)

    def aggregate_bar(self, working_bar: Any, data: Any) -> Any:
        value = float(data.value)
        exact = exact_value_of(data)
        quantity = float(getattr(data, "quantity", 0.0))
        if working_bar is None:
            bar = ConsolidatedTradeBar(self.get_rounded_bar_time(data), data.symbol, self._period, quantity)
            bar.set_all(value, exact)
            return bar
        working_bar.set_price("close", value, exact)
        working_bar.volume += quantity
        if exact < working_bar.exact_low:
            working_bar.set_price("low", value, exact)
        if exact > working_bar.exact_high:
            working_bar.set_price("high", value, exact)
        return working_bar


class QuoteBarConsolidator(PeriodCountConsolidatorBase):
    """Consolidates quote bars; a new bar opens each side at the previous consolidated bar's close."""

    _input_type = QuoteBar
    _output_type = QuoteBar

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> "QuoteBarConsolidator":
        return cls(resolution_to_timedelta(resolution))

    def aggregate_bar(self, working_bar: Any, data: QuoteBar) -> Any:
        bid, ask = data.bid, data.ask
        if working_bar is None:
            start = self.get_rounded_bar_time(data)
            period = self._period if self.is_time_based and self._period is not None else data.period
            working_bar = QuoteBar(start, data.symbol, None, 0.0, None, 0.0, period)
            previous = self._consolidated
            if isinstance(previous, QuoteBar):
                if previous.bid is not None and previous.bid.close != 0:
                    number, exact = price_of(previous.bid, "close")
                    working_bar.bid = ConsolidatedBar.flat(number, exact)
                if previous.ask is not None and previous.ask.close != 0:
                    number, exact = price_of(previous.ask, "close")
                    working_bar.ask = ConsolidatedBar.flat(number, exact)
                if previous.last_bid_size > 0:
                    working_bar.last_bid_size = previous.last_bid_size
                if previous.last_ask_size > 0:
                    working_bar.last_ask_size = previous.last_ask_size
        if bid is not None:
            working_bar.last_bid_size = data.last_bid_size
            working_bar.bid = self._merge_side(working_bar.bid, bid)
        if ask is not None:
            working_bar.last_ask_size = data.last_ask_size
            working_bar.ask = self._merge_side(working_bar.ask, ask)
        return working_bar

    @staticmethod
    def _merge_side(side: Any, incoming: Any) -> Any:
        if side is None:
            return ConsolidatedBar.copy_of(incoming)
        number, exact = price_of(incoming, "close")
        side.set_price("close", number, exact)
        number, exact = price_of(incoming, "high")
        if side.exact_high < exact:
            side.set_price("high", number, exact)
        number, exact = price_of(incoming, "low")
        if side.exact_low > exact:
            side.set_price("low", number, exact)
        return side


class IdentityDataConsolidator(DataConsolidator):
    """Emits every input with a new end time (every tick); ``IdentityDataConsolidator[TradeBar]()``."""

    def __init__(self, input_type: type = BaseData) -> None:
        super().__init__()
        self._input_type = input_type
        self._last: Any = None
        self._last_time: datetime | None = None

    def __class_getitem__(cls, item: type) -> Callable[[], "IdentityDataConsolidator"]:
        def factory() -> IdentityDataConsolidator:
            return cls(item)
        return factory

    @property
    def output_type(self) -> type:
        return self._input_type

    @property
    def working_data(self) -> Any:
        return clone_data(self._last)

    def _update(self, data: Any) -> None:
        if self._input_type is Tick or self._last is None or data.end_time != self._last_time:
            self.on_data_consolidated(data)
            self._last = data
            self._last_time = data.end_time

    def scan(self, current_local_time: datetime) -> None:
        pass

    def reset(self) -> None:
        super().reset()
        self._last = None

