"""``BacktestService``: the backtest server's operations as a Python API.

The MCP server is a thin layer over this class; other servers, hooks and scripts use it directly::

    from mcp_backtest.service import BacktestService

    service = BacktestService("/path/to/workspace")               # or BacktestService.from_env()
    summary = service.create_backtest_sync("algorithms/trend_basket", name="baseline", parameters={"fast": "10"})
    print(summary.backtest_id, summary.status, summary.statistics["Sharpe Ratio"])
    details = service.read_backtest("algorithms/trend_basket", summary.backtest_id)
    recent = service.latest_backtests(limit=5)                     # across all projects, newest first

Every method validates its arguments and raises :class:`~mcp_backtest.errors.BacktestServiceError` (with a
message meant for the caller) for anything wrong; results are the pydantic models of :mod:`mcp_backtest.models`
(``.model_dump(by_alias=True)`` gives the camelCase JSON the MCP tools return). Text produced by algorithms
(logs, runtime errors) is always wrapped in :class:`~mcp_backtest.models.UntrustedText`.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.to_thread

from lean_local.runner import new_algorithm_id
from mcp_backtest import optimization as opt
from mcp_backtest.backends import Backend, RunOutcome, RunRequest, make_backend
from mcp_backtest.errors import BackendError, InvalidArgumentError, NotFoundError
from mcp_backtest.models import (
    BacktestDetails,
    BacktestList,
    BacktestStatus,
    BacktestSummary,
    ChartData,
    ChartSeries,
    LibraryAdded,
    LogPage,
    OptimizationResult,
    OptimizationRun,
    OrdersPage,
    ProjectDetails,
    ProjectList,
    SyntaxReport,
)
from mcp_backtest.results import (
    BacktestFolder,
    error_lines_from_engine_log,
    find_backtest,
    folder_at,
    headline,
    read_json,
    read_lines,
    scan_backtests,
    string_dict,
)
from mcp_backtest.untrusted import envelope
from mcp_backtest.workspace import ProjectRef, Workspace, read_project_config

#: ``progress(fraction 0..1, message)``
ProgressCallback = Callable[[float, str], Awaitable[None]]

BACKEND_ENV = "MCP_BACKTEST_BACKEND"
TIMEOUT_ENV = "MCP_BACKTEST_TIMEOUT"
MAX_PARALLEL_ENV = "MCP_BACKTEST_MAX_PARALLEL"
DEFAULT_TIMEOUT_SECONDS = 900.0
MAX_TIMEOUT_SECONDS = 6 * 3600.0
MAX_ORDERS_PER_PAGE = 100
MAX_LOG_LINES_PER_PAGE = 500
MAX_CHART_POINTS = 2000
MAX_NAME_CHARS = 200
MAX_PARAMETERS = 100
_BACKTEST_ID = re.compile(r"^[0-9]{1,20}$")
_PARAMETER_KEY = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_FOLDER_TIME = "%Y-%m-%d_%H-%M-%S"


@dataclass
class _Running:
    project: str
    name: str | None
    folder: Path
    parameters: dict[str, str]
    backend: str
    started: float = field(default_factory=time.monotonic)
    progress: float = 0.0


class BacktestService:
    """Projects, backtests and optimizations of one LEAN workspace, on one backend."""

    def __init__(
        self,
        workspace: Workspace | Path | str | None = None,
        backend: Backend | str = "local",
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_parallel: int | None = None,
        max_optimization_runs: int = 100,
    ) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
        self.backend: Backend = make_backend(backend) if isinstance(backend, str) else backend
        if not 0 < timeout_seconds <= MAX_TIMEOUT_SECONDS:
            raise InvalidArgumentError(f"timeout_seconds must be in (0, {MAX_TIMEOUT_SECONDS:g}]")
        self.timeout_seconds = float(timeout_seconds)
        self.max_parallel = max(1, max_parallel or os.cpu_count() or 1)
        self.max_optimization_runs = max(1, max_optimization_runs)
        self._running: dict[str, _Running] = {}
        self._running_optimizations: dict[str, tuple[str, Path]] = {}
        self._slots: tuple[int, anyio.Semaphore] | None = None

    @classmethod
    def from_env(cls, workspace: Path | str | None = None) -> BacktestService:
        """Configured from ``$MCP_BACKTEST_WORKSPACE``, ``$MCP_BACKTEST_BACKEND``, ``$MCP_BACKTEST_TIMEOUT`` and
        ``$MCP_BACKTEST_MAX_PARALLEL`` (each optional)."""
        timeout = _env_number(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS)
        parallel = _env_number(MAX_PARALLEL_ENV, 0)
        return cls(workspace, os.environ.get(BACKEND_ENV) or "local", timeout_seconds=timeout,
                   max_parallel=int(parallel) or None)

    # --- projects -------------------------------------------------------------------------------------------------
    def list_projects(self) -> ProjectList:
        ws = self.workspace
        return ProjectList(workspace=str(ws.root), projects=[ws.project_info(ref) for ref in ws.project_refs()])

    def read_project(self, project: str) -> ProjectDetails:
        ref = self.workspace.resolve_project(project, allow_library=True)
        info = self.workspace.project_info(ref)
        latest = None
        if not ref.is_library:
            folders = scan_backtests(ref.path)
            if folders:
                latest = self._summary(ref, folders[0])
        return ProjectDetails(**info.model_dump(), files=self.workspace.project_files(ref),
                              config=read_project_config(ref.path), latest_backtest=latest)

    def create_project(
        self, name: str, description: str = "", library: bool = False, parameters: dict[str, Any] | None = None,
    ) -> ProjectDetails:
        if not isinstance(description, str) or len(description) > 2000:
            raise InvalidArgumentError("description must be a string of at most 2000 characters.")
        params = _parameters(parameters) if parameters is not None else None
        ref = self.workspace.create_project(name, description=description, library=library, parameters=params)
        return self.read_project(ref.name)

    def add_library(self, project: str, library: str) -> LibraryAdded:
        ref, reference, already, libraries = self.workspace.add_library(project, library)
        return LibraryAdded(project=ref.name, library=reference, already_referenced=already, libraries=libraries)

    def check_syntax(self, project: str) -> SyntaxReport:
        from mcp_backtest.syntax import check_project

        ref = self.workspace.resolve_project(project, allow_library=True)
        return check_project(self.workspace, ref)

    # --- backtests ------------------------------------------------------------------------------------------------
    async def create_backtest(
        self,
        project: str,
        name: str | None = None,
        parameters: dict[str, Any] | None = None,
        *,
        timeout_seconds: float | None = None,
        progress: ProgressCallback | None = None,
    ) -> BacktestSummary:
        """Run a backtest to the end and return its id, status and headline statistics.

        ``parameters`` replace the project's config.json parameters for this run (as ``lean backtest
        --parameter`` does); None keeps them.
        """
        ref = self.workspace.resolve_project(project)
        name = _name(name)
        params = _parameters(parameters) if parameters is not None else None
        timeout = self._timeout(timeout_seconds)
        output = _claim_folder(ref.path / "backtests")
        outcome = await self._run(ref, output, new_algorithm_id(), name, params, timeout, progress)
        folder = folder_at(output) or BacktestFolder(output, outcome.backtest_id, name)
        return self._summary(ref, folder, outcome=outcome, parameters=params)

    def create_backtest_sync(self, project: str, name: str | None = None, parameters: dict[str, Any] | None = None,
                             *, timeout_seconds: float | None = None) -> BacktestSummary:
        """:meth:`create_backtest` for synchronous callers (not from inside an event loop)."""
        return anyio.run(partial(self.create_backtest, project, name, parameters, timeout_seconds=timeout_seconds))

    async def _run(
        self, ref: ProjectRef, output: Path, backtest_id: str, name: str | None, params: dict[str, str] | None,
        timeout: float, progress: ProgressCallback | None,
    ) -> RunOutcome:
        request = RunRequest(self.workspace.root, ref.path, output, backtest_id, name, params, timeout)
        effective = params if params is not None else self.workspace.project_info(ref).parameters
        running = _Running(ref.name, name, output, dict(effective), self.backend.name)
        self._running[backtest_id] = running
        last = [-1.0]

        async def report(fraction: float, message: str) -> None:
            fraction = min(max(fraction, 0.0), 1.0)
            running.progress = fraction
            if progress is not None and fraction > last[0]:
                last[0] = fraction
                await progress(fraction, message)

        try:
            async with self._slot():
                outcome = await self.backend.run(request, report)
        except BackendError:
            _remove_if_empty(output)
            raise
        finally:
            self._running.pop(backtest_id, None)
        await report(1.0, f"backtest {outcome.status.lower()}")
        return outcome

    def _slot(self) -> anyio.Semaphore:
        loop = id(asyncio.get_running_loop())
        if self._slots is None or self._slots[0] != loop:
            self._slots = (loop, anyio.Semaphore(self.max_parallel))
        return self._slots[1]

    def _timeout(self, value: float | None) -> float:
        if value is None:
            return self.timeout_seconds
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= MAX_TIMEOUT_SECONDS:
            raise InvalidArgumentError(f"timeoutSeconds must be a number of seconds between 1 and {MAX_TIMEOUT_SECONDS:g}.")
        return float(value)

    def read_backtest(self, project: str, backtest_id: str) -> BacktestDetails:
        ref, folder = self._backtest(project, backtest_id)
        summary = self._summary(ref, folder, all_statistics=True)
        details = BacktestDetails(**summary.model_dump())
        data = folder.summary() if folder.finished else None
        files = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.path.iterdir()) if folder.path.is_dir() else []
        details.files = files
        if data is None:
            running = self._running.get(folder.backtest_id)
            details.progress = running.progress if running is not None else None
            return details
        details.runtime_statistics = string_dict(data.get("runtimeStatistics"))
        performance = _dict(data.get("totalPerformance"))
        details.portfolio_statistics = _dict(performance.get("portfolioStatistics"))
        trade = _dict(performance.get("tradeStatistics"))
        details.trade_statistics = trade
        details.algorithm_configuration = _dict(data.get("algorithmConfiguration"))
        state = string_dict(data.get("state"))
        details.state = {k: v for k, v in state.items() if k not in ("RuntimeError", "StackTrace")}
        result = folder.result()
        if isinstance(result, dict):
            details.charts = sorted(result["charts"]) if isinstance(result.get("charts"), dict) else []
            details.order_count = len(result["orders"]) if isinstance(result.get("orders"), dict) else 0
        else:
            details.order_count = _int(state.get("OrderCount"))
        details.log_line_count = len(read_lines(folder.algorithm_log_file))
        return details

    def list_backtests(self, project: str, include_statistics: bool = False, limit: int = 100) -> BacktestList:
        ref = self.workspace.resolve_project(project)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise InvalidArgumentError("limit must be an integer between 1 and 1000.")
        summaries = []
        folders = scan_backtests(ref.path)
        known = {folder.path for folder in folders}
        starting = [BacktestFolder(r.folder, backtest_id, r.name) for backtest_id, r in self._running.items()
                    if r.project == ref.name and r.folder.parent == ref.path / "backtests" and r.folder not in known]
        for folder in (starting + folders)[:limit]:
            summary = self._summary(ref, folder)
            if not include_statistics:
                summary.statistics = {}
            summaries.append(summary)
        return BacktestList(project=ref.name, backtests=summaries)

    def latest_backtests(self, limit: int = 5) -> list[BacktestSummary]:
        """The newest backtests of every algorithm project in the workspace, newest first (for session context)."""
        found: list[tuple[str, ProjectRef, BacktestFolder]] = []
        for ref in self.workspace.project_refs():
            if ref.is_library:
                continue
            for folder in scan_backtests(ref.path)[:limit]:
                found.append((folder.created() or "", ref, folder))
        found.sort(key=lambda item: item[0], reverse=True)
        return [self._summary(ref, folder) for _, ref, folder in found[:limit]]

    def read_backtest_orders(
        self, project: str, backtest_id: str, start: int = 0, end: int = 100, include_events: bool = False,
    ) -> OrdersPage:
        _check_range(start, end, MAX_ORDERS_PER_PAGE, "start", "end", "orders")
        ref, folder = self._backtest(project, backtest_id)
        result = self._finished_result(ref, folder)
        orders = _dict(result.get("orders"))
        ordered = sorted(orders.values(), key=lambda o: _int(o.get("id")) if isinstance(o, dict) else 0)
        page = [dict(o) for o in ordered[start:end] if isinstance(o, dict)]
        if include_events and page:
            events = read_json(folder.order_events_file)
            by_order: dict[int, list[Any]] = {}
            for event in events if isinstance(events, list) else []:
                if isinstance(event, dict):
                    by_order.setdefault(_int(event.get("orderId")), []).append(event)
            for order in page:
                order["events"] = by_order.get(_int(order.get("id")), [])
        return OrdersPage(project=ref.name, backtest_id=folder.backtest_id, start=start, end=start + len(page),
                          total_orders=len(ordered), orders=page)

    def read_backtest_chart(
        self, project: str, backtest_id: str, name: str, count: int = 100, start: int | None = None,
        end: int | None = None,
    ) -> ChartData:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
            raise InvalidArgumentError("name must be a chart name such as 'Strategy Equity' (see read_backtest 'charts').")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_CHART_POINTS:
            raise InvalidArgumentError(f"count must be an integer between 1 and {MAX_CHART_POINTS}.")
        for label, value in (("start", start), ("end", end)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise InvalidArgumentError(f"{label} must be a unix time in seconds (an integer >= 0).")
        if start is not None and end is not None and end < start:
            raise InvalidArgumentError("end must not be before start.")
        ref, folder = self._backtest(project, backtest_id)
        result = self._finished_result(ref, folder)
        charts = _dict(result.get("charts"))
        chart = charts.get(name)
        if not isinstance(chart, dict):
            raise NotFoundError(f"Backtest {folder.backtest_id} has no chart {name!r}. Charts: {', '.join(sorted(charts)) or 'none'}.")
        series_out: dict[str, ChartSeries] = {}
        series = _dict(chart.get("series"))
        for key, data in series.items():
            if not isinstance(data, dict):
                continue
            points: list[list[float | None]] = []
            for value in data.get("values") or []:
                point = _point(value)
                x = point[0] if point is not None else None
                if point is not None and x is not None and (start is None or x >= start) and (end is None or x <= end):
                    points.append(point)
            series_out[str(key)] = ChartSeries(
                name=str(data.get("name") or key),
                unit=data.get("unit") if isinstance(data.get("unit"), str) else None,
                series_type=data.get("seriesType") if isinstance(data.get("seriesType"), int) else None,
                total_points=len(points),
                values=_downsample(points, count),
            )
        return ChartData(project=ref.name, backtest_id=folder.backtest_id, name=name, available_charts=sorted(charts),
                         series=series_out)

    def read_backtest_logs(
        self, project: str, backtest_id: str, start_line: int = 0, end_line: int = 250,
        source: Literal["algorithm", "engine"] = "algorithm",
    ) -> LogPage:
        _check_range(start_line, end_line, MAX_LOG_LINES_PER_PAGE, "startLine", "endLine", "log lines")
        if source not in ("algorithm", "engine"):
            raise InvalidArgumentError("source must be 'algorithm' (the algorithm's own log) or 'engine' (log.txt).")
        ref, folder = self._backtest(project, backtest_id)
        path = folder.algorithm_log_file if source == "algorithm" else folder.engine_log_file
        lines = read_lines(path)
        page = lines[start_line:end_line]
        origin = (f"{'algorithm log' if source == 'algorithm' else 'LEAN engine log'} of backtest "
                  f"{folder.backtest_id} (project {ref.name}), lines {start_line}-{start_line + len(page)}")
        return LogPage(project=ref.name, backtest_id=folder.backtest_id, source=source, start_line=start_line,
                       end_line=start_line + len(page), total_lines=len(lines), log=envelope(origin, page))

    # --- helpers for backtests ----------------------------------------------------------------------------------
    def _backtest(self, project: str, backtest_id: str) -> tuple[ProjectRef, BacktestFolder]:
        if not isinstance(backtest_id, str) or not _BACKTEST_ID.match(backtest_id):
            raise InvalidArgumentError(
                f"backtestId must be the digits of a backtest id (e.g. '1850967649'), got {str(backtest_id)[:40]!r}. "
                "list_backtests shows them."
            )
        ref = self.workspace.resolve_project(project)
        folder = find_backtest(ref.path, backtest_id)
        running = self._running.get(backtest_id)
        if folder is None and running is not None and running.project == ref.name:
            folder = BacktestFolder(running.folder, backtest_id, running.name)  # started, config not written yet
        if folder is None:
            raise NotFoundError(f"Backtest {backtest_id} not found in project '{ref.name}'. list_backtests shows its backtests.")
        return ref, folder

    def _finished_result(self, ref: ProjectRef, folder: BacktestFolder) -> dict[str, Any]:
        result = folder.result() if folder.finished else None
        if not isinstance(result, dict):
            status = self._summary(ref, folder).status
            raise NotFoundError(
                f"Backtest {folder.backtest_id} has no results (status {status}); read_backtest shows why."
            )
        return result

    def _summary(
        self, ref: ProjectRef, folder: BacktestFolder, *, outcome: RunOutcome | None = None,
        parameters: dict[str, str] | None = None, all_statistics: bool = False,
    ) -> BacktestSummary:
        data = folder.summary() if folder.finished else None
        running = self._running.get(folder.backtest_id)
        summary = BacktestSummary(
            backtest_id=folder.backtest_id, project=ref.name, name=folder.name, status="Incomplete",
            output_dir=self.workspace.relative(folder.path), created=folder.created(),
        )
        if outcome is not None:
            summary.backend = self.backend.name
            summary.elapsed_seconds = round(outcome.elapsed_seconds, 3)
        origin = f"runtime error of backtest {folder.backtest_id} (project {ref.name})"
        if isinstance(data, dict):
            state = string_dict(data.get("state"))
            summary.status = "Completed" if state.get("Status") == "Completed" else "RuntimeError"
            configuration = _dict(data.get("algorithmConfiguration"))
            summary.parameters = string_dict(configuration.get("parameters"))
            statistics = string_dict(data.get("statistics"))
            summary.statistics = statistics if all_statistics else headline(statistics)
            if summary.status != "Completed":
                text = f"{state.get('RuntimeError', '')}\n{state.get('StackTrace', '')}".strip()
                summary.error = envelope(origin, text or f"LEAN status {state.get('Status')!r}")
            return summary
        if running is not None:
            summary.status = "Running"
            summary.backend = running.backend
            summary.parameters = running.parameters
            return summary
        if parameters is not None:
            summary.parameters = parameters
        if outcome is not None:
            summary.status = _status(outcome.status)
            if outcome.error:
                summary.error = envelope(origin, outcome.error)
            return summary
        errors = error_lines_from_engine_log(folder)
        if errors:
            summary.status = "Failed"
            summary.error = envelope(origin, errors)
        return summary

    # --- optimizations --------------------------------------------------------------------------------------------
    async def create_optimization(
        self,
        project: str,
        parameters: list[opt.GridParameter | dict[str, Any]],
        target: str = "Sharpe Ratio",
        target_direction: Literal["max", "min"] = "max",
        constraints: list[opt.Constraint | dict[str, Any]] | None = None,
        name: str | None = None,
        max_parallel: int | None = None,
        *,
        timeout_seconds: float | None = None,
        progress: ProgressCallback | None = None,
    ) -> OptimizationResult:
        """Backtest every combination of the grid (in parallel processes) and rank them by ``target``."""
        ref = self.workspace.resolve_project(project)
        name = _name(name)
        if target not in opt.STATISTICS:
            raise InvalidArgumentError(f"target must be one of LEAN's statistics: {', '.join(opt.STATISTICS)}.")
        if target_direction not in ("max", "min"):
            raise InvalidArgumentError("targetDirection must be 'max' or 'min'.")
        grid_parameters = [_model(opt.GridParameter, p, "parameters") for p in _list(parameters, "parameters")]
        checks = [_model(opt.Constraint, c, "constraints") for c in _list(constraints or [], "constraints")]
        if max_parallel is not None and (isinstance(max_parallel, bool) or not isinstance(max_parallel, int)
                                         or not 1 <= max_parallel <= 64):
            raise InvalidArgumentError("maxParallel must be an integer between 1 and 64.")
        timeout = self._timeout(timeout_seconds)
        grid = opt.expand_grid(grid_parameters, self.max_optimization_runs)
        parallel = min(max_parallel or self.max_parallel, self.max_parallel, len(grid))
        folder = _claim_folder(ref.path / "optimizations")
        optimization_id = opt.new_optimization_id()
        started = time.monotonic()
        opt.write_json(folder / "config", {"id": int(optimization_id), **({"optimization-name": name} if name else {})})
        opt.write_json(folder / opt.REQUEST_FILE, {
            "project": ref.name, "target": target, "target-direction": target_direction,
            "parameters": [p.model_dump(exclude_none=True) for p in grid_parameters],
            "constraints": [c.describe() for c in checks], "backend": self.backend.name, "max-parallel": parallel,
        })
        self._running_optimizations[optimization_id] = (ref.name, folder)
        runs: list[OptimizationRun | None] = [None] * len(grid)
        done = [0]
        limiter = anyio.Semaphore(parallel)
        if progress is not None:
            await progress(0.0, f"optimization of {len(grid)} backtests started ({parallel} in parallel)")

        async def one(index: int, values: dict[str, str]) -> None:
            async with limiter:
                backtest_id = new_algorithm_id()
                output = folder / backtest_id
                output.mkdir()
                try:
                    outcome = await self._run(ref, output, backtest_id, f"{name or 'optimization'} #{index + 1}",
                                              values, timeout, None)
                    summary = self._summary(ref, folder_at(output) or BacktestFolder(output, backtest_id, None),
                                            outcome=outcome, parameters=values, all_statistics=True)
                    runs[index] = OptimizationRun(backtest_id=summary.backtest_id, parameters=values,
                                                  status=summary.status, statistics=summary.statistics,
                                                  error=summary.error)
                except BackendError as err:
                    runs[index] = OptimizationRun(backtest_id=backtest_id, parameters=values, status="Failed",
                                                  error=envelope(f"backend error for backtest {backtest_id}", str(err)))
            done[0] += 1
            if progress is not None:
                await progress(done[0] / len(grid), f"{done[0]} of {len(grid)} backtests finished")

        try:
            async with anyio.create_task_group() as group:
                for index, values in enumerate(grid):
                    group.start_soon(one, index, values)
        finally:
            self._running_optimizations.pop(optimization_id, None)
        finished = [r for r in runs if r is not None]
        ranked = opt.rank_runs(finished, target, target_direction, checks)
        for run in ranked:  # keep the full statistics on disk, headline ones in the answer
            run.statistics = headline(run.statistics) | {target: run.statistics.get(target, "")}
        result = OptimizationResult(
            optimization_id=optimization_id, project=ref.name, name=name, status="Completed", target=target,
            target_direction=target_direction, constraints=[c.describe() for c in checks],
            parameter_grid=[p.model_dump(exclude_none=True) for p in grid_parameters], total_runs=len(grid),
            completed_runs=sum(r.status == "Completed" for r in finished),
            failed_runs=sum(r.status != "Completed" for r in finished),
            best=next((r for r in ranked if r.rank == 1), None), runs=ranked,
            output_dir=self.workspace.relative(folder), created=_folder_created(folder),
            elapsed_seconds=round(time.monotonic() - started, 3), backend=self.backend.name,
        )
        opt.write_json(folder / opt.RESULTS_FILE, result.model_dump(mode="json"))
        return result

    def create_optimization_sync(self, project: str, parameters: list[Any], **kwargs: Any) -> OptimizationResult:
        return anyio.run(partial(self.create_optimization, project, parameters, **kwargs))

    def read_optimization(self, project: str, optimization_id: str) -> OptimizationResult:
        if not isinstance(optimization_id, str) or not _BACKTEST_ID.match(optimization_id):
            raise InvalidArgumentError(
                f"optimizationId must be the digits of an optimization id (e.g. '2123456789'), got {str(optimization_id)[:40]!r}."
            )
        ref = self.workspace.resolve_project(project)
        base = ref.path / "optimizations"
        for folder in sorted(base.iterdir(), reverse=True) if base.is_dir() else []:
            config = read_json(folder / "config")
            if not isinstance(config, dict) or str(config.get("id")) != optimization_id:
                continue
            result = opt.read_result(folder)
            if result is not None:
                return result
            request = read_json(folder / opt.REQUEST_FILE)
            request = request if isinstance(request, dict) else {}
            running = optimization_id in self._running_optimizations
            runs = []
            for child in sorted(folder.iterdir()):
                run_folder = folder_at(child) if child.is_dir() else None
                if run_folder is not None:
                    summary = self._summary(ref, run_folder)
                    runs.append(OptimizationRun(backtest_id=summary.backtest_id, parameters=summary.parameters,
                                                status=summary.status, statistics=summary.statistics))
            return OptimizationResult(
                optimization_id=optimization_id, project=ref.name,
                name=config.get("optimization-name") if isinstance(config.get("optimization-name"), str) else None,
                status="Running" if running else "Incomplete",
                target=str(request.get("target", "")), target_direction="min" if request.get("target-direction") == "min" else "max",
                total_runs=len(runs), completed_runs=sum(r.status == "Completed" for r in runs),
                failed_runs=sum(r.status not in ("Completed", "Running") for r in runs), runs=runs,
                output_dir=self.workspace.relative(folder), created=_folder_created(folder), backend=None,
            )
        raise NotFoundError(f"Optimization {optimization_id} not found in project '{ref.name}'.")


# --- module helpers ----------------------------------------------------------------------------------------------------
def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise InvalidArgumentError(f"${name} must be a number, got {text!r}.") from None


def _name(name: Any) -> str | None:
    if name is None:
        return None
    if not isinstance(name, str):
        raise InvalidArgumentError("name must be a string.")
    text = name.strip()
    if len(text) > MAX_NAME_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidArgumentError(f"name must be at most {MAX_NAME_CHARS} printable characters on one line.")
    return text or None


def _parameters(parameters: Any) -> dict[str, str]:
    if not isinstance(parameters, dict):
        raise InvalidArgumentError('parameters must be an object of name -> value, e.g. {"fast": "10"}.')
    if len(parameters) > MAX_PARAMETERS:
        raise InvalidArgumentError(f"At most {MAX_PARAMETERS} parameters are allowed.")
    result: dict[str, str] = {}
    for key, value in parameters.items():
        if not isinstance(key, str) or not _PARAMETER_KEY.match(key) or key != key.strip():
            raise InvalidArgumentError(f"Parameter name {str(key)[:60]!r} must be 1-100 printable characters without surrounding spaces.")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float, str)):
            if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                raise InvalidArgumentError(f"Parameter {key!r} must be a finite number or a string.")
            text = str(value)
        else:
            raise InvalidArgumentError(f"Parameter {key!r} must be a string, number or boolean, not {type(value).__name__}.")
        if len(text) > 1000 or any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise InvalidArgumentError(f"Parameter {key!r} must be at most 1000 printable characters on one line.")
        result[key] = text
    return result


def _list(value: Any, label: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidArgumentError(f"{label} must be a list.")
    if len(value) > 20:
        raise InvalidArgumentError(f"At most 20 {label} are allowed.")
    return value


def _model(cls: Any, value: Any, label: str) -> Any:
    if isinstance(value, cls):
        return value
    try:
        return cls.model_validate(value)
    except ValueError as err:
        from pydantic import ValidationError

        if isinstance(err, ValidationError):
            raise InvalidArgumentError(f"Invalid {label} entry: {_describe_validation(err)}") from None
        raise InvalidArgumentError(f"Invalid {label} entry: {err}") from None


def _describe_validation(err: Any) -> str:
    parts = []
    for item in err.errors()[:5]:
        location = ".".join(str(p) for p in item.get("loc", ())) or "value"
        parts.append(f"{location}: {item.get('msg', 'invalid')}")
    return "; ".join(parts)


def _check_range(start: Any, end: Any, limit: int, start_label: str, end_label: str, what: str) -> None:
    for label, value in ((start_label, start), (end_label, end)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgumentError(f"{label} must be an integer >= 0.")
    if end <= start:
        raise InvalidArgumentError(f"{end_label} must be greater than {start_label}.")
    if end - start > limit:
        raise InvalidArgumentError(f"At most {limit} {what} per request: {end_label} - {start_label} must be <= {limit}.")


def _claim_folder(base: Path) -> Path:
    """A new ``<base>/<YYYY-MM-DD_HH-MM-SS>`` folder (the next free second when taken), created atomically."""
    base.mkdir(parents=True, exist_ok=True)
    moment = datetime.now().replace(microsecond=0)
    for _ in range(100_000):
        candidate = base / moment.strftime(_FOLDER_TIME)
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            moment = moment.fromtimestamp(moment.timestamp() + 1)
    raise BackendError(f"No free output folder name under '{base}'.")  # pragma: no cover


def _remove_if_empty(path: Path) -> None:
    try:
        if path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    except OSError:
        pass


def _folder_created(folder: Path) -> str | None:
    try:
        return datetime.strptime(folder.name, _FOLDER_TIME).isoformat()
    except ValueError:
        return None


def _status(value: str) -> BacktestStatus:
    allowed = ("Completed", "RuntimeError", "Running", "Failed", "Timeout", "Killed", "Incomplete")
    return value if value in allowed else "Failed"  # type: ignore[return-value]


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _point(value: Any) -> list[float | None] | None:
    if isinstance(value, dict):
        value = [value.get("x"), value.get("y")]
    if not isinstance(value, list) or not value or not isinstance(value[0], (int, float)) or isinstance(value[0], bool):
        return None
    return [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in value]


def _downsample(points: list[list[float | None]], count: int) -> list[list[float | None]]:
    """At most ``count`` points, evenly spaced, always keeping the first and last."""
    if len(points) <= count:
        return points
    if count == 1:
        return [points[-1]]
    step = (len(points) - 1) / (count - 1)
    return [points[round(i * step)] for i in range(count)]
