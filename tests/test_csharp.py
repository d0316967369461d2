"""C# number semantics: exact decimal arithmetic, decimal/double conversions, TimeSpan and JSON text."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal as D

import pytest

from lean_local.csharp import (
    DECIMAL_MAX,
    TICKS_PER_DAY,
    TICKS_PER_SECOND,
    decimal_add,
    decimal_average,
    decimal_div,
    decimal_max,
    decimal_min,
    decimal_mul,
    decimal_sub,
    decimal_sum,
    decimal_to_string,
    discretely_round_by,
    double_to_string,
    json_decimal_literal,
    json_utc_datetime,
    round_double,
    safe_decimal_cast,
    ticks_from_days,
    ticks_from_seconds,
    ticks_total_days,
    timedelta_to_ticks,
    timespan_to_string,
    to_cs_decimal,
    to_decimal,
    to_double,
)


def text(value: D) -> str:
    return decimal_to_string(value)


class TestDecimalDivision:
    def test_exact_quotient_keeps_natural_scale(self) -> None:
        assert text(decimal_div(D("100000.00"), D("100000"))) == "1.00"
        assert text(decimal_div(D("10.0"), D("4"))) == "2.5"
        assert text(decimal_div(D("0.75"), D("100"))) == "0.0075"

    def test_negative_natural_scale_becomes_integer(self) -> None:
        assert text(decimal_div(D("100"), D("0.01"))) == "10000"

    def test_inexact_quotient_uses_all_96_bits_and_strips_zeros(self) -> None:
        assert text(decimal_div(D(1), D(3))) == "0.3333333333333333333333333333"
        # 29 significant digits where they fit (Python's 28-digit context would drop one)
        assert text(decimal_div(D(4), D(3))) == "1.3333333333333333333333333333"
        # at most 28 decimals for small quotients (Python would keep 28 significant digits)
        assert text(decimal_div(D("0.01"), D(3))) == "0.0033333333333333333333333333"
        assert text(decimal_div(D(1), D(4))) == "0.25"
        assert text(decimal_div(D("1.10"), D("0.4"))) == "2.75"

    def test_rounds_half_to_even(self) -> None:
        assert text(decimal_div(D(2), D(3))) == "0.6666666666666666666666666667"

    def test_divide_by_zero(self) -> None:
        with pytest.raises(ZeroDivisionError):
            decimal_div(D(1), D(0))


class TestDecimalArithmetic:
    def test_add_and_sub_keep_the_larger_scale(self) -> None:
        assert text(decimal_add(D("1.5"), D("2.25"))) == "3.75"
        assert text(decimal_add(D("0"), D("3.10"))) == "3.10"
        assert text(decimal_sub(D("1.016919200"), D(1))) == "0.016919200"

    def test_mul_keeps_sum_of_scales_until_28(self) -> None:
        assert text(decimal_mul(D("0.022"), D(100))) == "2.200"
        assert text(decimal_mul(D("1674500") * D("0.0001"), D("0.8646266"))) == "144.78172417000"
        product = decimal_mul(D("0.1234567890123456"), D("0.0012345678901234"))
        assert text(product) == "0.0001524157875323812591069074"  # 32 decimals rounded to 28

    def test_fit_to_28_decimals(self) -> None:
        assert text(to_cs_decimal(D("1E-30"))) == "0.0000000000000000000000000000"
        assert to_cs_decimal(D("12.5")) == D("12.5")

    def test_sum_average_max_min(self) -> None:
        assert text(decimal_sum([])) == "0"
        assert text(decimal_sum([D("0.5"), D("0.25")])) == "0.75"
        assert text(decimal_average([D("0.9963103"), D(0), D(0), D(0), D(0)])) == "0.19926206"
        with pytest.raises(ValueError):
            decimal_average([])
        assert text(decimal_max(D("1.0"), D("1.00"))) == "1.0"  # first wins a tie
        assert text(decimal_min(D("1.0"), D("1.00"))) == "1.00"  # second wins a tie


class TestConversions:
    def test_decimal_from_double_keeps_15_digits(self) -> None:
        assert to_decimal(0.1) == D("0.1")
        assert text(to_decimal(123456789.123456789)) == "123456789.123457"
        assert text(to_decimal(100.0)) == "100"
        assert text(to_decimal(1e20)) == "100000000000000000000"

    def test_decimal_from_double_rounds_in_double_arithmetic_like_dotnet(self) -> None:
        # exact digits 721.54003234078254...: correctly rounded would be ...783, .NET scales by 1e12 in
        # double arithmetic first (721540032340782.5) and rounds that half to even
        assert text(to_decimal(721.5400323407825)) == "721.540032340782"

    def test_decimal_from_tiny_double_is_zero_or_limited_to_28_places(self) -> None:
        assert to_decimal(1e-30) == 0
        assert text(to_decimal(1.2345678901234567e-20)) == "0.0000000000000000000123456789"

    def test_double_from_decimal(self) -> None:
        assert to_double(D("0.1")) == 0.1
        assert to_double(D("-1.0169192")) == -1.0169192
        assert to_double(D("79228162514264337593543950335")) == 7.922816251426434e28

    def test_safe_decimal_cast(self) -> None:
        assert safe_decimal_cast(8.854283) == D("8.854283")
        assert safe_decimal_cast(1e30) == DECIMAL_MAX
        assert safe_decimal_cast(-1e30) == -DECIMAL_MAX
        with pytest.raises(ValueError):
            safe_decimal_cast(math.nan)

    def test_round_double_keeps_negative_zero(self) -> None:
        assert double_to_string(round_double(-0.0004, 3)) == "-0"
        assert double_to_string(round_double(0.0004, 3)) == "0"
        assert double_to_string(round_double(-0.4)) == "-0"
        assert double_to_string(round_double(1.9704, 3)) == "1.97"

    def test_discretely_round_by(self) -> None:
        assert text(discretely_round_by(D("56676785.6117241772000"), D("1000.00"))) == "56677000.00"
        assert text(discretely_round_by(D("1500"), D("1000.00"))) == "2000.00"  # midpoint away from zero
        assert text(discretely_round_by(D("0"), D("1000.00"))) == "0.00"


class TestTimeSpan:
    def test_ticks(self) -> None:
        assert timedelta_to_ticks(timedelta(days=1, microseconds=3)) == TICKS_PER_DAY + 30
        assert ticks_total_days(timedelta_to_ticks(timedelta(days=4, hours=16))) == 4.666666666666667
        assert ticks_from_seconds(1.23456789) == 12345678  # truncated toward zero
        assert ticks_from_days(0.5) == TICKS_PER_DAY // 2
        assert ticks_from_days(ticks_total_days(5 * TICKS_PER_DAY - 1) - 1) == 4 * TICKS_PER_DAY - 1

    def test_string(self) -> None:
        assert timespan_to_string(0) == "00:00:00"
        assert timespan_to_string(TICKS_PER_DAY) == "1.00:00:00"
        assert timespan_to_string(TICKS_PER_DAY + 1) == "1.00:00:00.0000001"
        assert timespan_to_string(-3661 * TICKS_PER_SECOND) == "-01:01:01"


class TestJson:
    def test_decimal_literal(self) -> None:
        assert json_decimal_literal(D(688)) == "688.0"
        assert json_decimal_literal(D("144.78172417000")) == "144.78172417000"
        assert json_decimal_literal(D(0)) == "0.0"

    def test_utc_datetime(self) -> None:
        assert json_utc_datetime(datetime(2013, 10, 7, 13, 31)) == "2013-10-07T13:31:00Z"
        assert json_utc_datetime(datetime(2013, 10, 7, 13, 31, 0, 500000)) == "2013-10-07T13:31:00.5Z"


# --- the fast arithmetic against the straightforward reference ------------------------------------------------
# The reference below is the original digit-string implementation of the C# decimal rules (kept here, slow and
# obviously right); the library's Decimal functions and its integer CsDecimal kernel must agree with it digit
# for digit, scale and sign of zero included, and raise the same exception types.

import os  # noqa: E402
from decimal import ROUND_HALF_EVEN, Context  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lean_local.csharp import (  # noqa: E402
    CS_ZERO,
    NotACsDecimal,
    cs_abs,
    cs_add,
    cs_div,
    cs_from_decimal,
    cs_from_double,
    cs_from_int,
    cs_mul,
    cs_sub,
    cs_sum,
    cs_to_decimal,
    cs_to_double,
)

_REF_EXACT = Context(prec=120, rounding=ROUND_HALF_EVEN, Emax=999999, Emin=-999999)
_REF_LIMIT = 2**96
_REF_POWERS = tuple(float(f"1e{n}") for n in range(81))


def _ref_make(negative: bool, mantissa: int, scale: int) -> D:
    return D(f"{'-' if negative else ''}{mantissa}E-{scale}")


def _ref_decompose(value: D) -> tuple[bool, int, int]:
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise OverflowError(f"{value!r} is not a finite decimal")
    mantissa = int("".join(map(str, digits))) if digits else 0
    if exponent > 0:
        return bool(sign), mantissa * 10**exponent, 0
    return bool(sign), mantissa, -exponent


def _ref_half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient & 1):
        quotient += 1
    return quotient


def _ref_fit(negative: bool, mantissa: int, scale: int) -> D:
    drop = max(scale - 28, 0)
    fitted = _ref_half_even(mantissa, 10**drop) if drop else mantissa
    while fitted >= _REF_LIMIT:
        drop += 1
        fitted = _ref_half_even(mantissa, 10**drop)
    if scale - drop < 0:
        raise OverflowError("value was either too large or too small for a decimal")
    return _ref_make(negative, fitted, scale - drop)


def _ref_to_cs(exact: D) -> D:
    _, digits, exponent = exact.as_tuple()
    if isinstance(exponent, int) and -28 <= exponent <= 0 and len(digits) <= 28:
        return exact
    return _ref_fit(*_ref_decompose(exact))


def ref_add(left: D, right: D) -> D:
    return _ref_to_cs(_REF_EXACT.add(left, right))


def ref_sub(left: D, right: D) -> D:
    return _ref_to_cs(_REF_EXACT.subtract(left, right))


def ref_mul(left: D, right: D) -> D:
    return _ref_to_cs(_REF_EXACT.multiply(left, right))


def ref_div(left: D, right: D) -> D:
    if right == 0:
        raise ZeroDivisionError("attempted to divide by zero")
    left_negative, left_mantissa, left_scale = _ref_decompose(left)
    right_negative, right_mantissa, right_scale = _ref_decompose(right)
    negative = left_negative != right_negative
    natural = left_scale - right_scale
    start = max(natural, 0)
    numerator = left_mantissa * 10 ** (start - natural)
    if numerator % right_mantissa == 0:
        mantissa = numerator // right_mantissa
        if mantissa >= _REF_LIMIT:
            raise OverflowError("value was either too large or too small for a decimal")
        return _ref_make(negative, mantissa, start)
    for scale in range(28, start - 1, -1):
        mantissa = _ref_half_even(left_mantissa * 10 ** (scale - natural), right_mantissa)
        if mantissa < _REF_LIMIT:
            break
    else:
        raise OverflowError("value was either too large or too small for a decimal")
    while scale > 0 and mantissa % 10 == 0:
        mantissa //= 10
        scale -= 1
    return _ref_make(negative, mantissa, scale)


def ref_to_double(value: D) -> float:
    negative, mantissa, scale = _ref_decompose(_ref_to_cs(value))
    low = mantissa & 0xFFFFFFFFFFFFFFFF
    high = mantissa >> 64
    result = (float(low) + float(high) * 18446744073709551616.0) / _REF_POWERS[scale]
    return -result if negative else result


def ref_to_decimal(value: float) -> D:
    if math.isnan(value) or math.isinf(value):
        raise OverflowError(f"cannot convert {value!r} to decimal")
    if value == 0:
        return D(0)
    exponent = math.frexp(value)[1]
    if exponent < -94:
        return D(0)
    if exponent > 96:
        raise OverflowError(f"{value!r} is too large for a decimal")
    negative = value < 0
    scaled = abs(value)
    power = 14 - ((exponent * 19728) >> 16)
    if power >= 0:
        power = min(power, 28)
        scaled *= _REF_POWERS[power]
    elif power != -1 or scaled >= 1e15:
        scaled /= _REF_POWERS[-power]
    else:
        power = 0
    if scaled < 1e14 and power < 28:
        scaled *= 10
        power += 1
    mantissa = round(scaled)
    if mantissa == 0:
        return D(0)
    if power < 0:
        mantissa *= 10**-power
        power = 0
    else:
        strip = min(power, 14)
        while strip > 0 and mantissa % 10 == 0:
            mantissa //= 10
            power -= 1
            strip -= 1
    return _ref_make(negative, mantissa, power)


def _outcome(function: object, *args: object) -> tuple[str, object]:
    """A comparable result: the exact digits/exponent/sign, or the exception type."""
    try:
        result = function(*args)  # type: ignore[operator]
    except (ArithmeticError, ValueError) as error:
        return "raises", type(error)
    if isinstance(result, D):
        return "decimal", result.as_tuple()
    if isinstance(result, float):
        return "double", (math.copysign(1.0, result), abs(result)) if not math.isnan(result) else "nan"
    return "other", result


_MANTISSAS = st.one_of(
    st.integers(0, 10),
    st.integers(0, 10**6),
    st.integers(0, 10**15),
    st.integers(0, _REF_LIMIT - 1),
    st.integers(_REF_LIMIT - 10**6, _REF_LIMIT - 1),  # 29-digit mantissas just under 2**96
    st.integers(10**28 - 10**3, 10**28 + 10**3),
    st.integers(0, 29).map(lambda n: 10**n),
    st.integers(0, 29).map(lambda n: 10**n - 1),
    st.integers(1, 95).map(lambda n: 2**n),
)


@st.composite
def cs_decimals(draw: st.DrawFn) -> D:
    """Decimals a C# decimal can hold: 96-bit mantissa, 0..28 decimals, either sign (negative zero too)."""
    mantissa = draw(_MANTISSAS.filter(lambda m: m < _REF_LIMIT))
    return _ref_make(draw(st.booleans()), mantissa, draw(st.integers(0, 28)))


@st.composite
def any_decimals(draw: st.DrawFn) -> D:
    """C# decimals plus what C# cannot store: positive exponents, more than 28 decimals, 2**96 and more,
    huge and tiny exponents, NaN and infinities."""
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        return draw(cs_decimals())
    if kind == 9:
        return D(draw(st.sampled_from(["NaN", "-NaN", "Infinity", "-Infinity", "1E+999", "-1E-999"])))
    mantissa = draw(st.one_of(_MANTISSAS, st.integers(0, 2**130)))
    exponent = draw(st.one_of(st.integers(-40, 30), st.integers(-60, -29), st.integers(1, 40)))
    return D((draw(st.integers(0, 1)), tuple(int(c) for c in str(mantissa)), exponent))


# CSHARP_PROPERTY_EXAMPLES=50000 for a thorough run; the default keeps the suite quick
_EXAMPLES = int(os.environ.get("CSHARP_PROPERTY_EXAMPLES", "400"))
_PROPERTY = settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestFastArithmeticMatchesReference:
    @_PROPERTY
    @given(any_decimals(), any_decimals())
    def test_add_sub_mul_div(self, left: D, right: D) -> None:
        for fast, reference in ((decimal_add, ref_add), (decimal_sub, ref_sub), (decimal_mul, ref_mul),
                                (decimal_div, ref_div)):
            assert _outcome(fast, left, right) == _outcome(reference, left, right), (fast.__name__, left, right)

    @_PROPERTY
    @given(cs_decimals(), cs_decimals())
    def test_add_sub_mul_div_of_cs_decimals(self, left: D, right: D) -> None:
        for fast, reference in ((decimal_add, ref_add), (decimal_sub, ref_sub), (decimal_mul, ref_mul),
                                (decimal_div, ref_div)):
            assert _outcome(fast, left, right) == _outcome(reference, left, right), (fast.__name__, left, right)

    @_PROPERTY
    @given(any_decimals())
    def test_to_cs_decimal_and_to_double(self, value: D) -> None:
        assert _outcome(to_cs_decimal, value) == _outcome(_ref_to_cs, value)
        assert _outcome(to_double, value) == _outcome(ref_to_double, value)

    @_PROPERTY
    @given(st.one_of(st.floats(), st.floats(-1e-10, 1e-10), st.floats(-1e6, 1e6), st.floats(7.9e28, 8e28)))
    def test_to_decimal_from_double(self, value: float) -> None:
        assert _outcome(to_decimal, value) == _outcome(ref_to_decimal, value)

    @given(st.decimals(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True))
    @settings(max_examples=_EXAMPLES, deadline=None)
    def test_hypothesis_decimals(self, left: D, right: D) -> None:
        for fast, reference in ((decimal_add, ref_add), (decimal_sub, ref_sub), (decimal_mul, ref_mul),
                                (decimal_div, ref_div)):
            assert _outcome(fast, left, right) == _outcome(reference, left, right), (fast.__name__, left, right)

    def test_edge_cases(self) -> None:
        limit = D(_REF_LIMIT - 1)
        values = [D("-0"), D("0E-28"), D("-0E-28"), D("0E-40"), D("0E+5"), limit, -limit, D(_REF_LIMIT),
                  D("7.9228162514264337593543950335"), D("0.0000000000000000000000000001"), D("1E-29"),
                  D("1E+28"), D("1E+29"), D("4"), D("3"), D("-1"), D("0.5"), D("2.5"), D("1.5E-7")]
        for left in values:
            for right in values:
                for fast, reference in ((decimal_add, ref_add), (decimal_sub, ref_sub), (decimal_mul, ref_mul),
                                        (decimal_div, ref_div)):
                    assert _outcome(fast, left, right) == _outcome(reference, left, right), (left, right)


def _cs_outcome(function: object, *args: D) -> tuple[str, object]:
    """Like :func:`_outcome` for the CsDecimal kernel: convert, compute, convert back."""
    try:
        converted = [cs_from_decimal(arg) for arg in args]
    except NotACsDecimal:
        return "not a C# decimal", None
    try:
        result = function(*converted)  # type: ignore[operator]
    except (ArithmeticError, ValueError) as error:
        return "raises", type(error)
    if isinstance(result, float):
        return "double", (math.copysign(1.0, result), abs(result))
    return "decimal", cs_to_decimal(result).as_tuple()


class TestCsDecimalKernel:
    @_PROPERTY
    @given(cs_decimals(), cs_decimals())
    def test_operations(self, left: D, right: D) -> None:
        for kernel, reference in ((cs_add, ref_add), (cs_sub, ref_sub), (cs_mul, ref_mul), (cs_div, ref_div)):
            assert _cs_outcome(kernel, left, right) == _outcome(reference, left, right), (kernel.__name__, left,
                                                                                           right)

    @_PROPERTY
    @given(cs_decimals())
    def test_conversions(self, value: D) -> None:
        assert cs_to_decimal(cs_from_decimal(value)).as_tuple() == value.as_tuple()
        assert _cs_outcome(cs_to_double, value) == _outcome(ref_to_double, value)
        assert _cs_outcome(cs_abs, value) == _outcome(D.copy_abs, value)
        units, scale, negative = cs_from_decimal(value)
        assert units == int(_REF_EXACT.scaleb(value, 28))
        assert scale == -value.as_tuple().exponent  # type: ignore[operator]
        assert negative == value.is_signed()

    @_PROPERTY
    @given(cs_decimals(), cs_decimals())
    def test_comparisons_are_unit_comparisons(self, left: D, right: D) -> None:
        assert (cs_from_decimal(left)[0] < cs_from_decimal(right)[0]) == (left < right)
        assert (cs_from_decimal(left)[0] == cs_from_decimal(right)[0]) == (left == right)

    @_PROPERTY
    @given(any_decimals())
    def test_only_cs_decimals_convert(self, value: D) -> None:
        _, digits, exponent = value.as_tuple()
        holds = isinstance(exponent, int) and -28 <= exponent <= 0 and int("".join(map(str, digits))) < _REF_LIMIT
        if holds:
            assert cs_to_decimal(cs_from_decimal(value)).as_tuple() == value.as_tuple()
        else:
            with pytest.raises(NotACsDecimal):
                cs_from_decimal(value)

    @_PROPERTY
    @given(st.one_of(st.floats(), st.floats(-1e-10, 1e-10), st.floats(-1e6, 1e6)))
    def test_from_double(self, value: float) -> None:
        try:
            converted = cs_from_double(value)
        except NotACsDecimal:
            return
        except OverflowError:
            with pytest.raises(OverflowError):
                ref_to_decimal(value)
            return
        assert cs_to_decimal(converted).as_tuple() == ref_to_decimal(value).as_tuple()

    @_PROPERTY
    @given(st.lists(cs_decimals(), max_size=8))
    def test_sum(self, values: list[D]) -> None:
        def reference() -> D:
            total = D(0)
            for value in values:
                total = ref_add(total, value)
            return total

        def kernel() -> D:
            return cs_to_decimal(cs_sum([cs_from_decimal(value) for value in values]))

        assert _outcome(kernel) == _outcome(reference)
        assert _outcome(decimal_sum, values) == _outcome(reference)

    def test_integers_and_zero(self) -> None:
        assert cs_to_decimal(cs_from_int(-12)).as_tuple() == D(-12).as_tuple()
        assert cs_to_decimal(CS_ZERO).as_tuple() == D(0).as_tuple()
        negative_zero = cs_from_decimal(D("-0.00"))
        assert cs_to_decimal(cs_add(negative_zero, negative_zero)).as_tuple() == D("-0.00").as_tuple()
        assert cs_to_decimal(cs_sub(negative_zero, CS_ZERO)).as_tuple() == D("-0.00").as_tuple()
        assert cs_to_decimal(cs_mul(cs_from_int(-3), CS_ZERO)).as_tuple() == D("-0").as_tuple()
        assert math.copysign(1.0, cs_to_double(negative_zero)) == -1.0
