"""Framework algorithms run end to end on LEAN's sample data.

LEAN's framework regression cases are compared with LEAN's statistics by the fidelity harness (``tests/fidelity``,
tier 2 and ``more/framework.json``); these tests check behaviour (insight expiry, composite alphas, the
alpha-results output).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from framework_testdata import ALGORITHMS, DATA_FOLDER

pytestmark = pytest.mark.needs_data


def run(name: str) -> Any:
    from lean_local.runner import run_backtest

    result = run_backtest(ALGORITHMS / name, data_folder=DATA_FOLDER, write_output=False)
    assert result.status == "Completed", f"{result.runtime_error}\n{result.stack_trace}"
    return result


def test_an_expired_insight_flattens_its_position() -> None:
    result = run("insight_expiry.py")
    orders = result.engine.transaction_handler.all_orders()
    assert [(str(o.time), o.quantity_exact > 0) for o in orders] == [
        ("2013-10-07 13:31:00", True),   # 09:31 ET, first bar
        ("2013-10-07 14:32:00", False),  # first bar after the 10:31 ET close time
    ]
    assert orders[1].quantity_exact == -orders[0].quantity_exact
    algorithm = result.engine.algorithm
    assert len(algorithm.generated) == 1 and algorithm.insights.total_count == 1
    assert algorithm.insights.count == 0  # removed from the open set when it expired


def test_composite_alpha_merges_both_models() -> None:
    algorithm = run("composite_directions.py").engine.algorithm
    spy, ibm = algorithm.weights
    assert 0.45 < spy < 0.5 and -0.5 < ibm < -0.45
    models = {insight.source_model for insight in algorithm.insights.get_insights()}
    assert models == {"AlwaysUp(SPY)", "AlwaysDown(IBM)"}


def test_alpha_results_of_a_run() -> None:
    from lean_local.framework.serialization import alpha_results_json

    algorithm = run("basic_template_framework.py").engine.algorithm
    rows = json.loads(alpha_results_json(algorithm) or "[]")
    assert len(rows) == algorithm.insights.total_count > 0
    first = rows[0]
    assert first["ticker"] == "SPY" and first["direction"] == "up" and first["period"] == 1200.0
    assert first["sourceModel"] == "ConstantAlphaModel(Price,Up,00:20:00,0.025)"
    assert first["createdTime"] == 1381152660.0 and first["closeTime"] == 1381153860.0
    assert first["reference"] > 0


def test_framework_output_folder_has_alpha_results(tmp_path: Path) -> None:
    from lean_local.framework.serialization import write_alpha_results

    algorithm = run("insight_expiry.py").engine.algorithm
    path = write_alpha_results(algorithm, tmp_path, "1234")
    assert path == tmp_path / "1234" / "alpha-results.json" and len(json.loads(path.read_text())) == 1
