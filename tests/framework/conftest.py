"""Shared setup for the framework tests: the ``needs_data`` marker (skipped without LEAN's sample data)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from framework_testdata import DATA_FOLDER  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not DATA_FOLDER.is_dir():
        skip = pytest.mark.skip(reason=f"LEAN sample data not found at {DATA_FOLDER}")
        for item in items:
            if "needs_data" in item.keywords:
                item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_data: needs LEAN's sample data in ../shared/lean-data")
