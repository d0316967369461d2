"""ZScoreMeanReversionAlphaModel through the engine: SPY and IWM, 2010 to 2012 (20-day z-score, entry 2, exit 0.5,
10-bar time stop, equal weighting)."""
from __future__ import annotations

import math
from datetime import datetime

import pytest

from alpha_testkit import closes_until, needs_data, population_zscore, run_alpha_algorithm, ticker, to_utc
from lean_local.enums import InsightDirection

pytestmark = needs_data

LOOKBACK, ENTRY, EXIT, MAX_BARS = 20, 2.0, 0.5, 10
UP, DOWN, FLAT = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("mean_reversion").engine.algorithm


def reference_signals(algorithm) -> list[tuple[datetime, str, InsightDirection, float]]:
    """The documented rules replayed on the daily closes: short above +2, long below -2, flat back inside
    +-0.5 or after 10 bars, flip beyond the opposite band."""
    expected = []
    for name, series in sorted(algorithm.daily_closes.items()):
        position, held = FLAT, 0
        for time in algorithm.bar_times:
            z = population_zscore(closes_until(series, time, LOOKBACK))
            if position != FLAT:
                held += 1
            if position != FLAT and held >= MAX_BARS:
                target = FLAT
            elif z > ENTRY:
                target = DOWN
            elif z < -ENTRY:
                target = UP
            elif (position == DOWN and z > EXIT) or (position == UP and z < -EXIT):
                target = position
            else:
                target = FLAT
            if target != position:
                expected.append((time, name, target, z))
                position, held = target, 0
    return sorted(expected, key=lambda item: (item[0], item[1]))


def test_insights_follow_the_bands(algorithm) -> None:
    expected = reference_signals(algorithm)
    actual = [(time, ticker(i), i.direction) for time, batch in algorithm.generated for i in sorted(batch, key=ticker)]
    assert actual == [(time, name, direction) for time, name, direction, _ in expected]
    kinds = {direction for _, _, direction, _ in expected}
    assert kinds == {UP, DOWN, FLAT} and len(expected) > 60


def test_goes_short_above_the_upper_band_and_flat_back_inside(algorithm) -> None:
    shorts = exits_inside = time_stops = 0
    for name in ("SPY", "IWM"):
        series = algorithm.daily_closes[name]
        entry_time = None
        for time, batch in algorithm.generated:
            for insight in batch:
                if ticker(insight) != name:
                    continue
                z = population_zscore(closes_until(series, time, LOOKBACK))
                if insight.direction == DOWN:
                    assert z > ENTRY
                    shorts += 1
                    entry_time = time
                elif insight.direction == FLAT and entry_time is not None:
                    bars = [t for t in algorithm.bar_times if entry_time < t <= time]
                    if len(bars) < MAX_BARS:
                        assert z <= EXIT  # back inside the exit band
                        exits_inside += 1
                    else:
                        assert len(bars) == MAX_BARS
                        time_stops += 1
                    entry_time = None
                else:
                    entry_time = None
    assert shorts >= 10 and exits_inside >= 5 and time_stops >= 1


def test_entry_insights_carry_the_reversion_numbers(algorithm) -> None:
    for time, batch in algorithm.generated:
        for insight in batch:
            closes = closes_until(algorithm.daily_closes[ticker(insight)], time, LOOKBACK)
            z = population_zscore(closes)
            assert insight.tag == f"z {z:.3f}"
            if insight.direction == FLAT:
                assert insight.weight == 0 and insight.confidence == 0
                continue
            assert insight.magnitude == pytest.approx(closes.mean() / closes[-1] - 1, rel=1e-9)
            assert insight.confidence == pytest.approx(math.erf(abs(z) / math.sqrt(2)), rel=1e-9)
            assert insight.weight == 0.5
            assert math.copysign(1, insight.magnitude) == int(insight.direction)


def test_exits_cancel_the_entry_insight_and_flatten_the_position(algorithm) -> None:
    times = algorithm.bar_times
    open_entries = {}
    for time, batch in algorithm.generated:
        for insight in batch:
            name = ticker(insight)
            previous = open_entries.pop(name, None)
            if previous is not None:
                assert previous.is_expired(to_utc(time))  # cancelled (or timed out) when the exit came
            if insight.direction != FLAT:
                open_entries[name] = insight
            index = times.index(time)
            if index + 1 < len(times):
                quantity = algorithm.holdings[times[index + 1]][name]
                assert (quantity > 0) - (quantity < 0) == int(insight.direction), (time, name)
