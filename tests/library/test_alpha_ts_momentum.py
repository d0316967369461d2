"""TimeSeriesMomentumAlphaModel through the engine: SPY, IBM and USO, June 2008 to December 2009 (126-day lookback,
42-day volatility, 15% target, insights every 10 bars, insight weighting)."""
from __future__ import annotations

import math
from datetime import datetime

import pytest

from alpha_testkit import annualised_volatility, closes_until, needs_data, run_alpha_algorithm, ticker, to_utc
from lean_local.enums import InsightDirection

pytestmark = needs_data

LOOKBACK, VOL_LOOKBACK, TARGET, REBALANCE = 126, 42, 0.15, 10


def reference_signals(algorithm) -> list[tuple[datetime, str, InsightDirection]]:
    """The insights the model's rules call for, recomputed from the daily closes: the sign of the 126-day return,
    emitted every 10 bars or at once when it changes (a zero return is flat, emitted only to leave a position)."""
    expected = []
    last: dict[str, InsightDirection] = {}
    bars: dict[str, int] = {}
    for time in algorithm.bar_times:
        for name, series in sorted(algorithm.daily_closes.items()):
            closes = closes_until(series, time, LOOKBACK + 1)
            lookback_return = closes[-1] / closes[0] - 1
            direction = InsightDirection(int(math.copysign(1, lookback_return)) if lookback_return else 0)
            count = bars.get(name, REBALANCE - 1) + 1
            previous = last.get(name)
            if count < REBALANCE and previous == direction:
                bars[name] = count
                continue
            bars[name] = 0
            last[name] = direction
            if direction != InsightDirection.FLAT or previous not in (None, InsightDirection.FLAT):
                expected.append((time, name, direction))
    return expected


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("ts_momentum").engine.algorithm


def test_insights_follow_the_sign_of_the_lookback_return(algorithm) -> None:
    actual = [(time, ticker(i), i.direction) for time, batch in algorithm.generated
              for i in sorted(batch, key=ticker)]
    assert actual == reference_signals(algorithm)
    directions = {(name, direction) for _, name, direction in actual}
    # the crash and the recovery both happen: every security is seen both ways
    assert {(n, d) for n in ("SPY", "IBM", "USO") for d in (InsightDirection.UP, InsightDirection.DOWN)} <= directions


def test_weights_are_volatility_scaled(algorithm) -> None:
    checked = 0
    for time, batch in algorithm.generated:
        for insight in batch:
            closes = closes_until(algorithm.daily_closes[ticker(insight)], time, LOOKBACK + 1)
            volatility = annualised_volatility(closes[-(VOL_LOOKBACK + 1):])
            scale = min(1.0, TARGET / volatility)
            lookback_return = closes[-1] / closes[0] - 1
            if insight.direction == InsightDirection.FLAT:
                assert lookback_return == 0 and insight.weight == 0 and insight.confidence == 0
                continue
            assert insight.weight == pytest.approx(scale, rel=1e-9)
            assert insight.confidence == pytest.approx(min(1.0, scale), rel=1e-9)
            assert insight.magnitude == pytest.approx((1 + lookback_return) ** (REBALANCE / LOOKBACK) - 1, rel=1e-9)
            assert insight.tag == f"return {lookback_return:.4f}, volatility {volatility:.4f}"
            checked += 1
    assert checked > 100
    # in the autumn of 2008 SPY's volatility was far above 15%: its weight fell well below 1 ...
    crash = [i.weight for t, b in algorithm.generated for i in b if ticker(i) == "SPY" and datetime(2008, 10, 15) <= t <= datetime(2008, 12, 31)]
    assert crash and max(crash) < 0.4
    # ... and came back towards 1 as volatility normalised in late 2009
    calm = [i.weight for t, b in algorithm.generated for i in b if ticker(i) == "SPY" and t >= datetime(2009, 10, 1)]
    assert calm and min(calm) > 0.6


def test_spy_is_short_through_the_crash_and_long_in_the_recovery(algorithm) -> None:
    spy = [(t, i.direction) for t, b in algorithm.generated for i in b if ticker(i) == "SPY"]
    assert all(d == InsightDirection.DOWN for t, d in spy if datetime(2008, 9, 15) <= t <= datetime(2009, 3, 31))
    assert all(d == InsightDirection.UP for t, d in spy if datetime(2009, 8, 1) <= t)


def test_insights_last_ten_bars(algorithm) -> None:
    times = algorithm.bar_times
    checked = 0
    for time, batch in algorithm.generated:
        index = times.index(time)
        if index + REBALANCE + 1 >= len(times):
            continue
        for insight in batch:
            # active through the 10th daily bar after the one it was made on, expired at the 11th
            assert insight.is_active(to_utc(times[index + REBALANCE]))
            assert insight.is_expired(to_utc(times[index + REBALANCE + 1]))
            checked += 1
    assert checked > 100


def test_holdings_have_the_direction_of_the_last_insight(algorithm) -> None:
    last = {}
    for _, batch in algorithm.generated:
        for insight in batch:
            last[ticker(insight)] = insight.direction
    final = algorithm.holdings[algorithm.bar_times[-1]]
    for name, direction in last.items():
        assert math.copysign(1, final[name]) == int(direction) and final[name] != 0
