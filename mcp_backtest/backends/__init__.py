"""Backtest backends: ``local`` (the embedded ``lean_local`` engine, default) and ``lean-cli`` (``lean backtest``)."""
from __future__ import annotations

from mcp_backtest.backends.base import Backend, Progress, RunOutcome, RunRequest
from mcp_backtest.errors import InvalidArgumentError

BACKEND_NAMES = ("local", "lean-cli")


def make_backend(name: str) -> Backend:
    """A backend by name: ``local`` or ``lean-cli``."""
    if name == "local":
        from mcp_backtest.backends.local import LocalBackend

        return LocalBackend()
    if name == "lean-cli":
        from mcp_backtest.backends.lean_cli import LeanCliBackend

        return LeanCliBackend()
    raise InvalidArgumentError(f"Unknown backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}.")


__all__ = ["BACKEND_NAMES", "Backend", "Progress", "RunOutcome", "RunRequest", "make_backend"]
