"""install_algorithm_imports: AlgorithmImports (with QuantBook) for a notebook kernel, in memory only."""
from __future__ import annotations

import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from lean_local.research import QuantBook, install_algorithm_imports, uninstall_algorithm_imports


@pytest.fixture
def clean_imports() -> Iterator[None]:
    before = sys.modules.get("AlgorithmImports")
    path = list(sys.path)
    yield
    uninstall_algorithm_imports()
    sys.path[:] = path
    if before is not None:
        sys.modules["AlgorithmImports"] = before


def test_installs_algorithm_imports_with_quantbook_and_the_library(tmp_path: Path, clean_imports: None) -> None:
    workspace = tmp_path / "ws"
    (workspace / "Library" / "mylib").mkdir(parents=True)
    (workspace / "Library" / "mylib" / "signal_tools.py").write_text("from AlgorithmImports import *\nANSWER = Resolution.DAILY\n")
    (workspace / "research" / "notebooks").mkdir(parents=True)
    (workspace / "lean.json").write_text('{"data-folder": "data", "organization-id": "x"}')
    module = install_algorithm_imports(start=workspace / "research" / "notebooks")
    assert sys.modules["AlgorithmImports"] is module
    namespace: dict[str, object] = {}
    exec("from AlgorithmImports import *", namespace)  # noqa: S102 - what a notebook's first cell does
    assert namespace["QuantBook"] is QuantBook
    for name in ("QCAlgorithm", "Resolution", "BollingerBands", "Field", "Insight", "AlphaModel", "TradeBar", "np", "pd"):
        assert name in namespace, name
    # the workspace's Library is importable, as in LEAN's research container
    assert str((workspace / "Library").resolve()) in sys.path
    from mylib.signal_tools import ANSWER  # type: ignore[import-not-found]

    assert ANSWER is namespace["Resolution"].DAILY  # type: ignore[attr-defined]
    # LEAN's framework import paths too
    exec("from Alphas.EmaCrossAlphaModel import EmaCrossAlphaModel", {})  # noqa: S102
    uninstall_algorithm_imports()
    assert "AlgorithmImports" not in sys.modules
    assert str((workspace / "Library").resolve()) not in sys.path
    sys.modules.pop("mylib.signal_tools", None)
    sys.modules.pop("mylib", None)


def test_nothing_is_written_to_site_packages(clean_imports: None) -> None:
    install_algorithm_imports(library=False)
    for key in ("purelib", "platlib"):
        site = Path(sysconfig.get_paths()[key])
        # quantconnect-stubs ships AlgorithmImports/__init__.pyi; a runtime module there would shadow it
        runtime = [site / "AlgorithmImports.py", site / "AlgorithmImports" / "__init__.py"]
        assert not [p for p in runtime if p.exists()], "AlgorithmImports must never be installed"
    assert getattr(sys.modules["AlgorithmImports"], "__file__", None) is None


def test_explicit_library_folder_must_exist(tmp_path: Path, clean_imports: None) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        install_algorithm_imports(library=tmp_path / "missing")
