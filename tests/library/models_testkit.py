"""Shared helpers of the portfolio/risk/execution model tests (``tests/library/test_portfolio_*``, ``test_risk_*``,
``test_execution_*``): the sample data, cached runs of the test algorithms in ``algorithms/models`` and imports of
library modules outside a run."""
from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_FOLDER = Path(os.environ.get("LEAN_LOCAL_SAMPLE_DATA", REPO / ".." / "shared" / "lean-data")).resolve()
ALGORITHMS = Path(__file__).resolve().parent / "algorithms" / "models"

needs_data = pytest.mark.skipif(
    not (DATA_FOLDER / "market-hours" / "market-hours-database.json").exists(),
    reason=f"LEAN sample data not found at {DATA_FOLDER} (set LEAN_LOCAL_SAMPLE_DATA)",
)


@functools.cache
def run_model_algorithm(name: str, parameters: tuple[tuple[str, str], ...] = ()) -> Any:
    """Backtest ``tests/library/algorithms/models/<name>.py`` once per test process and parameter set (``parameters``
    replace the project's, as ``--parameter`` does); returns the result.

    The folder is a LEAN project whose ``config.json`` references the three libraries, so the run puts ``Library`` on
    ``sys.path`` the way ``lean backtest`` does.
    """
    from lean_local.runner import run_backtest

    result = run_backtest(
        ALGORITHMS / f"{name}.py", data_folder=DATA_FOLDER, write_output=False, parameters=dict(parameters) or None
    )
    assert result.status == "Completed", f"{result.runtime_error}\n{result.stack_trace}"
    return result


def library_module(name: str) -> Any:
    """Import a library module (``risk_models.stops``, ...) with the engine's ``AlgorithmImports`` installed, as a
    backtest would; outside a run ``AlgorithmImports`` resolves to quantconnect-stubs, which have no runtime content."""
    from lean_local import algorithm_imports

    with algorithm_imports.installed():
        return importlib.import_module(name)


def filled_orders(algorithm: Any) -> list[Any]:
    """The algorithm's orders that filled at least partly, in id order."""
    return [order for order in algorithm.transactions.get_orders() if order.status in (2, 3)]
