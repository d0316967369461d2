"""``check_syntax``: type-check a project with mypy and ``quantconnect-stubs`` the way LEAN checks its algorithms.

The checking itself is ``lean_local.typecheck`` in LEAN-namespace mode (``from AlgorithmImports import *`` also
brings ``datetime``, ``pd``, ``np``, ... as in LEAN's runtime, LEAN's disabled error codes and known stub false
positives); this module turns its result into the tool's report and its failures into tool errors.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import time
from pathlib import Path

from lean_local.typecheck import TypecheckError, python_files, typecheck_files
from mcp_backtest.errors import BackendError
from mcp_backtest.models import SyntaxIssue, SyntaxReport
from mcp_backtest.workspace import LIBRARY_DIR, ProjectRef, Workspace

MYPY_CACHE_ENV = "MCP_BACKTEST_MYPY_CACHE"
MAX_FILES = 200


def checker_name() -> str:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return f"mypy {version('mypy')} + quantconnect-stubs {version('quantconnect-stubs')}"


def check_project(workspace: Workspace, ref: ProjectRef) -> SyntaxReport:
    """Run the check; a report with ``ok`` and the remaining mypy errors (paths relative to the project)."""
    if importlib.util.find_spec("mypy") is None or importlib.util.find_spec("AlgorithmImports") is None:
        raise BackendError(
            "check_syntax needs mypy and quantconnect-stubs in the server's Python environment "
            "(pip install mypy quantconnect-stubs, or install lean-local with its 'dev' extra)."
        )
    sources = python_files(ref.path)
    if not sources:
        raise BackendError(f"Project '{ref.name}' has no .py files to check.")
    if len(sources) > MAX_FILES:
        raise BackendError(f"Project '{ref.name}' has more than {MAX_FILES} .py files; check_syntax refuses it.")
    cache = os.environ.get(MYPY_CACHE_ENV)
    started = time.monotonic()
    try:
        result = typecheck_files(sources, ref.path, workspace.root / LIBRARY_DIR, lean_namespace=True,
                                 cache_dir=Path(cache) if cache else None)
    except TypecheckError as err:
        raise BackendError(str(err)) from None
    issues = [
        SyntaxIssue(file=d.path, line=d.line, column=d.column, code=d.code, message=d.message,
                    severity=d.severity if d.severity in ("error", "note", "warning") else "error")  # type: ignore[arg-type]
        for d in result.diagnostics
    ]
    return SyntaxReport(
        project=ref.name,
        ok=result.ok,
        errors=issues,
        checked_files=result.checked,
        checker=checker_name(),
        elapsed_seconds=round(time.monotonic() - started, 3),
    )
