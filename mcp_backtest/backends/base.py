"""The interface both backtest backends implement."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

#: ``progress(fraction, message)``: fraction in [0, 1], increasing; messages never contain algorithm output
Progress = Callable[[float, str], Awaitable[None]]

RunStatus = Literal["Completed", "RuntimeError", "Failed", "Timeout", "Killed"]


@dataclass(frozen=True)
class RunRequest:
    """One backtest to run. ``output_dir`` exists (empty) and lies inside ``workspace_root``."""

    workspace_root: Path
    project_dir: Path
    output_dir: Path
    backtest_id: str
    name: str | None = None
    #: None keeps the project's config.json parameters; a dict replaces them (``--parameter`` semantics)
    parameters: dict[str, str] | None = None
    timeout_seconds: float = 900.0


@dataclass
class RunOutcome:
    """How a run ended. For Completed/RuntimeError the output folder holds ``<id>-summary.json``."""

    status: RunStatus
    backtest_id: str
    output_dir: Path
    #: why the run failed/stopped (may contain algorithm text: callers wrap it as untrusted)
    error: str | None = None
    exit_code: int | None = None
    elapsed_seconds: float = 0.0
    #: the last console lines (lean-cli backend), for diagnostics
    console_tail: list[str] = field(default_factory=list)


class Backend(Protocol):
    """Runs one backtest into ``request.output_dir`` with LEAN's output layout."""

    #: "local" or "lean-cli"
    name: str
    #: whether running a backtest may reach outside this machine (tool annotation ``openWorldHint``)
    open_world: bool

    async def run(self, request: RunRequest, progress: Progress | None = None) -> RunOutcome:
        """Run to the end, the time limit, or cancellation (which stops the run). Raises
        :class:`~mcp_backtest.errors.BackendError` when nothing could be run at all."""
        ...

    def warm_up(self) -> None:
        """Prepare for a fast first run (optional)."""
        ...
