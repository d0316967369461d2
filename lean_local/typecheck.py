"""Type-check algorithms and library projects against ``quantconnect-stubs`` the way LEAN checks its own.

LEAN's syntax check runs mypy with ``--ignore-missing-imports --check-untyped-defs`` and disables ``var-annotated``,
``has-type`` and ``union-attr``; it also drops a few known false positives of the generated stubs. Every project's
entry point is called ``main.py``, so projects are checked one at a time, with ``Library`` on mypy's path so
``from alpha.momentum import X`` resolves as under ``lean backtest``.

``lean_namespace=True`` additionally extends ``from AlgorithmImports import *`` with the names LEAN's runtime
namespace provides (``datetime``, ``pd``, ``np``, ``math``, ...), as LEAN's own check does; the MCP ``check_syntax``
tool uses it for user code. The project's own CI check leaves it off, so our files import what they use and also
check cleanly in an IDE.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DISABLED_ERROR_CODES = ("var-annotated", "has-type", "union-attr", "no-redef")
#: message fragments LEAN's own check ignores (limitations of the generated stubs, not algorithm bugs)
KNOWN_FALSE_POSITIVES = (
    'variable has type "None"',
    '"None" has no attribute',
    '"object" has no attribute',
    "Exception type must be derived from BaseException",
    "Exception must be derived from BaseException",
    'Incompatible types in assignment (expression has type "float", variable has type "int")',
    'Incompatible types in assignment (expression has type "float | Any", variable has type "int")',
    'Argument 1 of "update" is incompatible with supertype "IndicatorBase"',
)
SKIPPED_DIRECTORIES = {"backtests", "optimizations", "live", "storage", "report", "__pycache__", "bin", "obj",
                       ".ipynb_checkpoints"}
TIMEOUT_SECONDS = 300
_ALGORITHM_IMPORTS = "from AlgorithmImports import *"
_LEAN_NAMESPACE_IMPORTS = (
    "from AlgorithmImports import *; from datetime import date, time, datetime, timedelta; "
    "import pandas as pd; import numpy as np; import math; import json; import os"
)
_LINE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<sev>error|note|warning): (?P<msg>.*?)"
    r"(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)


class TypecheckError(RuntimeError):
    """mypy could not run (not installed, timed out, crashed)."""


@dataclass(frozen=True)
class Diagnostic:
    """One mypy finding; ``path`` is relative to the folder the files were given under."""

    path: str
    line: int
    severity: str
    message: str
    column: int | None = None
    code: str | None = None

    def __str__(self) -> str:
        code = f"  [{self.code}]" if self.code else ""
        return f"{self.path}:{self.line}: {self.severity}: {self.message}{code}"


@dataclass
class TypecheckResult:
    checked: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def python_files(directory: Path) -> list[Path]:
    """The Python sources of a project or library, without result folders the CLI writes into projects."""
    found: list[Path] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRECTORIES and not d.startswith(".")
                         and not (Path(root) / d / "pyvenv.cfg").exists())
        found += [Path(root) / n for n in sorted(names) if n.endswith(".py") and not (Path(root) / n).is_symlink()]
    return found


def default_cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lean-local" / "mypy"


def typecheck_files(
    files: list[Path],
    base: Path,
    library: Path | None = None,
    *,
    lean_namespace: bool = False,
    cache_dir: Path | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> TypecheckResult:
    """Check ``files`` (all under ``base``) in one mypy process, in a temporary copy so nothing is written beside
    them; ``library`` (a workspace's ``Library``) is on mypy's path. Paths in the result are relative to ``base``."""
    result = TypecheckResult([f.relative_to(base).as_posix() for f in files])
    if not files:
        return result
    with tempfile.TemporaryDirectory(prefix="lean-typecheck-") as temp:
        copy_root = Path(temp) / "src"
        mapping: dict[str, str] = {}
        for source in files:
            relative = source.relative_to(base)
            target = copy_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8", errors="replace")
            if lean_namespace:
                # same line count, so reported line numbers are the original ones
                text = text.replace(_ALGORITHM_IMPORTS, _LEAN_NAMESPACE_IMPORTS)
            target.write_text(text, encoding="utf-8")
            mapping[str(target)] = relative.as_posix()
            mapping[os.path.relpath(target, copy_root)] = relative.as_posix()
        search_path = [str(copy_root)] + ([str(library)] if library is not None and library.is_dir() else [])
        cache = cache_dir or default_cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "mypy", "--config-file", "", "--python-version", "3.11", "--ignore-missing-imports",
            "--check-untyped-defs", "--show-error-codes", "--show-column-numbers", "--no-error-summary",
            "--no-color-output", "--no-pretty", "--skip-version-check", "--cache-dir", str(cache),
            "--explicit-package-bases", "--namespace-packages",
        ]
        for code in DISABLED_ERROR_CODES:
            command += ["--disable-error-code", code]
        command += [str(copy_root / f.relative_to(base)) for f in files]
        environment = dict(os.environ, MYPYPATH=os.pathsep.join(search_path))
        try:
            completed = subprocess.run(command, cwd=copy_root, env=environment, capture_output=True, text=True,
                                       timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise TypecheckError(f"mypy did not finish within {timeout:.0f} seconds") from None
        result.diagnostics = _parse(completed.stdout + "\n" + completed.stderr, mapping)
        if completed.returncode not in (0, 1) and not result.diagnostics:
            detail = " | ".join((completed.stderr or completed.stdout).strip().splitlines()[-5:])
            raise TypecheckError(f"mypy failed to run: {detail or 'no output'} (is mypy installed?)")
    return result


def _parse(output: str, mapping: dict[str, str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for raw in output.splitlines():
        match = _LINE.match(raw.strip())
        if match is None:
            continue
        path = mapping.get(match["file"]) or mapping.get(os.path.normpath(match["file"]))
        if path is None:
            continue  # a library or stub file: the library project is checked on its own
        message = match["msg"].strip()
        if any(fragment in message for fragment in KNOWN_FALSE_POSITIVES):
            continue
        found.append(Diagnostic(path, int(match["line"]), match["sev"], message,
                                int(match["col"]) if match["col"] else None, match["code"]))
    # a note only means something next to the error it explains
    return found if any(d.severity == "error" for d in found) else []


def typecheck_project(project: Path, workspace: Path, *, lean_namespace: bool = False) -> TypecheckResult:
    """Check one algorithm project (its ``main.py`` and sibling modules); paths relative to the workspace."""
    return typecheck_files(python_files(project), workspace, workspace / "Library", lean_namespace=lean_namespace)


def typecheck_libraries(workspace: Path) -> TypecheckResult:
    """Check every library project under ``Library/`` together (their package names are unique)."""
    library = workspace / "Library"
    files = [f for d in sorted(library.iterdir()) if d.is_dir() for f in python_files(d)] if library.is_dir() else []
    return typecheck_files(files, workspace, library)


def typecheck_workspace(workspace: Path, projects_folder: str = "algorithms") -> TypecheckResult:
    """Every library and every project under ``algorithms/``, one project at a time."""
    total = typecheck_libraries(workspace)
    projects = workspace / projects_folder
    for project in sorted(p for p in projects.iterdir() if (p / "main.py").is_file()) if projects.is_dir() else []:
        one = typecheck_project(project, workspace)
        total.checked += one.checked
        total.diagnostics += one.diagnostics
    return total


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m lean_local.typecheck", description=__doc__.split("\n")[0])
    parser.add_argument("workspace", nargs="?", default=".", help="workspace root (the folder with lean.json)")
    args = parser.parse_args(argv)
    result = typecheck_workspace(Path(args.workspace).resolve())
    for diagnostic in result.diagnostics:
        print(diagnostic)
    print(f"{len(result.checked)} files checked, {len(result.errors)} errors")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
