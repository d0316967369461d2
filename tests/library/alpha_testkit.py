"""Shared helpers of the ``Library/alpha`` tests: the sample data, cached runs of the test algorithms and small
reference computations written independently of the library (plain numpy on the daily closes)."""
from __future__ import annotations

import functools
import math
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
DATA_FOLDER = Path(os.environ.get("LEAN_LOCAL_SAMPLE_DATA", REPO / ".." / "shared" / "lean-data")).resolve()
NEW_YORK = ZoneInfo("America/New_York")
ALGORITHMS = Path(__file__).resolve().parent / "algorithms" / "alpha"

needs_data = pytest.mark.skipif(
    not (DATA_FOLDER / "market-hours" / "market-hours-database.json").exists(),
    reason=f"LEAN sample data not found at {DATA_FOLDER} (set LEAN_LOCAL_SAMPLE_DATA)",
)


@functools.cache
def run_alpha_algorithm(name: str) -> Any:
    """Backtest ``tests/library/algorithms/alpha/<name>_algorithm.py`` once per test process; returns the result."""
    from lean_local.runner import run_backtest

    result = run_backtest(ALGORITHMS / f"{name}_algorithm.py", data_folder=DATA_FOLDER, write_output=False)
    assert result.status == "Completed", f"{result.runtime_error}\n{result.stack_trace}"
    return result


def insights_by_time(algorithm: Any) -> list[tuple[datetime, list[Any]]]:
    """The recorded batches of emitted insights, each sorted by ticker."""
    return [(time, sorted(batch, key=lambda i: str(i.symbol.value))) for time, batch in algorithm.generated]


def ticker(insight: Any) -> str:
    return str(insight.symbol.value)


def closes_until(series: pd.Series, time: datetime, count: int) -> np.ndarray:
    """The last ``count`` closes with a bar end time at or before ``time``."""
    values = series[series.index <= time].to_numpy(dtype=float)
    assert len(values) >= count, f"only {len(values)} closes before {time}"
    return values[-count:]


def annualised_volatility(closes: np.ndarray) -> float:
    returns = np.diff(np.log(closes))
    return float(np.std(returns, ddof=1) * math.sqrt(252))


def to_utc(local: datetime) -> datetime:
    """A naive New York time as the naive UTC time the engine's insight times use."""
    return local.replace(tzinfo=NEW_YORK).astimezone(timezone.utc).replace(tzinfo=None)


def population_zscore(closes: np.ndarray) -> float:
    return float((closes[-1] - closes.mean()) / closes.std())


def alpha_module(name: str) -> Any:
    """Import ``alpha.<name>`` with the engine's ``AlgorithmImports`` installed, as a backtest would (outside a
    run, ``AlgorithmImports`` resolves to quantconnect-stubs, which have no runtime content)."""
    import importlib

    from lean_local import algorithm_imports

    with algorithm_imports.installed():
        return importlib.import_module(f"alpha.{name}")
