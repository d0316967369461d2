"""Fixtures for the backtest MCP server tests (helpers live in ``_mcp_support``)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from _mcp_support import make_synthetic_data, make_workspace
from mcp import Client

from mcp_backtest.backtest_server import create_server
from mcp_backtest.service import BacktestService


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def synthetic_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic LEAN data folder (daily bars 2020-2021), generated once per test process."""
    return make_synthetic_data(tmp_path_factory.mktemp("mcp_synthetic") / "data")


@pytest.fixture(scope="session", autouse=True)
def _mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    os.environ.setdefault("MCP_BACKTEST_MYPY_CACHE", str(tmp_path_factory.mktemp("mcp_mypy_cache")))


@pytest.fixture
def workspace(tmp_path: Path, synthetic_data: Path) -> Path:
    return make_workspace(tmp_path / "ws", synthetic_data)


@pytest.fixture
def service(workspace: Path) -> BacktestService:
    return BacktestService(workspace, "local", timeout_seconds=120, max_parallel=2)


@pytest.fixture
async def client(service: BacktestService) -> AsyncIterator[Client]:
    async with Client(create_server(service), raise_exceptions=True) as connected:
        yield connected


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory, synthetic_data: Path) -> dict[str, object]:
    """A workspace with two finished backtests (buy_hold completed, raises failed), shared by read-only tests."""
    root = make_workspace(tmp_path_factory.mktemp("mcp_finished") / "ws", synthetic_data)
    service = BacktestService(root, "local", timeout_seconds=120)
    completed = service.create_backtest_sync("buy_hold", name="baseline")
    failed = service.create_backtest_sync("raises", name="raises")
    assert completed.status == "Completed", completed
    assert failed.status == "RuntimeError", failed
    return {"root": root, "service": service, "completed": completed, "failed": failed}
