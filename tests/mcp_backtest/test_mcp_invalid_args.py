"""Every kind of invalid argument gives a clear tool error (never a traceback, never a bare "internal error")."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _mcp_support import TOOLS, assert_clear_error
from mcp import Client

from mcp_backtest.backtest_server import create_server
from mcp_backtest.service import BacktestService

pytestmark = pytest.mark.anyio

BID = "{bid}"  # replaced by the finished backtest's id
MISSING_ID = "1999999999"

CASES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    # unknown tool / arguments of the wrong shape
    ("no_such_tool", {}, ("unknown tool",)),
    ("list_projects", {"extra": 1}, ("unknown argument", "extra")),
    ("read_project", {}, ("project", "required")),
    ("read_project", {"project": 5}, ("project", "string")),
    ("read_project", {"project": None}, ("project",)),
    ("read_project", {"project": ["a"]}, ("project",)),
    ("read_project", {"project": ""}, ("project", "at least 1")),
    ("read_project", {"project": "x" * 201}, ("project", "at most 200")),
    ("read_project", {"project": "   "}, ("empty",)),
    ("read_project", {"project": "/etc"}, ("absolute path",)),
    ("read_project", {"project": "~/x"}, ("absolute path",)),
    ("read_project", {"project": "../outside"}, ("leaves the workspace",)),
    ("read_project", {"project": "algorithms/../../x"}, ("leaves the workspace",)),
    ("read_project", {"project": "a\x00b"}, ("control characters",)),
    ("read_project", {"project": "no_such_project"}, ("not found", "list_projects")),
    ("read_project", {"project": "algorithms"}, ("not found",)),
    ("read_project", {"project": "buy_hold", "projectId": 1}, ("unknown argument", "projectId")),
    # create_project / add_library
    ("create_project", {}, ("name", "required")),
    ("create_project", {"name": "9lives"}, ("not allowed",)),
    ("create_project", {"name": "has space"}, ("not allowed",)),
    ("create_project", {"name": "../escape"}, ("not allowed",)),
    ("create_project", {"name": "x" * 65}, ("name", "at most 64")),
    ("create_project", {"name": "buy_hold"}, ("already exists",)),
    ("create_project", {"name": "BUY_HOLD"}, ("already exists",)),
    ("create_project", {"name": "ok_name", "library": "maybe"}, ("library", "bool")),
    ("create_project", {"name": "ok_name", "parameters": {"a": {"b": 1}}}, ("parameters",)),
    ("create_project", {"name": "ok_name", "parameters": {"a\nb": 1}}, ("parameter name",)),
    ("create_project", {"name": "ok_name", "description": 3}, ("description",)),
    ("add_library", {"project": "buy_hold"}, ("library", "required")),
    ("add_library", {"project": "buy_hold", "library": "../x"}, ("leaves the workspace",)),
    ("add_library", {"project": "buy_hold", "library": "missing_lib"}, ("not found",)),
    ("add_library", {"project": "Library/helpers", "library": "helpers"}, ("library project",)),
    ("add_library", {"project": "nope", "library": "helpers"}, ("not found",)),
    ("check_syntax", {"project": "nope"}, ("not found",)),
    # create_backtest
    ("create_backtest", {}, ("project", "required")),
    ("create_backtest", {"project": "Library/helpers"}, ("library project",)),
    ("create_backtest", {"project": "buy_hold", "parameters": [["fast", "1"]]}, ("parameters", "dictionary")),
    ("create_backtest", {"project": "buy_hold", "parameters": "fast=1"}, ("parameters",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {"fast": None}}, ("parameters.fast",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {"fast": [1]}}, ("parameters.fast",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {"": "1"}}, ("parameter name",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {" fast": "1"}}, ("parameter name",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {"fast": "1\n2"}}, ("one line",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {"fast": "x" * 1001}}, ("1000",)),
    ("create_backtest", {"project": "buy_hold", "parameters": {f"p{i}": i for i in range(101)}}, ("at most 100",)),
    ("create_backtest", {"project": "buy_hold", "name": "a\nb"}, ("name", "one line")),
    ("create_backtest", {"project": "buy_hold", "name": "n" * 201}, ("name",)),
    ("create_backtest", {"project": "buy_hold", "name": 7}, ("name",)),
    ("create_backtest", {"project": "buy_hold", "timeoutSeconds": 0}, ("timeoutSeconds", "greater than or equal to 1")),
    ("create_backtest", {"project": "buy_hold", "timeoutSeconds": "soon"}, ("timeoutSeconds",)),
    ("create_backtest", {"project": "buy_hold", "timeoutSeconds": 1e9}, ("timeoutSeconds",)),
    ("create_backtest", {"project": "buy_hold", "backtestName": "x"}, ("unknown argument", "backtestName")),
    # reading backtests
    ("read_backtest", {"project": "buy_hold"}, ("backtestId", "required")),
    ("read_backtest", {"project": "buy_hold", "backtestId": "abc"}, ("backtestId", "digits")),
    ("read_backtest", {"project": "buy_hold", "backtestId": "12 34"}, ("backtestId",)),
    ("read_backtest", {"project": "buy_hold", "backtestId": 1234}, ("backtestId", "string")),
    ("read_backtest", {"project": "buy_hold", "backtestId": "1" * 21}, ("backtestId", "at most 20")),
    ("read_backtest", {"project": "buy_hold", "backtestId": MISSING_ID}, ("not found", "list_backtests")),
    ("read_backtest", {"project": "sma_cross", "backtestId": BID}, ("not found",)),
    ("list_backtests", {"project": "buy_hold", "limit": 0}, ("limit",)),
    ("list_backtests", {"project": "buy_hold", "includeStatistics": "perhaps"}, ("includeStatistics",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": BID, "start": -1}, ("start",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": BID, "start": 5, "end": 5}, ("end must be greater",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": BID, "start": 0, "end": 101}, ("at most 100",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": BID, "end": 0}, ("end",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": BID, "start": 1.5}, ("start",)),
    ("read_backtest_orders", {"project": "buy_hold", "backtestId": MISSING_ID}, ("not found",)),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID}, ("name", "required")),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": ""}, ("name",)),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": "Nope"}, ("no chart", "Strategy Equity")),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": "Strategy Equity", "count": 0}, ("count",)),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": "Strategy Equity", "count": 5000}, ("count",)),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": "Strategy Equity", "start": -5}, ("start",)),
    ("read_backtest_chart", {"project": "buy_hold", "backtestId": BID, "name": "Strategy Equity", "start": 10, "end": 5}, ("end must not be before start",)),
    ("read_backtest_logs", {"project": "buy_hold", "backtestId": BID, "source": "docker"}, ("source",)),
    ("read_backtest_logs", {"project": "buy_hold", "backtestId": BID, "startLine": 10, "endLine": 2}, ("endLine must be greater",)),
    ("read_backtest_logs", {"project": "buy_hold", "backtestId": BID, "startLine": 0, "endLine": 501}, ("at most 500",)),
    ("read_backtest_logs", {"project": "buy_hold", "backtestId": BID, "startLine": -3}, ("startLine",)),
    # optimizations
    ("create_optimization", {"project": "sma_cross"}, ("parameters", "required")),
    ("create_optimization", {"project": "sma_cross", "parameters": []}, ("parameters", "at least 1")),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast"}]}, ("min", "values")),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "min": 1, "max": 5, "step": 0}]}, ("step",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "min": 5, "max": 1, "step": 1}]}, ("max",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "min": 1, "max": 1e9, "step": 1}]}, ("more than",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1], "min": 1}]}, ("either",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": []}]}, ("values",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1], "bogus": 2}]}, ("bogus",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "bad name", "values": [1]}]}, ("name",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "a", "values": [1]}, {"name": "a", "values": [2]}]}, ("more than once",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "a", "values": list(range(11))}, {"name": "b", "values": list(range(11))}]}, ("combinations", "limit")),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "target": "Happiness"}, ("target", "Sharpe Ratio")),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "targetDirection": "up"}, ("targetDirection",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "constraints": [{"statistic": "Drawdown", "operator": "<<", "value": 1}]}, ("operator",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "constraints": [{"statistic": "Mood", "operator": "<", "value": 1}]}, ("statistic",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "constraints": [{"statistic": "Drawdown", "operator": "<", "value": "low"}]}, ("value",)),
    ("create_optimization", {"project": "sma_cross", "parameters": [{"name": "fast", "values": [1]}], "maxParallel": 0}, ("maxParallel",)),
    ("create_optimization", {"project": "sma_cross", "parameters": "fast=1..5"}, ("parameters",)),
    ("read_optimization", {"project": "sma_cross"}, ("optimizationId", "required")),
    ("read_optimization", {"project": "sma_cross", "optimizationId": "x"}, ("optimizationId", "digits")),
    ("read_optimization", {"project": "sma_cross", "optimizationId": "2000000000"}, ("not found",)),
]


@pytest.fixture(scope="module")
def small_limits_service(finished: dict[str, Any]) -> BacktestService:
    root: Path = finished["root"]  # type: ignore[assignment]
    return BacktestService(root, "local", timeout_seconds=60, max_optimization_runs=100)


@pytest.mark.parametrize("tool,arguments,fragments", CASES, ids=[f"{i:03d}-{c[0]}" for i, c in enumerate(CASES)])
async def test_invalid_arguments_give_clear_errors(
    small_limits_service: BacktestService, finished: dict[str, Any], tool: str, arguments: dict[str, Any],
    fragments: tuple[str, ...],
) -> None:
    backtest_id = finished["completed"].backtest_id  # type: ignore[attr-defined]
    arguments = json.loads(json.dumps(arguments).replace(BID, backtest_id))
    root: Path = finished["root"]  # type: ignore[assignment]
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    async with Client(create_server(small_limits_service), raise_exceptions=True) as client:
        result = await client.call_tool(tool, arguments)
    assert_clear_error(result, tool, *fragments)
    if tool != "no_such_tool":
        assert tool in TOOLS
    after = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert after == before  # a refused call changes nothing in the workspace


async def test_workspace_without_organization_is_a_clear_backtest_error(tmp_path: Path, synthetic_data: Path) -> None:
    from _mcp_support import make_workspace

    root = make_workspace(tmp_path / "ws", synthetic_data, projects=("buy_hold",), organization=False)
    async with Client(create_server(BacktestService(root)), raise_exceptions=True) as client:
        result = await client.call_tool("create_backtest", {"project": "buy_hold"})
    assert_clear_error(result, "create_backtest", "organization")
    assert not any((root / "algorithms" / "buy_hold" / "backtests").iterdir())  # the claimed folder is removed


async def test_missing_data_folder_is_a_clear_backtest_error(tmp_path: Path) -> None:
    from _mcp_support import make_workspace

    root = make_workspace(tmp_path / "ws", tmp_path / "no-data", projects=("buy_hold",))
    async with Client(create_server(BacktestService(root)), raise_exceptions=True) as client:
        result = await client.call_tool("create_backtest", {"project": "buy_hold"})
    assert_clear_error(result, "create_backtest", "data folder")


def test_service_rejects_bad_configuration(tmp_path: Path) -> None:
    from mcp_backtest.errors import BacktestServiceError

    with pytest.raises(BacktestServiceError, match="No lean.json"):
        BacktestService(tmp_path)
    (tmp_path / "lean.json").write_text("{not json")
    with pytest.raises(BacktestServiceError, match="not valid JSON"):
        BacktestService(tmp_path)
    (tmp_path / "lean.json").write_text("{}")
    with pytest.raises(BacktestServiceError, match="Unknown backend"):
        BacktestService(tmp_path, "docker")
    with pytest.raises(BacktestServiceError, match="timeout"):
        BacktestService(tmp_path, timeout_seconds=0)
