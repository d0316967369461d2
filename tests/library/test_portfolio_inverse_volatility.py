"""InverseVolatilityPortfolioConstructionModel: the pure weights, and SPY + AAPL through the engine on daily data."""
from __future__ import annotations

import math

import numpy as np
import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def weights_function():
    return library_module("portfolio_models.risk_parity").inverse_volatility_weights


def test_weights_are_inverse_to_volatility_and_hit_the_target() -> None:
    rng = np.random.default_rng(7)
    returns = np.column_stack([rng.normal(0, 0.01, 250), rng.normal(0, 0.03, 250), rng.normal(0, 0.02, 250)])
    weights, vols, ex_ante = weights_function()([1, 1, -1], returns, 0.10, 5.0, 252.0)
    expected_vols = returns.std(axis=0, ddof=1) * math.sqrt(252)
    assert vols == pytest.approx(expected_vols, rel=1e-12)
    raw = np.array([1, 1, -1]) / expected_vols
    assert weights / weights[0] == pytest.approx(raw / raw[0], rel=1e-12)  # proportional to direction / volatility
    covariance = np.cov(returns, rowvar=False) * 252
    assert math.sqrt(weights @ covariance @ weights) == pytest.approx(0.10, rel=1e-12) == ex_ante
    assert weights[0] > weights[2] * -1 > weights[1] > 0  # lowest volatility, largest weight; the short is negative


def test_leverage_cap_limits_the_gross_exposure() -> None:
    rng = np.random.default_rng(3)
    returns = rng.normal(0, 0.002, (100, 2))  # ~3% annual volatility: a 20% target would need ~7x leverage
    weights, _, ex_ante = weights_function()([1, 1], returns, 0.20, 1.5)
    assert np.abs(weights).sum() == pytest.approx(1.5, rel=1e-12)
    assert ex_ante < 0.20


def test_degenerate_inputs_give_no_weights() -> None:
    function = weights_function()
    weights, _, ex_ante = function([1, 1], np.empty((1, 2)), 0.1, 1.0)
    assert list(weights) == [0.0, 0.0] and ex_ante == 0.0
    weights, _, _ = function([0, 0], np.ones((10, 2)) * 0.01, 0.1, 1.0)
    assert list(weights) == [0.0, 0.0]


@needs_data
def test_lower_volatility_asset_gets_the_larger_weight_and_the_book_hits_the_target() -> None:
    algorithm = run_model_algorithm("pcm_inverse_volatility").engine.algorithm
    spy, aapl = algorithm.symbols
    decisions = algorithm.decisions
    assert len(decisions) > 480  # one rebalance per trading day of 2015-2016
    for _, weights, volatilities, ex_ante in decisions:
        assert volatilities[spy] < volatilities[aapl]
        assert weights[spy] > weights[aapl] > 0
        assert weights[spy] / weights[aapl] == pytest.approx(volatilities[aapl] / volatilities[spy], rel=1e-9)
        assert ex_ante == pytest.approx(0.10, rel=1e-9)  # never capped here: gross stays below 1.5
        assert weights[spy] + weights[aapl] < 1.5

    # the model's volatilities are the annualised standard deviations of the last 63 daily returns
    _, weights, volatilities, _ = next(d for d in decisions if d[0] > algorithm.check_time)
    for symbol in (spy, aapl):
        closes = algorithm.check_frame.loc[symbol]["close"].to_numpy()
        assert len(closes) == 64
        returns = np.diff(closes) / closes[:-1]
        assert volatilities[symbol] == pytest.approx(returns.std(ddof=1) * math.sqrt(252), rel=1e-9)

    # the realised volatility of the daily portfolio returns lands near the 10% target
    values = np.array([value for _, value in algorithm.equity])
    returns = np.diff(values) / values[:-1]
    realised = returns[5:].std(ddof=1) * math.sqrt(252)
    assert 0.085 < realised < 0.115, realised

    # the holdings follow the last decision
    total = algorithm.portfolio.total_portfolio_value
    _, last, _, _ = decisions[-1]
    for symbol in (spy, aapl):
        assert algorithm.portfolio[symbol].holdings_value / total == pytest.approx(last[symbol], abs=0.01)


@needs_data
def test_leverage_cap_binds_on_the_data() -> None:
    parameters = (("target_volatility", "0.40"), ("max_leverage", "1.0"), ("end", "2015-06-30"))
    algorithm = run_model_algorithm("pcm_inverse_volatility", parameters).engine.algorithm
    assert algorithm.decisions
    for _, weights, _, ex_ante in algorithm.decisions:
        assert sum(abs(w) for w in weights.values()) == pytest.approx(1.0, rel=1e-9)
        assert ex_ante < 0.40
    invested = sum(abs(h.holdings_value) for h in algorithm.portfolio.values()) / algorithm.portfolio.total_portfolio_value
    assert 0.98 < invested <= 1.0
