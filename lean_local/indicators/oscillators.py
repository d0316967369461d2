"""Relative strength index, MACD and Bollinger Bands, built from LEAN's sub-indicators in LEAN's wiring order
(the order of event subscriptions decides when composite bands update, so it is kept as LEAN has it)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from lean_local.csharp import ZERO, decimal_add, decimal_div, decimal_sub, decimal_to_string, round_decimal
from lean_local.indicators.base import ConstantIndicator, Indicator, IndicatorResult, IndicatorStatus
from lean_local.indicators.data_point import IndicatorDataPoint, exact
from lean_local.indicators.extensions import IndicatorExtensions
from lean_local.indicators.moving_averages import MovingAverageType, as_indicator
from lean_local.indicators.statistics import Identity, StandardDeviation

_HUNDRED = Decimal(100)
_ONE = Decimal(1)


class RelativeStrengthIndex(Indicator):
    """Wilder's RSI (other moving-average types for the average gain/loss are supported)."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name, period = args[0], int(args[1])
            rest = args[2:]
        else:
            period = int(args[0])
            name = f"RSI({period})"
            rest = args[1:]
        kind = MovingAverageType(rest[0]) if rest and rest[0] is not None else MovingAverageType.WILDERS
        super().__init__(name)
        self.moving_average_type = kind
        self.average_gain = as_indicator(kind, name + "Up", period)
        self.average_loss = as_indicator(kind, name + "Down", period)
        self._warm_up_period = period + 1
        self._previous_value: Decimal | None = None

    @property
    def is_ready(self) -> bool:
        return self.average_gain.is_ready and self.average_loss.is_ready

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        value = input.exact_value
        previous = self._previous_value
        if previous is not None:
            if value >= previous:
                self.average_gain.update(input.end_time, decimal_sub(value, previous))
                self.average_loss.update(input.end_time, ZERO)
            else:
                self.average_gain.update(input.end_time, ZERO)
                self.average_loss.update(input.end_time, decimal_sub(previous, value))
        self._previous_value = value
        average_loss = self.average_loss.current.exact_value
        average_gain = self.average_gain.current.exact_value
        if average_loss < 0:
            average_loss = ZERO
        if average_gain < 0:
            average_gain = ZERO
        if round_decimal(average_loss, 10) == 0:
            return _HUNDRED
        relative_strength = decimal_div(average_gain, average_loss)
        return decimal_sub(_HUNDRED, decimal_div(_HUNDRED, decimal_add(_ONE, relative_strength)))

    def reset(self) -> None:
        self._previous_value = None
        self.average_gain.reset()
        self.average_loss.reset()
        super().reset()


class MovingAverageConvergenceDivergence(Indicator):
    """Fast MA minus slow MA, with a signal MA of that difference and the histogram (difference - signal)."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name = args[0]
            fast, slow, signal = int(args[1]), int(args[2]), int(args[3])
            rest = args[4:]
        else:
            fast, slow, signal = int(args[0]), int(args[1]), int(args[2])
            name = f"MACD({fast},{slow},{signal})"
            rest = args[3:]
        if fast >= slow:
            raise ValueError("MovingAverageConvergenceDivergence: fastPeriod must be less than slowPeriod")
        kind = MovingAverageType(rest[0]) if rest and rest[0] is not None else MovingAverageType.EXPONENTIAL
        super().__init__(name)
        self.fast = as_indicator(kind, name + "_Fast", fast)
        self.slow = as_indicator(kind, name + "_Slow", slow)
        self.signal = as_indicator(kind, name + "_Signal", signal)
        self.histogram = Identity(name + "_Histogram")
        self._warm_up_period = slow + signal - 1

    @property
    def is_ready(self) -> bool:
        return self.signal.is_ready

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        fast_ready = self.fast.update(input)
        slow_ready = self.slow.update(input)
        macd = decimal_sub(self.fast.current.exact_value, self.slow.current.exact_value)
        if fast_ready and slow_ready:
            if self.signal.update(input.end_time, macd):
                self.histogram.update(input.end_time, decimal_sub(macd, self.signal.current.exact_value))
        return macd

    def reset(self) -> None:
        self.fast.reset()
        self.slow.reset()
        self.signal.reset()
        self.histogram.reset()
        super().reset()


class BollingerBands(Indicator):
    """A moving average (simple by default) with bands ``k`` standard deviations away, band width and %B.

    Its own value is the input price; it does not publish an update while its standard deviation is zero.
    """

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name, period, k = args[0], int(args[1]), exact(args[2])
            rest = args[3:]
        else:
            period, k = int(args[0]), exact(args[1])
            name = f"BB({period},{decimal_to_string(k)})"
            rest = args[2:]
        kind = MovingAverageType(rest[0]) if rest and rest[0] is not None else MovingAverageType.SIMPLE
        super().__init__(name)
        self._warm_up_period = period
        self.moving_average_type = kind
        self.standard_deviation = StandardDeviation(name + "_StandardDeviation", period)
        self.middle_band = as_indicator(kind, name + "_MiddleBand", period)
        extensions = IndicatorExtensions
        self.lower_band = extensions.minus(self.middle_band, extensions.times(self.standard_deviation, k), name + "_LowerBand")
        self.upper_band = extensions.plus(self.middle_band, extensions.times(self.standard_deviation, k), name + "_UpperBand")
        upper_minus_lower = extensions.minus(self.upper_band, self.lower_band)
        self.band_width = extensions.times(
            extensions.over(upper_minus_lower, self.middle_band), ConstantIndicator("ct", _HUNDRED), name + "_BandWidth")
        self.price = Identity(name + "_Close")
        self.percent_b = extensions.over(extensions.minus(self.price, self.lower_band), upper_minus_lower, name + "_%B")

    @property
    def is_ready(self) -> bool:
        return (self.middle_band.is_ready and self.upper_band.is_ready and self.lower_band.is_ready
                and self.band_width.is_ready and self.percent_b.is_ready)

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        self.standard_deviation.update(input)
        self.middle_band.update(input)
        self.price.update(input)
        return input.exact_value

    def validate_and_compute_next_value(self, input: IndicatorDataPoint) -> IndicatorResult:
        value = self.compute_next_value(input)
        if self.is_ready and self.standard_deviation.current.exact_value == 0:
            return IndicatorResult(value, IndicatorStatus.MATH_ERROR)
        return IndicatorResult(value)

    def reset(self) -> None:
        self.standard_deviation.reset()
        self.middle_band.reset()
        self.upper_band.reset()
        self.lower_band.reset()
        self.band_width.reset()
        self.percent_b.reset()
        super().reset()
