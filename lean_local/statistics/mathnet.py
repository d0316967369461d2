"""Sample statistics of doubles with the exact floating-point operation order LEAN's results depend on.

LEAN calls two libraries for these numbers, and the order of each addition and division shows in the last
bits of the results:

* ``System.Linq.Enumerable.Average`` (plain sum, then one division): :func:`linq_average`.
* MathNet.Numerics 5.0 ``Statistics`` extension methods on ``List<double>`` (not an array, so MathNet uses
  its streaming algorithms): :func:`streaming_mean`, :func:`variance`, :func:`standard_deviation`,
  :func:`covariance`; and ``RunningStatistics`` for :func:`skewness` and :func:`kurtosis`.

The formulas follow MathNet's public documentation: variance and covariance are unbiased (``n - 1``
normaliser); skewness is the adjusted Fisher-Pearson coefficient ``G1 = sqrt(n(n-1))/(n-2) * g1``; kurtosis is
the unbiased *excess* kurtosis ``G2 = (n+1)(n-1)/((n-2)(n-3)) * (g2 + 6/(n+1))`` where ``g2 = n*M4/M2^2 - 3``.
Undefined results (too few samples) are NaN, as in MathNet.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from statistics import NormalDist

SQRT2 = 1.4142135623730951
_STANDARD_NORMAL = NormalDist()


def linq_average(values: Sequence[float]) -> float:
    """``Enumerable.Average()`` over doubles: left-to-right sum divided by the count. Raises on empty input."""
    if not values:
        raise ValueError("sequence contains no elements")
    total = 0.0
    for value in values:
        total += value
    return total / len(values)


def streaming_mean(values: Iterable[float]) -> float:
    """MathNet ``Mean`` of a non-array sequence: running update ``mean += (x - mean) / k``. NaN if empty."""
    mean = 0.0
    count = 0
    for value in values:
        count += 1
        mean += (value - mean) / count
    return mean if count else math.nan


def variance(values: Iterable[float]) -> float:
    """MathNet ``Variance`` (unbiased, streaming sum-of-squares update). NaN with fewer than two values."""
    accumulated = 0.0
    total = 0.0
    count = 0
    for value in values:
        count += 1
        if count == 1:
            total = value
            continue
        total += value
        diff = count * value - total
        accumulated += (diff * diff) / float(count * (count - 1))
    return accumulated / (count - 1) if count > 1 else math.nan


def standard_deviation(values: Iterable[float]) -> float:
    """MathNet ``StandardDeviation``: square root of :func:`variance`."""
    return math_sqrt(variance(values))


def covariance(first: Sequence[float], second: Sequence[float]) -> float:
    """MathNet ``Covariance`` (unbiased, co-moment update). NaN with fewer than two pairs."""
    if len(first) != len(second):
        raise ValueError("all vectors must have the same dimensionality")
    count = 0
    mean1 = 0.0
    mean2 = 0.0
    comoment = 0.0
    for x, y in zip(first, second):
        previous_mean2 = mean2
        count += 1
        mean1 += (x - mean1) / count
        mean2 += (y - mean2) / count
        comoment += (x - mean1) * (y - previous_mean2)
    return comoment / (count - 1) if count > 1 else math.nan


class RunningMoments:
    """MathNet ``RunningStatistics``: count, mean and the central moment sums M2, M3, M4, updated per value."""

    __slots__ = ("count", "m1", "m2", "m3", "m4")

    def __init__(self, values: Iterable[float] = ()) -> None:
        self.count = 0
        self.m1 = 0.0
        self.m2 = 0.0
        self.m3 = 0.0
        self.m4 = 0.0
        for value in values:
            self.push(value)

    def push(self, value: float) -> None:
        self.count += 1
        n = self.count
        d = value - self.m1
        s = d / n
        s2 = s * s
        t = d * s * (n - 1)
        self.m1 += s
        self.m4 += t * s2 * (n * n - 3 * n + 3) + 6 * s2 * self.m2 - 4 * s * self.m3
        self.m3 += t * s * (n - 2) - 3 * s * self.m2
        self.m2 += t

    @property
    def skewness(self) -> float:
        """Unbiased sample skewness; NaN with fewer than three values."""
        n = self.count
        if n < 3:
            return math.nan
        return _divide(n * self.m3 * math_sqrt(_divide(self.m2, n - 1)), self.m2 * self.m2 * (n - 2)) * (n - 1)

    @property
    def kurtosis(self) -> float:
        """Unbiased sample excess kurtosis; NaN with fewer than four values."""
        n = self.count
        if n < 4:
            return math.nan
        factor = (float(n) * n - 1) / float((n - 2) * (n - 3))
        return factor * (_divide(n * self.m4, self.m2 * self.m2) - 3 + 6.0 / (n + 1))


def skewness(values: Iterable[float]) -> float:
    """MathNet ``Statistics.Skewness`` (via ``RunningStatistics``)."""
    return RunningMoments(values).skewness


def kurtosis(values: Iterable[float]) -> float:
    """MathNet ``Statistics.Kurtosis`` (excess kurtosis, via ``RunningStatistics``)."""
    return RunningMoments(values).kurtosis


def normal_cdf(x: float, mean: float = 0.0, stddev: float = 1.0) -> float:
    """MathNet ``Normal.CumulativeDistribution``: ``0.5 * erfc((mean - x) / (stddev * sqrt 2))``."""
    return 0.5 * math.erfc(_divide(mean - x, stddev * SQRT2))


def normal_inv_cdf(mean: float, stddev: float, probability: float) -> float:
    """MathNet ``Normal.InvCDF(mean, stddev, p)``; a zero standard deviation gives the mean."""
    if stddev < 0.0:
        raise ValueError("invalid parametrization for the distribution")
    if math.isnan(mean) or math.isnan(stddev) or math.isnan(probability):
        return math.nan
    if stddev == 0.0:
        return mean
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return mean + stddev * _STANDARD_NORMAL.inv_cdf(probability)


# --- IEEE helpers: C# Math functions return NaN/infinity where Python's raise ---------------------------------


def math_sqrt(value: float) -> float:
    """``Math.Sqrt``: NaN for negative input."""
    if math.isnan(value) or value < 0:
        return math.nan
    return math.sqrt(value)


def math_pow(base: float, exponent: float) -> float:
    """``Math.Pow``: IEEE results (NaN, infinity) instead of Python exceptions."""
    try:
        return math.pow(base, exponent)
    except OverflowError:
        if base < 0 and exponent == int(exponent) and int(exponent) % 2 == 1:
            return -math.inf
        return math.inf
    except ValueError:
        if base == 0:
            return math.inf
        return math.nan


def _divide(numerator: float, denominator: float) -> float:
    """IEEE double division (``x / 0`` is ±infinity or NaN, as in C#)."""
    try:
        return numerator / denominator
    except ZeroDivisionError:
        if numerator == 0 or math.isnan(numerator):
            return math.nan
        sign = math.copysign(1.0, numerator) * math.copysign(1.0, denominator)
        return math.inf if sign > 0 else -math.inf


ieee_divide = _divide


def is_nan_or_zero(value: float) -> bool:
    """LEAN's ``IsNaNOrZero``: NaN or ``|value| < double.Epsilon`` (the smallest subnormal)."""
    return math.isnan(value) or abs(value) < 5e-324
