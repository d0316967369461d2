"""Shared fixtures: the LEAN sample data folder (read-only, never copied into the project)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lean_local.data.paths import DataFolder

_REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def lean_data() -> Path:
    """``<repo>/../shared/lean-data`` (or $LEAN_LOCAL_SAMPLE_DATA); tests needing it skip when absent."""
    root = Path(os.environ.get("LEAN_LOCAL_SAMPLE_DATA", _REPO / ".." / "shared" / "lean-data")).resolve()
    if not (root / "market-hours" / "market-hours-database.json").exists():
        pytest.skip(f"LEAN sample data not found at {root} (set LEAN_LOCAL_SAMPLE_DATA to a LEAN Data/ folder)")
    return root


@pytest.fixture(scope="session")
def data_folder(lean_data: Path) -> DataFolder:
    return DataFolder(lean_data)
