"""Errors the backtest server reports to its caller as clear, actionable messages (never tracebacks)."""
from __future__ import annotations


class BacktestServiceError(Exception):
    """An anticipated failure whose message is written for the caller (a model, a hook or a script)."""


class InvalidArgumentError(BacktestServiceError):
    """An argument is malformed or out of range."""


class NotFoundError(BacktestServiceError):
    """A project, backtest, chart or optimization does not exist."""


class BackendError(BacktestServiceError):
    """The backend could not run the backtest at all (no Docker, no ``lean`` executable, bad workspace...)."""


class WorkspaceConfigError(BacktestServiceError):
    """The workspace (its ``lean.json``) is missing or unusable."""
