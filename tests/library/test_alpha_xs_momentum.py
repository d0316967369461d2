"""CrossSectionalMomentumAlphaModel through the engine: nine daily ETFs and stocks, March 2010 to June 2011
(126-day lookback skipping the last 21 days, long the best 2, short the worst 1, monthly, equal weighting)."""
from __future__ import annotations

from datetime import datetime

import pytest

from alpha_testkit import closes_until, needs_data, run_alpha_algorithm, ticker, to_utc
from lean_local.enums import InsightDirection

pytestmark = needs_data

LOOKBACK, SKIP = 126, 21


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("xs_momentum").engine.algorithm


def ranking_at(algorithm, time: datetime) -> list[tuple[str, float]]:
    """Every security ranked by p[t-21] / p[t-126] - 1 on the closes up to ``time``, best first."""
    scores = []
    for name, series in algorithm.daily_closes.items():
        closes = closes_until(series, time, LOOKBACK + 1)
        scores.append((name, closes[-1 - SKIP] / closes[0] - 1))
    return sorted(scores, key=lambda item: (-item[1], item[0]))


def test_rebalances_at_the_first_bar_of_every_month(algorithm) -> None:
    first_bars = {}
    for time in algorithm.bar_times:
        first_bars.setdefault((time.year, time.month), time)
    assert [time for time, _ in algorithm.generated] == sorted(first_bars.values())
    assert len(algorithm.generated) == 16  # March 2010 .. June 2011


def test_longs_the_best_two_and_shorts_the_worst_by_the_skip_return(algorithm) -> None:
    for time, batch in algorithm.generated:
        ranking = ranking_at(algorithm, time)
        ups = sorted(ticker(i) for i in batch if i.direction == InsightDirection.UP)
        downs = [ticker(i) for i in batch if i.direction == InsightDirection.DOWN]
        assert ups == sorted(name for name, _ in ranking[:2]), time
        assert downs == [ranking[-1][0]], time
        mean = sum(score for _, score in ranking) / len(ranking)
        scores = dict(ranking)
        for insight in batch:
            if insight.direction == InsightDirection.FLAT:
                assert insight.weight == 0 and insight.confidence == 0
                continue
            assert insight.magnitude == pytest.approx(scores[ticker(insight)] - mean, rel=1e-9)
            assert insight.weight == pytest.approx(1 / 3)
        best = next(i for i in batch if ticker(i) == ranking[0][0])
        worst = next(i for i in batch if ticker(i) == ranking[-1][0])
        assert best.confidence == 1.0 and worst.confidence == 1.0


def test_securities_that_drop_out_get_a_flat_insight(algorithm) -> None:
    previous: set[str] = set()
    flats_seen = 0
    for time, batch in algorithm.generated:
        selected = {ticker(i) for i in batch if i.direction != InsightDirection.FLAT}
        flats = {ticker(i) for i in batch if i.direction == InsightDirection.FLAT}
        assert flats == previous - selected, time
        flats_seen += len(flats)
        previous = selected
    assert flats_seen > 5


def test_insights_close_when_the_next_rebalance_starts(algorithm) -> None:
    times = [time for time, _ in algorithm.generated]
    for (time, batch), next_time in zip(algorithm.generated, times[1:]):
        bars_before_next = [t for t in algorithm.bar_times if time < t < next_time]
        for insight in batch:
            # active on every bar of the month, expired when the next month's first bar arrives
            assert all(insight.is_active(to_utc(t)) for t in bars_before_next)
            assert insight.is_expired(to_utc(next_time))
            local_close = insight.close_time_utc
            assert (local_close.year, local_close.month) == (next_time.year, next_time.month)


def test_the_portfolio_holds_the_selection(algorithm) -> None:
    times = algorithm.bar_times
    for time, batch in algorithm.generated:
        index = times.index(time)
        if index + 1 >= len(times):
            continue
        # orders placed on the rebalance bar fill at the next open: the following bar shows the positions
        holdings = algorithm.holdings[times[index + 1]]
        expected = {ticker(i): int(i.direction) for i in batch if i.direction != InsightDirection.FLAT}
        held = {name: (1 if quantity > 0 else -1) for name, quantity in holdings.items() if quantity != 0}
        assert held == expected, time
