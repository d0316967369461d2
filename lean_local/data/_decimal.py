"""C# ``decimal`` arithmetic where it differs from Python's 28-significant-digit context.

A C# decimal is a 96-bit integer coefficient with a scale of 0..28. Results that do not fit are rounded
half-to-even to the largest scale that fits, so small values keep up to 28 decimal places (Python's context
would keep 28 *significant* digits) and values above 1 keep up to 29 digits. Exact quotients take the
smallest scale not below ``scale(a) - scale(b)`` (never negative), which Python's ideal exponent matches.
"""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact, localcontext

_MAX_COEFFICIENT = (1 << 96) - 1
_MAX_SCALE = 28
_WIDE = Context(prec=80, rounding=ROUND_HALF_EVEN, traps=[])


def fit(value: Decimal) -> Decimal:
    """Round an exact result to what a C# decimal can hold (raises OverflowError beyond its range)."""
    if not value.is_finite():
        raise OverflowError(f"{value} is not a C# decimal")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0:
        value = value.quantize(Decimal(1), context=_WIDE)
        exponent = 0
    scale = min(-exponent, _MAX_SCALE)
    while scale >= 0:
        candidate = value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_EVEN, context=_WIDE)
        if abs(int(candidate.scaleb(scale, context=_WIDE))) <= _MAX_COEFFICIENT:
            return candidate
        scale -= 1
    raise OverflowError(f"{value} is outside the C# decimal range")


def mul(a: Decimal, b: Decimal) -> Decimal:
    """``a * b`` in C#."""
    with localcontext(_WIDE):
        return fit(a * b)


def add(a: Decimal, b: Decimal) -> Decimal:
    """``a + b`` in C#."""
    with localcontext(_WIDE):
        return fit(a + b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    """``a - b`` in C#."""
    with localcontext(_WIDE):
        return fit(a - b)


def div(a: Decimal, b: Decimal) -> Decimal:
    """``a / b`` in C# (raises ZeroDivisionError like C#'s DivideByZeroException)."""
    if b == 0:
        raise ZeroDivisionError("decimal division by zero")
    ctx = _WIDE.copy()
    ctx.clear_flags()
    quotient = ctx.divide(a, b)
    if not ctx.flags[Inexact]:
        exponent = quotient.as_tuple().exponent
        assert isinstance(exponent, int)
        if exponent > 0:  # C# never uses a negative scale: 10 / 0.5 is 20, not 2E+1
            quotient = quotient.quantize(Decimal(1), context=_WIDE)
    return fit(quotient)
