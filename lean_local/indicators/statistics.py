"""Window statistics and changes: variance, standard deviation, max/min, delay, momentum, rates of change, log return."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    ZERO,
    decimal_add,
    decimal_div,
    decimal_max,
    decimal_mul,
    decimal_sub,
    safe_decimal_cast,
    to_decimal,
    to_double,
)
from lean_local.indicators.base import Indicator, WindowIndicator
from lean_local.indicators.data_point import IndicatorDataPoint
from lean_local.indicators.moving_averages import _name_and_period
from lean_local.indicators.window import RollingWindow

_HUNDRED = Decimal(100)


class Identity(Indicator):
    """Passes its input through; ready after one sample."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)

    @property
    def is_ready(self) -> bool:
        return self.samples > 0

    @property
    def warm_up_period(self) -> int:
        return 1

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        return input.exact_value


class WindowIdentity(WindowIndicator):
    """Passes its input through; ready once ``period`` samples were seen."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "WIN-ID{period}")
        super().__init__(name, period)

    @property
    def is_ready(self) -> bool:
        return self.samples >= self.period

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        return input.exact_value


class Variance(WindowIndicator):
    """Population variance of the last ``period`` values from a rolling sum and sum of squares."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "VAR({period})")
        super().__init__(name, period)
        self._rolling_sum = ZERO
        self._rolling_sum_of_squares = ZERO

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        value = input.exact_value
        self._rolling_sum = decimal_add(self._rolling_sum, value)
        self._rolling_sum_of_squares = decimal_add(self._rolling_sum_of_squares, decimal_mul(value, value))
        if self.samples < 2:
            return ZERO
        period = self.period
        n = Decimal(min(period, self.samples))
        mean1 = decimal_div(self._rolling_sum, n)
        mean2 = decimal_div(self._rolling_sum_of_squares, n)
        if self.samples >= period:
            removed = window[period - 1].exact_value
            self._rolling_sum = decimal_sub(self._rolling_sum, removed)
            self._rolling_sum_of_squares = decimal_sub(self._rolling_sum_of_squares, decimal_mul(removed, removed))
        return decimal_max(ZERO, decimal_sub(mean2, decimal_mul(mean1, mean1)))

    def reset(self) -> None:
        self._rolling_sum = ZERO
        self._rolling_sum_of_squares = ZERO
        super().reset()


class StandardDeviation(Variance):
    """Square root of the population variance, taken in double precision as LEAN does."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "STD({period})")
        super().__init__(name, period)

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        variance = super().compute_window_value(window, input)
        return to_decimal(math.sqrt(to_double(variance)))


class Maximum(WindowIndicator):
    """Highest value of the last ``period`` inputs; ``periods_since_maximum`` counts bars since it."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "MAX({period})")
        super().__init__(name, period)
        self.periods_since_maximum = 0

    @property
    def is_ready(self) -> bool:
        return self.samples >= self.period

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        value = input.exact_value
        if self.samples == 1 or value >= self.current.exact_value:
            self.periods_since_maximum = 0
            return value
        if self.periods_since_maximum >= self.period - 1:
            best_index = 0
            best = window[0].exact_value
            for index, point in enumerate(window):
                if point.exact_value > best:
                    best, best_index = point.exact_value, index
            self.periods_since_maximum = best_index
            return best
        self.periods_since_maximum += 1
        return self.current.exact_value

    def reset(self) -> None:
        self.periods_since_maximum = 0
        super().reset()


class Minimum(WindowIndicator):
    """Lowest value of the last ``period`` inputs; ``periods_since_minimum`` counts bars since it."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "MIN({period})")
        super().__init__(name, period)
        self.periods_since_minimum = 0

    @property
    def is_ready(self) -> bool:
        return self.samples >= self.period

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        value = input.exact_value
        if self.samples == 1 or value <= self.current.exact_value:
            self.periods_since_minimum = 0
            return value
        if self.periods_since_minimum >= self.period - 1:
            best_index = 0
            best = window[0].exact_value
            for index, point in enumerate(window):
                if point.exact_value < best:
                    best, best_index = point.exact_value, index
            self.periods_since_minimum = best_index
            return best
        self.periods_since_minimum += 1
        return self.current.exact_value

    def reset(self) -> None:
        self.periods_since_minimum = 0
        super().reset()


class Delay(WindowIndicator):
    """The input from ``period`` samples ago (the first input until then)."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "DELAY({period})")
        super().__init__(name, period)

    @property
    def is_ready(self) -> bool:
        return self.samples > self.period

    @property
    def warm_up_period(self) -> int:
        return 1 + self.period

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        if not self.is_ready:
            return window[window.count - 1].exact_value  # type: ignore[no-any-return]
        return window.most_recently_removed.exact_value  # type: ignore[no-any-return]


class Momentum(WindowIndicator):
    """``value - value[period]`` (against the first input until ``period + 1`` samples)."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "MOM({period})")
        super().__init__(name, period)

    @property
    def is_ready(self) -> bool:
        return self.samples > self.period

    @property
    def warm_up_period(self) -> int:
        return self.period + 1

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        if window.samples <= window.size:
            return decimal_sub(input.exact_value, window[window.count - 1].exact_value)
        return decimal_sub(input.exact_value, window.most_recently_removed.exact_value)


class RateOfChange(WindowIndicator):
    """``(value - value[period]) / value[period]``; zero when the reference is zero."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "ROC({period})")
        super().__init__(name, period)

    @property
    def is_ready(self) -> bool:
        return self.samples > self.period

    @property
    def warm_up_period(self) -> int:
        return self.period + 1

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        reference = window[window.count - 1] if window.samples <= window.size else window.most_recently_removed
        denominator = reference.exact_value
        if denominator == 0:
            return ZERO
        return decimal_div(decimal_sub(input.exact_value, denominator), denominator)


class RateOfChangePercent(RateOfChange):
    """Rate of change in percent."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "ROCP({period})")
        super().__init__(name, period)

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        return decimal_mul(_HUNDRED, super().compute_window_value(window, input))


class MomentumPercent(RateOfChangePercent):
    """Momentum in percent (same as the rate of change in percent)."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "MOMP({period})")
        super().__init__(name, period)


class LogReturn(WindowIndicator):
    """``ln(value / value[period])`` computed in double precision; zero when the ratio is zero."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "LOGR({period})")
        super().__init__(name, period)

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        reference = window[window.count - 1] if window.samples <= window.size else window.most_recently_removed
        denominator = reference.exact_value
        ratio = ZERO if denominator == 0 else decimal_div(input.exact_value, denominator)
        as_double = to_double(ratio)
        if as_double <= 0.0:
            # Math.Log(0) is -infinity (mapped to 0); a negative ratio gives NaN, which LEAN cannot cast either
            if as_double == 0.0:
                return ZERO
            return safe_decimal_cast(math.nan)
        result = math.log(as_double)
        if math.isinf(result):
            return ZERO
        return safe_decimal_cast(result)
