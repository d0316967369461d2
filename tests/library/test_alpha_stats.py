"""The pure statistics behind the Library/alpha models (``alpha.stats_utils``), on generated data.

The ADF and Engle-Granger numbers are checked against reference values computed once with statsmodels 0.15.0
(``adfuller(resid, maxlag=L, autolag=None, regression="n")``, ``coint(y, x, trend="c", maxlag=1, autolag=None)``
and ``mackinnoncrit(N=2, regression="c", nobs=T)``) on the deterministic series below; statsmodels itself is not
a dependency (the Library may use numpy/scipy/pandas only).
"""
from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest

from alpha.stats_utils import (
    adf_statistic,
    engle_granger,
    engle_granger_critical_value,
    log_returns,
    ols_hedge_ratio,
    period_return,
    realized_volatility,
    two_sided_confidence,
    volatility_scale,
    zscore,
)
from alpha_testkit import alpha_module
from lean_local.enums import InsightDirection


def lcg_uniform(n: int, seed: int) -> list[float]:
    """Deterministic uniform(-0.5, 0.5) noise from a 31-bit linear congruential generator."""
    state, out = seed, []
    for _ in range(n):
        state = (1103515245 * state + 12345) % 2**31
        out.append(state / 2**31 - 0.5)
    return out


def reference_pair(n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """x: a random walk from 50; y = 1 + 0.8 x + an AR(1) (phi = 0.6) error: cointegrated by construction."""
    x = 50.0 + np.cumsum(lcg_uniform(n, 7))
    error, previous = [], 0.0
    for u in lcg_uniform(n, 11):
        previous = 0.6 * previous + u
        error.append(previous)
    return 1.0 + 0.8 * x + np.array(error), x


def test_period_return_with_and_without_skip() -> None:
    prices = [100.0, 110.0, 121.0, 133.1, 120.0]
    assert period_return(prices, 4) == pytest.approx(0.2)
    assert period_return(prices, 4, skip=1) == pytest.approx(0.331)
    assert period_return(prices, 2, skip=1) == pytest.approx(133.1 / 121.0 - 1)
    with pytest.raises(ValueError):
        period_return(prices, 5)
    with pytest.raises(ValueError):
        period_return(prices, 2, skip=2)


def test_log_returns_and_realised_volatility() -> None:
    a = 0.01
    prices = 100 * np.exp(np.cumsum([0.0, a, -a, a, -a]))
    assert log_returns(prices) == pytest.approx([a, -a, a, -a])
    # four returns +a, -a, +a, -a: mean 0, sample variance 4 a^2 / 3
    assert realized_volatility(prices) == pytest.approx(a * math.sqrt(4 / 3) * math.sqrt(252))
    assert realized_volatility(prices, annualization_factor=12) == pytest.approx(a * math.sqrt(4 / 3) * math.sqrt(12))
    with pytest.raises(ValueError):
        log_returns([1.0, 0.0])


def test_volatility_scale_targets_and_caps() -> None:
    assert volatility_scale(0.20, 0.10, 2.0) == pytest.approx(0.5)
    assert volatility_scale(0.04, 0.10, 2.0) == pytest.approx(2.0)  # 2.5 capped
    assert volatility_scale(0.0, 0.10, 1.5) == 1.5
    with pytest.raises(ValueError):
        volatility_scale(0.2, 0.0, 1.0)


def test_zscore_uses_the_population_standard_deviation() -> None:
    # mean 4, population variance (9 + 4 + 1 + 0 + 36) / 5 = 10
    assert zscore([1, 2, 3, 4, 10]) == pytest.approx(6 / math.sqrt(10))
    assert zscore([5, 4, 3, 2, 1]) == pytest.approx(-2 / math.sqrt(2))
    assert math.isnan(zscore([3, 3, 3]))


def test_two_sided_confidence_is_the_normal_probability_inside_z() -> None:
    assert two_sided_confidence(1.959963985) == pytest.approx(0.95, abs=1e-9)
    assert two_sided_confidence(-1.0) == pytest.approx(0.682689492, abs=1e-9)
    assert two_sided_confidence(0.0) == 0.0
    assert two_sided_confidence(math.nan) == 0.0


def test_ols_hedge_ratio_recovers_the_generated_relation() -> None:
    rng = np.random.default_rng(42)
    x = 100 + np.cumsum(rng.normal(0, 1, 500))
    y = 2.0 + 1.5 * x + rng.normal(0, 0.5, 500)
    fit = ols_hedge_ratio(y, x)
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.beta == pytest.approx(slope, rel=1e-10) and fit.alpha == pytest.approx(intercept, rel=1e-8)
    assert fit.beta == pytest.approx(1.5, abs=0.02)
    assert fit.residuals == pytest.approx(y - intercept - slope * x)
    assert abs(fit.residuals.mean()) < 1e-9
    with pytest.raises(ValueError):
        ols_hedge_ratio([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])


def test_ols_and_adf_match_statsmodels_on_the_reference_pair() -> None:
    y, x = reference_pair()
    fit = ols_hedge_ratio(y, x)
    assert fit.alpha == pytest.approx(0.7439449504074638, rel=1e-9)
    assert fit.beta == pytest.approx(0.8039973581608508, rel=1e-12)
    assert adf_statistic(fit.residuals, lags=0) == pytest.approx(-9.43342144915561, rel=1e-9)
    assert adf_statistic(fit.residuals, lags=1) == pytest.approx(-8.030996062134161, rel=1e-9)
    assert adf_statistic(fit.residuals, lags=3) == pytest.approx(-7.274001640573286, rel=1e-9)
    random_walk = np.cumsum(lcg_uniform(300, 3))
    assert adf_statistic(random_walk, lags=1) == pytest.approx(-1.2906477431176009, rel=1e-9)


def test_adf_without_lags_is_the_closed_form_dickey_fuller_t() -> None:
    series = np.cumsum(lcg_uniform(200, 5)) * 0.3 + np.array(lcg_uniform(200, 9))
    lagged, diff = series[:-1], np.diff(series)
    gamma = float(lagged @ diff / (lagged @ lagged))
    residuals = diff - gamma * lagged
    se = math.sqrt(float(residuals @ residuals) / (len(diff) - 1) / float(lagged @ lagged))
    assert adf_statistic(series, lags=0) == pytest.approx(gamma / se, rel=1e-10)


def test_engle_granger_critical_values_are_mackinnons() -> None:
    expected = {  # statsmodels mackinnoncrit(N=2, regression="c", nobs=T): 1%, 5%, 10%
        50: (-4.1288888, -3.4610612, -3.130362),
        100: (-4.0093117, -3.3979133, -3.087134),
        251: (-3.94060523, -3.36058133, -3.06139039),
        1000: (-3.90742543, -3.34224692, -3.04869392),
    }
    for observations, values in expected.items():
        actual = [engle_granger_critical_value(observations, s) for s in (0.01, 0.05, 0.10)]
        assert actual == pytest.approx(values, abs=1e-7)
    with pytest.raises(ValueError):
        engle_granger_critical_value(100, 0.02)


def test_engle_granger_detects_the_cointegrated_pair_and_rejects_independent_walks() -> None:
    y, x = reference_pair()
    result = engle_granger(y, x, lags=1)
    assert result.statistic == pytest.approx(-8.030996062134168, rel=1e-9)  # statsmodels coint
    assert result.critical_value == pytest.approx(-3.35664144, abs=1e-7)    # its 5% critical value
    assert result.is_cointegrated
    independent = 50.0 + np.cumsum(lcg_uniform(300, 5))
    other = engle_granger(independent, x, lags=1)
    assert other.statistic == pytest.approx(-1.6526240797840581, rel=1e-9)
    assert not other.is_cointegrated


def test_engle_granger_on_many_generated_pairs() -> None:
    rng = np.random.default_rng(7)
    detected = rejected = 0
    for _ in range(40):
        x = np.cumsum(rng.normal(0, 1, 252))
        stationary = np.zeros(252)
        for t in range(1, 252):
            stationary[t] = 0.5 * stationary[t - 1] + rng.normal(0, 1)
        detected += engle_granger(3.0 + 0.7 * x + stationary, x).is_cointegrated
        rejected += not engle_granger(np.cumsum(rng.normal(0, 1, 252)), x).is_cointegrated
    assert detected == 40      # a strongly mean-reverting spread is always found
    assert rejected >= 35      # about 5% false positives are expected at the 5% level


def test_next_rebalance_time_calendar() -> None:
    next_rebalance_time = alpha_module("xs_momentum").next_rebalance_time
    assert next_rebalance_time(datetime(2010, 3, 1, 16), "monthly") == datetime(2010, 4, 1)
    assert next_rebalance_time(datetime(2010, 12, 31, 16), "monthly") == datetime(2011, 1, 1)
    assert next_rebalance_time(datetime(2010, 3, 3, 16), "weekly") == datetime(2010, 3, 8)   # Wednesday -> Monday
    assert next_rebalance_time(datetime(2010, 3, 8, 9, 31), "weekly") == datetime(2010, 3, 15)
    assert next_rebalance_time(datetime(2010, 3, 5, 16), "daily") == datetime(2010, 3, 6)
    with pytest.raises(ValueError):
        next_rebalance_time(datetime(2010, 3, 5), "yearly")


def test_mean_reversion_state_machine() -> None:
    model_class = alpha_module("mean_reversion").ZScoreMeanReversionAlphaModel
    model = model_class(lookback=20, entry_z=2.0, exit_z=0.5, max_holding_bars=10)
    up, down, flat = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT
    assert model.target_direction(flat, 2.1, 0) == down
    assert model.target_direction(flat, -2.1, 0) == up
    assert model.target_direction(flat, 1.9, 0) == flat
    assert model.target_direction(down, 0.6, 3) == down       # still outside the exit band
    assert model.target_direction(down, 0.5, 3) == flat       # back inside it
    assert model.target_direction(up, -0.6, 3) == up
    assert model.target_direction(up, -0.4, 3) == flat
    assert model.target_direction(up, 2.5, 3) == down         # beyond the opposite band: flip
    assert model.target_direction(down, 0.6, 10) == flat      # time stop
    no_short = model_class(allow_short=False)
    assert no_short.target_direction(flat, 3.0, 0) == flat
