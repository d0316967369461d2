"""Equity drawdown: the chart point LEAN samples each day and the maximum drawdown/recovery statistics."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lean_local.csharp import (
    CS_ONE,
    CS_ZERO,
    ONE,
    ZERO,
    CsDecimal,
    cs_abs,
    cs_div,
    cs_from_double,
    cs_sub,
    cs_to_decimal,
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


def drawdown_metrics_of_prefixes(
    equity: Sequence[tuple[datetime, CsDecimal]], counts: Sequence[int], rounding: int = 2
) -> list[DrawdownMetrics]:
    """``[drawdown_metrics(equity[:n], rounding) for n in counts]`` in one pass, values as
    :data:`~lean_local.csharp.CsDecimal` (the drawdown and recovery of a prefix are the running state after its
    last sample)."""
    order = sorted(range(len(counts)), key=counts.__getitem__)
    results: list[DrawdownMetrics | None] = [None] * len(counts)
    position = 0
    nothing = DrawdownMetrics(ZERO, 0)
    max_drawdown = CS_ZERO
    max_recovery_days = CS_ZERO
    drawdown_start: datetime | None = None
    peak_time, peak_value = equity[0] if equity else (datetime.min, CS_ZERO)
    failed = False  # an arithmetic error: LEAN reports no drawdown for this prefix and every longer one
    for index in range(len(equity) + 1):
        while position < len(order) and counts[order[position]] <= index:
            if counts[order[position]] < index:
                raise ValueError("counts must be between 0 and the number of samples")
            if index < 2 or failed:
                results[order[position]] = nothing
            else:
                results[order[position]] = DrawdownMetrics(
                    round_decimal(cs_to_decimal(cs_abs(max_drawdown)), rounding),
                    int(cs_to_decimal(max_recovery_days)),
                )
            position += 1
        if index == len(equity) or position == len(order):
            break
        if failed:
            continue
        time, value = equity[index]
        try:
            if value[0] >= peak_value[0]:
                if drawdown_start is not None:
                    days = cs_from_double(ticks_total_days(timedelta_to_ticks(time - drawdown_start)))
                    if days[0] > max_recovery_days[0]:  # Math.Max: the first argument wins a tie
                        max_recovery_days = days
                    drawdown_start = None
                peak_value = value
                peak_time = time
                if not value[0]:
                    raise ZeroDivisionError("attempted to divide by zero")
                continue  # value / value - 1 == 0: not a drawdown
            current = cs_sub(cs_div(value, peak_value), CS_ONE)
            if current[0] < 0:
                if not max_drawdown[0] < current[0]:  # Math.Min: the second argument wins a tie
                    max_drawdown = current
                if drawdown_start is None:
                    drawdown_start = peak_time
        except ArithmeticError:
            failed = True
    if position < len(order):
        raise ValueError("counts must be between 0 and the number of samples")
    return [result for result in results if result is not None]
