"""TrailingAndHardStopRiskModel: the stop levels, and a long AAPL position on daily data with each stop alone."""
from __future__ import annotations

from typing import Any

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def stop_reason(*args: Any) -> Any:
    return library_module("risk_models.stops").stop_reason(*args)


def test_long_stop_levels() -> None:
    # entry 100, best 120: trailing level 114 (5%), hard level 90 (10%)
    assert stop_reason(1, 114.01, 100.0, 120.0, 0.05, 0.10) is None
    assert stop_reason(1, 114.0, 100.0, 120.0, 0.05, 0.10) == "trailing"
    assert stop_reason(1, 90.0, 100.0, 120.0, 0.05, 0.10) == "hard"  # both hit: the hard stop is reported
    assert stop_reason(1, 89.0, 100.0, 120.0, None, 0.10) == "hard"
    assert stop_reason(1, 50.0, 100.0, 120.0, None, None) is None


def test_short_stop_levels_mirror() -> None:
    # short entry 100, lowest 80: trailing level 84, hard level 110
    assert stop_reason(-1, 83.99, 100.0, 80.0, 0.05, 0.10) is None
    assert stop_reason(-1, 84.0, 100.0, 80.0, 0.05, 0.10) == "trailing"
    assert stop_reason(-1, 110.5, 100.0, 80.0, None, 0.10) == "hard"
    assert stop_reason(-1, 109.5, 100.0, 120.0, None, 0.10) is None


def expected_exits(steps: list[tuple[Any, float, float, float]], trailing: float | None, hard: float | None) -> list[tuple[Any, str, float]]:
    """Replays the recorded closes and positions: an exit at the first step of a position where the close is at or
    below the best price since entry (starting at the average price) less ``trailing``, or the average price less
    ``hard``; nothing more for that position until it is closed."""
    exits = []
    best = None
    stopped = False
    for time, close, quantity, average in steps:
        if quantity == 0:
            best, stopped = None, False
            continue
        assert quantity > 0
        if stopped:
            continue
        best = max(average if best is None else best, close)
        if hard is not None and close <= average * (1 - hard):
            exits.append((time, "hard", best))
            stopped = True
        elif trailing is not None and close <= best * (1 - trailing):
            exits.append((time, "trailing", best))
            stopped = True
    return exits


@needs_data
@pytest.mark.parametrize("trailing, hard, minimum", [(0.05, None, 10), (None, 0.05, 4), (0.10, 0.05, 4)])
def test_stops_exit_when_the_price_falls_through_the_level(trailing: float | None, hard: float | None, minimum: int) -> None:
    parameters = (("trailing", str(trailing or "none")), ("hard", str(hard or "none")))
    algorithm = run_model_algorithm("risk_stops", parameters).engine.algorithm
    exits = algorithm.stops.exits
    steps = algorithm.steps
    assert len(exits) >= minimum
    assert {e.reason for e in exits} == {r for r, enabled in (("trailing", trailing), ("hard", hard)) if enabled}
    assert [(e.time, e.reason) for e in exits] == [(t, r) for t, r, _ in expected_exits(steps, trailing, hard)]
    closes = {time: close for time, close, _, _ in steps}
    for exit, (_, _, best) in zip(exits, expected_exits(steps, trailing, hard)):
        assert exit.price == closes[exit.time]
        assert exit.extreme_price == pytest.approx(best, rel=1e-12)
        if exit.reason == "trailing":
            assert exit.price <= exit.extreme_price * (1 - trailing)
        else:
            assert exit.price <= exit.entry_price * (1 - hard)
        # the exit order closes the position at the next step
        after = [quantity for time, _, quantity, _ in steps if time > exit.time]
        assert after[0] == 0
    # every liquidation is a stop-out (the alpha never exits; other sales are the daily rebalance trimming the position)
    liquidations = [o for o in algorithm.transactions.get_orders() if o.quantity < 0 and o.quantity == -quantity_before(steps, o)]
    assert len(liquidations) == len(exits)
    assert [o.quantity for o in liquidations] == [-e.quantity for e in exits]


def quantity_before(steps: list[tuple[Any, float, float, float]], order: Any) -> float:
    """The position recorded at the last step before the order was placed (order times are UTC, steps New York)."""
    from lean_local.timeutil import to_utc

    earlier = [quantity for time, _, quantity, _ in steps if to_utc(time, "America/New_York") <= order.time]
    return earlier[-1]
