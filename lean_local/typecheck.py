"""Type-check algorithms and library projects against ``quantconnect-stubs`` the way LEAN checks its own.

LEAN's syntax check runs mypy file by file with ``--ignore-missing-imports --check-untyped-defs`` and disables
``var-annotated``, ``has-type`` and ``union-attr``. Every project's entry point is called ``main.py``, so projects are
checked one at a time; ``Library`` is on mypy's path so ``from alpha.momentum import X`` resolves as it does under
``lean backtest``. A clean result is our evidence that the code calls LEAN's real API.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LEAN_DISABLED_ERROR_CODES = ("var-annotated", "has-type", "union-attr")
_SKIPPED_DIRECTORIES = {"backtests", "optimizations", "live", "storage", "__pycache__", ".ipynb_checkpoints"}
_DIAGNOSTIC = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?:(?P<column>\d+):)? (?P<severity>error|note|warning): (?P<message>.*)$")


@dataclass(frozen=True)
class Diagnostic:
    """One mypy finding, with the file relative to the workspace root."""

    path: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


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
    found = []
    for path in sorted(directory.rglob("*.py")):
        relative = path.relative_to(directory)
        if any(part in _SKIPPED_DIRECTORIES for part in relative.parts[:-1]):
            continue
        found.append(path)
    return found


def _config(workspace: Path, directory: Path) -> Path:
    library = workspace / "Library"
    text = "\n".join([
        "[mypy]",
        "python_version = 3.11",
        f"mypy_path = {library}",
        "ignore_missing_imports = True",
        "check_untyped_defs = True",
        "show_error_codes = True",
        "namespace_packages = True",
        "explicit_package_bases = True",
        f"disable_error_code = {','.join(LEAN_DISABLED_ERROR_CODES)}",
        f"cache_dir = {workspace / '.mypy_cache' / 'lean'}",
        "",
    ])
    path = directory / "mypy.ini"
    path.write_text(text, encoding="utf-8")
    return path


def _run(files: list[Path], workspace: Path) -> list[Diagnostic]:
    from mypy import api

    with tempfile.TemporaryDirectory(prefix="lean-typecheck-") as tmp:
        config = _config(workspace, Path(tmp))
        stdout, stderr, _status = api.run(["--config-file", str(config), "--no-error-summary", *map(str, files)])
    diagnostics = []
    for line in (stdout + stderr).splitlines():
        match = _DIAGNOSTIC.match(line.strip())
        if match is None:
            continue
        path = Path(match["path"])
        try:
            shown = str(path.resolve().relative_to(workspace.resolve()))
        except ValueError:
            shown = str(path)
        diagnostics.append(Diagnostic(shown, int(match["line"]), match["severity"], match["message"]))
    return diagnostics


def typecheck_project(project: Path, workspace: Path) -> TypecheckResult:
    """Check one algorithm project (its ``main.py`` and sibling modules)."""
    files = python_files(project)
    result = TypecheckResult([str(f.relative_to(workspace)) for f in files])
    if files:
        result.diagnostics = _run(files, workspace)
    return result


def typecheck_libraries(workspace: Path) -> TypecheckResult:
    """Check every library project under ``Library/`` together (their package names are unique)."""
    library = workspace / "Library"
    files = [f for d in sorted(library.iterdir()) if d.is_dir() for f in python_files(d)] if library.is_dir() else []
    result = TypecheckResult([str(f.relative_to(workspace)) for f in files])
    if files:
        result.diagnostics = _run(files, workspace)
    return result


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

    parser = argparse.ArgumentParser(prog="lean-local typecheck", description=__doc__)
    parser.add_argument("workspace", nargs="?", default=".", help="workspace root (the folder with lean.json)")
    args = parser.parse_args(argv)
    result = typecheck_workspace(Path(args.workspace).resolve())
    for diagnostic in result.diagnostics:
        print(diagnostic)
    print(f"{len(result.checked)} files checked, {len(result.errors)} errors")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
