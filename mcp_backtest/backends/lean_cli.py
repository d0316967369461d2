"""The lean-cli backend: runs QuantConnect's ``lean backtest`` (Docker) and parses its output folder.

The command is ``lean backtest <project> --output <dir> --no-update --extra-config algorithm-id <id>
[--backtest-name N] [--parameter K V]...``, run from the workspace root (where the CLI finds ``lean.json``), in
its own process group. Progress is followed on its stdout (LEAN's console lines); completion is decided by
``<id>-summary.json`` in the output folder, never by ``<id>.json`` (rewritten while running) or the exit code
alone (``lean-cli.md`` §1.3, §1.6, §5).

Failure modes and what they become:

* no Docker (``Error: Please make sure Docker is installed and running``), no ``lean.json``, no organization id,
  a missing project or ``main.py``: :class:`~mcp_backtest.errors.BackendError` (nothing ran);
* a runtime error in the algorithm: LEAN writes all files with ``state.Status = "RuntimeError"``; the CLI exits
  1 with ``Something went wrong ...``: status ``RuntimeError`` with LEAN's message and stack trace;
* the container/LEAN stopped without results (killed, out of memory, algorithm not loadable): ``Failed``;
* the CLI process killed by a signal: ``Killed``; the time limit reached: ``Timeout`` (the CLI's process group
  is terminated and the run's container, named in the output's ``config``, is killed when ``docker`` exists).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import deque
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from anyio.abc import Process
from anyio.streams.text import TextReceiveStream

from mcp_backtest.backends.base import Progress, RunOutcome, RunRequest
from mcp_backtest.errors import BackendError

#: the ``lean`` executable (name on PATH or a path); default ``lean``
LEAN_EXECUTABLE_ENV = "MCP_BACKTEST_LEAN"
NO_DOCKER_MESSAGE = "Please make sure Docker is installed and running"
_CONTAINER_FAILED = "Something went wrong while running"
_STAGES = (
    ("LEAN ALGORITHMIC TRADING ENGINE", 0.1, "LEAN engine started"),
    ("completed in", 0.85, "algorithm finished"),
    ("STATISTICS::", 0.9, "statistics written"),
    ("Successfully ran", 0.97, "lean finished"),
)


class LeanCliBackend:
    """Runs backtests through the ``lean`` command-line tool."""

    name = "lean-cli"
    #: the CLI may contact QuantConnect (module list, update checks) and Docker Hub
    open_world = True

    def __init__(self, executable: str | None = None, *, kill_grace_seconds: float = 5.0) -> None:
        self.executable = executable or os.environ.get(LEAN_EXECUTABLE_ENV) or "lean"
        self.kill_grace_seconds = kill_grace_seconds

    def warm_up(self) -> None:
        return None

    def resolve_executable(self) -> str:
        found = shutil.which(self.executable)
        if found is None:
            raise BackendError(
                f"The LEAN CLI executable {self.executable!r} was not found on PATH. Install it (pip install lean), "
                f"set ${LEAN_EXECUTABLE_ENV} to its path, or run the server with the local backend."
            )
        return found

    def command(self, request: RunRequest) -> list[str]:
        root = request.workspace_root
        command = [
            self.resolve_executable(), "backtest", _relative(request.project_dir, root),
            "--output", _relative(request.output_dir, root),
            "--no-update",
            "--extra-config", "algorithm-id", request.backtest_id,
        ]
        if request.name:
            command += ["--backtest-name", request.name]
        for key, value in (request.parameters or {}).items():
            command += ["--parameter", key, value]
        return command

    async def run(self, request: RunRequest, progress: Progress | None = None) -> RunOutcome:
        command = self.command(request)
        started = time.monotonic()
        tail: deque[str] = deque(maxlen=200)
        errors: list[str] = []
        cli_errors: list[str] = []
        state = {"fraction": 0.0, "last_report": 0.0, "lines": 0}
        timed_out = False
        try:
            process = await anyio.open_process(
                command, cwd=str(request.workspace_root), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True, env=_child_env(),
            )
        except OSError as err:
            raise BackendError(f"Could not start the LEAN CLI ({command[0]}): {err}") from None
        try:
            if progress is not None:
                await progress(0.02, "lean backtest started")
            with anyio.move_on_after(request.timeout_seconds) as scope:
                assert process.stdout is not None
                async for line in _lines(process.stdout):
                    tail.append(line)
                    _classify(line, errors, cli_errors)
                    if progress is not None:
                        await _report(line, state, progress)
                await process.wait()
            timed_out = scope.cancelled_caught
        finally:
            with anyio.CancelScope(shield=True):
                if process.returncode is None:
                    await self._terminate(process, request.output_dir)
                await process.aclose()
        return self._outcome(request, process.returncode, timed_out, list(tail), errors, cli_errors,
                             time.monotonic() - started)

    async def _terminate(self, process: Process, output_dir: Path) -> None:
        _signal_group(process.pid, signal.SIGTERM)
        with anyio.move_on_after(self.kill_grace_seconds):
            await process.wait()
        if process.returncode is None:
            _signal_group(process.pid, signal.SIGKILL)
            with anyio.move_on_after(10):
                await process.wait()
        await anyio.to_thread.run_sync(_kill_container, output_dir)

    def _outcome(
        self, request: RunRequest, code: int | None, timed_out: bool, tail: list[str], errors: list[str],
        cli_errors: list[str], elapsed: float,
    ) -> RunOutcome:
        outcome = RunOutcome("Failed", request.backtest_id, request.output_dir, exit_code=code,
                             elapsed_seconds=elapsed, console_tail=tail)
        summary = _read_json(request.output_dir / f"{request.backtest_id}-summary.json")
        if summary is None:
            # the CLI may have kept an id of its own (an existing config in the output folder)
            actual = _read_json(request.output_dir / "config")
            if isinstance(actual, dict) and str(actual.get("id", request.backtest_id)) != request.backtest_id:
                outcome.backtest_id = str(actual["id"])
                summary = _read_json(request.output_dir / f"{outcome.backtest_id}-summary.json")
        if isinstance(summary, dict):
            state = summary["state"] if isinstance(summary.get("state"), dict) else {}
            if state.get("Status") == "Completed":
                outcome.status = "Completed"
            else:
                outcome.status = "RuntimeError"
                text = f"{state.get('RuntimeError', '')}\n{state.get('StackTrace', '')}".strip()
                outcome.error = text or "LEAN reported the status " + str(state.get("Status"))
            return outcome
        if timed_out:
            outcome.status = "Timeout"
            outcome.error = f"The backtest did not finish within {request.timeout_seconds:g} seconds and was stopped."
            return outcome
        if code is not None and code < 0:
            outcome.status = "Killed"
            outcome.error = f"The lean process was killed by signal {_signal_name(-code)} before the backtest finished."
            return outcome
        joined = " ".join(cli_errors)
        if NO_DOCKER_MESSAGE in joined:
            raise BackendError(
                "The lean-cli backend needs Docker, and the LEAN CLI reports: "
                f"'{NO_DOCKER_MESSAGE}'. Start Docker, or run the server with the local backend (--backend local)."
            )
        if _CONTAINER_FAILED in joined:
            outcome.status = "Failed"
            detail = "\n".join(errors[-40:])
            outcome.error = (
                "LEAN stopped without writing results (its container was killed or ran out of memory, or the "
                "algorithm could not be loaded)." + (f"\n{detail}" if detail else "")
            )
            return outcome
        if cli_errors:
            raise BackendError("lean backtest failed: " + " ".join(_strip_error(e) for e in cli_errors))
        outcome.error = f"lean exited with code {code} without writing results."
        return outcome


async def _lines(stream: Any) -> Any:
    """The stream's lines (without line ends), decoding bytes leniently."""
    pending = ""
    async for chunk in TextReceiveStream(stream, errors="replace"):
        pending += chunk
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line.rstrip("\r")
        if len(pending) > 1_000_000:  # a runaway line without newline
            yield pending
            pending = ""
    if pending:
        yield pending.rstrip("\r")


def _classify(line: str, errors: list[str], cli_errors: list[str]) -> None:
    stripped = line.strip()
    if stripped.startswith("Error:"):
        cli_errors.append(stripped)
    elif "ERROR::" in line:
        errors.append(line.split("ERROR::", 1)[1].strip())


async def _report(line: str, state: dict[str, float], progress: Progress) -> None:
    state["lines"] += 1
    fraction = state["fraction"]
    message = None
    for marker, stage, text in _STAGES:
        if marker in line and stage > fraction:
            fraction, message = stage, text
    if message is None:
        ceiling = next((stage for _, stage, _ in _STAGES if stage > fraction), 0.99) - 0.01
        fraction = fraction + max(ceiling - fraction, 0.0) * 0.02
        message = f"lean running ({int(state['lines'])} console lines)"
        now = time.monotonic()
        if now - state["last_report"] < 0.2:
            state["fraction"] = fraction
            return
    state["last_report"] = time.monotonic()
    if fraction > state.get("reported", -1.0):
        state["reported"] = fraction
        state["fraction"] = fraction
        await progress(fraction, message)


def _strip_error(line: str) -> str:
    return line[len("Error:"):].strip() if line.startswith("Error:") else line


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["NO_COLOR"] = "1"  # rich (the CLI's console) prints no escape codes
    return env


def _signal_group(pid: int, number: signal.Signals) -> None:
    try:
        os.killpg(os.getpgid(pid), number)
    except (ProcessLookupError, PermissionError, OSError):
        try:
            os.kill(pid, number)
        except OSError:
            pass


def _kill_container(output_dir: Path) -> None:
    """Stop the run's Docker container (the CLI does not stop it when the CLI itself is killed)."""
    config = _read_json(output_dir / "config")
    docker = shutil.which("docker")
    if not isinstance(config, dict) or not isinstance(config.get("container"), str) or docker is None:
        return
    try:
        subprocess.run([docker, "kill", config["container"]], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        pass


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
