"""The LEAN CLI workspace the backtest server works in: its root (``lean.json``), projects and libraries.

Projects are referenced by their path relative to the workspace root (``algorithms/trend_basket``,
``Library/alpha``); a bare name (``trend_basket``) is looked up in the projects folder (``algorithms/`` by
default), then at the root, then in ``Library/``. A reference can never leave the workspace: absolute paths,
``..`` and symlinks pointing outside are refused.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lean_local.runner import WorkspaceError, find_workspace_root, read_lean_json
from mcp_backtest.errors import InvalidArgumentError, NotFoundError, WorkspaceConfigError
from mcp_backtest.models import LibraryReference, ProjectFile, ProjectInfo

#: environment variable naming the workspace root (a folder holding lean.json, or a folder below one)
WORKSPACE_ENV = "MCP_BACKTEST_WORKSPACE"
DEFAULT_PROJECTS_DIR = "algorithms"
LIBRARY_DIR = "Library"

MAX_REFERENCE_CHARS = 200
_PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_SKIP_DIRS = {"backtests", "optimizations", "live", "storage", "report", "bin", "obj", "__pycache__", ".idea", ".vscode"}
_SOURCE_SUFFIXES = {".py", ".cs", ".ipynb", ".json", ".txt", ".md", ".css", ".html"}
_MAX_LISTED_FILES = 500


@dataclass(frozen=True)
class ProjectRef:
    """A resolved project: its reference (workspace-relative posix path) and folder."""

    name: str
    path: Path
    is_library: bool

    @property
    def algorithm_file(self) -> Path:
        return self.path / "main.py"


@dataclass
class Workspace:
    """A LEAN CLI workspace: the folder holding ``lean.json``."""

    root: Path
    lean_config: dict[str, Any] = field(default_factory=dict)
    projects_dir: str = DEFAULT_PROJECTS_DIR

    # --- opening --------------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path | str | None = None, *, projects_dir: str = DEFAULT_PROJECTS_DIR) -> Workspace:
        """The workspace at ``root`` (or ``$MCP_BACKTEST_WORKSPACE``, or the current directory).

        Like the LEAN CLI, ``lean.json`` is looked for in that folder and then in its parents.
        """
        start_text = str(root) if root is not None else os.environ.get(WORKSPACE_ENV) or os.getcwd()
        start = Path(start_text).expanduser().resolve()
        if not start.is_dir():
            raise WorkspaceConfigError(f"The workspace folder '{start}' does not exist.")
        found = find_workspace_root(start)
        if found is None:
            raise WorkspaceConfigError(
                f"No lean.json in '{start}' or any parent folder. Point the server at a LEAN CLI workspace "
                f"(--workspace DIR or ${WORKSPACE_ENV}); 'lean init' creates one."
            )
        try:
            config = read_lean_json(found / "lean.json")
        except WorkspaceError as err:
            raise WorkspaceConfigError(str(err)) from None
        if not _PROJECT_NAME.match(projects_dir):
            raise WorkspaceConfigError(f"The projects folder name {projects_dir!r} must be a plain folder name.")
        return cls(found, config, projects_dir)

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, posix style (absolute when outside the workspace)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def organization_id(self) -> str | None:
        value = self.lean_config.get("job-organization-id") or self.lean_config.get("organization-id")
        return str(value) if value else None

    # --- project references ---------------------------------------------------------------------------------------
    def resolve_project(self, reference: str, *, allow_library: bool = False) -> ProjectRef:
        """The project named by ``reference``; :class:`NotFoundError`/:class:`InvalidArgumentError` otherwise."""
        parts = self._reference_parts(reference, "project")
        candidates: list[Path] = []
        if len(parts) == 1:
            candidates = [self.root / self.projects_dir / parts[0], self.root / parts[0], self.root / LIBRARY_DIR / parts[0]]
        else:
            candidates = [self.root.joinpath(*parts)]
        for candidate in candidates:
            ref = self._project_at(candidate)
            if ref is None:
                continue
            if ref.is_library and not allow_library:
                raise InvalidArgumentError(
                    f"'{ref.name}' is a library project (it has no main.py to backtest). Backtest an algorithm project "
                    "that references it instead (add_library)."
                )
            return ref
        raise NotFoundError(
            f"Project {reference!r} not found in the workspace '{self.root}'. "
            f"Known projects: {self._known_names()}. Use list_projects, or create_project to make a new one."
        )

    def _reference_parts(self, reference: object, what: str) -> list[str]:
        if not isinstance(reference, str):
            raise InvalidArgumentError(f"The {what} must be a string such as 'algorithms/my_strategy'.")
        text = reference.strip().replace("\\", "/").strip("/")
        if not text:
            raise InvalidArgumentError(f"The {what} name is empty; pass e.g. 'algorithms/my_strategy' (see list_projects).")
        if len(text) > MAX_REFERENCE_CHARS:
            raise InvalidArgumentError(f"The {what} name is longer than {MAX_REFERENCE_CHARS} characters.")
        if reference.strip().startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", text):
            raise InvalidArgumentError(
                f"The {what} {reference!r} is an absolute path; pass a path relative to the workspace root "
                "(e.g. 'algorithms/my_strategy')."
            )
        parts = [p for p in text.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            raise InvalidArgumentError(f"The {what} {reference!r} leaves the workspace ('..' is not allowed).")
        if any(ch in text for ch in "\x00\n\r\t") or any(ord(ch) < 32 for ch in text):
            raise InvalidArgumentError(f"The {what} name contains control characters.")
        if not parts:
            raise InvalidArgumentError(f"The {what} name {reference!r} names no folder.")
        return parts

    def _inside(self, path: Path) -> Path | None:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return None
        if resolved == self.root or self.root not in resolved.parents:
            return None
        return resolved

    def _project_at(self, candidate: Path) -> ProjectRef | None:
        resolved = self._inside(candidate)
        if resolved is None or not resolved.is_dir():
            return None
        relative = resolved.relative_to(self.root)
        is_library = bool(relative.parts) and relative.parts[0] == LIBRARY_DIR
        if (resolved / "main.py").is_file() and not is_library:
            return ProjectRef(relative.as_posix(), resolved, False)
        if is_library and (resolved / "config.json").is_file():
            return ProjectRef(relative.as_posix(), resolved, True)
        return None

    def _known_names(self, limit: int = 20) -> str:
        names = [p.name for p in self.project_refs()]
        if not names:
            return "none yet"
        shown = ", ".join(names[:limit])
        return shown + (f" (+{len(names) - limit} more)" if len(names) > limit else "")

    # --- listing --------------------------------------------------------------------------------------------------
    def project_refs(self) -> list[ProjectRef]:
        """Algorithm projects (``<projects dir>/*``, ``<root>/*`` with main.py) then libraries (``Library/**``)."""
        refs: dict[Path, ProjectRef] = {}
        for folder in (self.root / self.projects_dir, self.root):
            if not folder.is_dir():
                continue
            for child in sorted(folder.iterdir()):
                if child.name.startswith(".") or child.name in _SKIP_DIRS or child.name == LIBRARY_DIR:
                    continue
                ref = self._project_at(child)
                if ref is not None and not ref.is_library:
                    refs.setdefault(ref.path, ref)
        library = self.root / LIBRARY_DIR
        if library.is_dir():
            for config in sorted(library.rglob("config.json")):
                if any(part in _SKIP_DIRS or part.startswith(".") for part in config.relative_to(library).parts[:-1]):
                    continue
                ref = self._project_at(config.parent)
                if ref is not None and ref.is_library:
                    refs.setdefault(ref.path, ref)
        return list(refs.values())

    def project_info(self, ref: ProjectRef) -> ProjectInfo:
        config = read_project_config(ref.path)
        parameters = config.get("parameters") if isinstance(config.get("parameters"), dict) else {}
        backtests = ref.path / "backtests"
        count = sum(1 for p in backtests.iterdir() if (p / "config").is_file()) if backtests.is_dir() else 0
        return ProjectInfo(
            name=ref.name,
            path=str(ref.path),
            language=config.get("algorithm-language") if isinstance(config.get("algorithm-language"), str) else None,
            description=str(config.get("description") or "") if isinstance(config.get("description"), str) else "",
            is_library=ref.is_library,
            parameters={str(k): _text(v) for k, v in (parameters or {}).items()},
            libraries=library_references(config),
            backtest_count=count,
        )

    def project_files(self, ref: ProjectRef) -> list[ProjectFile]:
        files: list[ProjectFile] = []
        for root, dirs, names in os.walk(ref.path):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(names):
                path = Path(root) / name
                if path.suffix in _SOURCE_SUFFIXES and not path.is_symlink():
                    files.append(ProjectFile(path=path.relative_to(ref.path).as_posix(), bytes=path.stat().st_size))
                if len(files) >= _MAX_LISTED_FILES:
                    return files
        return files

    # --- changes --------------------------------------------------------------------------------------------------
    def create_project(
        self, name: str, *, description: str = "", library: bool = False, parameters: dict[str, str] | None = None,
    ) -> ProjectRef:
        """Create ``<projects dir>/<name>`` (or ``Library/<name>``) like ``lean project-create``."""
        if not isinstance(name, str) or not _PROJECT_NAME.match(name):
            raise InvalidArgumentError(
                f"Project name {name!r} is not allowed: use 1-64 letters, digits, '_' or '-', starting with a letter "
                "(e.g. 'momentum_spy'). It becomes a folder under "
                f"'{LIBRARY_DIR if library else self.projects_dir}/'."
            )
        if library and not name.isidentifier():
            raise InvalidArgumentError(
                f"Library name {name!r} must be a valid Python identifier (letters, digits and '_'), so that "
                f"'from {name.replace('-', '_')}.Library import ...' works."
            )
        parent = self.root / (LIBRARY_DIR if library else self.projects_dir)
        target = parent / name
        existing = [p for p in (parent.iterdir() if parent.is_dir() else []) if p.name.lower() == name.lower()]
        if existing:
            raise InvalidArgumentError(f"A project named '{self.relative(existing[0])}' already exists; choose another name.")
        config: dict[str, Any] = {
            "algorithm-language": "Python",
            "parameters": {str(k): _text(v) for k, v in (parameters or {}).items()},
            "description": description,
        }
        parent.mkdir(parents=True, exist_ok=True)
        target.mkdir()
        if library:
            (target / "Library.py").write_text(_LIBRARY_TEMPLATE.format(name=name), encoding="utf-8")
        else:
            (target / "main.py").write_text(_ALGORITHM_TEMPLATE.format(cls=_class_name(name)), encoding="utf-8")
        write_project_config(target, config)
        ref = self._project_at(target)
        assert ref is not None
        return ref

    def add_library(self, project: str, library: str) -> tuple[ProjectRef, LibraryReference, bool, list[LibraryReference]]:
        """Reference ``Library/<library>`` from ``project`` like ``lean library add``; a second call is a no-op."""
        ref = self.resolve_project(project)
        parts = self._reference_parts(library, "library")
        if parts[0] != LIBRARY_DIR:
            parts = [LIBRARY_DIR, *parts]
        lib_path = self._inside(self.root.joinpath(*parts))
        if lib_path is None or not lib_path.is_dir():
            raise NotFoundError(
                f"Library {library!r} not found: expected a folder '{'/'.join(parts)}' in the workspace. "
                f"Known libraries: {', '.join(r.name for r in self.project_refs() if r.is_library) or 'none'} "
                "(create_project with library=true makes one)."
            )
        lib_config = read_project_config(lib_path)
        if not isinstance(lib_config.get("algorithm-language"), str):
            raise InvalidArgumentError(
                f"'{self.relative(lib_path)}' is not a LEAN library: its config.json needs \"algorithm-language\"."
            )
        lib_rel = lib_path.relative_to(self.root).as_posix()
        project_rel = ref.path.relative_to(self.root).as_posix()
        if any(entry.path == project_rel for entry in library_references(lib_config)):
            raise InvalidArgumentError(f"Circular dependency detected between {project_rel} and {lib_rel}.")
        config = read_project_config(ref.path)
        entries: list[Any] = list(config["libraries"]) if isinstance(config.get("libraries"), list) else []
        current = library_references(config)
        if any(entry.path == lib_rel for entry in current):
            return ref, LibraryReference(name=lib_path.name, path=lib_rel), True, current
        reference = LibraryReference(name=lib_path.name, path=lib_rel)
        config["libraries"] = [*entries, {"name": reference.name, "path": reference.path}]
        config.setdefault("algorithm-language", "Python")
        write_project_config(ref.path, config)
        return ref, reference, False, library_references(config)


# --- config.json helpers ---------------------------------------------------------------------------------------------
def read_project_config(folder: Path) -> dict[str, Any]:
    """The project's config.json as a dict; ``{}`` when missing or unreadable (the caller reports what matters)."""
    path = folder / "config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_project_config(folder: Path, config: dict[str, Any]) -> None:
    """Written as the LEAN CLI writes it: 4-space indent and a trailing newline (atomically)."""
    path = folder / "config.json"
    partial = folder / ".config.json.partial"
    partial.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    os.replace(partial, path)


def library_references(config: dict[str, Any]) -> list[LibraryReference]:
    entries = config.get("libraries")
    if not isinstance(entries, list):
        return []
    return [
        LibraryReference(name=str(e.get("name") or Path(str(e["path"])).name), path=str(e["path"]))
        for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)
    ]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _class_name(name: str) -> str:
    words = [w for w in re.split(r"[_\-]+", name) if w]
    return "".join(w[:1].upper() + w[1:] for w in words) + "Algorithm"


_ALGORITHM_TEMPLATE = '''from AlgorithmImports import *


class {cls}(QCAlgorithm):
    """Buys SPY and holds it; replace with your strategy."""

    def initialize(self) -> None:
        self.set_start_date(2020, 1, 1)
        self.set_end_date(2020, 12, 31)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
'''

_LIBRARY_TEMPLATE = '''"""Library project {name}: code shared by algorithm projects.

Reference it from a project (add_library), then import it as ``from {name}.Library import Library``.
"""
from AlgorithmImports import *


class Library:
    @staticmethod
    def add(a: float, b: float) -> float:
        return a + b
'''
