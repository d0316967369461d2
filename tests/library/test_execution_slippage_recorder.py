"""SlippageRecordingExecutionModel: record arithmetic, the ObjectStore export, and SPY + IBM fills on minute bars
measured against the price when their target arrived, around an immediate and a TWAP execution model."""
from __future__ import annotations

import io
from datetime import datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def module():
    return library_module("execution_models.slippage_recorder")


def record(quantity: float, fill: float, decision: float):
    symbol = SimpleNamespace(value="SPY")
    return module().SlippageRecord(datetime(2020, 1, 2, 10), symbol, 7, quantity, fill, datetime(2020, 1, 2, 9, 31), decision, 100.0)


def test_record_signs_cost_as_positive() -> None:
    buy = record(100, 100.05, 100.0)  # paid 5 cents more than the decision price
    assert buy.slippage == pytest.approx(0.05) and buy.cost == pytest.approx(5.0) and buy.slippage_bps == pytest.approx(5.0)
    sell = record(-100, 99.95, 100.0)  # received 5 cents less
    assert sell.slippage == pytest.approx(-0.05) and sell.cost == pytest.approx(5.0) and sell.slippage_bps == pytest.approx(5.0)
    better = record(-100, 100.10, 100.0)  # sold above the decision price: a negative cost
    assert better.cost == pytest.approx(-10.0) and better.slippage_bps == pytest.approx(-10.0)


def test_summary_and_object_store_export() -> None:
    model = module().SlippageRecordingExecutionModel()
    model.records = [record(100, 100.05, 100.0), record(-100, 99.95, 100.0), record(50, 99.98, 100.0)]
    summary = model.summary()
    assert summary["fills"] == 3 and summary["total_cost"] == pytest.approx(5 + 5 - 1)
    assert summary["traded_value"] == pytest.approx(25000.0)
    assert summary["weighted_bps"] == pytest.approx(9 / 25000 * 10000)
    assert summary["mean_bps"] == pytest.approx((5 + 5 - 2) / 3)

    saved: dict[str, str] = {}
    store = SimpleNamespace(save=lambda key, text: saved.setdefault(key, text) is not None)
    logs: list[str] = []
    algorithm = SimpleNamespace(object_store=store, log=logs.append)
    assert model.save_to_object_store(algorithm, "runs/slippage.csv")
    frame = pd.read_csv(io.StringIO(saved["runs/slippage.csv"]))
    assert list(frame.columns) == module().COLUMNS
    assert list(frame["cost"]) == pytest.approx([5.0, 5.0, -1.0])
    assert list(frame["symbol"]) == ["SPY"] * 3
    model.log_summary(algorithm)
    assert logs == ["Slippage summary: 3 fills, traded 25000.00, cost 9.00 (3.60 bps value-weighted, 2.67 bps mean)"]


@needs_data
@pytest.mark.parametrize("inner", ["immediate", "twap"])
def test_every_fill_is_measured_against_its_decision_price(inner: str) -> None:
    result = run_model_algorithm("execution_slippage", (("inner", inner),))
    algorithm = result.engine.algorithm
    recorder = algorithm.recorder
    records = recorder.records
    # one record per fill, matching the order events the algorithm saw
    assert [(r.time, r.order_id, r.symbol.value, r.quantity, r.fill_price) for r in records] == algorithm.fills
    assert len(records) >= (4 if inner == "immediate" else 15)
    for r in records:
        # the decision price is the security price at the time step the target arrived
        assert r.decision_price == algorithm.prices[(r.decision_time, r.symbol.value)]
        assert r.decision_time <= r.time
        assert r.slippage == r.fill_price - r.decision_price
        assert r.cost == pytest.approx((r.fill_price - r.decision_price) * r.quantity, rel=1e-12)
    decisions = {(d.time, d.symbol.value) for d in recorder.decisions}
    assert {(r.decision_time, r.symbol.value) for r in records} <= decisions
    # the fills of each symbol add up to its holdings
    for symbol in algorithm.symbols:
        assert sum(r.quantity for r in records if r.symbol == symbol) == algorithm.portfolio[symbol].quantity

    frame = recorder.to_data_frame()
    assert len(frame) == len(records)
    assert frame["slippage"].tolist() == [r.slippage for r in records]
    assert recorder.summary()["total_cost"] == pytest.approx(frame["cost"].sum())
    assert any("Slippage summary:" in line for line in result.logs)

    if inner == "twap":
        # a TWAP works one decision through several fills, all measured against the same arrival price
        first = [r for r in records if r.decision_time == records[0].decision_time and r.symbol == records[0].symbol]
        assert len(first) >= 5
        assert len({r.decision_price for r in first}) == 1
        assert len({r.time for r in first}) == len(first)


@needs_data
def test_records_saved_to_the_object_store_in_a_backtest() -> None:
    result = run_model_algorithm("execution_slippage", (("save", "1"),))
    frame = pd.read_csv(io.StringIO(result.engine.algorithm.saved))
    assert len(frame) == len(result.engine.algorithm.recorder.records)
