"""C# number semantics that LEAN's output depends on.

LEAN computes money in C# ``decimal`` and prints numbers with .NET's rules. Python's ``Decimal`` keeps the
scale of ``+ - *`` results exactly as C# does, so we only need the handful of operations whose rules differ:
``Math.Round`` (never adds digits), ``Normalize``, ``ToString`` of decimals and doubles, and the rounding
helpers LEAN layers on top (significant digits, SmartRounding).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Clamped,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    Underflow,
    localcontext,
)

DECIMAL_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
# Wide enough to hold any exact sum or product of two C# decimals before it is fitted back.
_EXACT_CONTEXT = Context(prec=120, rounding=ROUND_HALF_EVEN, Emax=999999, Emin=-999999)

MAX_DECIMAL_SCALE = 28
_MANTISSA_LIMIT = 2**96  # a C# decimal holds a 96-bit unsigned mantissa
DECIMAL_MAX = Decimal(_MANTISSA_LIMIT - 1)
DECIMAL_MIN = -DECIMAL_MAX
# .NET's table of double powers of ten (compile-time literals, so correctly rounded).
_DOUBLE_POWERS_OF_TEN = tuple(float(f"1e{n}") for n in range(81))

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert like C#'s ``(decimal)value``: doubles keep at most 15 significant digits.

    Doubles follow .NET's ``VarDecFromR8`` step by step: the value is scaled by a power of ten *in double
    arithmetic* to a 15-digit integer, rounded half to even, and trailing zeros are dropped. At most 28
    decimal places survive, so magnitudes below about 1e-28 become 0.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value)
    if math.isnan(value) or math.isinf(value):
        raise OverflowError(f"cannot convert {value!r} to decimal")
    if value == 0:
        return ZERO
    if isinstance(value, float) and -1e15 < value < 1e15 and value.is_integer():
        # fewer than 16 digits: the 15-digit conversion keeps the integer exactly, scale 0 (volumes, quantities)
        return Decimal(int(value))
    return _decimal_from_double(value)


def _decimal_from_double(value: float) -> Decimal:
    negative, mantissa, scale = _double_parts(value)
    return _make_decimal(negative, mantissa, scale) if mantissa else ZERO


def _double_parts(value: float) -> tuple[bool, int, int]:
    """(negative, mantissa, scale) of a finite non-zero double converted to decimal; mantissa 0 means ``0m``."""
    exponent = math.frexp(value)[1]  # == biased IEEE exponent - 1022 for normal numbers
    if exponent < -94:
        return False, 0, 0
    if exponent > 96:
        raise OverflowError(f"{value!r} is too large for a decimal")
    negative = value < 0
    scaled = abs(value)
    power = 14 - ((exponent * 19728) >> 16)
    if power >= 0:
        power = min(power, MAX_DECIMAL_SCALE)
        scaled *= _DOUBLE_POWERS_OF_TEN[power]
    elif power != -1 or scaled >= 1e15:
        scaled /= _DOUBLE_POWERS_OF_TEN[-power]
    else:
        power = 0
    if scaled < 1e14 and power < MAX_DECIMAL_SCALE:
        scaled *= 10
        power += 1
    mantissa = round(scaled)  # half to even, like Math.Round(double)
    if mantissa == 0:
        return False, 0, 0
    if power < 0:
        mantissa *= 10**-power
        power = 0
    else:
        strip = min(power, 14)
        while strip > 0 and mantissa % 10 == 0:
            mantissa //= 10
            power -= 1
            strip -= 1
    return negative, mantissa, power


# round_decimal's quantize runs in a private copy of DECIMAL_CONTEXT (what ``localcontext(DECIMAL_CONTEXT)`` gave it)
_ROUND_CONTEXT = DECIMAL_CONTEXT.copy()
_ROUND_QUANTA = tuple(Decimal(1).scaleb(-places, context=_ROUND_CONTEXT) for places in range(MAX_DECIMAL_SCALE + 1))


def _exponent(value: Decimal) -> int:
    """``value.as_tuple().exponent`` of a finite Decimal, read from its plain string form when it has one."""
    text = str(value)
    if "E" in text or not value.is_finite():
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        return exponent
    dot = text.find(".")
    return 0 if dot < 0 else dot + 1 - len(text)


def round_decimal(value: Decimal, places: int = 0, *, away_from_zero: bool = False) -> Decimal:
    """``Math.Round(decimal, places)``: half-even by default; a value with fewer digits is returned as is."""
    if _exponent(value) >= -places:
        return value
    rounding = ROUND_HALF_UP if away_from_zero else ROUND_HALF_EVEN
    quantum = _ROUND_QUANTA[places] if 0 <= places <= MAX_DECIMAL_SCALE else Decimal(1).scaleb(-places, context=_ROUND_CONTEXT)
    return value.quantize(quantum, rounding=rounding, context=_ROUND_CONTEXT)


def normalize(value: Decimal) -> Decimal:
    """``decimal.Normalize()`` of .NET: drop trailing zeros but never use a positive exponent."""
    if value == 0:
        return ZERO
    result = value.normalize(DECIMAL_CONTEXT)
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0:
        result = result.quantize(ONE)
    return result


def decimal_to_string(value: Decimal) -> str:
    """``decimal.ToString(CultureInfo.InvariantCulture)``: plain digits with the value's own scale."""
    if value == 0 and value.as_tuple().exponent == 0:
        return "0"
    text = format(value, "f")
    if text.startswith("-") and value == 0:
        text = text[1:]
    return text


def decimal_to_fixed(value: Decimal, decimals: int) -> str:
    """``decimal.ToString("0.00")``-style formats: always ``decimals`` places, midpoints away from zero."""
    with localcontext(DECIMAL_CONTEXT):
        quantized = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(quantized, "f")
    if text.startswith("-") and quantized == 0:
        text = text[1:]
    return text


def round_double(value: float, places: int = 0) -> float:
    """``Math.Round(double, places)`` of .NET: scale, round half to even, unscale; keeps the sign of zero."""
    if math.isnan(value) or math.isinf(value):
        return value
    if places == 0:
        result = float(round(value))
    elif abs(value) >= 1e16:
        return value
    else:
        power = 10.0**places
        result = round(value * power) / power
    if result == 0:
        return math.copysign(0.0, value)
    return result


def double_to_string(value: float) -> str:
    """``double.ToString()`` of .NET Core 3+: shortest round-trip digits, exponent form below 1e-4 and from 1e15."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest_digits(abs(value))
    # exponent: position of the decimal point relative to the first digit (value = 0.d1d2... * 10**exponent)
    scientific_exponent = exponent - 1
    if scientific_exponent < -4 or scientific_exponent >= 15:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if scientific_exponent < 0 else "+"
        return f"{sign}{mantissa}E{exp_sign}{abs(scientific_exponent):02d}"
    if exponent <= 0:
        return f"{sign}0.{'0' * (-exponent)}{digits}"
    if exponent >= len(digits):
        return f"{sign}{digits}{'0' * (exponent - len(digits))}"
    return f"{sign}{digits[:exponent]}.{digits[exponent:]}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip significant digits of a positive float and its decimal-point position."""
    text = repr(value)
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text) if exp_text else 0
    int_part, _, frac_part = mantissa.partition(".")
    if frac_part == "0":
        frac_part = ""
    all_digits = int_part + frac_part
    point = len(int_part) + exp
    stripped = all_digits.lstrip("0")
    point -= len(all_digits) - len(stripped)
    stripped = stripped.rstrip("0") or "0"
    return stripped, point


def round_to_significant_digits(value: Decimal, digits: int) -> Decimal:
    """LEAN's ``RoundToSignificantDigits``: computed through a power of ten obtained as a double."""
    if value == 0:
        return ZERO
    power = math.floor(math.log10(float(abs(value)))) + 1
    scale = to_decimal(10.0**power)
    with localcontext(DECIMAL_CONTEXT):
        return scale * round_decimal(value / scale, digits)


def smart_rounding(value: Decimal) -> Decimal:
    """LEAN's ``SmartRounding``: 4 decimals above 1000, otherwise 7 significant digits, normalised.

    The result depends on the numeric value only (the first step normalises), so it is memoised by value: charts
    sample the same values day after day (sales volumes between fills, a flat equity curve).
    """
    if not value.is_finite():
        return _smart_rounding(value)
    found = _SMART_ROUNDED.get(value)
    if found is None:
        if len(_SMART_ROUNDED) >= 65_536:
            _SMART_ROUNDED.clear()
        found = _SMART_ROUNDED[value] = _smart_rounding(value)
    return found


_SMART_ROUNDED: dict[Decimal, Decimal] = {}


def _smart_rounding(value: Decimal) -> Decimal:
    value = normalize(value)
    if value > 1000:
        return round_decimal(value, 4)
    return normalize(round_to_significant_digits(value, 7))


# --- exact C# decimal arithmetic ----------------------------------------------------------------------------
# Python's Decimal keeps 28 *significant* digits; a C# decimal keeps a 96-bit mantissa with at most 28 decimal
# places, and its division picks the result scale by its own rules. These helpers reproduce the C# results
# bit for bit where the two differ (long quotients, products with more than 28 decimals, very small values).
#
# Speed: + - * run in a context that traps any rounding, so the common case is one C-level operation plus a
# check that the result fits; only results needing C#'s rounding take the wide exact context. Decimals are
# taken apart through their plain string form (no digit tuples), and division works on integers. The
# statistics, which need hundreds of thousands of operations, use the CsDecimal functions further down.


_POWERS_OF_TEN = tuple(10**n for n in range(128))
_TWO_POW_64 = 2**64
# Decimal("1E-n") and Decimal("-1E-n"): multiplying an integer Decimal by them sets the scale exactly.
_SCALE_FACTORS = tuple(Decimal(f"1E-{n}") for n in range(100))
_NEGATIVE_SCALE_FACTORS = tuple(Decimal(f"-1E-{n}") for n in range(100))
_MAX_FAST_MANTISSA = 10**90  # well inside _EXACT_CONTEXT's 120 digits
# Rounds nothing: any result that would need rounding (or is exceptional) raises, and the caller falls back to
# _EXACT_CONTEXT. A result computed here is therefore the exact result, digit for digit.
_TRAPPING_CONTEXT = Context(
    prec=29,
    rounding=ROUND_HALF_EVEN,
    Emax=999999,
    Emin=-999999,
    traps=[Rounded, Inexact, InvalidOperation, DivisionByZero, Overflow, Underflow, Subnormal, Clamped],
)
_TRAPPING_ADD = _TRAPPING_CONTEXT.add
_TRAPPING_SUB = _TRAPPING_CONTEXT.subtract
_TRAPPING_MUL = _TRAPPING_CONTEXT.multiply
_EXACT_MUL = _EXACT_CONTEXT.multiply


def _make_decimal(negative: bool, mantissa: int, scale: int) -> Decimal:
    """The Decimal with exactly this sign, coefficient and ``-scale`` exponent (``scale >= 0``)."""
    if scale < 100 and mantissa < _MAX_FAST_MANTISSA:
        factors = _NEGATIVE_SCALE_FACTORS if negative else _SCALE_FACTORS
        return _EXACT_MUL(Decimal(mantissa), factors[scale])  # exact: coefficient kept, exponent -scale
    return Decimal(f"{'-' if negative else ''}{mantissa}E-{scale}")


def _decompose(value: Decimal) -> tuple[bool, int, int]:
    """(negative, mantissa, scale >= 0) of a finite Decimal, the way C# stores it (a positive exponent is
    multiplied into the mantissa)."""
    text = str(value)
    if "E" in text or not value.is_finite():
        return _decompose_tuple(value)
    # plain notation: "[-]digits[.digits]" with exactly `scale` digits after the point
    dot = text.find(".")
    if dot < 0:
        mantissa = int(text)
        scale = 0
    else:
        mantissa = int(text.replace(".", ""))
        scale = len(text) - dot - 1
    if text[0] == "-":
        return True, -mantissa, scale
    return False, mantissa, scale


def _decompose_tuple(value: Decimal) -> tuple[bool, int, int]:
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise OverflowError(f"{value!r} is not a finite decimal")
    mantissa = int("".join(map(str, digits))) if digits else 0
    if exponent > 0:
        return bool(sign), mantissa * 10**exponent, 0
    return bool(sign), mantissa, -exponent


def _divide_half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient & 1):
        quotient += 1
    return quotient


def _fit_parts(negative: bool, mantissa: int, scale: int) -> tuple[bool, int, int]:
    """Round an exact value to what a C# decimal can hold: scale <= 28, mantissa < 2**96, half to even."""
    if scale <= MAX_DECIMAL_SCALE and mantissa < _MANTISSA_LIMIT:
        return negative, mantissa, scale
    drop = max(scale - MAX_DECIMAL_SCALE, 0)
    fitted = _divide_half_even(mantissa, 10**drop) if drop else mantissa
    while fitted >= _MANTISSA_LIMIT:
        drop += 1
        fitted = _divide_half_even(mantissa, 10**drop)
    if scale - drop < 0:
        raise OverflowError("value was either too large or too small for a decimal")
    return negative, fitted, scale - drop


def _fit(negative: bool, mantissa: int, scale: int) -> Decimal:
    """Round an exact value to what a C# decimal can hold: scale <= 28, mantissa < 2**96, half to even."""
    return _make_decimal(*_fit_parts(negative, mantissa, scale))


def to_cs_decimal(value: Decimal) -> Decimal:
    """The value a C# decimal would store for ``value`` (at most 28 decimals, 96-bit mantissa)."""
    return _to_cs(value)


def _to_cs(exact: Decimal) -> Decimal:
    """``exact`` as C# stores it; values that already fit (the common case) are returned untouched."""
    text = str(exact)
    if "E" not in text and exact.is_finite():  # plain notation: exponent <= 0
        dot = text.find(".")
        if dot < 0 or len(text) - dot <= MAX_DECIMAL_SCALE + 1:  # at most 28 decimals
            if len(text) <= MAX_DECIMAL_SCALE or abs(int(text.replace(".", ""))) < _MANTISSA_LIMIT:
                return exact
    return _fit(*_decompose(exact))


def decimal_add(left: Decimal, right: Decimal) -> Decimal:
    """C# ``left + right``: exact at the larger scale, rounded half to even only if it does not fit."""
    try:
        exact = _TRAPPING_ADD(left, right)
    except ArithmeticError:  # more than 29 digits (or not finite): compute it with room to spare
        exact = _EXACT_CONTEXT.add(left, right)
    return _to_cs(exact)


def decimal_sub(left: Decimal, right: Decimal) -> Decimal:
    """C# ``left - right``."""
    try:
        exact = _TRAPPING_SUB(left, right)
    except ArithmeticError:
        exact = _EXACT_CONTEXT.subtract(left, right)
    return _to_cs(exact)


def decimal_mul(left: Decimal, right: Decimal) -> Decimal:
    """C# ``left * right``: scale is the sum of scales, reduced (half to even) only if it does not fit."""
    try:
        exact = _TRAPPING_MUL(left, right)
    except ArithmeticError:
        exact = _EXACT_CONTEXT.multiply(left, right)
    return _to_cs(exact)


def decimal_div(left: Decimal, right: Decimal) -> Decimal:
    """C# ``left / right`` (``VarDecDiv``).

    Exact quotients keep the natural scale (left scale - right scale, at least 0). Otherwise the quotient is
    carried to as many decimals as fit (at most 28, mantissa below 2**96), rounded half to even, and its
    trailing zeros are removed.
    """
    if right == 0:
        raise ZeroDivisionError("attempted to divide by zero")
    left_negative, left_mantissa, left_scale = _decompose(left)
    right_negative, right_mantissa, right_scale = _decompose(right)
    mantissa, scale = _divide_parts(left_mantissa, left_scale, right_mantissa, right_scale)
    return _make_decimal(left_negative != right_negative, mantissa, scale)


def _divide_parts(left_mantissa: int, left_scale: int, right_mantissa: int, right_scale: int) -> tuple[int, int]:
    """Mantissa and scale of the C# quotient of two unsigned decimals (``right_mantissa > 0``)."""
    natural = left_scale - right_scale
    start = max(natural, 0)
    quotient, remainder = divmod(left_mantissa * 10 ** (start - natural), right_mantissa)
    if not remainder:
        if quotient >= _MANTISSA_LIMIT:
            raise OverflowError("value was either too large or too small for a decimal")
        return quotient, start
    if start > MAX_DECIMAL_SCALE:
        raise OverflowError("value was either too large or too small for a decimal")
    # The largest scale <= 28 whose rounded mantissa stays below 2**96. If the mantissa at scale 28 has D > 28
    # digits, every scale above 57 - D leaves at least 30 digits (>= 10**29 > 2**96), so the search starts there.
    scale = MAX_DECIMAL_SCALE
    mantissa = _divide_half_even(left_mantissa * 10 ** (scale - natural), right_mantissa)
    if mantissa >= _MANTISSA_LIMIT:
        scale = min(57 - len(str(mantissa)), MAX_DECIMAL_SCALE - 1)
        while True:
            if scale < start:
                raise OverflowError("value was either too large or too small for a decimal")
            mantissa = _divide_half_even(left_mantissa * 10 ** (scale - natural), right_mantissa)
            if mantissa < _MANTISSA_LIMIT:
                break
            scale -= 1
    while scale > 0 and mantissa % 10 == 0:
        mantissa //= 10
        scale -= 1
    return mantissa, scale


# --- CsDecimal: the same arithmetic on plain integers --------------------------------------------------------
# Hot loops (the statistics) convert their decimals once and compute on tuples of ints. A C# decimal has at most
# 28 decimals, so value * 10**28 is an integer ("units"); additions and comparisons are then single int
# operations, and the scale and sign are carried along for the C# result rules. Every function here returns what
# the Decimal function of the same name returns, converted: ``cs_to_decimal(cs_add(cs_from_decimal(a),
# cs_from_decimal(b))) == decimal_add(a, b)`` with the same digits, scale and sign.

CsDecimal = tuple[int, int, bool]
"""(units, scale, negative): ``units = value * 10**28`` (exact), ``0 <= scale <= 28`` decimals carried,
``negative`` the sign bit (which zero has too). Only values a C# decimal can hold (mantissa < 2**96)."""

_UNITS_PER_ONE = 10**MAX_DECIMAL_SCALE
_UNITS_PER_STEP = tuple(10 ** (MAX_DECIMAL_SCALE - scale) for scale in range(MAX_DECIMAL_SCALE + 1))
_UNIT_LIMITS = tuple(_MANTISSA_LIMIT * step for step in _UNITS_PER_STEP)

CS_ZERO: CsDecimal = (0, 0, False)
CS_ONE: CsDecimal = (_UNITS_PER_ONE, 0, False)


class NotACsDecimal(Exception):
    """A Decimal that is not a C# decimal as it stands (more than 28 decimals, a positive exponent, a mantissa
    of 2**96 or more, NaN or infinity): the Decimal functions handle it; :class:`CsDecimal` code should fall
    back to them."""


def cs_from_decimal(value: Decimal) -> CsDecimal:
    """``value`` as a :data:`CsDecimal`; raises :class:`NotACsDecimal` if it is not a C# decimal as is."""
    text = str(value)
    if "E" in text or not value.is_finite():
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or exponent > 0:
            raise NotACsDecimal(text)
        negative, mantissa, scale = _decompose_tuple(value)
        signed = -mantissa if negative else mantissa
    else:
        dot = text.find(".")
        if dot < 0:
            signed = int(text)
            scale = 0
        else:
            signed = int(text.replace(".", ""))
            scale = len(text) - dot - 1
        negative = text[0] == "-"
    if scale > MAX_DECIMAL_SCALE or not -_MANTISSA_LIMIT < signed < _MANTISSA_LIMIT:
        raise NotACsDecimal(text)
    return signed * _UNITS_PER_STEP[scale], scale, negative


def cs_from_int(value: int) -> CsDecimal:
    """``(decimal)value`` of an integer (``|value| < 2**96``)."""
    return value * _UNITS_PER_ONE, 0, value < 0


def cs_to_decimal(value: CsDecimal) -> Decimal:
    """The Decimal with the value, scale and sign of ``value``."""
    units, scale, negative = value
    return _make_decimal(negative, (-units if units < 0 else units) // _UNITS_PER_STEP[scale], scale)


def cs_from_double(value: float) -> CsDecimal:
    """:func:`to_decimal` of a double, as a :data:`CsDecimal`."""
    if math.isnan(value) or math.isinf(value):
        raise OverflowError(f"cannot convert {value!r} to decimal")
    if value == 0:
        return CS_ZERO
    negative, mantissa, scale = _double_parts(value)
    if not mantissa:
        return CS_ZERO
    if mantissa >= _MANTISSA_LIMIT:
        raise NotACsDecimal(repr(value))
    units = mantissa * _UNITS_PER_STEP[scale]
    return (-units if negative else units), scale, negative


def cs_to_double(value: CsDecimal) -> float:
    """:func:`to_double`: C#'s ``(double)decimal``."""
    units, scale, negative = value
    return _double_from_parts(negative, (-units if units < 0 else units) // _UNITS_PER_STEP[scale], scale)


def cs_abs(value: CsDecimal) -> CsDecimal:
    """``Math.Abs`` / ``Decimal.copy_abs``: the sign bit cleared."""
    units, scale, _ = value
    return (-units if units < 0 else units), scale, False


def _cs_fit(negative: bool, mantissa: int, scale: int) -> CsDecimal:
    negative, mantissa, scale = _fit_parts(negative, mantissa, scale)
    units = mantissa * _UNITS_PER_STEP[scale]
    return (-units if negative else units), scale, negative


def _cs_round_units(units: int, scale: int) -> CsDecimal:
    """:func:`_fit_parts` for an exact non-zero sum at ``scale <= 28`` whose mantissa has 2**96 or more: the
    largest smaller scale it fits at, rounded half to even from the exact value."""
    negative = units < 0
    magnitude = -units if negative else units
    while True:
        scale -= 1
        if scale < 0:
            raise OverflowError("value was either too large or too small for a decimal")
        step = _UNITS_PER_STEP[scale]
        mantissa, remainder = divmod(magnitude, step)
        twice = 2 * remainder
        if twice > step or (twice == step and mantissa & 1):
            mantissa += 1
        if mantissa < _MANTISSA_LIMIT:
            units = mantissa * step
            return (-units if negative else units), scale, negative


def cs_add(left: CsDecimal, right: CsDecimal) -> CsDecimal:
    """:func:`decimal_add`."""
    left_units, left_scale, left_negative = left
    right_units, right_scale, right_negative = right
    units = left_units + right_units
    scale = left_scale if left_scale > right_scale else right_scale
    if units:
        limit = _UNIT_LIMITS[scale]
        if -limit < units < limit:
            return units, scale, units < 0
        return _cs_round_units(units, scale)
    return 0, scale, left_negative and right_negative  # an exact zero sum is -0 only from -0 + -0


def cs_sum(values: Sequence[CsDecimal]) -> CsDecimal:
    """:func:`decimal_sum`: ``0m + v1 + v2 + ...`` in order."""
    if not values:
        return CS_ZERO
    scale = max(scale for _, scale, _ in values)
    if sum(-units if units < 0 else units for units, _, _ in values) < _UNIT_LIMITS[scale]:
        # every partial sum fits (at its scale, which is at most the last one), so nothing is rounded: the
        # result is the exact sum at the largest scale, and a zero sum is +0 (the sum starts from +0)
        units = sum(units for units, _, _ in values)
        return units, scale, units < 0
    total = CS_ZERO
    for value in values:
        total = cs_add(total, value)
    return total


def cs_sub(left: CsDecimal, right: CsDecimal) -> CsDecimal:
    """:func:`decimal_sub`."""
    left_units, left_scale, left_negative = left
    right_units, right_scale, right_negative = right
    units = left_units - right_units
    scale = left_scale if left_scale > right_scale else right_scale
    if units:
        limit = _UNIT_LIMITS[scale]
        if -limit < units < limit:
            return units, scale, units < 0
        return _cs_round_units(units, scale)
    return 0, scale, left_negative and not right_negative


def cs_mul(left: CsDecimal, right: CsDecimal) -> CsDecimal:
    """:func:`decimal_mul`."""
    left_units, left_scale, left_negative = left
    right_units, right_scale, right_negative = right
    negative = left_negative != right_negative
    scale = left_scale + right_scale
    product = left_units * right_units  # = mantissa product * 10**(56 - scale)
    if scale <= MAX_DECIMAL_SCALE:
        units = product // _UNITS_PER_ONE  # exact
        limit = _UNIT_LIMITS[scale]
        if -limit < units < limit:
            return units, scale, negative
    return _cs_fit(negative, (-product if product < 0 else product) // _POWERS_OF_TEN[56 - scale], scale)


def cs_div(left: CsDecimal, right: CsDecimal) -> CsDecimal:
    """:func:`decimal_div`."""
    left_units, left_scale, left_negative = left
    right_units, right_scale, right_negative = right
    if not right_units:
        raise ZeroDivisionError("attempted to divide by zero")
    negative = left_negative != right_negative
    # the quotient's mantissa at scale s is numerator * 10**s / denominator, whatever the operands' scales
    numerator = -left_units if left_units < 0 else left_units
    denominator = -right_units if right_units < 0 else right_units
    natural = left_scale - right_scale
    start = natural if natural > 0 else 0
    mantissa, remainder = divmod(numerator * _UNITS_PER_ONE, denominator)  # at scale 28
    if not remainder:
        exact, rest = divmod(mantissa, _UNITS_PER_STEP[start])
        if not rest:  # exact at the natural scale
            if exact >= _MANTISSA_LIMIT:
                raise OverflowError("value was either too large or too small for a decimal")
            units = exact * _UNITS_PER_STEP[start]
            return (-units if negative else units), start, negative
    else:
        twice = 2 * remainder
        if twice > denominator or (twice == denominator and mantissa & 1):
            mantissa += 1
    scale = MAX_DECIMAL_SCALE
    if mantissa >= _MANTISSA_LIMIT:  # see _divide_parts
        scale = min(57 - len(str(mantissa)), MAX_DECIMAL_SCALE - 1)
        while True:
            if scale < start:
                raise OverflowError("value was either too large or too small for a decimal")
            mantissa = _divide_half_even(numerator * _POWERS_OF_TEN[scale], denominator)
            if mantissa < _MANTISSA_LIMIT:
                break
            scale -= 1
    while scale > 0 and mantissa % 10 == 0:
        mantissa //= 10
        scale -= 1
    units = mantissa * _UNITS_PER_STEP[scale]
    return (-units if negative else units), scale, negative


def decimal_sum(values: Iterable[Decimal]) -> Decimal:
    """LINQ ``Sum()`` over decimals: starts from ``0m`` and adds with C# semantics."""
    total = ZERO
    for value in values:
        total = decimal_add(total, value)
    return total


def decimal_average(values: Iterable[Decimal]) -> Decimal:
    """LINQ ``Average()`` over decimals: C# sum divided by the count; raises on an empty sequence."""
    items = list(values)
    if not items:
        raise ValueError("sequence contains no elements")
    return decimal_div(decimal_sum(items), Decimal(len(items)))


def decimal_max(first: Decimal, second: Decimal) -> Decimal:
    """``Math.Max(decimal, decimal)``: the first argument wins a tie (which decides the printed scale)."""
    return first if first >= second else second


def decimal_min(first: Decimal, second: Decimal) -> Decimal:
    """``Math.Min(decimal, decimal)``: the second argument wins a tie."""
    return first if first < second else second


def to_double(value: Decimal) -> float:
    """C#'s ``(double)decimal`` (``VarR8FromDec``): mantissa as a double divided by a double power of ten.

    This is not always the correctly rounded double (Python's ``float(Decimal)``): two roundings happen.
    """
    negative, mantissa, scale = _decompose(value)
    if scale > MAX_DECIMAL_SCALE or mantissa >= _MANTISSA_LIMIT:
        negative, mantissa, scale = _fit_parts(negative, mantissa, scale)
    return _double_from_parts(negative, mantissa, scale)


def _double_from_parts(negative: bool, mantissa: int, scale: int) -> float:
    if mantissa < _TWO_POW_64:
        result = float(mantissa) / _DOUBLE_POWERS_OF_TEN[scale]
    else:
        low = mantissa & 0xFFFFFFFFFFFFFFFF
        high = mantissa >> 64
        result = (float(low) + float(high) * 18446744073709551616.0) / _DOUBLE_POWERS_OF_TEN[scale]
    return -result if negative else result


def safe_decimal_cast(value: float) -> Decimal:
    """LEAN's ``SafeDecimalCast``: NaN/infinity raise ``ValueError``; out-of-range values clamp to decimal limits."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"cannot cast non-finite floating point value {value!r} to decimal")
    if value <= float(DECIMAL_MIN):
        return DECIMAL_MIN
    if value >= float(DECIMAL_MAX):
        return DECIMAL_MAX
    return to_decimal(value)


def discretely_round_by(value: Decimal, quanta: Decimal, *, away_from_zero: bool = True) -> Decimal:
    """LEAN's ``DiscretelyRoundBy``: ``quanta * Math.Round(value / quanta, mode)`` (away from zero by default)."""
    if quanta == 0:
        return value
    return decimal_mul(quanta, round_decimal(decimal_div(value, quanta), 0, away_from_zero=away_from_zero))


# --- TimeSpan and JSON ----------------------------------------------------------------------------------------

TICKS_PER_MICROSECOND = 10
TICKS_PER_SECOND = 10_000_000
TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND


def timedelta_to_ticks(delta: timedelta) -> int:
    """A Python timedelta as .NET ticks (100 ns units)."""
    return (delta.days * 86_400 + delta.seconds) * TICKS_PER_SECOND + delta.microseconds * TICKS_PER_MICROSECOND


def ticks_total_days(ticks: int) -> float:
    """``TimeSpan.TotalDays``: ``(double)ticks / TicksPerDay``."""
    return float(ticks) / float(TICKS_PER_DAY)


def ticks_total_minutes(ticks: int) -> float:
    """``TimeSpan.TotalMinutes``."""
    return float(ticks) / float(TICKS_PER_MINUTE)


def ticks_total_seconds(ticks: int) -> float:
    """``TimeSpan.TotalSeconds``."""
    return float(ticks) / float(TICKS_PER_SECOND)


def ticks_from_seconds(seconds: float) -> int:
    """``TimeSpan.FromSeconds(double).Ticks`` of .NET Core 3+: ``seconds * 1e7`` truncated toward zero."""
    return int(seconds * float(TICKS_PER_SECOND))


def ticks_from_days(days: float) -> int:
    """``TimeSpan.FromDays(double).Ticks``: ``days * TicksPerDay`` truncated toward zero."""
    return int(days * float(TICKS_PER_DAY))


def timespan_to_string(ticks: int) -> str:
    """``TimeSpan.ToString()`` ("c" format): ``[-][d.]hh:mm:ss[.fffffff]``."""
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    days, rest = divmod(ticks, TICKS_PER_DAY)
    hours, rest = divmod(rest, 3600 * TICKS_PER_SECOND)
    minutes, rest = divmod(rest, TICKS_PER_MINUTE)
    seconds, fraction = divmod(rest, TICKS_PER_SECOND)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if days:
        text = f"{days}.{text}"
    if fraction:
        text = f"{text}.{fraction:07d}"
    return sign + text


def json_decimal_literal(value: Decimal) -> str:
    """How Newtonsoft writes a C# decimal as a JSON number: its invariant string, with ".0" if it has no point."""
    text = decimal_to_string(value)
    if "." not in text:
        text += ".0"
    return text


def json_utc_datetime(utc: datetime) -> str:
    """How Newtonsoft writes a UTC ``DateTime`` (ISO 8601, ``.FFFFFFF`` fraction trimmed, ``Z``)."""
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += ("." + f"{utc.microsecond:06d}").rstrip("0")
    return text + "Z"
