"""The local backend: ``lean_local.runner.run_backtest`` in a child process per backtest.

Each backtest runs in its own process (forked from a forkserver that has the engine imported already), so an
algorithm that crashes the interpreter, leaks memory or loops forever cannot take the server down: the parent
kills it at the time limit or when the request is cancelled. The child writes LEAN's output folder itself; the
parent only learns the final status and progress through a pipe.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.context import BaseContext
from typing import Any

import anyio
import anyio.to_thread

from mcp_backtest.backends.base import Progress, RunOutcome, RunRequest
from mcp_backtest.errors import BackendError

#: ``forkserver`` (default where available) or ``spawn``; ``fork`` is not offered (unsafe in a threaded server)
START_METHOD_ENV = "MCP_BACKTEST_START_METHOD"
_WORKER_MODULE = "mcp_backtest.backends._local_worker"
_CONTEXT: BaseContext | None = None


def _context() -> BaseContext:
    global _CONTEXT
    if _CONTEXT is None:
        available = multiprocessing.get_all_start_methods()
        method = os.environ.get(START_METHOD_ENV) or ("forkserver" if "forkserver" in available else "spawn")
        if method not in ("forkserver", "spawn") or method not in available:
            raise BackendError(f"{START_METHOD_ENV}={method!r} is not supported here; use 'forkserver' or 'spawn'.")
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            # Children import the parent's main module (multiprocessing's rule): preload it with the engine so
            # that costs nothing per run. A script using this backend needs the usual ``if __name__ == "__main__"``.
            preload = [_WORKER_MODULE]
            main_name = getattr(getattr(sys.modules.get("__main__"), "__spec__", None), "name", None)
            if isinstance(main_name, str) and main_name not in ("__main__",) and not main_name.endswith(".__main__"):
                preload.append(main_name)
            if "mcp_backtest.backtest_server" in sys.modules:  # e.g. started as the mcp-backtest console script
                preload.append("mcp_backtest.backtest_server")
            context.set_forkserver_preload(preload)  # type: ignore[attr-defined]
        _CONTEXT = context
    return _CONTEXT


def _noop() -> None:
    return None


class LocalBackend:
    """Runs backtests with the embedded engine, one child process each."""

    name = "local"
    open_world = False

    def __init__(self, *, poll_interval: float = 0.25) -> None:
        self.poll_interval = poll_interval

    def warm_up(self) -> None:
        """Start the forkserver (it imports the engine) so the first backtest does not pay for it."""
        process = _context().Process(target=_noop, daemon=True)  # type: ignore[attr-defined]
        process.start()
        process.join(30)

    async def run(self, request: RunRequest, progress: Progress | None = None) -> RunOutcome:
        from mcp_backtest.backends import _local_worker

        context = _context()
        payload: dict[str, Any] = {
            "project_dir": str(request.project_dir),
            "output_dir": str(request.output_dir),
            "backtest_id": request.backtest_id,
            "name": request.name,
            "parameters": request.parameters,
        }
        receiver, sender = context.Pipe(duplex=False)  # type: ignore[attr-defined]
        process = context.Process(  # type: ignore[attr-defined]
            target=_local_worker.run_in_child, args=(payload, sender, self.poll_interval),
            name=f"backtest-{request.backtest_id}", daemon=True,
        )
        started = time.monotonic()
        final: tuple[Any, ...] | None = None
        timed_out = False
        ended = False
        try:
            await anyio.to_thread.run_sync(process.start)
            sender.close()
            if progress is not None:
                await progress(0.0, "backtest process started")
            with anyio.move_on_after(request.timeout_seconds) as scope:
                while True:
                    await anyio.wait_readable(receiver)
                    try:
                        message = receiver.recv()
                    except (EOFError, OSError):
                        ended = True
                        break
                    if message[0] == "progress":
                        if progress is not None:
                            await progress(float(message[1]), str(message[2]))
                    else:
                        final = message
            timed_out = scope.cancelled_caught
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_stop, process, 5.0 if ended else 0.0)
                receiver.close()
        elapsed = time.monotonic() - started
        outcome = RunOutcome("Failed", request.backtest_id, request.output_dir, exit_code=process.exitcode,
                             elapsed_seconds=elapsed)
        if timed_out:
            outcome.status = "Timeout"
            outcome.error = f"The backtest did not finish within {request.timeout_seconds:g} seconds and was stopped."
        elif final is None:
            code = process.exitcode
            if code is not None and code < 0:
                outcome.status = "Killed"
                outcome.error = f"The backtest process was killed by signal {_signal_name(-code)} before it finished."
            else:
                outcome.error = f"The backtest process exited with code {code} without reporting a result."
        elif final[0] == "done":
            details = final[1]
            outcome.status = "Completed" if details.get("status") == "Completed" else "RuntimeError"
            outcome.error = details.get("error") or None
            if not (request.output_dir / f"{request.backtest_id}-summary.json").is_file():
                outcome.status = "Failed"
                outcome.error = "The engine finished but wrote no summary file."
        elif final[0] == "failed":
            outcome.error = str(final[1])
        elif final[0] == "workspace":
            raise BackendError(str(final[1]))
        else:
            outcome.error = f"The backtest process failed: {final[1]}"
        return outcome


def _stop(process: Any, grace: float) -> None:
    """Wait up to ``grace`` seconds for the child to exit, then kill it."""
    if process.pid is None:  # never started
        return
    process.join(grace)
    if process.is_alive():
        process.kill()
        process.join(10)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
