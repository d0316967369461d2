"""``IndicatorExtensions``: chaining (``of``) and arithmetic composites (``plus``, ``minus``, ``times``, ``over``)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from lean_local.csharp import decimal_mul, decimal_to_string
from lean_local.indicators.base import (
    DATA,
    POINT,
    CompositeIndicator,
    ConstantIndicator,
    IndicatorBase,
    ResetCompositeIndicator,
    compose_minus,
    compose_over,
    compose_plus,
    compose_times,
)
from lean_local.indicators.data_point import IndicatorDataPoint, exact
from lean_local.indicators.moving_averages import ExponentialMovingAverage, Sum, SimpleMovingAverage
from lean_local.indicators.python_indicator import as_indicator
from lean_local.indicators.statistics import Maximum, Minimum, WindowIdentity


def _constant(value: Any, kind: str) -> ConstantIndicator:
    number = exact(value)
    constant = ConstantIndicator(decimal_to_string(number), number)
    constant._input_kind = kind
    return constant


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


class IndicatorExtensions:
    """Static helpers, used as ``IndicatorExtensions.of(second, first)`` or ``IndicatorExtensions.over(a, b)``."""

    @staticmethod
    def update(indicator: Any, time: Any, value: Any) -> bool:
        result: bool = as_indicator(indicator).update(time, value)
        return result

    @staticmethod
    def of(second: Any, first: Any, wait_for_first_to_ready: bool = True) -> Any:
        """Feed ``second`` with every value ``first`` produces (once ``first`` is ready, by default)."""
        source = as_indicator(first)
        target = as_indicator(second)

        def forward(sender: Any, consolidated: IndicatorDataPoint) -> None:
            if not wait_for_first_to_ready or source.is_ready:
                target.update(consolidated)

        source.updated += forward
        return second if isinstance(second, IndicatorBase) else target

    @staticmethod
    def weighted_by(value: Any, weight: Any, period: int) -> CompositeIndicator:
        """Weighted average of ``value`` by ``weight`` over ``period`` samples."""
        value_indicator = as_indicator(value)
        weight_indicator = as_indicator(weight)
        x = WindowIdentity(period)
        y = WindowIdentity(period)
        numerator = Sum("Sum_xy", period)
        denominator = Sum("Sum_y", period)

        def on_value(sender: Any, consolidated: IndicatorDataPoint) -> None:
            x.update(consolidated)
            if x.samples == y.samples:
                numerator.update(consolidated.time, decimal_mul(consolidated.exact_value, y.current.exact_value))

        def on_weight(sender: Any, consolidated: IndicatorDataPoint) -> None:
            y.update(consolidated)
            if x.samples == y.samples:
                numerator.update(consolidated.time, decimal_mul(consolidated.exact_value, x.current.exact_value))
            denominator.update(consolidated)

        value_indicator.updated += on_value
        weight_indicator.updated += on_weight

        def extra_reset() -> None:
            x.reset()
            y.reset()

        return ResetCompositeIndicator(numerator, denominator, compose_over, extra_reset)

    @staticmethod
    def plus(left: Any, right: Any, name: str | None = None) -> CompositeIndicator:
        if _is_number(right):
            return CompositeIndicator(as_indicator(left), _constant(right, DATA), compose_plus)
        return CompositeIndicator(name, as_indicator(left), as_indicator(right), compose_plus)

    @staticmethod
    def minus(left: Any, right: Any, name: str | None = None) -> CompositeIndicator:
        if _is_number(right):
            return CompositeIndicator(as_indicator(left), _constant(right, DATA), compose_minus)
        return CompositeIndicator(name, as_indicator(left), as_indicator(right), compose_minus)

    @staticmethod
    def times(left: Any, right: Any, name: str | None = None) -> CompositeIndicator:
        if _is_number(right):
            return CompositeIndicator(as_indicator(left), _constant(right, POINT), compose_times)
        return CompositeIndicator(name, as_indicator(left), as_indicator(right), compose_times)

    @staticmethod
    def over(left: Any, right: Any, name: str | None = None) -> CompositeIndicator:
        if _is_number(right):
            return CompositeIndicator(as_indicator(left), _constant(right, POINT), compose_over)
        return CompositeIndicator(name, as_indicator(left), as_indicator(right), compose_over)

    @staticmethod
    def ema(left: Any, period: int, smoothing_factor: Any = None, wait_for_first_to_ready: bool = True) -> ExponentialMovingAverage:
        source = as_indicator(left)
        k = exact(smoothing_factor) if smoothing_factor is not None else ExponentialMovingAverage.smoothing_factor_default(period)
        ema = ExponentialMovingAverage(f"EMA{period}_Of_{source.name}", period, k)
        IndicatorExtensions.of(ema, source, wait_for_first_to_ready)
        return ema

    @staticmethod
    def max(left: Any, period: int, wait_for_first_to_ready: bool = True) -> Maximum:
        source = as_indicator(left)
        maximum = Maximum(f"MAX{period}_Of_{source.name}", period)
        IndicatorExtensions.of(maximum, source, wait_for_first_to_ready)
        return maximum

    @staticmethod
    def min(left: Any, period: int, wait_for_first_to_ready: bool = True) -> Minimum:
        source = as_indicator(left)
        minimum = Minimum(f"MIN{period}_Of_{source.name}", period)
        IndicatorExtensions.of(minimum, source, wait_for_first_to_ready)
        return minimum

    @staticmethod
    def sma(left: Any, period: int, wait_for_first_to_ready: bool = True) -> SimpleMovingAverage:
        source = as_indicator(left)
        sma = SimpleMovingAverage(f"SMA{period}_Of_{source.name}", period)
        IndicatorExtensions.of(sma, source, wait_for_first_to_ready)
        return sma

