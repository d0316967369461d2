"""Execute research notebooks headless (what the tests do), and keep committed notebooks free of outputs.

    .venv/bin/python -m lean_local.research.notebooks research/notebooks/zscore_mean_reversion.ipynb \\
        --data-folder ../shared/lean-data --output /tmp/zscore_mean_reversion.ipynb

runs every cell in a fresh kernel with the notebook's folder as working directory (as Jupyter does) and writes
the executed copy with its outputs and plots; it fails, naming the cell, on the first cell that raises.
``--strip`` removes outputs and execution counts in place instead (notebooks are committed stripped).
Needs the ``dev`` extra (``nbclient``, ``nbformat``, ``ipykernel``).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from lean_local.research.workspace import DATA_FOLDER_ENV


def execute_notebook(path: str | os.PathLike[str], *, timeout: int = 600, kernel_name: str = "python3",
                     data_folder: str | os.PathLike[str] | None = None) -> Any:
    """Run ``path`` top to bottom in a new kernel; returns the executed ``NotebookNode``.

    ``data_folder`` is passed to the kernel as ``$LEAN_LOCAL_DATA_FOLDER``. Raises nbclient's
    ``CellExecutionError`` (with the cell's traceback) when a cell fails, ``TimeoutError`` past ``timeout``
    seconds for one cell.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook_path = Path(path).resolve()
    notebook = nbformat.read(notebook_path, as_version=4)
    previous = os.environ.get(DATA_FOLDER_ENV)
    if data_folder is not None:
        os.environ[DATA_FOLDER_ENV] = str(Path(data_folder).resolve())
    try:
        client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                                resources={"metadata": {"path": str(notebook_path.parent)}})
        client.execute()
    finally:
        if data_folder is not None:
            if previous is None:
                os.environ.pop(DATA_FOLDER_ENV, None)
            else:
                os.environ[DATA_FOLDER_ENV] = previous
    return notebook


def strip_outputs(notebook: Any) -> Any:
    """Remove outputs, execution counts and execution timing from every code cell (in place; returned too)."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lean_local.research.notebooks", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--data-folder", type=Path, help=f"LEAN data folder for the kernel (sets ${DATA_FOLDER_ENV})")
    parser.add_argument("--output", type=Path, help="where to write the executed notebook (one notebook only; default: "
                        "next to it as <name>.executed.ipynb)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--strip", action="store_true", help="strip outputs in place instead of executing")
    args = parser.parse_args(argv)
    import nbformat

    if args.output is not None and len(args.notebooks) != 1:
        parser.error("--output needs exactly one notebook")
    for path in args.notebooks:
        if args.strip:
            notebook = strip_outputs(nbformat.read(path, as_version=4))
            nbformat.write(notebook, path)
            print(f"stripped {path}")
            continue
        started = time.perf_counter()
        notebook = execute_notebook(path, timeout=args.timeout, data_folder=args.data_folder)
        target = args.output or path.with_suffix(".executed.ipynb")
        nbformat.write(notebook, target)
        print(f"executed {path} in {time.perf_counter() - started:.1f} s -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
