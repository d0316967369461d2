"""Reading LEAN backtest output folders (what ``lean backtest`` and ``lean-local backtest`` write).

A backtest folder holds ``config`` (``{"id": ..., "backtest-name": ...}``, written before the run), ``code/``,
and once LEAN finishes ``<id>.json``, ``<id>-order-events.json``, ``<id>-log.txt``, ``log.txt`` and, last,
``<id>-summary.json``, the completion marker (``lean-cli.md`` §1.3). Backtests live in ``<project>/backtests/*``;
the runs of an optimization in ``<project>/optimizations/<ts>/<id>/``.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

#: the statistics create_backtest and list_backtests return (LEAN's summary names)
HEADLINE_STATISTICS = (
    "Total Orders", "Net Profit", "Compounding Annual Return", "Drawdown", "Sharpe Ratio", "Sortino Ratio",
    "Probabilistic Sharpe Ratio", "Win Rate", "Loss Rate", "Alpha", "Beta", "Total Fees", "Portfolio Turnover",
    "Start Equity", "End Equity",
)

_FOLDER_TIME = "%Y-%m-%d_%H-%M-%S"


@dataclass(frozen=True)
class BacktestFolder:
    """One output folder and the id/name from its ``config`` file."""

    path: Path
    backtest_id: str
    name: str | None

    @property
    def summary_file(self) -> Path:
        return self.path / f"{self.backtest_id}-summary.json"

    @property
    def result_file(self) -> Path:
        return self.path / f"{self.backtest_id}.json"

    @property
    def order_events_file(self) -> Path:
        return self.path / f"{self.backtest_id}-order-events.json"

    @property
    def algorithm_log_file(self) -> Path:
        return self.path / f"{self.backtest_id}-log.txt"

    @property
    def engine_log_file(self) -> Path:
        return self.path / "log.txt"

    @property
    def finished(self) -> bool:
        return self.summary_file.is_file()

    def created(self) -> str | None:
        """The run's start as the folder name gives it (local time, ISO format)."""
        try:
            return datetime.strptime(self.path.name, _FOLDER_TIME).isoformat()
        except ValueError:
            try:
                return datetime.fromtimestamp((self.path / "config").stat().st_mtime).replace(microsecond=0).isoformat()
            except OSError:
                return None

    def summary(self) -> dict[str, Any] | None:
        """``<id>-summary.json`` when it is a JSON object (None when missing or corrupt)."""
        data = read_json(self.summary_file)
        return data if isinstance(data, dict) else None

    def result(self) -> dict[str, Any] | None:
        """``<id>.json`` when it is a JSON object (None when missing or corrupt)."""
        data = read_json(self.result_file)
        return data if isinstance(data, dict) else None


def read_output_config(folder: Path) -> dict[str, Any] | None:
    """The folder's ``config`` file, or None when it is missing or not a JSON object with an ``id``."""
    try:
        data = json.loads((folder / "config").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), (int, str)):
        return None
    return data


def folder_at(path: Path) -> BacktestFolder | None:
    config = read_output_config(path)
    if config is None:
        return None
    name = config.get("backtest-name")
    return BacktestFolder(path, str(config["id"]), name if isinstance(name, str) and name else None)


def _sort_key(folder: BacktestFolder) -> tuple[str, float]:
    try:
        mtime = (folder.path / "config").stat().st_mtime
    except OSError:
        mtime = 0.0
    return (folder.path.name, mtime)


def scan_backtests(project_dir: Path) -> list[BacktestFolder]:
    """The project's backtests (``backtests/*`` with a ``config``), newest first."""
    base = project_dir / "backtests"
    if not base.is_dir():
        return []
    folders = [f for f in (folder_at(p) for p in base.iterdir() if p.is_dir()) if f is not None]
    return sorted(folders, key=_sort_key, reverse=True)


def find_backtest(project_dir: Path, backtest_id: str) -> BacktestFolder | None:
    """The folder of ``backtest_id``: a backtest of the project or a run of one of its optimizations."""
    for folder in scan_backtests(project_dir):
        if folder.backtest_id == backtest_id:
            return folder
    optimizations = project_dir / "optimizations"
    if optimizations.is_dir():
        for optimization in optimizations.iterdir():
            candidate = optimization / backtest_id
            if candidate.is_dir():
                found = folder_at(candidate)
                if found is not None and found.backtest_id == backtest_id:
                    return found
    return None


# --- JSON files, cached by (path, size, mtime) -----------------------------------------------------------------------
_CACHE: OrderedDict[tuple[str, int, int], Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def read_json(path: Path) -> Any:
    """Parsed JSON of ``path`` (None when missing or corrupt). Callers must not mutate the returned value."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    with _CACHE_LOCK:
        _CACHE[key] = data
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def headline(statistics: Any) -> dict[str, str]:
    if not isinstance(statistics, dict):
        return {}
    return {key: str(statistics[key]) for key in HEADLINE_STATISTICS if key in statistics}


def string_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def error_lines_from_engine_log(folder: BacktestFolder, limit: int = 40) -> list[str]:
    """``ERROR::`` lines of ``log.txt`` (what LEAN logged when the run failed before writing results)."""
    lines = [line.split("ERROR::", 1)[1].strip() for line in read_lines(folder.engine_log_file) if "ERROR::" in line]
    return lines[-limit:]


def parse_statistic(value: Any) -> float | None:
    """A LEAN statistic string as a number in its displayed unit: ``"12.5%"`` → 12.5, ``"$1,100.00"`` → 1100.0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    text = value.strip().replace(",", "").replace("$", "").replace("%", "").replace(" ", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number
