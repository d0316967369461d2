"""Fixtures for the Claude Code hook tests: a synthetic market per session, a sandbox workspace per test."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from mcp_backtest.trading.sandbox import make_workspace, synthetic_market
from mcp_backtest.trading.workspace import Workspace


@pytest.fixture(scope="session")
def market_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_market(tmp_path_factory.mktemp("hook-market") / "data")


@pytest.fixture
def make_ws(tmp_path: Path, market_folder: Path) -> Callable[..., Workspace]:
    counter = {"n": 0}

    def make(**kwargs: Any) -> Workspace:
        counter["n"] += 1
        return make_workspace(tmp_path / f"ws{counter['n']}", market_folder, **kwargs)

    return make


@pytest.fixture
def ws(make_ws: Callable[..., Workspace]) -> Workspace:
    return make_ws()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
