"""Fixtures for the ``lean-local backtest`` tests (helpers live in ``_cli_support``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from _cli_support import LEAN_DATA, Workspace, write_lean_json


@pytest.fixture(scope="session")
def lean_data() -> Path:
    if not (LEAN_DATA / "equity" / "usa" / "minute" / "spy").is_dir():
        pytest.skip(f"LEAN sample data not found at {LEAN_DATA} (expected <repo>/../shared/lean-data)")
    return LEAN_DATA


@pytest.fixture
def workspace(tmp_path: Path, lean_data: Path) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    write_lean_json(root, lean_data)
    return Workspace(root)


