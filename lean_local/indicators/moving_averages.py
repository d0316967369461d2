"""Moving averages and the ``MovingAverageType`` factory, with LEAN's readiness and seeding rules.

* ``SimpleMovingAverage``: rolling ``Sum`` divided by the number of samples in the window; ready after ``period``.
* ``ExponentialMovingAverage``: smoothing factor ``2 / (period + 1)``; publishes 0 until ``period`` samples, then
  the SMA of the first ``period`` samples, then ``value * k + previous * (1 - k)``.
* ``WilderMovingAverage``: the running SMA until ready, then ``k = 1 / period``.
"""
from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from lean_local.csharp import ZERO, decimal_add, decimal_div, decimal_mul, decimal_sub
from lean_local.indicators.base import Indicator, IndicatorBase, WindowIndicator
from lean_local.indicators.data_point import IndicatorDataPoint, exact
from lean_local.indicators.window import RollingWindow

_ONE = Decimal(1)
_TWO_POINT_ZERO = Decimal("2.0")
_THREE = Decimal("3")


class MovingAverageType(IntEnum):
    SIMPLE = 0
    EXPONENTIAL = 1
    WILDERS = 2
    LINEAR_WEIGHTED_MOVING_AVERAGE = 3
    DOUBLE_EXPONENTIAL = 4
    TRIPLE_EXPONENTIAL = 5
    TRIANGULAR = 6
    T_3 = 7
    KAMA = 8
    HULL = 9
    ALMA = 10
    ZLEMA = 11
    MGD = 12

    def __str__(self) -> str:
        # C# enum ToString() (used in indicator names such as "RSI(14,Wilders)")
        return _ENUM_NAMES[self]


_ENUM_NAMES = {
    MovingAverageType.SIMPLE: "Simple",
    MovingAverageType.EXPONENTIAL: "Exponential",
    MovingAverageType.WILDERS: "Wilders",
    MovingAverageType.LINEAR_WEIGHTED_MOVING_AVERAGE: "LinearWeightedMovingAverage",
    MovingAverageType.DOUBLE_EXPONENTIAL: "DoubleExponential",
    MovingAverageType.TRIPLE_EXPONENTIAL: "TripleExponential",
    MovingAverageType.TRIANGULAR: "Triangular",
    MovingAverageType.T_3: "T3",
    MovingAverageType.KAMA: "Kama",
    MovingAverageType.HULL: "Hull",
    MovingAverageType.ALMA: "Alma",
    MovingAverageType.ZLEMA: "Zlema",
    MovingAverageType.MGD: "MGD",
}


def _name_and_period(args: tuple[Any, ...], default: str) -> tuple[str, int, tuple[Any, ...]]:
    """LEAN constructors take ``(name, period, ...)`` or ``(period, ...)``."""
    if args and isinstance(args[0], str):
        return args[0], int(args[1]), args[2:]
    period = int(args[0])
    return default.format(period=period), period, args[1:]


class Sum(WindowIndicator):
    """Sum of the last ``period`` values."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "SUM({period})")
        super().__init__(name, period)
        self._sum = ZERO

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        total = decimal_add(self._sum, input.exact_value)
        if window.samples > window.size:
            total = decimal_sub(total, window.most_recently_removed.exact_value)
        self._sum = total
        return total

    def reset(self) -> None:
        self._sum = Decimal("0.0")
        super().reset()


class SimpleMovingAverage(WindowIndicator):
    """Arithmetic mean of the last ``period`` values (the mean of what it has until then)."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "SMA({period})")
        super().__init__(name, period)
        self.rolling_sum = Sum(name + "_Sum", period)

    @property
    def is_ready(self) -> bool:
        return self.rolling_sum.is_ready

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        self.rolling_sum.update(input.end_time, input.exact_value)
        return decimal_div(self.rolling_sum.current.exact_value, Decimal(window.count))

    def reset(self) -> None:
        self.rolling_sum.reset()
        super().reset()


class ExponentialMovingAverage(Indicator):
    """LEAN's EMA: zero until ``period`` samples, seeded with their SMA, then exponentially smoothed."""

    def __init__(self, *args: Any) -> None:
        if args and isinstance(args[0], str):
            name = args[0]
            period = int(args[1])
            factor = exact(args[2]) if len(args) > 2 and args[2] is not None else self.smoothing_factor_default(period)
        else:
            period = int(args[0])
            if len(args) > 1 and args[1] is not None:
                factor = exact(args[1])
                name = f"EMA({period},{_decimal_text(factor)})"
            else:
                factor = self.smoothing_factor_default(period)
                name = f"EMA({period})"
        super().__init__(name)
        self._period = period
        self._k = factor
        self._one_minus_k = decimal_sub(_ONE, factor)
        self._initial_sma = SimpleMovingAverage(period)

    @staticmethod
    def smoothing_factor_default(period: int) -> Decimal:
        return decimal_div(_TWO_POINT_ZERO, Decimal(1 + int(period)))

    @property
    def is_ready(self) -> bool:
        return self.samples >= self._period

    @property
    def warm_up_period(self) -> int:
        return self._period

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        samples = self.samples
        period = self._period
        if samples <= period:
            self._initial_sma.update(input)
        if samples < period:
            return ZERO
        if samples == period:
            return self._initial_sma.current.exact_value
        return decimal_add(
            decimal_mul(input.exact_value, self._k),
            decimal_mul(self.current.exact_value, self._one_minus_k),
        )

    def reset(self) -> None:
        super().reset()
        self._initial_sma.reset()


class WilderMovingAverage(Indicator):
    """Wilder's smoothing: the running SMA until ``period`` samples, then ``k = 1 / period``."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "WWMA{period}")
        super().__init__(name)
        self._period = period
        self._k = decimal_div(_ONE, Decimal(period))
        self._one_minus_k = decimal_sub(_ONE, self._k)
        self._sma = SimpleMovingAverage(name + "_SMA", period)

    @property
    def is_ready(self) -> bool:
        return self.samples >= self._period

    @property
    def warm_up_period(self) -> int:
        return self._period

    def compute_next_value(self, input: IndicatorDataPoint) -> Decimal:
        if not self.is_ready:
            self._sma.update(input)
            return self._sma.current.exact_value
        return decimal_add(
            decimal_mul(input.exact_value, self._k),
            decimal_mul(self.current.exact_value, self._one_minus_k),
        )

    def reset(self) -> None:
        self._sma.reset()
        super().reset()


class LinearWeightedMovingAverage(WindowIndicator):
    """Weights ``period, period-1, ..., 1`` from the newest value; zero until ready."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "LWMA({period})")
        super().__init__(name, period)
        self._denominator = Decimal((period * (period + 1)) // 2)

    def compute_window_value(self, window: RollingWindow[Any], input: IndicatorDataPoint) -> Decimal:
        if not self.is_ready:
            return ZERO
        numerator = ZERO
        index = window.size
        for i in range(min(index, window.samples)):
            numerator = decimal_add(numerator, decimal_mul(Decimal(index), window[i].exact_value))
            index -= 1
        return decimal_div(numerator, self._denominator)


class DoubleExponentialMovingAverage(IndicatorBase):
    """DEMA: ``(v + 1) * EMA - v * EMA(EMA)`` with volume factor ``v`` (1 by default)."""

    def __init__(self, *args: Any) -> None:
        name, period, rest = _name_and_period(args, "DEMA({period})")
        super().__init__(name)
        self._period = period
        self._volume_factor = exact(rest[0]) if rest else _ONE
        self._ema1 = ExponentialMovingAverage(name + "_1", period)
        self._ema2 = ExponentialMovingAverage(name + "_2", period)

    @property
    def is_ready(self) -> bool:
        return self.samples > 2 * (self._period - 1)

    @property
    def warm_up_period(self) -> int:
        return 1 + 2 * (self._period - 1)

    def compute_next_value(self, input: Any) -> Decimal:
        self._ema1.update(input)
        if not self._ema1.is_ready:
            return self._ema1.current.exact_value
        self._ema2.update(self._ema1.current)
        factor = self._volume_factor
        return decimal_sub(
            decimal_mul(decimal_add(factor, _ONE), self._ema1.current.exact_value),
            decimal_mul(factor, self._ema2.current.exact_value),
        )

    def reset(self) -> None:
        self._ema1.reset()
        self._ema2.reset()
        super().reset()


class TripleExponentialMovingAverage(IndicatorBase):
    """TEMA: ``3 EMA1 - 3 EMA2 + EMA3``; zero until the third EMA is ready."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "TEMA({period})")
        super().__init__(name)
        self._period = period
        self._ema1 = ExponentialMovingAverage(name + "_1", period)
        self._ema2 = ExponentialMovingAverage(name + "_2", period)
        self._ema3 = ExponentialMovingAverage(name + "_3", period)

    @property
    def is_ready(self) -> bool:
        return self._ema3.is_ready

    @property
    def warm_up_period(self) -> int:
        return 3 * (self._period - 1) + 1

    def compute_next_value(self, input: Any) -> Decimal:
        self._ema1.update(input)
        if self._ema1.is_ready:
            self._ema2.update(self._ema1.current)
        if self._ema2.is_ready:
            self._ema3.update(self._ema2.current)
        if not self.is_ready:
            return ZERO
        return decimal_add(
            decimal_sub(
                decimal_mul(_THREE, self._ema1.current.exact_value),
                decimal_mul(_THREE, self._ema2.current.exact_value),
            ),
            self._ema3.current.exact_value,
        )

    def reset(self) -> None:
        self._ema1.reset()
        self._ema2.reset()
        self._ema3.reset()
        super().reset()


class TriangularMovingAverage(Indicator):
    """SMA of an SMA over half periods."""

    def __init__(self, *args: Any) -> None:
        name, period, _ = _name_and_period(args, "TRIMA({period})")
        super().__init__(name)
        self._period = period
        first = period // 2 if period % 2 == 0 else (period + 1) // 2
        second = period // 2 + 1 if period % 2 == 0 else (period + 1) // 2
        self._sma1 = SimpleMovingAverage(name + "_1", first)
        self._sma2 = SimpleMovingAverage(name + "_2", second)

    @property
    def is_ready(self) -> bool:
        return self.samples >= self._period

    @property
    def warm_up_period(self) -> int:
        return self._period

    def compute_next_value(self, input: Any) -> Decimal:
        self._sma1.update(input)
        self._sma2.update(self._sma1.current)
        return self._sma2.current.exact_value

    def reset(self) -> None:
        self._sma1.reset()
        self._sma2.reset()
        super().reset()


_FACTORIES: dict[MovingAverageType, Any] = {
    MovingAverageType.SIMPLE: SimpleMovingAverage,
    MovingAverageType.EXPONENTIAL: ExponentialMovingAverage,
    MovingAverageType.WILDERS: WilderMovingAverage,
    MovingAverageType.LINEAR_WEIGHTED_MOVING_AVERAGE: LinearWeightedMovingAverage,
    MovingAverageType.DOUBLE_EXPONENTIAL: DoubleExponentialMovingAverage,
    MovingAverageType.TRIPLE_EXPONENTIAL: TripleExponentialMovingAverage,
    MovingAverageType.TRIANGULAR: TriangularMovingAverage,
}


def as_indicator(moving_average_type: Any, *args: Any) -> IndicatorBase:
    """``MovingAverageType.AsIndicator([name,] period)``."""
    kind = MovingAverageType(moving_average_type)
    factory = _FACTORIES.get(kind)
    if factory is None:
        raise NotImplementedError(
            f"MovingAverageType.{kind.name} is not implemented in lean_local; use SIMPLE, EXPONENTIAL, WILDERS, "
            "LINEAR_WEIGHTED_MOVING_AVERAGE, DOUBLE_EXPONENTIAL, TRIPLE_EXPONENTIAL or TRIANGULAR"
        )
    indicator: IndicatorBase = factory(*args)
    return indicator


def _decimal_text(value: Decimal) -> str:
    from lean_local.csharp import decimal_to_string

    return decimal_to_string(value)
