"""Indicators of bars: true range, average true range, Keltner and Donchian channels, average directional index."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from lean_local.csharp import ZERO, decimal_add, decimal_div, decimal_max, decimal_mul, decimal_sub, decimal_to_string
from lean_local.indicators.base import BAR, POINT, BarIndicator, FunctionalIndicator, IndicatorBase
from lean_local.indicators.data_point import exact, exact_field
from lean_local.indicators.extensions import IndicatorExtensions
from lean_local.indicators.moving_averages import MovingAverageType, WilderMovingAverage, as_indicator
from lean_local.indicators.statistics import Maximum, Minimum

_HUNDRED = Decimal(100)
_FIFTY = Decimal(50)
_THREE = Decimal(3)
_TWO = Decimal(2)


def _hlc(bar: Any) -> tuple[Decimal, Decimal, Decimal]:
    return exact_field(bar, "high"), exact_field(bar, "low"), exact_field(bar, "close")


class TrueRange(BarIndicator):
    """Greatest of high-low, |previous close - high| and |previous close - low|; ready after two bars."""

    def __init__(self, name: str = "TR") -> None:
        super().__init__(name)
        self._previous_close: Decimal | None = None

    @property
    def is_ready(self) -> bool:
        return self.samples > 1

    @property
    def warm_up_period(self) -> int:
        return 2

    def compute_next_value(self, input: Any) -> Decimal:
        high, low, close = _hlc(input)
        greatest = decimal_sub(high, low)
        if not self.is_ready or self._previous_close is None:
            self._previous_close = close
            return greatest
        previous_close = self._previous_close
        value2 = decimal_sub(previous_close, high).copy_abs()
        if value2 > greatest:
            greatest = value2
        value3 = decimal_sub(previous_close, low).copy_abs()
        if value3 > greatest:
            greatest = value3
        self._previous_close = close
        return greatest

    def reset(self) -> None:
        self._previous_close = None
        super().reset()


class AverageTrueRange(BarIndicator):
    """A moving average (Wilder's by default) of the true range."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name, period = args[0], int(args[1])
            rest = args[2:]
        else:
            period = int(args[0])
            name = f"ATR({period})"
            rest = args[1:]
        moving_average_type = MovingAverageType(rest[0]) if rest and rest[0] is not None else MovingAverageType.WILDERS
        super().__init__(name)
        self._warm_up_period = period
        self.moving_average_type = moving_average_type
        self.true_range = TrueRange(name)
        self._smoother = as_indicator(moving_average_type, name + "_" + str(moving_average_type), period)
        IndicatorExtensions.of(self._smoother, self.true_range, False)

    @property
    def is_ready(self) -> bool:
        return self._smoother.is_ready

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: Any) -> Decimal:
        self.true_range.update(input)
        return self._smoother.current.exact_value

    def reset(self) -> None:
        self._smoother.reset()
        self.true_range.reset()
        super().reset()


class KeltnerChannels(BarIndicator):
    """A moving average of the typical price with bands ``k`` average true ranges (simple) away."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name, period, k = args[0], int(args[1]), exact(args[2])
            rest = args[3:]
        else:
            period, k = int(args[0]), exact(args[1])
            name = f"KC({period},{decimal_to_string(k)})"
            rest = args[2:]
        moving_average_type = MovingAverageType(rest[0]) if rest and rest[0] is not None else MovingAverageType.SIMPLE
        super().__init__(name)
        self._warm_up_period = period
        self._k = k
        self.average_true_range = AverageTrueRange(name + "_AverageTrueRange", period, MovingAverageType.SIMPLE)
        self.middle_band = as_indicator(moving_average_type, name + "_MiddleBand", period)
        middle = self.middle_band
        atr = self.average_true_range

        def lower(_: Any) -> Decimal:
            if not middle.is_ready:
                return ZERO
            return decimal_sub(middle.current.exact_value, decimal_mul(atr.current.exact_value, k))

        def upper(_: Any) -> Decimal:
            if not middle.is_ready:
                return ZERO
            return decimal_add(middle.current.exact_value, decimal_mul(atr.current.exact_value, k))

        self.lower_band = FunctionalIndicator(name + "_LowerBand", lower, lambda _: middle.is_ready, middle.reset, BAR)
        self.upper_band = FunctionalIndicator(name + "_UpperBand", upper, lambda _: middle.is_ready, middle.reset, BAR)

    @property
    def is_ready(self) -> bool:
        return (self.middle_band.is_ready and self.upper_band.is_ready and self.lower_band.is_ready
                and self.average_true_range.is_ready)

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: Any) -> Decimal:
        self.average_true_range.update(input)
        high, low, close = _hlc(input)
        typical_price = decimal_div(decimal_add(decimal_add(high, low), close), _THREE)
        self.middle_band.update(input.end_time, typical_price)
        self.lower_band.update(input)
        self.upper_band.update(input)
        return self.middle_band.current.exact_value

    def reset(self) -> None:
        self.average_true_range.reset()
        self.middle_band.reset()
        self.upper_band.reset()
        self.lower_band.reset()
        super().reset()


class DonchianChannel(BarIndicator):
    """Highest high and lowest low over the periods; the value is their midpoint."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name = args[0]
            upper_period = int(args[1])
            lower_period = int(args[2]) if len(args) > 2 else upper_period
        else:
            upper_period = int(args[0])
            lower_period = int(args[1]) if len(args) > 1 else upper_period
            name = f"DCH({lower_period},{lower_period})"  # sic: LEAN names it after the lower period twice
        super().__init__(name)
        self._warm_up_period = max(upper_period, lower_period)
        self.upper_band = Maximum(name + "_UpperBand", upper_period)
        self.lower_band = Minimum(name + "_LowerBand", lower_period)

    @property
    def is_ready(self) -> bool:
        return self.upper_band.is_ready and self.lower_band.is_ready

    @property
    def warm_up_period(self) -> int:
        return self._warm_up_period

    def compute_next_value(self, input: Any) -> Decimal:
        self.upper_band.update(input.end_time, exact_field(input, "high"))
        self.lower_band.update(input.end_time, exact_field(input, "low"))
        return decimal_div(decimal_add(self.upper_band.current.exact_value, self.lower_band.current.exact_value), _TWO)

    def reset(self) -> None:
        super().reset()
        self.upper_band.reset()
        self.lower_band.reset()


class AverageDirectionalIndex(BarIndicator):
    """Wilder's ADX with +DI/-DI (``positive_directional_index``/``negative_directional_index``)."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name, period = args[0], int(args[1])
        else:
            period = int(args[0])
            name = f"ADX({period})"
        super().__init__(name)
        self._period = period
        self._previous_bar: Any = None
        period_decimal = Decimal(period)

        def has_previous(_: Any) -> bool:
            return self._previous_bar is not None

        self._true_range = FunctionalIndicator(name + "_TrueRange", self._compute_true_range, has_previous, None, BAR)
        self._directional_movement_plus = FunctionalIndicator(
            name + "_PositiveDirectionalMovement", self._compute_positive_movement, has_previous, None, BAR)
        self._directional_movement_minus = FunctionalIndicator(
            name + "_NegativeDirectionalMovement", self._compute_negative_movement, has_previous, None, BAR)

        def smoothed(indicator_name: str, source: IndicatorBase) -> FunctionalIndicator:
            holder: list[FunctionalIndicator] = []

            def compute(_: Any) -> Decimal:
                own = holder[0].current.exact_value
                value = decimal_div(own, period_decimal) if self.samples > period + 1 else ZERO
                return decimal_sub(decimal_add(own, source.current.exact_value), value)

            indicator = FunctionalIndicator(indicator_name, compute, lambda _: self.samples > period, None, POINT)
            holder.append(indicator)
            return indicator

        self._smoothed_true_range = smoothed(name + "_SmoothedTrueRange", self._true_range)
        self._smoothed_directional_movement_plus = smoothed(
            name + "_SmoothedDirectionalMovementPlus", self._directional_movement_plus)
        self._smoothed_directional_movement_minus = smoothed(
            name + "_SmoothedDirectionalMovementMinus", self._directional_movement_minus)

        def directional_index(smoothed_movement: IndicatorBase) -> Any:
            def compute(_: Any) -> Decimal:
                true_range = self._smoothed_true_range.current.exact_value
                if true_range != 0 and smoothed_movement.is_ready:
                    return decimal_div(decimal_mul(_HUNDRED, smoothed_movement.current.exact_value), true_range)
                return ZERO
            return compute

        def reset_plus() -> None:
            self._directional_movement_plus.reset()
            self._true_range.reset()

        def reset_minus() -> None:
            self._directional_movement_minus.reset()
            self._true_range.reset()

        self.positive_directional_index = FunctionalIndicator(
            name + "_PositiveDirectionalIndex", directional_index(self._smoothed_directional_movement_plus),
            lambda _: self._smoothed_directional_movement_plus.is_ready, reset_plus, POINT)
        self.negative_directional_index = FunctionalIndicator(
            name + "_NegativeDirectionalIndex", directional_index(self._smoothed_directional_movement_minus),
            lambda _: self._smoothed_directional_movement_minus.is_ready, reset_minus, POINT)
        self._average_directional_index = WilderMovingAverage(period)

    @property
    def is_ready(self) -> bool:
        return self._average_directional_index.is_ready

    @property
    def warm_up_period(self) -> int:
        return self._period * 2

    def _compute_true_range(self, input: Any) -> Decimal:
        previous = self._previous_bar
        if previous is None:
            return ZERO
        high, low, _ = _hlc(input)
        previous_close = exact_field(previous, "close")
        range1 = decimal_sub(high, low)
        range2 = decimal_sub(high, previous_close).copy_abs()
        range3 = decimal_sub(low, previous_close).copy_abs()
        return decimal_max(range1, decimal_max(range2, range3))

    def _compute_positive_movement(self, input: Any) -> Decimal:
        previous = self._previous_bar
        if previous is not None:
            high, low = exact_field(input, "high"), exact_field(input, "low")
            previous_high, previous_low = exact_field(previous, "high"), exact_field(previous, "low")
            if high > previous_high and decimal_sub(high, previous_high) >= decimal_sub(previous_low, low):
                return decimal_sub(high, previous_high)
        return ZERO

    def _compute_negative_movement(self, input: Any) -> Decimal:
        previous = self._previous_bar
        if previous is not None:
            high, low = exact_field(input, "high"), exact_field(input, "low")
            previous_high, previous_low = exact_field(previous, "high"), exact_field(previous, "low")
            if previous_low > low and decimal_sub(previous_low, low) > decimal_sub(high, previous_high):
                return decimal_sub(previous_low, low)
        return ZERO

    def compute_next_value(self, input: Any) -> Decimal:
        self._true_range.update(input)
        self._directional_movement_plus.update(input)
        self._directional_movement_minus.update(input)
        current = self.current
        self._smoothed_true_range.update(current)
        self._smoothed_directional_movement_plus.update(current)
        self._smoothed_directional_movement_minus.update(current)
        self._previous_bar = input
        self.positive_directional_index.update(current)
        self.negative_directional_index.update(current)
        positive = self.positive_directional_index.current.exact_value
        negative = self.negative_directional_index.current.exact_value
        difference = decimal_sub(positive, negative).copy_abs()
        total = decimal_add(positive, negative)
        if total == 0:
            return _FIFTY
        self._average_directional_index.update(input.end_time, decimal_div(decimal_mul(_HUNDRED, difference), total))
        return self._average_directional_index.current.exact_value

    def reset(self) -> None:
        super().reset()
        self._previous_bar = None
        self._true_range.reset()
        self._directional_movement_plus.reset()
        self._directional_movement_minus.reset()
        self._smoothed_true_range.reset()
        self._smoothed_directional_movement_plus.reset()
        self._smoothed_directional_movement_minus.reset()
        self._average_directional_index.reset()
        self.positive_directional_index.reset()
        self.negative_directional_index.reset()
