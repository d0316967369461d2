"""Sample moments and the normal distribution as MathNet.Numerics computes them."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest
from scipy import stats as scipy_stats

from lean_local.statistics.mathnet import (
    covariance,
    is_nan_or_zero,
    kurtosis,
    linq_average,
    math_pow,
    math_sqrt,
    normal_cdf,
    normal_inv_cdf,
    skewness,
    standard_deviation,
    streaming_mean,
    variance,
)
from lean_local.statistics.portfolio_statistics import probabilistic_sharpe_ratio

RETURNS = [-0.0115428, 0.000541744, 0.02207916, 0.006239327, -0.003, 0.0101]


def exact_moments(values: list[float]) -> tuple[Fraction, Fraction, Fraction]:
    xs = [Fraction(v) for v in values]
    n = len(xs)
    mean = sum(xs, Fraction(0)) / n
    deviations = [x - mean for x in xs]
    m2 = sum((d * d for d in deviations), Fraction(0))
    m3 = sum((d * d * d for d in deviations), Fraction(0))
    m4 = sum((d * d * d * d for d in deviations), Fraction(0))
    return m2, m3, m4


def test_variance_and_standard_deviation_are_unbiased() -> None:
    assert variance([1.0, 2.0, 3.0, 4.0]) == 1.6666666666666667
    m2, _, _ = exact_moments(RETURNS)
    assert variance(RETURNS) == pytest.approx(float(m2 / (len(RETURNS) - 1)), rel=1e-14)
    assert standard_deviation(RETURNS) == math.sqrt(variance(RETURNS))
    assert math.isnan(variance([1.0]))
    assert math.isnan(standard_deviation([]))


def test_skewness_is_adjusted_fisher_pearson() -> None:
    n = len(RETURNS)
    m2, m3, _ = exact_moments(RETURNS)
    g1 = (m3 / n) / float(m2 / n) ** 1.5
    expected = math.sqrt(n * (n - 1)) / (n - 2) * float(g1)
    assert skewness(RETURNS) == pytest.approx(expected, rel=1e-12)
    assert skewness(RETURNS) == pytest.approx(scipy_stats.skew(RETURNS, bias=False), rel=1e-12)
    assert math.isnan(skewness([1.0, 2.0]))


def test_kurtosis_is_unbiased_excess_kurtosis() -> None:
    n = len(RETURNS)
    m2, _, m4 = exact_moments(RETURNS)
    g2 = float(n * m4 / (m2 * m2)) - 3
    expected = (n + 1) * (n - 1) / ((n - 2) * (n - 3)) * (g2 + 6 / (n + 1))
    assert kurtosis(RETURNS) == pytest.approx(expected, rel=1e-12)
    assert kurtosis(RETURNS) == pytest.approx(scipy_stats.kurtosis(RETURNS, fisher=True, bias=False), rel=1e-12)
    assert math.isnan(kurtosis([1.0, 2.0, 3.0]))


def test_covariance() -> None:
    assert covariance([1.0, 2.0, 3.0], [2.0, 4.0, 7.0]) == 2.5
    assert math.isnan(covariance([1.0], [2.0]))
    with pytest.raises(ValueError):
        covariance([1.0, 2.0], [1.0])


def test_means() -> None:
    assert linq_average([0.1, 0.2, 0.3]) == (0.1 + 0.2 + 0.3) / 3
    assert streaming_mean([0.1, 0.2, 0.3]) == pytest.approx(0.2)
    assert math.isnan(streaming_mean([]))
    with pytest.raises(ValueError):
        linq_average([])


def test_normal_distribution() -> None:
    assert normal_cdf(0.0) == 0.5
    assert normal_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-15)
    assert normal_inv_cdf(0.0, 1.0, 0.975) == pytest.approx(1.959963984540054, rel=1e-14)
    assert normal_inv_cdf(0.001, 0.0, 0.01) == 0.001
    assert normal_inv_cdf(0.001, 0.01, 1 - 0.99) == pytest.approx(0.001 - 0.01 * 2.3263478740408408, rel=1e-12)


def test_ieee_helpers() -> None:
    assert math.isnan(math_sqrt(-1.0))
    assert math.isnan(math_pow(-8.0, 1 / 3))
    assert math_pow(10.0, 400.0) == math.inf
    assert is_nan_or_zero(0.0) and is_nan_or_zero(math.nan) and not is_nan_or_zero(5e-324)


def test_probabilistic_sharpe_ratio_formula() -> None:
    rf_daily = 0.0075 / 252
    n = len(RETURNS)
    sr = (linq_average(RETURNS) - rf_daily) / standard_deviation(RETURNS)
    skew, kurt = skewness(RETURNS), kurtosis(RETURNS)
    benchmark = 1 / math.sqrt(252)
    sigma = math.sqrt((1 - skew * sr + (kurt - 1) / 4 * sr**2) / (n - 1))
    expected = 0.5 * math.erfc(-(sr - benchmark) / sigma / math.sqrt(2))
    assert probabilistic_sharpe_ratio(RETURNS, benchmark, rf_daily) == pytest.approx(expected, rel=1e-12)
    # fewer than four returns: kurtosis undefined, PSR 0
    assert probabilistic_sharpe_ratio(RETURNS[:3], benchmark, rf_daily) == 0.0
