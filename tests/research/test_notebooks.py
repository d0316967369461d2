"""The research notebooks run top to bottom on LEAN's sample data (nbclient, a fresh kernel of this interpreter,
no network), so they cannot rot; and they are committed without outputs."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from lean_local.research.notebooks import execute_notebook

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "research" / "notebooks").glob("*.ipynb"))
KERNEL = "lean-local-research-test"


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec for this very interpreter, found before any user-installed 'python3' spec."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "lean-local tests", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return KERNEL


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "research/notebooks has no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, cell in enumerate(notebook["cells"])
             if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"cells {dirty} of {path.name} hold outputs; strip them with "
                       f"'python -m lean_local.research.notebooks --strip {path}'")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, lean_data: Path, kernel: str) -> None:
    started = time.perf_counter()
    executed = execute_notebook(path, kernel_name=kernel, data_folder=lean_data, timeout=600)
    elapsed = time.perf_counter() - started
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert figures, f"{path.name} drew no plot"
    print(f"{path.name}: executed in {elapsed:.1f} s, {len(figures)} figures")
