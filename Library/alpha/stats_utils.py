"""Pure statistics shared by the alpha models: returns, realised volatility, z-scores, OLS hedge ratios and the
Engle-Granger cointegration test.

Only numpy and the standard library are used, so the functions run unchanged under ``lean backtest``, in
QuantConnect's cloud and locally, and can be tested on generated data without an engine.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple, Union

import numpy as np

ArrayLike = Union[Sequence[float], np.ndarray]

TRADING_DAYS_PER_YEAR = 252

# MacKinnon (2010), "Critical Values for Cointegration Tests", Queen's Economics Department Working Paper 1227,
# table 2: response-surface coefficients (tau_inf, tau_1, tau_2) of the Engle-Granger test with a constant in the
# cointegrating regression and two variables. The critical value for T observations is
# tau_inf + tau_1 / T + tau_2 / T**2.
_ENGLE_GRANGER_2_VARIABLES = {
    0.01: (-3.89644, -10.9519, -33.527),
    0.05: (-3.33613, -6.1101, -6.823),
    0.10: (-3.04445, -4.2412, -2.720),
}


def as_array(values: ArrayLike) -> np.ndarray:
    """``values`` as a 1-d float array."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"expected a 1-d series, got shape {array.shape}")
    return array


def log_returns(prices: ArrayLike) -> np.ndarray:
    """Bar-to-bar log returns ``log(p[t] / p[t-1])`` (one fewer element than ``prices``)."""
    array = as_array(prices)
    if np.any(array <= 0):
        raise ValueError("prices must be positive to take log returns")
    return np.diff(np.log(array))


def period_return(prices: ArrayLike, lookback: int, skip: int = 0) -> float:
    """Simple return from ``lookback`` bars ago to ``skip`` bars ago: ``p[-1-skip] / p[-1-lookback] - 1``.

    ``skip`` leaves out the most recent bars (the "12-1" momentum of the literature skips the last month, whose
    returns tend to reverse). Needs at least ``lookback + 1`` prices and ``0 <= skip < lookback``.
    """
    array = as_array(prices)
    if lookback < 1 or skip < 0 or skip >= lookback:
        raise ValueError(f"need lookback >= 1 and 0 <= skip < lookback, got lookback={lookback}, skip={skip}")
    if len(array) < lookback + 1:
        raise ValueError(f"need {lookback + 1} prices, got {len(array)}")
    return float(array[-1 - skip] / array[-1 - lookback] - 1.0)


def realized_volatility(prices: ArrayLike, annualization_factor: float = TRADING_DAYS_PER_YEAR) -> float:
    """Annualised realised volatility: the sample standard deviation of the log returns of ``prices`` times
    ``sqrt(annualization_factor)`` (252 for daily bars). Needs at least three prices."""
    returns = log_returns(prices)
    if len(returns) < 2:
        raise ValueError("need at least three prices for a volatility estimate")
    return float(np.std(returns, ddof=1) * math.sqrt(annualization_factor))


def volatility_scale(realized_vol: float, target_vol: float, max_scale: float) -> float:
    """The leverage that brings a position's volatility to ``target_vol``: ``target_vol / realized_vol``, capped
    at ``max_scale`` (and equal to it when the realised volatility is zero)."""
    if target_vol <= 0 or max_scale <= 0:
        raise ValueError("target_vol and max_scale must be positive")
    if realized_vol <= 0 or not math.isfinite(realized_vol):
        return max_scale
    return min(max_scale, target_vol / realized_vol)


def zscore(values: ArrayLike) -> float:
    """How many standard deviations the last value is from the mean of ``values`` (population standard
    deviation, as Bollinger bands use). NaN when the values are constant."""
    array = as_array(values)
    if len(array) < 2:
        raise ValueError("need at least two values for a z-score")
    std = float(np.std(array))
    if std == 0 or not math.isfinite(std):
        return math.nan
    return float((array[-1] - np.mean(array)) / std)


def two_sided_confidence(z: float) -> float:
    """``P(|Z| < |z|)`` for a standard normal Z: how unlikely a deviation of ``z`` standard deviations is as noise
    (0.683 at 1, 0.954 at 2). Used as an insight's confidence."""
    if not math.isfinite(z):
        return 0.0
    return math.erf(abs(z) / math.sqrt(2.0))


class OlsFit(NamedTuple):
    """``y = alpha + beta * x + residuals``."""

    alpha: float
    beta: float
    residuals: np.ndarray


def ols_hedge_ratio(y: ArrayLike, x: ArrayLike) -> OlsFit:
    """Least-squares fit of ``y`` on ``x`` with an intercept; ``beta`` is the hedge ratio (units of ``x`` per unit
    of ``y``)."""
    ya, xa = as_array(y), as_array(x)
    if len(ya) != len(xa):
        raise ValueError("y and x must have the same length")
    if len(ya) < 3:
        raise ValueError("need at least three observations")
    x_mean, y_mean = float(np.mean(xa)), float(np.mean(ya))
    dx = xa - x_mean
    sxx = float(np.dot(dx, dx))
    if sxx == 0:
        raise ValueError("x is constant: no hedge ratio")
    beta = float(np.dot(dx, ya - y_mean)) / sxx
    alpha = y_mean - beta * x_mean
    return OlsFit(alpha, beta, ya - alpha - beta * xa)


def adf_statistic(series: ArrayLike, lags: int = 1) -> float:
    """Augmented Dickey-Fuller t-statistic of ``series`` without a constant or trend.

    Regresses ``d[t] = gamma * s[t-1] + sum(phi_i * d[t-i], i=1..lags) + e[t]`` (``d`` the first differences) and
    returns ``gamma / se(gamma)``. Strongly negative values reject a unit root. This is the form used on the
    residuals of a cointegrating regression, which already have zero mean.
    """
    s = as_array(series)
    if lags < 0:
        raise ValueError("lags must be >= 0")
    d = np.diff(s)
    n = len(d) - lags
    if n < lags + 3:
        raise ValueError(f"series too short for an ADF regression with {lags} lags")
    columns = [s[lags:-1]] + [d[lags - i:len(d) - i] for i in range(1, lags + 1)]
    design = np.column_stack(columns)
    target = d[lags:]
    coefficients, _, rank, _ = np.linalg.lstsq(design, target, rcond=None)
    if rank < design.shape[1]:
        raise ValueError("singular ADF regression (constant or degenerate series)")
    residuals = target - design @ coefficients
    dof = n - design.shape[1]
    sigma2 = float(np.dot(residuals, residuals)) / dof
    covariance = sigma2 * np.linalg.inv(design.T @ design)
    se = math.sqrt(float(covariance[0, 0]))
    if se == 0:
        return -math.inf
    return float(coefficients[0]) / se


def engle_granger_critical_value(observations: int, significance: float = 0.05) -> float:
    """Critical value of the two-variable Engle-Granger test (constant in the cointegrating regression) for a
    sample of ``observations``, at ``significance`` 0.01, 0.05 or 0.10 (MacKinnon 2010)."""
    coefficients = _ENGLE_GRANGER_2_VARIABLES.get(round(significance, 4))
    if coefficients is None:
        raise ValueError(f"significance must be one of {sorted(_ENGLE_GRANGER_2_VARIABLES)}, got {significance}")
    if observations < 1:
        raise ValueError("observations must be positive")
    tau_inf, tau_1, tau_2 = coefficients
    return tau_inf + tau_1 / observations + tau_2 / observations ** 2


class CointegrationResult(NamedTuple):
    """Outcome of :func:`engle_granger`: the cointegrating regression, the residual ADF statistic and the
    critical value it is compared with."""

    alpha: float
    beta: float
    statistic: float
    critical_value: float
    residuals: np.ndarray

    @property
    def is_cointegrated(self) -> bool:
        return self.statistic < self.critical_value


def engle_granger(y: ArrayLike, x: ArrayLike, lags: int = 1, significance: float = 0.05) -> CointegrationResult:
    """Engle-Granger two-step test: fit ``y = alpha + beta * x`` by OLS, then run the ADF test (``lags`` lagged
    differences, no constant) on the residuals and compare with MacKinnon's critical value.

    The series are cointegrated at ``significance`` when ``statistic < critical_value``.
    """
    fit = ols_hedge_ratio(y, x)
    statistic = adf_statistic(fit.residuals, lags)
    critical = engle_granger_critical_value(len(fit.residuals) - 1, significance)
    return CointegrationResult(fit.alpha, fit.beta, statistic, critical, fit.residuals)
