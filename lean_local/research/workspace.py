"""Where a research session finds its data and its workspace.

A notebook runs with its own folder as the working directory. Like ``lean research``, the data folder is the
``data-folder`` of the nearest ``lean.json`` found by walking up from there; an explicit folder (the ``QuantBook``
argument) or the ``LEAN_LOCAL_DATA_FOLDER`` environment variable take precedence.
"""
from __future__ import annotations

import os
from pathlib import Path

from lean_local.runner import WorkspaceError, find_workspace_root, read_lean_json

#: Environment variable naming the data folder of research sessions (overrides ``lean.json``).
DATA_FOLDER_ENV = "LEAN_LOCAL_DATA_FOLDER"


def workspace_root(start: Path | None = None) -> Path | None:
    """The folder holding the nearest ``lean.json`` at or above ``start`` (the working directory by default)."""
    return find_workspace_root(Path(start or Path.cwd()).resolve())


def resolve_research_data_folder(data_folder: str | os.PathLike[str] | None = None, start: Path | None = None) -> Path:
    """The data folder of a research session: ``data_folder``, else ``$LEAN_LOCAL_DATA_FOLDER``, else the
    ``data-folder`` of the nearest ``lean.json`` above ``start`` (the working directory by default).

    Raises :class:`~lean_local.runner.WorkspaceError` saying how to fix it when none of them names a folder.
    """
    if data_folder is not None:
        folder = Path(data_folder).expanduser().resolve()
        if not folder.is_dir():
            raise WorkspaceError(f"The data folder '{folder}' given to QuantBook does not exist. Point it at a LEAN data folder.")
        return folder
    from_env = os.environ.get(DATA_FOLDER_ENV)
    if from_env:
        folder = Path(from_env).expanduser().resolve()
        if not folder.is_dir():
            raise WorkspaceError(
                f"The data folder '{folder}' named by ${DATA_FOLDER_ENV} does not exist. Point it at a LEAN data folder "
                f"or unset {DATA_FOLDER_ENV} to use lean.json's data-folder."
            )
        return folder
    here = Path(start or Path.cwd()).resolve()
    root = find_workspace_root(here)
    if root is None:
        raise WorkspaceError(
            f"No lean.json found in '{here}' or any parent folder, so QuantBook cannot find the data folder. "
            f"Open the notebook inside a LEAN workspace, set {DATA_FOLDER_ENV}=DIR, or pass QuantBook(data_folder=DIR)."
        )
    lean_json = root / "lean.json"
    configured = read_lean_json(lean_json).get("data-folder", "data")
    if not isinstance(configured, str) or not configured:
        raise WorkspaceError(f"'data-folder' in '{lean_json}' must be a folder path (a string).")
    folder = (root / configured).resolve()
    if not folder.is_dir():
        raise WorkspaceError(
            f"The data folder '{folder}' named by '{lean_json}' (\"data-folder\": \"{configured}\") does not exist. "
            f"Download LEAN data there, set {DATA_FOLDER_ENV}=DIR, or pass QuantBook(data_folder=DIR)."
        )
    return folder
