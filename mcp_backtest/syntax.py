"""``check_syntax``: type-check a project with mypy and ``quantconnect-stubs`` the way LEAN checks its algorithms.

LEAN's syntax check (``lean-cli.md`` §4) runs mypy file by file with ``--ignore-missing-imports
--check-untyped-defs --show-error-codes``, disables ``var-annotated``, ``has-type`` and ``union-attr``
(its mypy.ini), rewrites ``from AlgorithmImports import *`` so that it also imports ``date, time, datetime,
timedelta, pd, np, math, json, os`` (which LEAN's runtime namespace provides) and drops a list of known false
positives. This module does the same on a temporary copy of the project's ``.py`` files (the import line is
extended in place, so line numbers are unchanged), with ``Library`` on ``MYPYPATH`` as in LEAN's container.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mcp_backtest.errors import BackendError
from mcp_backtest.models import SyntaxIssue, SyntaxReport
from mcp_backtest.workspace import LIBRARY_DIR, ProjectRef, Workspace

MYPY_CACHE_ENV = "MCP_BACKTEST_MYPY_CACHE"
TIMEOUT_SECONDS = 180
_IMPORT_LINE = "from AlgorithmImports import *"
_EXTENDED_IMPORT = (
    "from AlgorithmImports import *; from datetime import date, time, datetime, timedelta; "
    "import pandas as pd; import numpy as np; import math; import json; import os"
)
_DISABLED_CODES = ("var-annotated", "has-type", "union-attr", "no-redef")
#: message fragments LEAN's own check ignores (stub limitations, not algorithm bugs)
_FALSE_POSITIVES = (
    'variable has type "None"',
    '"None" has no attribute',
    '"object" has no attribute',
    "Exception type must be derived from BaseException",
    "Exception must be derived from BaseException",
    'Incompatible types in assignment (expression has type "float", variable has type "int")',
    'Incompatible types in assignment (expression has type "float | Any", variable has type "int")',
    'Argument 1 of "update" is incompatible with supertype "IndicatorBase"',
)
_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<sev>error|note|warning): (?P<msg>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$")
_SKIP_DIRS = {"backtests", "optimizations", "live", "storage", "report", "__pycache__", "bin", "obj"}
MAX_FILES = 200


def checker_name() -> str:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return f"mypy {version('mypy')} + quantconnect-stubs {version('quantconnect-stubs')}"


def _cache_dir() -> Path:
    configured = os.environ.get(MYPY_CACHE_ENV)
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mcp_backtest" / "mypy"


def project_sources(ref: ProjectRef) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(ref.path):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".") and not (Path(root) / d / "pyvenv.cfg").exists())
        files += [Path(root) / n for n in sorted(names) if n.endswith(".py") and not (Path(root) / n).is_symlink()]
    return files


def check_project(workspace: Workspace, ref: ProjectRef) -> SyntaxReport:
    """Run the check; a report with ``ok`` and the remaining mypy errors (paths relative to the project)."""
    if importlib.util.find_spec("mypy") is None or importlib.util.find_spec("AlgorithmImports") is None:
        raise BackendError(
            "check_syntax needs mypy and quantconnect-stubs in the server's Python environment "
            "(pip install mypy quantconnect-stubs, or install lean-local with its 'dev' extra)."
        )
    sources = project_sources(ref)
    if not sources:
        raise BackendError(f"Project '{ref.name}' has no .py files to check.")
    if len(sources) > MAX_FILES:
        raise BackendError(f"Project '{ref.name}' has more than {MAX_FILES} .py files; check_syntax refuses it.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="check_syntax_") as temp:
        copy_root = Path(temp) / "project"
        mapping: dict[str, str] = {}
        for source in sources:
            relative = source.relative_to(ref.path)
            target = copy_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8", errors="replace")
            target.write_text(text.replace(_IMPORT_LINE, _EXTENDED_IMPORT), encoding="utf-8")
            mapping[str(target)] = relative.as_posix()
            mapping[os.path.relpath(target, copy_root)] = relative.as_posix()
        mypy_path = [str(copy_root)]
        library = workspace.root / LIBRARY_DIR
        if library.is_dir():
            mypy_path.append(str(library))
        env = dict(os.environ, MYPYPATH=os.pathsep.join(mypy_path))
        cache = _cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "mypy", "--config-file", "", "--ignore-missing-imports", "--check-untyped-defs",
            "--show-error-codes", "--show-column-numbers", "--no-error-summary", "--no-color-output", "--no-pretty",
            "--skip-version-check", "--skip-cache-mtime-checks", "--cache-dir", str(cache), "--explicit-package-bases",
        ]
        for code in _DISABLED_CODES:
            command += ["--disable-error-code", code]
        command += [str(copy_root / s.relative_to(ref.path)) for s in sources]
        try:
            completed = subprocess.run(
                command, cwd=copy_root, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            raise BackendError(f"mypy did not finish within {TIMEOUT_SECONDS} seconds.") from None
        issues = _parse(completed.stdout + "\n" + completed.stderr, mapping)
        # exit 1: type errors; exit 2: a blocking error such as a syntax error (reported like the others)
        if completed.returncode not in (0, 1) and not issues:
            detail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
            raise BackendError("mypy failed to run: " + " | ".join(detail))
    errors = [issue for issue in issues if issue.severity == "error"]
    return SyntaxReport(
        project=ref.name,
        ok=not errors,
        errors=issues,
        checked_files=[s.relative_to(ref.path).as_posix() for s in sources],
        checker=checker_name(),
        elapsed_seconds=round(time.monotonic() - started, 3),
    )


def _parse(output: str, mapping: dict[str, str]) -> list[SyntaxIssue]:
    issues: list[SyntaxIssue] = []
    for raw in output.splitlines():
        match = _LINE.match(raw.strip())
        if match is None:
            continue
        file = mapping.get(match["file"]) or mapping.get(os.path.normpath(match["file"]))
        if file is None:
            continue  # library/stub files: check the library project itself
        message = match["msg"].strip()
        if any(fragment in message for fragment in _FALSE_POSITIVES):
            continue
        severity = match["sev"]
        issues.append(SyntaxIssue(
            file=file, line=int(match["line"]), column=int(match["col"]) if match["col"] else None,
            severity=severity if severity in ("error", "note", "warning") else "error",  # type: ignore[arg-type]
            code=match["code"], message=message,
        ))
    # notes only make sense next to an error they explain
    if not any(i.severity == "error" for i in issues):
        return []
    return issues
