"""CappedKellyPortfolioConstructionModel: the Kelly arithmetic, and fixed views on six equities through the engine."""
from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from models_testkit import library_module, needs_data, run_model_algorithm

YEAR = 365.25


def kelly():
    return library_module("portfolio_models.kelly")


def test_full_kelly_is_edge_over_horizon_variance() -> None:
    # edge (2 * 0.6 - 1) * 0.05 = 0.01 over 73.05 days (0.2 years); variance 0.2^2 * 0.2 = 0.008 -> 1.25
    assert kelly().kelly_fraction(0.05, 0.6, 0.20, timedelta(days=0.2 * YEAR)) == pytest.approx(1.25, rel=1e-12)
    # the magnitude's sign does not matter (the direction carries the side)
    assert kelly().kelly_fraction(-0.05, 0.6, 0.20, timedelta(days=0.2 * YEAR)) == pytest.approx(1.25, rel=1e-12)


@pytest.mark.parametrize(
    "magnitude, confidence, horizon",
    [(None, 0.6, timedelta(days=5)), (0.02, None, timedelta(days=5)), (0.02, 0.5, timedelta(days=5)),
     (0.02, 0.3, timedelta(days=5)), (0.02, 0.9, timedelta(0)), (0.0, 0.9, timedelta(days=5))],
)
def test_no_edge_no_bet(magnitude: float | None, confidence: float | None, horizon: timedelta) -> None:
    assert kelly().kelly_fraction(magnitude, confidence, 0.2, horizon) == 0.0


def test_caps_per_position_then_in_total() -> None:
    capped = kelly().capped_kelly_weights
    # half-Kelly: 0.1, 0.4 -> cap 0.25, 0.05 (short); gross 0.4 within 1.0
    assert list(capped([1, 1, -1], [0.2, 0.8, 0.1], 0.5, 0.25, 1.0)) == pytest.approx([0.1, 0.25, -0.05])
    # gross 0.4 above 0.2: everything halved, relative sizes kept
    assert list(capped([1, 1, -1], [0.2, 0.8, 0.1], 0.5, 0.25, 0.2)) == pytest.approx([0.05, 0.125, -0.025])
    # negative Kelly fractions never flip the side
    assert list(capped([1], [-3.0], 0.5, 0.25, 1.0)) == [0.0]


@needs_data
def test_kelly_sizes_respect_both_caps_on_the_data() -> None:
    algorithm = run_model_algorithm("pcm_capped_kelly").engine.algorithm
    s = algorithm.symbols
    decisions = algorithm.decisions
    assert len(decisions) > 240
    total_cap_bound = per_position_only = 0
    for _, full, weights in decisions:
        assert weights[s["AIG"]] == 0.0 and full[s["AIG"]] == 0.0  # confidence 0.45: no edge
        assert s["QQQ"] not in weights  # no magnitude: no target
        assert weights[s["BAC"]] < 0 < weights[s["SPY"]]
        assert all(abs(w) <= 0.25 + 1e-12 for w in weights.values())
        gross = sum(abs(w) for w in weights.values())
        assert gross <= 0.9 + 1e-12
        capped = {symbol: math.copysign(min(0.5 * f, 0.25), weights[symbol] or 1.0) for symbol, f in full.items()}
        capped_gross = sum(abs(w) for w in capped.values())
        if capped_gross <= 0.9:
            per_position_only += 1
            assert weights == pytest.approx(capped, rel=1e-12)
        else:
            total_cap_bound += 1
            assert gross == pytest.approx(0.9, rel=1e-12)
            assert weights == pytest.approx({k: v * 0.9 / capped_gross for k, v in capped.items()}, rel=1e-12)
        assert full[s["AAPL"]] * 0.5 > 0.25 and full[s["BAC"]] * 0.5 > 0.25  # the strong views hit the cap
    assert total_cap_bound > 10 and per_position_only > 10  # both regimes happen in 2015

    # independent recomputation for SPY at one rebalance: edge (2 * 0.52 - 1) * 0.002 over 5 calendar days,
    # variance from the annualised volatility of the last 63 daily returns
    _, full, _ = next(d for d in decisions if d[0] > algorithm.check_time)
    closes = algorithm.check_frame.loc[s["SPY"]]["close"].to_numpy()
    returns = np.diff(closes) / closes[:-1]
    volatility = returns.std(ddof=1) * math.sqrt(252)
    expected = (2 * 0.52 - 1) * 0.002 / (volatility**2 * 5 / YEAR)
    assert full[s["SPY"]] == pytest.approx(expected, rel=1e-9)

    # the holdings follow the capped weights (one day of price drift allowed)
    for _, held in algorithm.holdings[3:]:
        assert all(abs(w) <= 0.25 + 0.02 for w in held.values())
        assert sum(abs(w) for w in held.values()) <= 0.9 + 0.03
        assert held["AIG"] == 0.0 and held["QQQ"] == 0.0
    _, _, last = decisions[-1]
    _, held = algorithm.holdings[-1]
    for ticker in ("SPY", "IBM", "AAPL", "BAC"):
        assert held[ticker] == pytest.approx(last[s[ticker]], abs=0.01)
