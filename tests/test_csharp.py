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
