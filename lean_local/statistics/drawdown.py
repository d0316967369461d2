"""Equity drawdown: the chart point LEAN samples each day and the maximum drawdown/recovery statistics."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lean_local.csharp import (
    ONE,
    ZERO,
    decimal_div,
    decimal_max,
    decimal_min,
    decimal_mul,
    decimal_sub,
    round_decimal,
    ticks_total_days,
    timedelta_to_ticks,
    to_decimal,
)

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DrawdownMetrics:
    """Largest peak-to-trough fall of the equity curve and the longest recovery.

    ``drawdown`` is a positive fraction (0.022 = 2.2 %) rounded to the requested decimals; ``recovery_days`` is
    the longest time, in whole days (truncated), from a peak to the first sample back at or above it.
    """

    drawdown: Decimal
    recovery_days: int


def drawdown_percent(current: Decimal, high: Decimal, rounding_decimals: int = 2) -> Decimal:
    """The "Equity Drawdown" chart value: ``round((current / high - 1) * 100, decimals)`` in percent (<= 0)."""
    if high == 0:
        raise ValueError("high value must not be 0")
    fraction = decimal_sub(decimal_div(current, high), ONE)
    return round_decimal(decimal_mul(fraction, _HUNDRED), rounding_decimals)


def drawdown_metrics(equity: Sequence[tuple[datetime, Decimal]], rounding: int = 2) -> DrawdownMetrics:
    """Maximum drawdown and maximum recovery time of a time-sorted equity series (LEAN's
    ``Statistics.CalculateDrawdownMetrics``).

    A sample equal to the running peak counts as a new peak. A drawdown starts at the peak preceding the
    first sample below it and ends at the first sample back at or above that peak; a drawdown still open at
    the end does not count towards the recovery time.
    """
    if len(equity) < 2:
        return DrawdownMetrics(ZERO, 0)
    try:
        return _drawdown_metrics(equity, rounding)
    except ArithmeticError:  # e.g. a zero peak; LEAN logs the error and reports no drawdown
        return DrawdownMetrics(ZERO, 0)


def _drawdown_metrics(equity: Sequence[tuple[datetime, Decimal]], rounding: int) -> DrawdownMetrics:
    max_drawdown = ZERO
    max_recovery_days = ZERO
    peak_time, peak_value = equity[0]
    drawdown_start: datetime | None = None
    for time, value in equity:
        if value >= peak_value:
            if drawdown_start is not None:
                days = to_decimal(ticks_total_days(timedelta_to_ticks(time - drawdown_start)))
                max_recovery_days = decimal_max(max_recovery_days, days)
                drawdown_start = None
            peak_value = value
            peak_time = time
        current = decimal_sub(decimal_div(value, peak_value), ONE)
        if current < 0:
            max_drawdown = decimal_min(max_drawdown, current)
            if drawdown_start is None:
                drawdown_start = peak_time
    return DrawdownMetrics(round_decimal(max_drawdown.copy_abs(), rounding), int(max_recovery_days))
