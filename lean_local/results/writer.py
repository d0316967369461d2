"""The backtest output folder, in the layout and JSON shapes ``lean backtest`` produces.

Files: ``config`` (written by the CLI), ``code/`` (project sources), ``<id>.json`` (full result), ``<id>-log.txt``
(algorithm logs), ``log.txt`` (engine log), ``<id>-order-events.json`` (only when there were order events) and,
last, ``<id>-summary.json`` — the marker that the run finished, as with LEAN.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local.orders.serialization import order_events_to_json, orders_to_result_dict, to_json
from lean_local.timeutil import iso_utc

_CODE_SUFFIXES = {".py", ".cs", ".ipynb", ".css", ".html"}
_SKIP_DIRS = {"backtests", "live", "optimizations", "storage", "report", "bin", "obj", "__pycache__", ".idea", ".vscode"}
LEAN_VERSION = "v2.5.0.0"


@dataclass
class RunRecord:
    """What one run produced, ready to be written."""

    algorithm_id: str
    name: str
    status: str
    start_time_utc: datetime
    end_time_utc: datetime
    runtime_error: str
    stack_trace: str
    statistics: dict[str, str]
    runtime_statistics: dict[str, str]
    charts: "OrderedDict[str, Any]"
    orders: dict[int, Any]
    order_events: list[Any]
    profit_loss: dict[datetime, Decimal]
    total_performance: dict[str, Any] | None
    rolling_window: dict[str, Any]
    algorithm_configuration: dict[str, Any]
    log_lines: list[str]
    engine_log_lines: list[str]
    log_count: int
    insight_count: int = 0
    log_time: datetime | None = None
    """Algorithm time of the last log line (the "Your log was successfully created" line); UTC end time if None."""


def write_config(output: Path, algorithm_id: str, backtest_name: str | None, container: str | None = None) -> None:
    """The output folder's ``config`` file as the LEAN CLI writes it: id, container name, optional backtest name."""
    data: dict[str, Any] = {"id": int(algorithm_id) if algorithm_id.isdigit() else algorithm_id}
    data["container"] = container or f"lean_cli_{uuid.uuid4().hex}"
    if backtest_name:
        data["backtest-name"] = backtest_name
    (output / "config").write_text(json.dumps(data, indent=4) + "\n", encoding="utf-8")


def copy_code(project: Path, output: Path, exclude: list[Path] | None = None) -> None:
    """Copy the project's sources into ``output/code`` as the LEAN CLI does before a run.

    ``project`` is the project folder; for an algorithm file the CLI copies the folder holding it. Source files
    are ``.py .cs .ipynb .css .html``, recursively, skipping output folders, build folders, dot-folders,
    virtualenvs and the folders in ``exclude`` (the output folder itself, when it lies inside the project).
    """
    target = output / "code"
    source_root = project if project.is_dir() else project.parent
    skipped = {p.resolve() for p in (exclude or [])} | {target.resolve()}
    files: list[Path] = []
    for root, dirs, names in os.walk(source_root):
        dirs[:] = sorted(
            d for d in dirs
            if d not in _SKIP_DIRS and not d.startswith(".") and not _is_venv(Path(root) / d)
            and (Path(root) / d).resolve() not in skipped
        )
        for name in sorted(names):
            if Path(name).suffix in _CODE_SUFFIXES:
                files.append(Path(root) / name)
    for path in files:
        destination = target / path.relative_to(source_root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").exists()


def _state(record: RunRecord) -> "OrderedDict[str, str]":
    state: "OrderedDict[str, str]" = OrderedDict()
    state["StartTime"] = iso_utc(record.start_time_utc)
    state["EndTime"] = iso_utc(record.end_time_utc)
    state["RuntimeError"] = record.runtime_error
    state["StackTrace"] = record.stack_trace
    state["LogCount"] = str(record.log_count)
    state["OrderCount"] = str(len(record.orders))
    state["InsightCount"] = str(record.insight_count)
    state["Name"] = record.name
    state["Hostname"] = platform.node()
    state["Status"] = record.status
    return state


def _server_statistics(record: RunRecord) -> "OrderedDict[str, str]":
    elapsed = (record.end_time_utc - record.start_time_utc).total_seconds()
    hours, remainder = divmod(int(elapsed), 3600)
    minutes, seconds = divmod(remainder, 60)
    stats: "OrderedDict[str, str]" = OrderedDict()
    stats["CPU Usage"] = "0%"
    stats["Used RAM (MB)"] = "0"
    stats["Total RAM (MB)"] = "0"
    stats["Hostname"] = platform.node()
    stats["LEAN Version"] = LEAN_VERSION
    stats["Up Time"] = f"{hours // 24}d {hours % 24:02d}:{minutes:02d}:{seconds:02d}"
    return stats


def _profit_loss(record: RunRecord) -> "OrderedDict[str, Decimal]":
    result: "OrderedDict[str, Decimal]" = OrderedDict()
    for time, value in sorted(record.profit_loss.items()):
        result[_iso_fraction(time)] = value
    return result


def _iso_fraction(utc: datetime) -> str:
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += ("." + f"{utc.microsecond:06d}").rstrip("0")
    return text + "Z"


def result_document(record: RunRecord) -> "OrderedDict[str, Any]":
    document: "OrderedDict[str, Any]" = OrderedDict()
    document["rollingWindow"] = record.rolling_window
    document["charts"] = record.charts
    document["orders"] = orders_to_result_dict(record.orders)
    document["profitLoss"] = _profit_loss(record)
    document["statistics"] = record.statistics
    document["runtimeStatistics"] = record.runtime_statistics
    document["state"] = _state(record)
    document["serverStatistics"] = _server_statistics(record)
    document["algorithmConfiguration"] = record.algorithm_configuration
    if record.total_performance is not None:
        document["totalPerformance"] = record.total_performance
    return document


def summary_document(record: RunRecord) -> "OrderedDict[str, Any]":
    equity = record.charts.get("Strategy Equity", {})
    charts: "OrderedDict[str, Any]" = OrderedDict()
    if equity and "Equity" in equity.get("series", {}):
        series = dict(equity["series"]["Equity"])
        values = series["values"]
        step = min(7, len(values) // 100)
        if step > 1:
            series["values"] = _resample_candles(values, step * 86400)
        charts["Strategy Equity"] = {"name": equity["name"], "chartType": equity["chartType"], "series": {"Equity": series}}
    document: "OrderedDict[str, Any]" = OrderedDict()
    document["rollingWindow"] = {}
    document["charts"] = charts
    document["statistics"] = record.statistics
    document["runtimeStatistics"] = record.runtime_statistics
    document["state"] = _state(record)
    document["serverStatistics"] = _server_statistics(record)
    document["algorithmConfiguration"] = record.algorithm_configuration
    if record.total_performance is not None:
        document["totalPerformance"] = {
            "tradeStatistics": record.total_performance.get("tradeStatistics"),
            "portfolioStatistics": record.total_performance.get("portfolioStatistics"),
            "closedTrades": [],
        }
    return document


def _resample_candles(values: list[list[Any]], period_seconds: int) -> list[list[Any]]:
    """Candles aggregated to one per ``period_seconds`` bucket (open of the first, close of the last)."""
    out: list[list[Any]] = []
    bucket_end = None
    for point in values:
        if bucket_end is None or point[0] > bucket_end:
            out.append(list(point))
            bucket_end = point[0] + period_seconds
        else:
            last = out[-1]
            last[2] = max(last[2], point[2])
            last[3] = min(last[3], point[3])
            last[4] = point[4]
    return out


def write_results(output: Path, record: RunRecord) -> None:
    """Write every LEAN result file; the summary comes last, marking completion."""
    output.mkdir(parents=True, exist_ok=True)
    algorithm_id = record.algorithm_id
    (output / f"{algorithm_id}.json").write_text(to_json(result_document(record), indent=True), encoding="utf-8")
    if record.order_events:
        (output / f"{algorithm_id}-order-events.json").write_text(order_events_to_json(record.order_events, algorithm_id), encoding="utf-8")
    log_lines = list(record.log_lines)
    log_time = record.log_time or record.end_time_utc
    log_lines.append(
        f"{log_time:%Y-%m-%d %H:%M:%S} Your log was successfully created and can be retrieved from: "
        f"{(output / f'{algorithm_id}-log.txt').as_posix()}"
    )
    (output / f"{algorithm_id}-log.txt").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    (output / "log.txt").write_text("\n".join(record.engine_log_lines) + "\n", encoding="utf-8")
    # last, and atomically: a summary that exists is a complete summary of a finished run
    summary = output / f"{algorithm_id}-summary.json"
    partial = output / f".{algorithm_id}-summary.json.partial"
    partial.write_text(to_json(summary_document(record), indent=True), encoding="utf-8")
    os.replace(partial, summary)


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
