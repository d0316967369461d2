"""PortfolioCircuitBreakerRiskModel: unit behaviour on a hand-driven portfolio, and a fully invested SPY book through
the 2008 crash on daily data (4% daily loss limit, 15% drawdown kill switch reset by hand on 2009-01-05)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


class FakeSecurities:
    def __init__(self, securities: dict[str, Any]) -> None:
        self._securities = securities

    def __iter__(self) -> Any:
        return iter(SimpleNamespace(key=k, value=v) for k, v in self._securities.items())


class FakeAlgorithm:
    """Just what the breaker reads: the time, the portfolio value, the securities, open-order cancelling, log."""

    def __init__(self) -> None:
        self.time = datetime(2020, 1, 6, 10)
        self.portfolio = SimpleNamespace(total_portfolio_value=100.0)
        self.spy = SimpleNamespace(invested=True, holdings=SimpleNamespace(target=None))
        self.securities = FakeSecurities({"SPY": self.spy})
        self.cancelled = 0
        self.transactions = SimpleNamespace(cancel_open_orders=self._cancel)
        self.logs: list[str] = []

    def _cancel(self) -> None:
        self.cancelled += 1

    def log(self, message: str) -> None:
        self.logs.append(message)

    def step(self, value: float, hours: float = 1) -> None:
        self.time += timedelta(hours=hours)
        self.portfolio.total_portfolio_value = value


def target(symbol: str, quantity: float) -> Any:
    return SimpleNamespace(symbol=symbol, quantity=quantity)


def test_daily_limit_trips_on_the_loss_from_the_previous_close_and_resets_next_day() -> None:
    module = library_module("risk_models.circuit_breaker")
    breaker = module.PortfolioCircuitBreakerRiskModel(daily_loss_limit=0.05, max_drawdown=None)
    algorithm = FakeAlgorithm()
    assert breaker.manage_risk(algorithm, []) == []
    algorithm.step(110)  # the day's last value: the next day's reference
    assert breaker.manage_risk(algorithm, []) == []
    algorithm.step(105, hours=20)  # next day, -4.5% from 110
    assert breaker.manage_risk(algorithm, []) == []
    algorithm.step(104.5)  # -5.0% exactly: trips
    result = breaker.manage_risk(algorithm, [target("QQQ", 10), target("IWM", 0)])
    assert [(t.symbol, t.quantity) for t in result] == [("SPY", 0), ("QQQ", 0)]
    assert breaker.daily_tripped and not breaker.drawdown_tripped and algorithm.cancelled == 1
    assert breaker.trips[-1].reason == module.DAILY_LOSS and breaker.trips[-1].reference_value == 110
    algorithm.step(120)  # a recovery the same day does not re-arm it
    assert [t.symbol for t in breaker.manage_risk(algorithm, [target("QQQ", 5)])] == ["SPY", "QQQ"]
    algorithm.spy.invested = False
    algorithm.step(120, hours=20)  # the next day it is armed again
    assert breaker.manage_risk(algorithm, [target("QQQ", 5)]) == [] and not breaker.is_tripped
    assert algorithm.cancelled == 1


def test_drawdown_kill_switch_stays_tripped_until_reset() -> None:
    module = library_module("risk_models.circuit_breaker")
    breaker = module.PortfolioCircuitBreakerRiskModel(daily_loss_limit=None, max_drawdown=0.10)
    algorithm = FakeAlgorithm()
    for value in (100, 120, 115, 110):
        algorithm.step(value, hours=24)
        assert breaker.manage_risk(algorithm, []) == []
    algorithm.step(108, hours=24)  # 10% below the 120 high-water mark
    assert [t.symbol for t in breaker.manage_risk(algorithm, [])] == ["SPY"]
    algorithm.spy.invested = False
    algorithm.spy.holdings.target = target("SPY", 0)
    for _ in range(5):  # days later, even at a new high, it blocks every new position
        algorithm.step(130, hours=24)
        assert [(t.symbol, t.quantity) for t in breaker.manage_risk(algorithm, [target("SPY", 50)])] == [("SPY", 0)]
    breaker.reset()
    algorithm.step(100, hours=24)  # the high-water mark restarts from here
    assert breaker.manage_risk(algorithm, [target("SPY", 50)]) == []
    algorithm.step(91, hours=24)
    assert breaker.manage_risk(algorithm, []) == []
    algorithm.step(90, hours=24)
    algorithm.spy.holdings.target = target("SPY", 50)  # a pending target of the execution model is flattened too
    assert [(t.symbol, t.quantity) for t in breaker.manage_risk(algorithm, [])] == [("SPY", 0)]
    assert [trip.reason for trip in breaker.trips] == [module.DRAWDOWN, module.DRAWDOWN]
    assert breaker.trips[1].reference_value == 100


def test_parameters_are_validated() -> None:
    module = library_module("risk_models.circuit_breaker")
    with pytest.raises(ValueError):
        module.PortfolioCircuitBreakerRiskModel(daily_loss_limit=1.5)
    with pytest.raises(ValueError):
        module.PortfolioCircuitBreakerRiskModel(max_drawdown=0)


@needs_data
def test_breaker_flattens_and_stays_flat_until_reset_on_the_data() -> None:
    algorithm = run_model_algorithm("risk_circuit_breaker").engine.algorithm
    breaker = algorithm.breaker
    days = algorithm.days  # (time, portfolio value, SPY quantity) seen at each step before the framework ran
    reasons = [(trip.time.date(), trip.reason) for trip in breaker.trips]
    assert reasons == [
        (date(2008, 9, 15), "daily_loss"), (date(2008, 9, 29), "daily_loss"), (date(2008, 10, 2), "drawdown"),
        (date(2009, 1, 20), "daily_loss"), (date(2009, 2, 10), "daily_loss"), (date(2009, 2, 17), "daily_loss"),
        (date(2009, 2, 19), "drawdown"),
    ]
    values = {time: value for time, value, _ in days}
    for trip in breaker.trips:
        assert trip.portfolio_value == pytest.approx(values[trip.time], rel=1e-12)
        earlier = [(t, v) for t, v, _ in days if t <= trip.time]
        if trip.reason == "daily_loss":
            previous_close = [v for t, v in earlier if t.date() < trip.time.date()][-1]
            assert trip.reference_value == pytest.approx(previous_close, rel=1e-12)
            assert trip.portfolio_value <= 0.96 * trip.reference_value
        else:
            since = algorithm.reset_time if trip.time > algorithm.reset_time else datetime.min
            assert trip.reference_value == pytest.approx(max(v for t, v in earlier if t >= since), rel=1e-12)
            assert trip.portfolio_value <= 0.85 * trip.reference_value

    # nothing tripped earlier: before the first trip no day lost 4% and the drawdown stayed under 15%
    first = breaker.trips[0].time
    before = [(t, v) for t, v, _ in days if t < first]
    high = before[0][1]
    for (t0, v0), (t1, v1) in zip(before, before[1:]):
        high = max(high, v1)
        assert t1.date() == t0.date() or v1 > 0.96 * v0
        assert v1 > 0.85 * high

    def quantity_after(time: datetime, steps: int) -> float:
        later = [q for t, _, q in days if t > time]
        return later[steps - 1]

    # a daily trip flattens the book at once and the next day the portfolio model buys it back
    for trip in breaker.trips:
        assert quantity_after(trip.time, 1) == 0
        if trip.reason == "daily_loss":
            assert quantity_after(trip.time, 2) > 0

    # the kill switch keeps it flat, with no order at all, until reset() — and for good after the second trip
    orders = algorithm.transactions.get_orders()
    first_kill = breaker.trips[2].time
    second_kill = breaker.trips[6].time
    assert all(q == 0 for t, _, q in days if first_kill < t <= algorithm.reset_time)
    assert all(q == 0 for t, _, q in days if t > second_kill)
    liquidations = [o for o in orders if o.time.date() == first_kill.date() or o.time.date() == second_kill.date()]
    assert len(liquidations) == 2 and all(o.quantity < 0 for o in liquidations)
    blocked = [o for o in orders if (first_kill.date() < o.time.date() < algorithm.reset_time.date()) or o.time.date() > second_kill.date()]
    assert blocked == []
    assert quantity_after(algorithm.reset_time, 1) > 0  # trading resumes right after the reset
    assert not breaker.daily_tripped and breaker.drawdown_tripped
