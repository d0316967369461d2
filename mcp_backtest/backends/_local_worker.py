"""What runs inside the child process of the local backend: one ``lean_local`` backtest.

The child talks to the server over a one-way pipe: ``("progress", fraction, message)`` while the algorithm
runs, then exactly one final message, ``("done", {...})``, ``("failed", text)`` (the algorithm could not be
loaded), ``("workspace", text)`` (the project/workspace/data folder is unusable) or ``("crash", text)``. A child
that dies without a final message (killed, segfault, ``os._exit``) is noticed by the parent through the pipe's EOF.

This module is preloaded by the forkserver, so importing it imports the engine once for all runs.
"""
from __future__ import annotations

import os
import sys
import threading
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import lean_local.runner as runner

# modules a run imports lazily: importing them here puts them in the forkserver, shared by every child
import lean_local.framework.exports  # noqa: F401,E402
import lean_local.framework.optimization  # noqa: F401,E402
import lean_local.indicators.exports  # noqa: F401,E402
import lean_local.orders.serialization  # noqa: F401,E402
import lean_local.results.formatting  # noqa: F401,E402
import lean_local.results.handler  # noqa: F401,E402
import lean_local.scheduling  # noqa: F401,E402
import lean_local.statistics.builder  # noqa: F401,E402
from lean_local.data.errors import DataError
from lean_local.results.writer import copy_code, utc_now, write_config
from lean_local.timeutil import iso_utc


def run_in_child(request: dict[str, Any], conn: Connection, poll_interval: float = 0.25) -> None:
    """Run the backtest described by ``request`` (see :class:`LocalBackend`) and report over ``conn``."""
    # stdout may be the MCP stdio channel of the server: whatever the algorithm prints goes to stderr instead
    try:
        os.dup2(2, 1)
    except OSError:
        pass
    sys.stdout = sys.stderr
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            try:
                conn.send(message)
            except (OSError, ValueError):
                pass

    engines: list[Any] = []
    _track_engines(engines)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_progress, args=(engines, send, stop, poll_interval), daemon=True)
    watcher.start()
    output = Path(request["output_dir"])
    try:
        result = runner.run_backtest(
            Path(request["project_dir"]),
            output=output,
            parameters=request.get("parameters"),
            backtest_name=request.get("name"),
            algorithm_id=request["backtest_id"],
        )
        stop.set()
        error = ""
        if result.status != "Completed":
            error = (result.runtime_error + "\n" + result.stack_trace).strip()
        send(("done", {"status": result.status, "error": error}))
    except runner.AlgorithmLoadError as err:
        stop.set()
        _record_load_failure(request, output, str(err))
        send(("failed", str(err)))
    except (runner.WorkspaceError, DataError) as err:
        stop.set()
        send(("workspace", str(err)))
    except BaseException as err:  # noqa: BLE001 - anything else is reported, the server stays up
        stop.set()
        send(("crash", f"{type(err).__name__}: {err}"))
    finally:
        stop.set()
        with lock:
            conn.close()


def _track_engines(engines: list[Any]) -> None:
    """Let the progress watcher see the engine ``run_backtest`` creates (this process runs one backtest)."""
    base = runner.Engine

    class TrackedEngine(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            engines.append(self)

    runner.Engine = TrackedEngine  # type: ignore[misc]


def _watch_progress(engines: list[Any], send: Any, stop: threading.Event, interval: float) -> None:
    """Report the algorithm clock's position between its start and end dates."""
    last = -1.0
    while not stop.wait(interval):
        if not engines:
            continue
        try:
            algorithm = engines[0].algorithm
            start: datetime = algorithm.start_date
            end: datetime = algorithm.end_date
            now: datetime = algorithm.time
            span = (end - start).total_seconds()
            fraction = min(max((now - start).total_seconds() / span, 0.0), 1.0) if span > 0 else 0.0
        except Exception:  # noqa: BLE001 - the clock may not be readable yet (initialize still running)
            continue
        if fraction > last + 1e-4:
            last = fraction
            send(("progress", fraction, f"algorithm time {now:%Y-%m-%d}"))


def _record_load_failure(request: dict[str, Any], output: Path, message: str) -> None:
    """What the LEAN CLI leaves behind when LEAN cannot load the algorithm: config, code/ and the engine log."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        write_config(output, str(request["backtest_id"]), request.get("name"))
        copy_code(Path(request["project_dir"]), output, exclude=[output])
        stamp = iso_utc(utc_now())
        lines = [f"{stamp} TRACE:: Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0 (lean_local)"]
        lines += [f"{stamp} ERROR:: {line}" for line in message.splitlines()]
        (output / "log.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass
