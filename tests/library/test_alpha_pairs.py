"""CointegratedPairsAlphaModel through the engine: GOOG/GOOGL (Alphabet's class C and A shares), July 2018 to
2020 (252-day window, entry at |z| 2, exit at 0.5, stop at 4, retest every 21 bars, insight weighting)."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from alpha.stats_utils import engle_granger
from alpha_testkit import closes_until, needs_data, run_alpha_algorithm, ticker, to_utc
from lean_local.enums import InsightDirection

pytestmark = needs_data

LOOKBACK, ENTRY, EXIT, STOP, RETEST, MAX_BARS = 252, 2.0, 0.5, 4.0, 21, 63
UP, DOWN, FLAT = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("pairs").engine.algorithm


def spread_at(algorithm, time: datetime) -> tuple[float, float, float, np.ndarray, np.ndarray]:
    """(beta, alpha, z) of log GOOG on log GOOGL over the last 252 closes, and the two log series."""
    goog, googl = algorithm.daily_closes["GOOG"], algorithm.daily_closes["GOOGL"]
    y = np.log(closes_until(goog, time, LOOKBACK))
    x = np.log(closes_until(googl, time, LOOKBACK))
    assert list(goog[goog.index <= time].index[-LOOKBACK:]) == list(googl[googl.index <= time].index[-LOOKBACK:])
    beta, alpha = np.polyfit(x, y, 1)
    residuals = y - alpha - beta * x
    return float(beta), float(alpha), float(residuals[-1] / residuals.std()), y, x


def reference_trades(algorithm) -> list[tuple[datetime, InsightDirection, InsightDirection, str]]:
    """The documented rules replayed on the daily closes."""
    trades = []
    position, held, armed, since_test, cointegrated = 0, 0, True, None, False
    for time in algorithm.bar_times:
        beta, _, z, y, x = spread_at(algorithm, time)
        if since_test is None or since_test + 1 >= RETEST:
            cointegrated, since_test = engle_granger(y, x).is_cointegrated, 0
        else:
            since_test += 1
        tradable = cointegrated and beta > 0
        if not armed and abs(z) < EXIT:
            armed = True
        if position:
            held += 1
            reason = ""
            if abs(z) < EXIT:
                reason = "converged"
            elif abs(z) > STOP:
                reason, armed = "stop", False
            elif not tradable:
                reason = "no longer cointegrated"
            elif held >= MAX_BARS:
                reason = "time stop"
            elif (position > 0 and z > ENTRY) or (position < 0 and z < -ENTRY):
                reason = "crossed to the other side"
            if reason:
                trades.append((time, FLAT, FLAT, reason))
                position = 0
            continue
        if tradable and armed and ENTRY < abs(z) <= STOP:
            position, held = (1 if z < 0 else -1), 0
            trades.append((time, UP if z < 0 else DOWN, DOWN if z < 0 else UP, "entry"))
    return trades


def test_trades_follow_the_spread_z_score(algorithm) -> None:
    actual = []
    for time, batch in algorithm.generated:
        goog, googl = sorted(batch, key=ticker)
        reason = "entry" if goog.tag.startswith("entry") else goog.tag[len("exit ("):goog.tag.index(")")]
        actual.append((time, goog.direction, googl.direction, reason))
    expected = reference_trades(algorithm)
    assert actual == expected
    reasons = {reason for *_, reason in expected}
    assert {"entry", "converged", "stop"} <= reasons and len(expected) >= 10


def test_legs_are_opposite_and_grouped(algorithm) -> None:
    group_ids = set()
    for _, batch in algorithm.generated:
        assert len(batch) == 2
        goog, googl = sorted(batch, key=ticker)
        assert (ticker(goog), ticker(googl)) == ("GOOG", "GOOGL")
        assert goog.group_id is not None and goog.group_id == googl.group_id
        group_ids.add(goog.group_id)
        if goog.direction == FLAT:
            assert googl.direction == FLAT and goog.weight == googl.weight == 0
        else:
            assert int(goog.direction) == -int(googl.direction) != 0
    assert len(group_ids) == len(algorithm.generated)


def test_hedge_ratio_is_rolling_and_sizes_the_legs(algorithm) -> None:
    betas = []
    for time, batch in algorithm.generated:
        goog, googl = sorted(batch, key=ticker)
        if goog.direction == FLAT:
            continue
        beta, _, z, _, _ = spread_at(algorithm, time)
        assert goog.tag.startswith(f"entry z {z:.3f} beta {beta:.4f} adf ")
        assert goog.weight == pytest.approx(1 / (1 + beta), rel=1e-9)
        assert googl.weight == pytest.approx(beta / (1 + beta), rel=1e-9)
        assert goog.confidence == googl.confidence > 0.95
        # long the spread (GOOG cheap against GOOGL) when z < -2, short it when z > 2
        assert (goog.direction == UP) == (z < -ENTRY) and (goog.direction == DOWN) == (z > ENTRY)
        betas.append(beta)
    assert len(set(round(b, 4) for b in betas)) == len(betas) > 5
    assert 0.95 < min(betas) and max(betas) < 1.05  # the two share classes move almost one for one


def test_positions_open_hedged_and_close_on_exit(algorithm) -> None:
    times = algorithm.bar_times
    for time, batch in algorithm.generated:
        goog, googl = sorted(batch, key=ticker)
        index = times.index(time)
        if index + 1 >= len(times):
            continue
        holdings = algorithm.holdings[times[index + 1]]
        if goog.direction == FLAT:
            assert holdings["GOOG"] == holdings["GOOGL"] == 0
        else:
            assert np.sign(holdings["GOOG"]) == int(goog.direction) == -np.sign(holdings["GOOGL"])
            next_bar = times[index + 1]
            goog_value = abs(holdings["GOOG"]) * closes_until(algorithm.daily_closes["GOOG"], next_bar, 1)[0]
            googl_value = abs(holdings["GOOGL"]) * closes_until(algorithm.daily_closes["GOOGL"], next_bar, 1)[0]
            assert goog_value / googl_value == pytest.approx(goog.weight / googl.weight, rel=0.02)


def test_the_stop_disarms_until_the_spread_comes_back(algorithm) -> None:
    stops = [time for time, batch in algorithm.generated for i in batch[:1] if "(stop)" in i.tag]
    assert stops == [datetime(2020, 3, 16, 16, 0)]
    re_entry = next(time for time, batch in algorithm.generated if time > stops[0])
    between = [t for t in algorithm.bar_times if stops[0] < t < re_entry]
    assert any(abs(spread_at(algorithm, t)[2]) > ENTRY for t in between)   # entries were skipped ...
    assert any(abs(spread_at(algorithm, t)[2]) < EXIT for t in between)    # ... until the spread converged
    entry_insights = [i for time, batch in algorithm.generated if time < stops[0] for i in batch]
    assert all(i.is_expired(to_utc(stops[0])) for i in entry_insights)
