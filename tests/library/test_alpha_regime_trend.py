"""RegimeFilteredTrendAlphaModel through the engine: SPY 2007-2009 (50/200-day averages, 21-day against 252-day
realised volatility, shorts allowed, insights every 10 bars, equal weighting). The 2008 volatility spike puts the
model in the turbulent regime for months while the averages point down."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from alpha_testkit import annualised_volatility, closes_until, needs_data, run_alpha_algorithm
from lean_local.enums import InsightDirection

pytestmark = needs_data

UP, DOWN, FLAT = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("regime_trend").engine.algorithm


def regime_at(algorithm, time: datetime) -> tuple[bool, InsightDirection, InsightDirection, float, float]:
    """(calm, trend direction, filtered direction, 21-day vol, 252-day vol) from the closes up to ``time``."""
    closes = closes_until(algorithm.daily_closes["SPY"], time, 253)
    short_vol = annualised_volatility(closes[-22:])
    long_vol = annualised_volatility(closes)
    fast, slow = float(np.mean(closes[-50:])), float(np.mean(closes[-200:]))
    trend = UP if fast > slow else DOWN if fast < slow else FLAT
    calm = short_vol <= long_vol
    return calm, trend, trend if calm else FLAT, short_vol, long_vol


def test_insights_follow_the_filtered_trend(algorithm) -> None:
    expected = []
    state, bars = None, 9
    for time in algorithm.bar_times:
        calm, _, direction, short_vol, long_vol = regime_at(algorithm, time)
        bars += 1
        if (calm, direction) == state and bars < 10:
            continue
        state, bars = (calm, direction), 0
        regime = "calm" if calm else "turbulent"
        expected.append((time, direction, f"{regime}: volatility {short_vol:.4f}, long-run {long_vol:.4f}"))
    actual = [(time, i.direction, i.tag) for time, batch in algorithm.generated for i in batch]
    assert actual == expected
    for _, batch in algorithm.generated:
        for insight in batch:
            assert (insight.weight, insight.confidence) == ((0.0, 0.0) if insight.direction == FLAT else (1.0, None))


def test_turbulence_overrides_the_trend(algorithm) -> None:
    overridden = [(time, trend) for time in algorithm.bar_times
                  for calm, trend, _, _, _ in [regime_at(algorithm, time)] if not calm and trend != FLAT]
    # both ways: an uptrend ignored in the summer 2007 sell-off, a downtrend not shorted in the autumn 2008 crash
    assert any(trend == UP and datetime(2007, 7, 1) <= t <= datetime(2007, 9, 30) for t, trend in overridden)
    assert any(trend == DOWN and datetime(2008, 9, 15) <= t <= datetime(2008, 12, 15) for t, trend in overridden)
    insights = {time: i for time, batch in algorithm.generated for i in batch}
    for time in insights:
        calm, trend, _, _, _ = regime_at(algorithm, time)
        if not calm:
            assert insights[time].direction == FLAT and insights[time].tag.startswith("turbulent")


def test_flat_through_the_2008_crash_but_trading_the_calm_trend(algorithm) -> None:
    crash = [(t, q) for t, h in algorithm.holdings.items() for q in [h["SPY"]]
             if datetime(2008, 9, 24) <= t <= datetime(2008, 12, 31)]
    assert len(crash) > 60 and all(q == 0 for _, q in crash)
    # the averages pointed down all through that stretch: an unfiltered trend model would have been short
    assert all(regime_at(algorithm, t)[1] == DOWN for t, _ in crash)
    # in calm markets the trend is traded: long in early 2007 and from June 2009, short in the calm spring of 2008
    def held(start: datetime, end: datetime) -> list[float]:
        return [h["SPY"] for t, h in algorithm.holdings.items() if start <= t <= end]
    assert all(q > 0 for q in held(datetime(2007, 1, 5), datetime(2007, 2, 27)))
    assert any(q < 0 for q in held(datetime(2008, 4, 23), datetime(2008, 7, 17)))
    assert all(q > 0 for q in held(datetime(2009, 6, 22), datetime(2009, 12, 31)))
