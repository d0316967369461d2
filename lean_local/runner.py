"""Run one algorithm file end to end: find the workspace, load the algorithm, run the engine, write results.

This is what ``lean-local backtest`` calls, and what the MCP server and the discovery loop call in-process.
The workspace rules follow the LEAN CLI (``lean-cli.md`` §1.2 and §3):

* ``lean.json`` is found by walking up from the project folder (or given explicitly); it must name the working
  organization (``organization-id`` or ``job-organization-id``) and its ``data-folder`` is relative to it.
  ``--data-folder`` overrides it, and also allows running without any ``lean.json``.
* The algorithm is ``main.py`` in the project folder, or the ``.py`` file given; the project folder is always the
  folder holding the algorithm file (its ``config.json``, its ``backtests/``, the code copied to ``code/``).
* Project parameters come from ``config.json`` unless parameters are given for the run, which then replace them.
* ``sys.path`` is ordered as in LEAN's container: the project folder first, then, only for a project whose
  ``config.json`` says ``"algorithm-language": "Python"`` and references libraries, each ``Library/<lib>`` and
  ``Library`` itself. Modules imported from those folders are removed again after the run, so two runs in one
  process never share workspace code.

Failures before the engine starts (bad workspace, unloadable algorithm) raise :class:`WorkspaceError`; nothing
is written. Once the output folder exists every failure — an exception in the algorithm, missing or corrupt
data — is recorded LEAN's way: the whole folder is written with ``state.Status == "RuntimeError"``, and the
:class:`BacktestResult` carries the exception.
"""
from __future__ import annotations

import contextvars
import importlib
import inspect
import json
import random
import sys
import sysconfig
import time
import traceback
import types
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local import algorithm_imports
from lean_local.data.errors import DataError
from lean_local.engine import AlgorithmRuntimeError, Engine, EngineOptions
from lean_local.results.writer import RunRecord, copy_code, utc_now, write_config, write_results
from lean_local.timeutil import iso_utc

Echo = Callable[[str], None]

_PACKAGE_DIR = Path(__file__).resolve().parent


class WorkspaceError(Exception):
    """The project, workspace or data folder could not be resolved; the message says how to fix it."""


class AlgorithmLoadError(WorkspaceError):
    """The algorithm file could not be imported (syntax error, failing import) or defines no QCAlgorithm."""


@dataclass
class Project:
    """Where the algorithm lives and which workspace it belongs to."""

    path: Path
    algorithm_file: Path
    workspace_root: Path | None
    config: dict[str, Any]
    lean_config: dict[str, Any] = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        """The project folder: the folder holding the algorithm file (what LEAN mounts at ``/LeanCLI``)."""
        return self.algorithm_file.parent


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
    failure: BaseException | None = None
    project_dir: Path | None = None
    workspace_root: Path | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "Completed"

    @property
    def data_error(self) -> DataError | None:
        """The data problem that stopped the run, if that is what happened."""
        return self.failure if isinstance(self.failure, DataError) else None


# --- workspace -----------------------------------------------------------------------------------------------------
def load_project(path: Path, lean_config: Path | None = None) -> Project:
    """Resolve PROJECT (a folder with ``main.py`` or a ``.py`` file), its ``config.json`` and its workspace."""
    path = Path(path).resolve()
    if not path.exists():
        raise WorkspaceError(f"Project '{path}' does not exist. Pass a project folder containing main.py, or a .py file.")
    if path.is_dir():
        algorithm_file = path / "main.py"
        if not algorithm_file.is_file():
            raise WorkspaceError(f"The specified project '{path}' does not contain a main.py file.")
    else:
        if path.suffix != ".py":
            raise WorkspaceError(
                f"Algorithm file '{path}' is not a Python file (.py); pass a project folder containing main.py or a "
                ".py file (C# projects are not supported by lean-local)."
            )
        algorithm_file = path
    directory = algorithm_file.parent
    config = _read_project_config(directory / "config.json")
    lean_json: Path | None
    if lean_config is not None:
        lean_json = Path(lean_config).resolve()
        if not lean_json.is_file():
            raise WorkspaceError(f"The Lean configuration file '{lean_json}' given with --lean-config does not exist.")
    else:
        root = find_workspace_root(directory)
        lean_json = root / "lean.json" if root is not None else None
    workspace_config: dict[str, Any] = {}
    if lean_json is not None:
        workspace_config = read_lean_json(lean_json)
        _check_organization(workspace_config, lean_json)
    return Project(path, algorithm_file, lean_json.parent if lean_json is not None else None, config, workspace_config)


def _read_project_config(config_path: Path) -> dict[str, Any]:
    if not config_path.exists():
        return {}
    try:
        text = config_path.read_text(encoding="utf-8")
        config = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as err:
        raise WorkspaceError(
            f"The project configuration '{config_path}' is not valid JSON ({err.msg} at line {err.lineno}, "
            f"column {err.colno}). Fix or delete it."
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise WorkspaceError(f"The project configuration '{config_path}' cannot be read: {err}") from None
    if not isinstance(config, dict):
        raise WorkspaceError(f"The project configuration '{config_path}' must be a JSON object, not {type(config).__name__}.")
    parameters = config.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        raise WorkspaceError(f"'parameters' in '{config_path}' must be a JSON object of name -> value.")
    libraries = config.get("libraries")
    if libraries is not None and (
        not isinstance(libraries, list)
        or not all(isinstance(entry, dict) and isinstance(entry.get("path"), str) for entry in libraries)
    ):
        raise WorkspaceError(
            f"'libraries' in '{config_path}' must be a list of {{\"name\": ..., \"path\": \"Library/<name>\"}} objects."
        )
    return config


def find_workspace_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``lean.json`` (the workspace root)."""
    for folder in (start, *start.parents):
        if (folder / "lean.json").is_file():
            return folder
    return None


def read_lean_json(path: Path) -> dict[str, Any]:
    """Parse ``lean.json``, which may contain ``//`` and ``/* */`` comments as the LEAN CLI allows.

    ``path`` may also be the workspace root folder (the file inside it is read).
    """
    if path.is_dir():
        path = path / "lean.json"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise WorkspaceError(f"The Lean configuration file '{path}' cannot be read: {err}") from None
    try:
        data = json.loads(_strip_json_comments(text))
    except json.JSONDecodeError as err:
        raise WorkspaceError(
            f"The Lean configuration file '{path}' is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})."
        ) from None
    if not isinstance(data, dict):
        raise WorkspaceError(f"The Lean configuration file '{path}' must be a JSON object, not {type(data).__name__}.")
    return data


def _check_organization(config: dict[str, Any], lean_json: Path) -> None:
    """``lean backtest`` refuses a workspace whose lean.json names no organization (§1.2); so do we."""
    if config.get("job-organization-id") or config.get("organization-id"):
        return
    raise WorkspaceError(
        f"The working organization for this Lean CLI folder could not be determined: '{lean_json}' has no "
        "\"organization-id\". Add \"organization-id\": \"<your organization id>\" to it (lean init writes it)."
    )


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
        folder = Path(data_folder).resolve()
        if not folder.is_dir():
            raise WorkspaceError(f"The data folder '{folder}' given with --data-folder does not exist. Point it at a LEAN data folder.")
        return folder
    if project.workspace_root is None:
        raise WorkspaceError(
            f"No lean.json found in '{project.directory}' or any parent folder, and no --data-folder given. "
            "Run inside a LEAN workspace (lean init creates one) or pass --data-folder DIR."
        )
    configured = project.lean_config.get("data-folder", "data")
    if not isinstance(configured, str) or not configured:
        raise WorkspaceError(f"'data-folder' in '{project.workspace_root / 'lean.json'}' must be a folder path (a string).")
    folder = (project.workspace_root / configured).resolve()
    if not folder.is_dir():
        raise WorkspaceError(
            f"The data folder '{folder}' named by '{project.workspace_root / 'lean.json'}' (\"data-folder\": "
            f"\"{configured}\") does not exist. Download LEAN data there (lean data download), generate a labelled "
            "synthetic market with 'lean-local data synthetic --output <dir>', or pass --data-folder DIR."
        )
    return folder


def new_algorithm_id() -> str:
    """A backtest id like the LEAN CLI's: 10 digits starting with 1."""
    return "1" + str(random.randint(100_000_000, 999_999_999))


def default_output_dir(project: Project, now: datetime | None = None) -> Path:
    """``<project>/backtests/<YYYY-MM-DD_HH-MM-SS>`` in local time; the next free second when that one is taken."""
    moment = (now or datetime.now()).replace(microsecond=0)
    base = project.directory / "backtests"
    while True:
        candidate = base / moment.strftime("%Y-%m-%d_%H-%M-%S")
        if not candidate.exists():
            return candidate
        moment += timedelta(seconds=1)


# --- imports -------------------------------------------------------------------------------------------------------
def python_paths(project: Project) -> tuple[list[Path], list[str]]:
    """The folders put in front of ``sys.path`` for the run, in LEAN's order, and notes about dropped ones.

    LEAN puts the algorithm folder first; the CLI adds ``python-additional-paths`` only for a project whose
    config.json has ``"algorithm-language": "Python"``: lean.json's own entries, ``/<path>`` of every referenced
    library and then ``/Library`` (when that list is not empty). Paths that do not exist are dropped, as LEAN does.
    """
    paths = [project.directory]
    notes: list[str] = []
    root = project.workspace_root
    if root is None or project.config.get("algorithm-language") != "Python":
        return paths, notes
    configured = project.lean_config.get("python-additional-paths") or []
    container_paths: list[str] = [str(p) for p in configured] if isinstance(configured, list) else []
    container_paths += ["/" + str(entry["path"]).strip("/") for entry in project.config.get("libraries", []) or []]
    if container_paths:
        container_paths.append("/Library")
    for container_path in container_paths:
        host = _host_path(container_path, project)
        if host is None or not host.is_dir():
            notes.append(f"PythonInitializer.AddPythonPaths(): path '{container_path}' does not exist, it was not added to sys.path")
            continue
        if host not in paths:
            paths.append(host)
    return paths, notes


def _host_path(container_path: str, project: Project) -> Path | None:
    """Where a container path of the CLI's mounts (``/Library``, ``/LeanCLI``) lives in the workspace."""
    parts = Path(container_path).parts
    if len(parts) < 2 or parts[0] != "/":
        return None
    root = project.workspace_root
    if parts[1] == "Library" and root is not None:
        return (root.joinpath(*parts[1:])).resolve()
    if parts[1] == "LeanCLI":
        return project.directory.joinpath(*parts[2:]).resolve()
    return None


def _is_under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _environment_roots() -> list[Path]:
    """Folders of the interpreter, the standard library, site-packages and lean_local itself: never user code."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.exec_prefix).resolve(), _PACKAGE_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        location = sysconfig.get_paths().get(key)
        if location:
            roots.add(Path(location).resolve())
    return sorted(roots)


def _module_locations(module: types.ModuleType) -> list[Path]:
    locations: list[Path] = []
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        locations.append(Path(file).resolve())
    search = getattr(module, "__path__", None)
    if search is not None:
        try:
            locations.extend(Path(entry).resolve() for entry in list(search) if isinstance(entry, str))
        except TypeError:
            pass
    return locations


def _workspace_module(module: types.ModuleType | None, roots: list[Path], environment: list[Path]) -> bool:
    """Whether a module was loaded from one of the run's import folders (and is not interpreter or engine code)."""
    if module is None:
        return False
    locations = _module_locations(module)
    return bool(locations) and all(_is_under(p, roots) and not _is_under(p, environment) for p in locations)


def _top_level_names(roots: list[Path]) -> set[str]:
    """The module names the run's import folders provide (``x.py``, ``x/__init__.py`` packages, namespace dirs)."""
    names: set[str] = set()
    for root in roots:
        try:
            entries = list(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_file() and entry.suffix == ".py":
                names.add(entry.stem)
            elif entry.is_dir() and entry.name.isidentifier() and entry.name != "__pycache__":
                names.add(entry.name)
    return names


@contextmanager
def isolated_imports(paths: list[Path]) -> Iterator[None]:
    """Put ``paths`` in front of ``sys.path`` for the run and forget every module imported from them afterwards.

    Modules of the same top-level name that an earlier run or the host process imported from somewhere else
    are hidden for the run (the algorithm must see its own workspace's code, as in a fresh LEAN container) and
    restored afterwards. The standard library, site-packages and lean_local are never touched.
    """
    roots = [p.resolve() for p in paths]
    environment = [r for r in _environment_roots() if not any(r == root for root in roots)]
    hidden: dict[str, types.ModuleType] = {}
    for name in _top_level_names(roots):
        module = sys.modules.get(name)
        if module is None or _workspace_module(module, roots, environment):
            continue
        locations = _module_locations(module)
        if not locations or any(_is_under(p, environment) for p in locations) or name.startswith("lean_local"):
            continue  # built-in, stdlib, site-packages or engine module: never replaced under the engine's feet
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            hidden[key] = sys.modules.pop(key)
    before = dict(sys.modules)
    added: list[str] = []
    for root in roots:
        text = str(root)
        if text not in sys.path:
            sys.path.insert(len(added), text)
            added.append(text)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for text in added:
            while text in sys.path:
                sys.path.remove(text)
            sys.path_importer_cache.pop(text, None)
        for name, module in list(sys.modules.items()):
            if name.startswith("lean_local") or before.get(name) is module:
                continue  # the engine's own modules, and what the host had imported before the run, stay
            if _workspace_module(module, roots, environment):
                sys.modules.pop(name, None)
        for name, module in hidden.items():
            sys.modules.setdefault(name, module)
        importlib.invalidate_caches()


def load_algorithm_class(algorithm_file: Path) -> type:
    """Import the algorithm file under a private module name and return its QCAlgorithm subclass.

    Raises :class:`AlgorithmLoadError` naming the file (and line) for a syntax error, an exception while the
    module runs (a failing import, say) and for a file without a QCAlgorithm subclass.
    """
    from lean_local.algorithm import QCAlgorithm

    try:
        source = algorithm_file.read_bytes()
    except OSError as err:
        raise AlgorithmLoadError(f"Cannot read the algorithm file '{algorithm_file}': {err}") from None
    try:
        code = compile(source, str(algorithm_file), "exec", dont_inherit=True)
    except SyntaxError as err:
        where = f"'{err.filename or algorithm_file}', line {err.lineno}"
        text = f": {err.text.strip()}" if err.text and err.text.strip() else ""
        raise AlgorithmLoadError(f"Syntax error in {where}: {err.msg}{text}") from None
    except ValueError as err:  # e.g. null bytes
        raise AlgorithmLoadError(f"Cannot compile the algorithm file '{algorithm_file}': {err}") from None
    module_name = f"lean_local_algorithm_{uuid.uuid4().hex}"
    module = types.ModuleType(module_name)
    module.__file__ = str(algorithm_file)
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)  # noqa: S102 - running the user's algorithm is the point
    except Exception as err:  # noqa: BLE001 - any failure while importing is reported with the user's frames
        trace = format_user_traceback(err)
        raise AlgorithmLoadError(
            f"The algorithm file '{algorithm_file}' failed to import: {type(err).__name__}: {err}\n{trace.rstrip()}"
        ) from None
    finally:
        sys.modules.pop(module_name, None)
    candidates = [
        value for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, QCAlgorithm) and value is not QCAlgorithm
        and value.__module__ == module_name
    ]
    if not candidates:
        raise AlgorithmLoadError(
            f"The algorithm file '{algorithm_file}' defines no class deriving from QCAlgorithm. An algorithm file needs "
            "'from AlgorithmImports import *' and 'class MyAlgorithm(QCAlgorithm): ...'."
        )
    # the most derived class defined in the file
    candidates.sort(key=lambda cls: len(cls.__mro__), reverse=True)
    return candidates[0]


def format_user_traceback(error: BaseException) -> str:
    """The traceback of ``error`` starting at the first frame outside lean_local and importlib.

    The engine's own dispatch frames (``Engine._call`` and the like) say nothing about the user's bug; frames
    below the user's code (inside lean_local, when the algorithm called into it) are kept.
    """
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not (filename.startswith("<frozen") or _is_under(Path(filename).resolve(), [_PACKAGE_DIR])):
            break
        tb = tb.tb_next
    if tb is None:
        tb = error.__traceback__
    return "".join(traceback.format_exception(type(error), error, tb))


# --- the run -------------------------------------------------------------------------------------------------------
def run_backtest(
    path: Path,
    *,
    data_folder: Path | None = None,
    output: Path | None = None,
    parameters: dict[str, str] | None = None,
    backtest_name: str | None = None,
    algorithm_id: str | None = None,
    write_output: bool = True,
    echo: Echo | None = None,
    lean_config: Path | None = None,
) -> BacktestResult:
    """Backtest an algorithm project or file. ``echo`` receives console lines as they happen.

    Raises :class:`WorkspaceError` (nothing written) when the project, workspace, data folder or algorithm file
    is unusable. Everything that goes wrong once the run started is reported in the returned result instead.
    """
    project = load_project(path, lean_config)
    folder = resolve_data_folder(project, data_folder)
    effective_parameters = {str(k): _parameter_text(v) for k, v in (project.config.get("parameters") or {}).items()}
    if parameters is not None:
        effective_parameters = {str(k): _parameter_text(v) for k, v in parameters.items()}
    # The engine keeps per-run state in context variables (the active symbol cache, the map-file resolver);
    # running in a copy of the current context drops all of it when the run ends.
    return contextvars.copy_context().run(
        _run_project, project, folder, effective_parameters, output, backtest_name,
        algorithm_id or new_algorithm_id(), write_output, echo or (lambda line: None),
    )


def _run_project(
    project: Project, folder: Path, effective_parameters: dict[str, str], output: Path | None,
    backtest_name: str | None, algorithm_id: str, write_output: bool, say: Echo,
) -> BacktestResult:
    import_paths, path_notes = python_paths(project)
    with algorithm_imports.installed(), isolated_imports(import_paths):
        algorithm_class = load_algorithm_class(project.algorithm_file)
        if write_output:
            output = (Path(output) if output is not None else default_output_dir(project)).resolve()
            output.mkdir(parents=True, exist_ok=True)
            write_config(output, algorithm_id, backtest_name)
            copy_code(project.directory, output, exclude=[output])
        started = utc_now()
        wall_start = time.perf_counter()
        status = "Completed"
        runtime_error = ""
        stack_trace = ""
        failure: BaseException | None = None
        engine: Engine | None = None
        try:
            algorithm = algorithm_class()
            storage = project.workspace_root / "storage" if project.workspace_root is not None else None
            engine = Engine(algorithm, EngineOptions(folder, effective_parameters, algorithm_id, storage))
            for note in path_notes:
                engine.trace(note)
            engine.trace(f"Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0 (lean_local) Algorithm: {project.algorithm_file.name}")
            engine.run()
        except AlgorithmRuntimeError as err:
            failure = err.error
            status = "RuntimeError"
            if isinstance(err.error, DataError):
                runtime_error = f"{err.error} in {err.context}"
            else:
                runtime_error = f"{type(err.error).__name__}: {err.error} in {err.context}"
            stack_trace = format_user_traceback(err.error)
        except DataError as err:
            failure = err
            status = "RuntimeError"
            runtime_error = str(err)
            stack_trace = format_user_traceback(err)
        except Exception as err:  # noqa: BLE001 - anything else is reported as the run's runtime error, as LEAN does
            failure = err
            status = "RuntimeError"
            runtime_error = f"{type(err).__name__}: {err}"
            stack_trace = format_user_traceback(err)
        if failure is not None and engine is not None:
            _finish_failed_run(engine)
        # statistics and files are produced while the workspace's modules are still importable
        elapsed = time.perf_counter() - wall_start
        finished = utc_now()
        result = _collect(engine, algorithm_id, status, runtime_error, stack_trace, elapsed)
        result.failure = failure
        result.project_dir = project.directory
        result.workspace_root = project.workspace_root
        log_file: Path | None = None
        if write_output and output is not None:
            record = _record(engine, result, started, finished, effective_parameters)
            write_results(output, record)
            result.output_dir = output
            log_file = output / f"{algorithm_id}-log.txt"
    _echo_console(result, say, log_file)
    return result


def _parameter_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _finish_failed_run(engine: Engine) -> None:
    """What LEAN's result handler does on exit after a runtime error: a last forced equity sample."""
    if engine.results.capacity is None:  # the run never got past initialization
        return
    try:
        engine.results.process_synchronous_events(force=True)
    except Exception as err:  # noqa: BLE001 - best effort: the run already failed
        engine.trace(f"BacktestingResultHandler.Exit(): final sample failed: {type(err).__name__}: {err}")


def _collect(
    engine: Engine | None, algorithm_id: str, status: str, runtime_error: str, stack_trace: str, elapsed: float,
) -> BacktestResult:
    from lean_local.orders.serialization import order_list_hash

    statistics: dict[str, str] = {}
    runtime: dict[str, str] = {}
    order_hash = order_list_hash({})
    data_points = 0
    logs: list[str] = []
    if engine is not None:
        if engine.results.capacity is not None:
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
        stamp = _algorithm_time(engine)
        prefix = f"{stamp:%Y-%m-%d %H:%M:%S} " if stamp is not None else ""
        logs.append(f"{prefix}Runtime Error: {runtime_error}\n{stack_trace.rstrip()}")
    return BacktestResult(algorithm_id, status, statistics, runtime, None, runtime_error, stack_trace, order_hash, data_points, elapsed, logs, engine)


def _algorithm_time(engine: Engine | None) -> datetime | None:
    if engine is None:
        return None
    try:
        value: datetime = engine.algorithm.time
    except Exception:  # noqa: BLE001 - the clock may not be set when the algorithm failed very early
        return None
    return value


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
    if result.runtime_error:
        engine_log = list(engine_log) + [f"{iso_utc(finished)} ERROR:: Runtime Error: {result.runtime_error}"] + [
            f"{iso_utc(finished)} ERROR:: {line}" for line in result.stack_trace.rstrip().splitlines()
        ]
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
        log_time=_algorithm_time(engine),
    )


_LOG_KINDS = {"debug": ("TRACE", "Debug"), "log": ("TRACE", "Log"), "error": ("ERROR", "Error")}


def _echo_console(result: BacktestResult, say: Echo, log_file: Path | None) -> None:
    """The console lines LEAN's container prints, in LEAN's ``yyyyMMdd HH:mm:ss.fff LEVEL:: msg`` format."""
    stamp = datetime.now().strftime("%Y%m%d %H:%M:%S.%f")[:-3]
    if result.engine is not None:
        for entry in result.engine.logs:
            level, label = _LOG_KINDS.get(entry.kind, ("TRACE", "Debug"))
            for line in entry.message.splitlines() or [""]:
                say(f"{stamp} {level}:: {label}: {line}")
    if result.status != "Completed":
        say(f"{stamp} ERROR:: Runtime Error: {result.runtime_error}")
        for line in result.stack_trace.rstrip().splitlines():
            say(f"{stamp} ERROR:: {line}")
    rate = result.data_points / result.elapsed_seconds / 1000 if result.elapsed_seconds > 0 else 0.0
    say(
        f"{stamp} TRACE:: Debug: Algorithm Id:({result.algorithm_id}) completed in {result.elapsed_seconds:.2f} seconds at "
        f"{rate:.0f}k data points per second. Processing total of {result.data_points:,} data points."
    )
    if log_file is not None:
        say(f"{stamp} TRACE:: Debug: Your log was successfully created and can be retrieved from: {log_file}")
    say(f"{stamp} TRACE:: ")
    for key, value in result.statistics.items():
        say(f"{stamp} TRACE:: STATISTICS:: {key} {value}")
    say(f"{stamp} TRACE:: STATISTICS:: OrderListHash {result.order_list_hash}")
