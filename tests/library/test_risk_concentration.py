"""ConcentrationLimitRiskModel: the clipping arithmetic, and equal weighting of three stocks under a 20% limit."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def concentration():
    return library_module("risk_models.concentration")


def test_clip_quantity() -> None:
    clip = concentration().clip_quantity
    assert clip(500, 100.0, 100000.0, 0.2, 1) == 200  # $50k of a $100k book -> $20k
    assert clip(-500, 100.0, 100000.0, 0.2, 1) == -200
    assert clip(150, 100.0, 100000.0, 0.2, 1) == 150  # within the limit: unchanged
    assert clip(500, 30.0, 100000.0, 0.2, 1) == 500  # $15k: within
    assert clip(1000, 30.0, 100000.0, 0.2, 1) == 666  # rounded down to whole shares
    assert clip(1000, 30.0, 100000.0, 0.2, 100) == 600  # and to whole lots
    assert clip(1000, 30.0, 0.0, 0.2, 1) == 0


class Securities(dict):
    def __iter__(self) -> Any:
        return iter(SimpleNamespace(key=k, value=v) for k, v in self.items())


def security(price: float, quantity: float) -> Any:
    properties = SimpleNamespace(contract_multiplier=1, lot_size=1)
    return SimpleNamespace(price=price, symbol_properties=properties, invested=quantity != 0,
                           holdings=SimpleNamespace(quantity=quantity))


def test_targets_and_drifted_holdings_are_clipped() -> None:
    module = concentration()
    securities = Securities(SPY=security(100.0, 0), AAPL=security(50.0, 500), IBM=security(10.0, 100))
    algorithm = SimpleNamespace(portfolio=SimpleNamespace(total_portfolio_value=100000.0), securities=securities)
    targets = [SimpleNamespace(symbol="SPY", quantity=300.0), SimpleNamespace(symbol="IBM", quantity=-1000.0)]
    result = module.ConcentrationLimitRiskModel(0.2).manage_risk(algorithm, targets)
    # SPY $30k -> 200 shares; IBM -$10k within; AAPL holding of $25k (no target) trimmed to 400 shares
    assert sorted((t.symbol.value if hasattr(t.symbol, "value") else t.symbol, t.quantity) for t in result) == [
        ("AAPL", 400), ("SPY", 200)
    ]
    only_targets = module.ConcentrationLimitRiskModel(0.2, include_holdings=False).manage_risk(algorithm, targets)
    assert [(t.symbol, t.quantity) for t in only_targets] == [("SPY", 200)]


@needs_data
def test_positions_stay_within_the_limit_on_the_data() -> None:
    algorithm = run_model_algorithm("risk_concentration", (("max_weight", "0.2"),)).engine.algorithm
    weights = algorithm.weights[2:]  # from the first full day after the first fills
    assert len(weights) > 250
    for _, held in weights:
        for weight in held.values():
            assert 0.185 < weight <= 0.2 + 0.015  # clipped from a third to 20%, one day of drift aside
    assert sum(sum(held.values()) for _, held in weights) / len(weights) == pytest.approx(0.6, abs=0.005)
    assert all(count > 250 for count in algorithm.limit.clipped.values())


@needs_data
def test_no_clipping_below_the_limit() -> None:
    algorithm = run_model_algorithm("risk_concentration", (("max_weight", "0.5"),)).engine.algorithm
    assert algorithm.limit.clipped == {}
    for _, held in algorithm.weights[2:]:
        assert held == pytest.approx({"SPY": 1 / 3, "AAPL": 1 / 3, "IBM": 1 / 3}, abs=0.025)  # one day of drift
