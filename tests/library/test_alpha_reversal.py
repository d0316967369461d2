"""ShortTermReversalAlphaModel through the engine: ten daily ETFs and stocks, January to June 2012 (5-day returns,
rebalanced every 5 bars, long the 2 worst and short the 2 best, equal weighting)."""
from __future__ import annotations

from datetime import datetime

import pytest

from alpha_testkit import closes_until, needs_data, run_alpha_algorithm, ticker, to_utc
from lean_local.enums import InsightDirection

pytestmark = needs_data

LOOKBACK, HOLDING = 5, 5
UP, DOWN, FLAT = InsightDirection.UP, InsightDirection.DOWN, InsightDirection.FLAT


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("reversal").engine.algorithm


def returns_at(algorithm, time: datetime) -> list[tuple[str, float]]:
    """Every security's 5-day return up to ``time``, worst first."""
    scores = []
    for name, series in algorithm.daily_closes.items():
        closes = closes_until(series, time, LOOKBACK + 1)
        scores.append((name, closes[-1] / closes[0] - 1))
    return sorted(scores, key=lambda item: (item[1], item[0]))


def test_rebalances_every_five_bars(algorithm) -> None:
    times = algorithm.bar_times
    rebalance_indices = [times.index(time) for time, _ in algorithm.generated]
    assert rebalance_indices == list(range(0, len(times), HOLDING))


def test_buys_the_losers_and_sells_the_winners(algorithm) -> None:
    for time, batch in algorithm.generated:
        ranking = returns_at(algorithm, time)
        ups = sorted(ticker(i) for i in batch if i.direction == UP)
        downs = sorted(ticker(i) for i in batch if i.direction == DOWN)
        assert ups == sorted(name for name, score in ranking[:2] if score < 0), time
        assert downs == sorted(name for name, score in ranking[-2:] if score > 0), time
        mean = sum(score for _, score in ranking) / len(ranking)
        scores = dict(ranking)
        selected = len(ups) + len(downs)
        for insight in batch:
            if insight.direction == FLAT:
                assert insight.weight == 0 and insight.confidence == 0
                continue
            assert insight.magnitude == pytest.approx(mean - scores[ticker(insight)], rel=1e-9)
            assert insight.weight == pytest.approx(1 / selected)
            assert insight.tag == f"5-bar return {scores[ticker(insight)]:.4f}"


def test_dropped_names_are_flattened_and_insights_expire_at_the_next_rebalance(algorithm) -> None:
    previous: set[str] = set()
    for (time, batch), following in zip(algorithm.generated, algorithm.generated[1:] + [(None, [])]):
        selected = {ticker(i) for i in batch if i.direction != FLAT}
        assert {ticker(i) for i in batch if i.direction == FLAT} == previous - selected
        previous = selected
        next_time = following[0]
        if next_time is None:
            continue
        after = algorithm.bar_times[algorithm.bar_times.index(next_time) + 1]
        for insight in batch:
            # replaced at the next rebalance bar, expired by the bar after it
            assert insight.is_active(to_utc(next_time)) and insight.is_expired(to_utc(after))


def test_the_portfolio_is_long_the_losers_and_short_the_winners(algorithm) -> None:
    times = algorithm.bar_times
    for time, batch in algorithm.generated:
        index = times.index(time)
        if index + 1 >= len(times):
            continue
        holdings = algorithm.holdings[times[index + 1]]
        expected = {ticker(i): int(i.direction) for i in batch if i.direction != FLAT}
        held = {name: (1 if q > 0 else -1) for name, q in holdings.items() if q != 0}
        assert held == expected, time
