"""The Python API other servers and hooks use (``BacktestService``), and the pieces under it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _mcp_support import INJECTION

from mcp_backtest import optimization as opt
from mcp_backtest.errors import BacktestServiceError, InvalidArgumentError, NotFoundError
from mcp_backtest.models import OptimizationRun
from mcp_backtest.results import parse_statistic
from mcp_backtest.service import BacktestService
from mcp_backtest.untrusted import MAX_LINE_CHARS, envelope
from mcp_backtest.workspace import Workspace


def test_synchronous_api_for_scripts_and_hooks(finished: dict[str, object]) -> None:
    service: BacktestService = finished["service"]  # type: ignore[assignment]
    completed = finished["completed"]
    recent = service.latest_backtests(limit=5)
    assert {s.backtest_id for s in recent} >= {completed.backtest_id, finished["failed"].backtest_id}  # type: ignore[attr-defined]
    assert [s.created for s in recent] == sorted((s.created for s in recent), reverse=True)
    details = service.read_backtest("buy_hold", completed.backtest_id)  # type: ignore[attr-defined]
    wire = details.model_dump(by_alias=True, mode="json")
    assert wire["backtestId"] == completed.backtest_id and "runtimeStatistics" in wire  # type: ignore[attr-defined]
    assert details.statistics["Total Orders"] == "1"
    with pytest.raises(NotFoundError):
        service.read_backtest("buy_hold", "1000000000")
    with pytest.raises(InvalidArgumentError):
        service.read_backtest_logs("buy_hold", completed.backtest_id, 0, 10_000)  # type: ignore[attr-defined]


def test_create_backtest_sync_and_optimization_sync(service: BacktestService) -> None:
    summary = service.create_backtest_sync("sma_cross", name="api", parameters={"fast": 4})
    assert summary.status == "Completed" and summary.parameters == {"fast": "4"} and summary.backend == "local"
    result = service.create_optimization_sync("sma_cross", [{"name": "fast", "values": [3, 5]}], target="Net Profit")
    assert result.total_runs == 2 and result.best is not None and result.best.rank == 1
    assert service.read_optimization("sma_cross", result.optimization_id) == result


def test_from_env(monkeypatch: pytest.MonkeyPatch, workspace: Path) -> None:
    monkeypatch.setenv("MCP_BACKTEST_WORKSPACE", str(workspace / "algorithms"))  # lean.json is found above it
    monkeypatch.setenv("MCP_BACKTEST_BACKEND", "lean-cli")
    monkeypatch.setenv("MCP_BACKTEST_TIMEOUT", "42")
    monkeypatch.setenv("MCP_BACKTEST_MAX_PARALLEL", "3")
    service = BacktestService.from_env()
    assert service.workspace.root == workspace.resolve()
    assert (service.backend.name, service.timeout_seconds, service.max_parallel) == ("lean-cli", 42.0, 3)
    monkeypatch.setenv("MCP_BACKTEST_TIMEOUT", "soon")
    with pytest.raises(BacktestServiceError, match="MCP_BACKTEST_TIMEOUT"):
        BacktestService.from_env()


def test_project_references_cannot_escape_the_workspace(workspace: Path, tmp_path: Path) -> None:
    ws = Workspace.open(workspace)
    outside = tmp_path / "outside_project"
    outside.mkdir()
    (outside / "main.py").write_text("")
    (workspace / "algorithms" / "sneaky").symlink_to(outside)
    with pytest.raises(NotFoundError):
        ws.resolve_project("sneaky")
    assert "algorithms/sneaky" not in [ref.name for ref in ws.project_refs()]
    assert ws.resolve_project("algorithms//buy_hold/").name == "algorithms/buy_hold"
    assert ws.resolve_project("./algorithms/buy_hold").name == "algorithms/buy_hold"


def test_untrusted_envelope() -> None:
    wrapped = envelope("test", f"first\n\x1b[1m{INJECTION}\x1b[0m\x00\n" + "y" * (MAX_LINE_CHARS + 10))
    assert wrapped.trust == "untrusted" and "not instructions" in wrapped.notice
    assert wrapped.lines[1] == INJECTION
    assert wrapped.lines[2].startswith("y" * MAX_LINE_CHARS) and "10 more characters" in wrapped.lines[2]
    assert wrapped.truncated_lines == 1
    wire = json.loads(wrapped.model_dump_json(by_alias=True))
    assert list(wire) == ["trust", "origin", "notice", "beginMarker", "lines", "endMarker", "truncatedLines"]


def test_grid_values_are_exact() -> None:
    assert opt.GridParameter(name="x", min=0.1, max=0.3, step=0.1).grid_values() == ["0.1", "0.2", "0.3"]
    assert opt.GridParameter(name="x", min=5, max=20, step=5).grid_values() == ["5", "10", "15", "20"]
    assert opt.GridParameter(name="x", min=1, max=2, step=0.25).grid_values() == ["1", "1.25", "1.5", "1.75", "2"]
    assert opt.GridParameter(name="x", values=[3, "3", 2.50, True, "a"]).grid_values() == ["3", "2.5", "true", "a"]
    grid = opt.expand_grid([opt.GridParameter(name="a", values=[1, 2]), opt.GridParameter(name="b", values=["x", "y"])], 10)
    assert grid == [{"a": "1", "b": "x"}, {"a": "1", "b": "y"}, {"a": "2", "b": "x"}, {"a": "2", "b": "y"}]
    with pytest.raises(InvalidArgumentError, match="4 combinations"):
        opt.expand_grid([opt.GridParameter(name="a", values=[1, 2]), opt.GridParameter(name="b", values=[1, 2])], 3)


def test_statistics_parse_in_their_display_unit() -> None:
    assert parse_statistic("12.345%") == 12.345
    assert parse_statistic("-$1,234.50") == -1234.5
    assert parse_statistic("$1100000000.00") == 1.1e9
    assert parse_statistic("0.339") == 0.339
    assert parse_statistic("SPY R735QTJ8XC9X") is None and parse_statistic("") is None and parse_statistic(None) is None


def test_ranking_with_constraints() -> None:
    def run(i: int, sharpe: str, drawdown: str, status: str = "Completed") -> OptimizationRun:
        return OptimizationRun(backtest_id=str(i), parameters={"i": str(i)}, status=status,  # type: ignore[arg-type]
                               statistics={"Sharpe Ratio": sharpe, "Drawdown": drawdown})

    runs = [run(1, "0.5", "10%"), run(2, "1.5", "30%"), run(3, "1.0", "5%"), run(4, "9", "1%", "RuntimeError"),
            run(5, "abc", "1%")]
    ranked = opt.rank_runs(runs, "Sharpe Ratio", "max", [opt.Constraint(statistic="Drawdown", operator="<", value=20)])
    assert [(r.backtest_id, r.rank) for r in ranked] == [("3", 1), ("1", 2), ("2", None), ("4", None), ("5", None)]
    assert ranked[2].satisfies_constraints is False and ranked[3].target_value is None
    lowest = opt.rank_runs(runs, "Drawdown", "min", [])
    assert [r.backtest_id for r in lowest if r.rank] == ["5", "3", "1", "2"]
