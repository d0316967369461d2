"""Shared setup for the framework tests.

Until the engine calls ``framework_post_initialize`` itself, these tests call it right after ``initialize``
(LEAN's ``PostInitialize`` → ``FrameworkPostInitialize``), before the benchmark is resolved.
"""
from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_FOLDER = ROOT.parent / "shared" / "lean-data"
ALGORITHMS = Path(__file__).resolve().parent / "algorithms"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _ensure_post_initialize_hook() -> None:
    from lean_local.engine import Engine

    if "framework_post_initialize" in inspect.getsource(Engine):
        return
    if getattr(Engine, "_framework_test_patch", False):
        return
    original = Engine._resolve_benchmark

    def resolve_benchmark(self: Engine) -> None:
        hook = getattr(self.algorithm, "framework_post_initialize", None)
        if hook is not None:
            hook()
        original(self)

    Engine._resolve_benchmark = resolve_benchmark  # type: ignore[method-assign]
    Engine._framework_test_patch = True  # type: ignore[attr-defined]


_ensure_post_initialize_hook()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not DATA_FOLDER.is_dir():
        skip = pytest.mark.skip(reason=f"LEAN sample data not found at {DATA_FOLDER}")
        for item in items:
            if "needs_data" in item.keywords:
                item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_data: needs LEAN's sample data in ../shared/lean-data")
