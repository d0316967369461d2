"""Run one algorithm file end to end: find the workspace, load the algorithm, run the engine, write results.

This is what ``lean-local backtest`` calls, and what the MCP server and the discovery loop call in-process.
The workspace rules follow the LEAN CLI: ``lean.json`` is found by walking up from the project, its
``data-folder`` is relative to it, ``Library/`` is importable, and project parameters come from
``config.json`` unless parameters are given for the run (which then replace them, as the CLI does).
"""
from __future__ import annotations

import importlib.util
import inspect
import json
import random
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local import algorithm_imports
from lean_local.data.errors import DataError
from lean_local.engine import AlgorithmRuntimeError, Engine, EngineOptions
from lean_local.results.writer import RunRecord, copy_code, utc_now, write_config, write_results
from lean_local.timeutil import iso_utc, to_utc


class WorkspaceError(Exception):
    """The project, workspace or data folder could not be resolved; the message says how to fix it."""


@dataclass
class Project:
    """Where the algorithm lives and which workspace it belongs to."""

    path: Path
    algorithm_file: Path
    workspace_root: Path | None
    config: dict[str, Any]

    @property
    def directory(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent


@dataclass
class BacktestResult:
    """The outcome of a run: status, statistics and where the files are."""

    algorithm_id: str
    status: str
    statistics: dict[str, str]
    runtime_statistics: dict[str, str]
    output_dir: Path | None
    runtime_error: str = ""
    stack_trace: str = ""
    order_list_hash: str = ""
    data_points: int = 0
    elapsed_seconds: float = 0.0
    logs: list[str] = field(default_factory=list)
    engine: Engine | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "Completed"


def load_project(path: Path) -> Project:
    path = path.resolve()
    if not path.exists():
        raise WorkspaceError(f"Project '{path}' does not exist. Pass a project folder containing main.py, or a .py file.")
    if path.is_dir():
        algorithm_file = path / "main.py"
        if not algorithm_file.exists():
            raise WorkspaceError(f"The specified project does not contain a main.py file: {path}")
    else:
        if path.suffix != ".py":
            raise WorkspaceError(f"Algorithm file '{path}' is not a Python file (.py); C# projects are not supported by lean-local.")
        algorithm_file = path
    directory = path if path.is_dir() else path.parent
    config_path = directory / "config.json"
    config: dict[str, Any] = {}
    if config_path.exists():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError as err:
            raise WorkspaceError(f"{config_path} is not valid JSON ({err.msg} at line {err.lineno}). Fix or delete it.") from None
    return Project(path, algorithm_file, find_workspace_root(directory), config)


def find_workspace_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``lean.json`` (how the LEAN CLI finds its workspace)."""
    for folder in (start, *start.parents):
        if (folder / "lean.json").is_file():
            return folder
    return None


def read_lean_json(root: Path) -> dict[str, Any]:
    text = (root / "lean.json").read_text(encoding="utf-8")
    try:
        data: dict[str, Any] = json.loads(_strip_json_comments(text))
    except json.JSONDecodeError as err:
        raise WorkspaceError(f"{root / 'lean.json'} is not valid JSON ({err.msg} at line {err.lineno}).") from None
    return data


def _strip_json_comments(text: str) -> str:
    out: list[str] = []
    i, n, in_string = 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def resolve_data_folder(project: Project, data_folder: Path | None) -> Path:
    """``--data-folder`` if given, else ``lean.json``'s ``data-folder`` relative to the workspace root."""
    if data_folder is not None:
        folder = data_folder.resolve()
        if not folder.is_dir():
            raise WorkspaceError(f"Data folder '{folder}' does not exist. Point --data-folder at a LEAN data folder.")
        return folder
    if project.workspace_root is None:
        raise WorkspaceError(
            f"No lean.json found in {project.directory} or any parent folder, and no --data-folder given. "
            "Run inside a LEAN workspace (lean init creates one) or pass --data-folder DIR."
        )
    config = read_lean_json(project.workspace_root)
    folder = (project.workspace_root / config.get("data-folder", "data")).resolve()
    if not folder.is_dir():
        raise WorkspaceError(
            f"The data folder '{folder}' named by {project.workspace_root / 'lean.json'} does not exist. "
            "Download LEAN data there (lean data download), generate a labelled synthetic market with "
            "'lean-local data synthetic --output <dir>', or pass --data-folder DIR."
        )
    return folder


def new_algorithm_id() -> str:
    """A backtest id like the LEAN CLI's: 10 digits starting with 1."""
    return "1" + str(random.randint(100_000_000, 999_999_999))


@contextmanager
def _import_paths(project: Project) -> Iterator[None]:
    added: list[str] = []
    candidates = [project.directory]
    if project.workspace_root is not None:
        library = project.workspace_root / "Library"
        if library.is_dir():
            for entry in project.config.get("libraries", []) or []:
                path = entry.get("path") if isinstance(entry, dict) else None
                if path:
                    candidates.append(project.workspace_root / path)
            candidates.append(library)
    for candidate in candidates:
        text = str(candidate)
        if text not in sys.path:
            sys.path.insert(len(added), text)
            added.append(text)
    try:
        yield
    finally:
        for text in added:
            if text in sys.path:
                sys.path.remove(text)


def load_algorithm_class(algorithm_file: Path) -> type:
    """Import the algorithm file under a private module name and return its QCAlgorithm subclass."""
    from lean_local.algorithm import QCAlgorithm

    module_name = f"lean_local_algorithm_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(module_name, algorithm_file)
    if spec is None or spec.loader is None:
        raise WorkspaceError(f"Cannot import {algorithm_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(module_name, None)
    candidates = [
        value for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, QCAlgorithm) and value is not QCAlgorithm
        and value.__module__ == module_name
    ]
    if not candidates:
        raise WorkspaceError(
            f"{algorithm_file} defines no class deriving from QCAlgorithm. An algorithm file needs "
            "'from AlgorithmImports import *' and 'class MyAlgorithm(QCAlgorithm): ...'."
        )
    # the most derived class defined in the file
    candidates.sort(key=lambda cls: len(cls.__mro__), reverse=True)
    return candidates[0]


def run_backtest(
    path: Path,
    *,
    data_folder: Path | None = None,
    output: Path | None = None,
    parameters: dict[str, str] | None = None,
    backtest_name: str | None = None,
    algorithm_id: str | None = None,
    write_output: bool = True,
    echo: Any = None,
) -> BacktestResult:
    """Backtest an algorithm project or file. ``echo`` receives console lines as they happen."""
    project = load_project(path)
    folder = resolve_data_folder(project, data_folder)
    algorithm_id = algorithm_id or new_algorithm_id()
    effective_parameters = {str(k): str(v) for k, v in (project.config.get("parameters") or {}).items()}
    if parameters:
        effective_parameters = {str(k): str(v) for k, v in parameters.items()}
    if write_output:
        if output is None:
            output = project.directory / "backtests" / datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
        output = output.resolve()
        output.mkdir(parents=True, exist_ok=True)
        write_config(output, algorithm_id, backtest_name)
        copy_code(project.path, output)
    say = echo or (lambda line: None)
    started = utc_now()
    wall_start = time.perf_counter()
    status = "Completed"
    runtime_error = ""
    stack_trace = ""
    engine: Engine | None = None
    with algorithm_imports.installed(), _import_paths(project):
        try:
            algorithm_class = load_algorithm_class(project.algorithm_file)
            algorithm = algorithm_class()
            engine = Engine(algorithm, EngineOptions(folder, effective_parameters, algorithm_id))
            engine.trace(f"Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0 (lean_local) Algorithm: {project.algorithm_file.name}")
            engine.run()
        except AlgorithmRuntimeError as err:
            status = "RuntimeError"
            runtime_error = f"{type(err.error).__name__}: {err.error} in {err.context}"
            stack_trace = err.stack_trace
        except (DataError, WorkspaceError):
            raise
        except Exception as err:  # noqa: BLE001 - loading errors are the algorithm's fault: report, don't crash
            status = "RuntimeError"
            runtime_error = f"{type(err).__name__}: {err}"
            stack_trace = traceback.format_exc()
    elapsed = time.perf_counter() - wall_start
    finished = utc_now()
    result = _collect(engine, algorithm_id, status, runtime_error, stack_trace, started, finished, elapsed)
    if write_output and output is not None:
        record = _record(engine, result, started, finished, effective_parameters)
        write_results(output, record)
        result.output_dir = output
    _echo_console(result, say)
    return result


def _collect(
    engine: Engine | None, algorithm_id: str, status: str, runtime_error: str, stack_trace: str,
    started: datetime, finished: datetime, elapsed: float,
) -> BacktestResult:
    from lean_local.orders.serialization import order_list_hash

    statistics: dict[str, str] = {}
    runtime: dict[str, str] = {}
    order_hash = order_list_hash({})
    data_points = 0
    logs: list[str] = []
    if engine is not None and engine.results.capacity is not None:
        try:
            stats = engine.results.statistics()
            statistics = dict(stats.summary)
            engine._last_statistics = stats  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001 - LEAN writes empty statistics when generation fails
            engine.trace(f"BaseResultsHandler.GenerateStatisticsResults(): Error generating statistics packet: {err}")
        runtime = engine.results.runtime_statistics_snapshot(statistics)
        order_hash = order_list_hash(engine.transaction_handler.orders)
        data_points = engine.data_points
        logs = [f"{entry.time:%Y-%m-%d %H:%M:%S} {entry.message}" for entry in engine.logs]
        if runtime_error:
            logs.append(f"{engine.algorithm.time:%Y-%m-%d %H:%M:%S} Runtime Error: {runtime_error}")
            logs.extend(stack_trace.rstrip().splitlines())
    return BacktestResult(algorithm_id, status, statistics, runtime, None, runtime_error, stack_trace, order_hash, data_points, elapsed, logs, engine)


def _record(engine: Engine | None, result: BacktestResult, started: datetime, finished: datetime, parameters: dict[str, str]) -> RunRecord:
    charts: dict[str, Any] = {}
    orders: dict[int, Any] = {}
    events: list[Any] = []
    profit_loss: dict[datetime, Decimal] = {}
    total_performance = None
    rolling: dict[str, Any] = {}
    configuration: dict[str, Any] = {"parameters": parameters}
    engine_log = [f"{iso_utc(started)} TRACE:: Engine.Main(): Started."]
    name = "algorithm"
    if engine is not None:
        algorithm = engine.algorithm
        name = algorithm.name
        charts = {key: chart.to_json() for key, chart in engine.results.charts.items()}
        for key, chart in engine.results.user_charts.items():
            charts.setdefault(key, chart.to_json())
        orders = engine.transaction_handler.orders
        events = list(engine.transaction_handler.order_events)
        profit_loss = dict(algorithm.portfolio.transaction_record.profit_loss)
        stats = getattr(engine, "_last_statistics", None)
        if stats is not None:
            total_performance = stats.total_performance
            rolling = stats.rolling_window
        configuration = {
            "name": algorithm.name,
            "tags": list(algorithm.tags),
            "accountCurrency": "USD",
            "brokerage": 0,
            "accountType": int(getattr(algorithm.brokerage_model, "account_type", 0)),
            "parameters": parameters,
            "outOfSampleMaxEndDate": None,
            "outOfSampleDays": 0,
            "startDate": algorithm.start_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "endDate": algorithm.end_date.strftime("%Y-%m-%dT00:00:00Z"),
            "tradingDaysPerYear": algorithm.settings.trading_days_per_year or 252,
        }
        engine_log = engine.engine_log
    statistics_lines = [f"{iso_utc(finished)} TRACE:: STATISTICS:: {k} {v}" for k, v in result.statistics.items()]
    statistics_lines.append(f"{iso_utc(finished)} TRACE:: STATISTICS:: OrderListHash {result.order_list_hash}")
    engine_log = list(engine_log) + statistics_lines
    return RunRecord(
        algorithm_id=result.algorithm_id,
        name=name,
        status=result.status,
        start_time_utc=started,
        end_time_utc=finished,
        runtime_error=result.runtime_error,
        stack_trace=result.stack_trace,
        statistics=result.statistics,
        runtime_statistics=result.runtime_statistics,
        charts=charts,  # type: ignore[arg-type]
        orders=orders,
        order_events=events,
        profit_loss=profit_loss,
        total_performance=total_performance,
        rolling_window=rolling,
        algorithm_configuration=configuration,
        log_lines=result.logs,
        engine_log_lines=engine_log,
        log_count=len(result.logs),
    )


def _echo_console(result: BacktestResult, say: Any) -> None:
    stamp = datetime.now().strftime("%Y%m%d %H:%M:%S.%f")[:-3]
    if result.status != "Completed":
        say(f"{stamp} ERROR:: Runtime Error: {result.runtime_error}")
        for line in result.stack_trace.rstrip().splitlines():
            say(f"{stamp} ERROR:: {line}")
    rate = result.data_points / result.elapsed_seconds / 1000 if result.elapsed_seconds > 0 else 0.0
    say(
        f"{stamp} TRACE:: Debug: Algorithm Id:({result.algorithm_id}) completed in {result.elapsed_seconds:.2f} seconds at "
        f"{rate:.0f}k data points per second. Processing total of {result.data_points:,} data points."
    )
    say(f"{stamp} TRACE:: ")
    for key, value in result.statistics.items():
        say(f"{stamp} TRACE:: STATISTICS:: {key} {value}")
    say(f"{stamp} TRACE:: STATISTICS:: OrderListHash {result.order_list_hash}")
