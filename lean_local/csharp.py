"""C# number semantics that LEAN's output depends on.

LEAN computes money in C# ``decimal`` and prints numbers with .NET's rules. Python's ``Decimal`` keeps the
scale of ``+ - *`` results exactly as C# does, so we only need the handful of operations whose rules differ:
``Math.Round`` (never adds digits), ``Normalize``, ``ToString`` of decimals and doubles, and the rounding
helpers LEAN layers on top (significant digits, SmartRounding).
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

DECIMAL_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert like C#'s ``(decimal)value``: doubles keep at most 15 significant digits."""
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
    return normalize(Decimal(format(value, ".15g")))


def round_decimal(value: Decimal, places: int = 0, *, away_from_zero: bool = False) -> Decimal:
    """``Math.Round(decimal, places)``: half-even by default; a value with fewer digits is returned as is."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent >= -places:
        return value
    rounding = ROUND_HALF_UP if away_from_zero else ROUND_HALF_EVEN
    with localcontext(DECIMAL_CONTEXT):
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


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
    """``Math.Round(double, places)`` of .NET: scale, round half to even, unscale."""
    if math.isnan(value) or math.isinf(value):
        return value
    if places == 0:
        return float(round(value))
    if abs(value) >= 1e16:
        return value
    power = 10.0**places
    return round(value * power) / power


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
    """LEAN's ``SmartRounding``: 4 decimals above 1000, otherwise 7 significant digits, normalised."""
    value = normalize(value)
    if value > 1000:
        return round_decimal(value, 4)
    return normalize(round_to_significant_digits(value, 7))
