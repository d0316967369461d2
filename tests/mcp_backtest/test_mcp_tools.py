"""Every tool of the backtest MCP server, in process through an MCP client session (local backend)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _mcp_support import INJECTION, LEAN_DATA, READ_ONLY_TOOLS, TOOLS, assert_clear_error, text_of, write_project
from mcp import Client

from mcp_backtest.backtest_server import create_server
from mcp_backtest.service import BacktestService

pytestmark = pytest.mark.anyio


async def call(client: Client, tool: str, arguments: dict[str, Any], progress: list[Any] | None = None) -> Any:
    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        if progress is not None:
            progress.append((value, total, message))

    return await client.call_tool(tool, arguments, progress_callback=on_progress)


async def ok(client: Client, tool: str, arguments: dict[str, Any], progress: list[Any] | None = None) -> dict[str, Any]:
    result = await call(client, tool, arguments, progress)
    assert not result.is_error, text_of(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


# --- tool list -----------------------------------------------------------------------------------------------------
async def test_tools_have_quantconnect_names_schemas_and_truthful_annotations(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == set(TOOLS)
    for name, tool in tools.items():
        annotations = tool.annotations
        assert annotations is not None and annotations.title, name
        assert tool.description and len(tool.description) > 30, name
        assert tool.output_schema and tool.output_schema.get("type") == "object", name
        assert annotations.read_only_hint is (name in READ_ONLY_TOOLS), name
        assert annotations.destructive_hint is False, name  # nothing ever overwrites or deletes
        assert annotations.open_world_hint is False, name  # local backend: nothing leaves the machine
        expected_idempotent = name in READ_ONLY_TOOLS or name == "add_library"
        assert annotations.idempotent_hint is expected_idempotent, name
    schema = tools["create_backtest"].input_schema
    assert schema["required"] == ["project"]
    assert set(schema["properties"]) == {"project", "name", "parameters", "timeoutSeconds"}
    assert set(tools["read_backtest_logs"].input_schema["properties"]) == {"project", "backtestId", "startLine", "endLine", "source"}


async def test_lean_cli_backend_marks_runs_open_world(workspace: Path) -> None:
    from mcp_backtest.backends.lean_cli import LeanCliBackend

    server = create_server(BacktestService(workspace, LeanCliBackend("lean")))
    async with Client(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert tools["create_backtest"].annotations.open_world_hint is True
    assert tools["create_optimization"].annotations.open_world_hint is True
    assert tools["read_backtest"].annotations.open_world_hint is False


# --- projects ------------------------------------------------------------------------------------------------------
async def test_list_and_read_projects(client: Client, workspace: Path) -> None:
    listed = await ok(client, "list_projects", {})
    assert listed["workspace"] == str(workspace.resolve())
    names = [p["name"] for p in listed["projects"]]
    assert "algorithms/buy_hold" in names and "algorithms/sma_cross" in names
    assert names[-1] == "Library/helpers"
    helpers = next(p for p in listed["projects"] if p["name"] == "Library/helpers")
    assert helpers["isLibrary"] is True
    sma = next(p for p in listed["projects"] if p["name"] == "algorithms/sma_cross")
    assert sma["parameters"] == {"fast": "5", "slow": "20"} and sma["backtestCount"] == 0

    project = await ok(client, "read_project", {"project": "sma_cross"})  # bare name: looked up in algorithms/
    assert project["name"] == "algorithms/sma_cross"
    assert {f["path"] for f in project["files"]} == {"main.py", "config.json"}
    assert project["config"]["parameters"] == {"fast": "5", "slow": "20"}
    assert project["latestBacktest"] is None
    library = await ok(client, "read_project", {"project": "Library/helpers"})
    assert library["isLibrary"] is True and {f["path"] for f in library["files"]} == {"config.json", "signals.py"}


async def test_create_project_never_overwrites(client: Client, workspace: Path) -> None:
    created = await ok(client, "create_project", {"name": "momentum_v1", "description": "12-1 momentum",
                                                  "parameters": {"lookback": 252}})
    folder = workspace / "algorithms" / "momentum_v1"
    assert created["name"] == "algorithms/momentum_v1" and created["parameters"] == {"lookback": "252"}
    config = json.loads((folder / "config.json").read_text())
    assert config == {"algorithm-language": "Python", "parameters": {"lookback": "252"}, "description": "12-1 momentum"}
    assert "class MomentumV1Algorithm(QCAlgorithm)" in (folder / "main.py").read_text()
    before = (folder / "main.py").read_text()
    again = await call(client, "create_project", {"name": "momentum_v1"})
    assert_clear_error(again, "create_project", "already exists")
    assert (folder / "main.py").read_text() == before

    library = await ok(client, "create_project", {"name": "alpha_models", "library": True})
    assert library["name"] == "Library/alpha_models" and library["isLibrary"] is True
    assert (workspace / "Library" / "alpha_models" / "Library.py").is_file()
    bad = await call(client, "create_project", {"name": "bad-name", "library": True})
    assert_clear_error(bad, "create_project", "identifier")

    # the new project backtests as is (template buys SPY in 2020, inside the synthetic data)
    summary = await ok(client, "create_backtest", {"project": "momentum_v1"})
    assert summary["status"] == "Completed"


async def test_add_library_is_idempotent_and_checked(client: Client, workspace: Path) -> None:
    added = await ok(client, "add_library", {"project": "algorithms/buy_hold", "library": "helpers"})
    assert added == {"project": "algorithms/buy_hold", "library": {"name": "helpers", "path": "Library/helpers"},
                     "alreadyReferenced": False, "libraries": [{"name": "helpers", "path": "Library/helpers"}]}
    config = json.loads((workspace / "algorithms" / "buy_hold" / "config.json").read_text())
    assert config["libraries"] == [{"name": "helpers", "path": "Library/helpers"}]
    again = await ok(client, "add_library", {"project": "buy_hold", "library": "Library/helpers"})
    assert again["alreadyReferenced"] is True and len(again["libraries"]) == 1
    missing = await call(client, "add_library", {"project": "buy_hold", "library": "nope"})
    assert_clear_error(missing, "add_library", "not found")
    (workspace / "Library" / "plain").mkdir()
    (workspace / "Library" / "plain" / "config.json").write_text("{}")
    not_lean = await call(client, "add_library", {"project": "buy_hold", "library": "plain"})
    assert_clear_error(not_lean, "add_library", "algorithm-language")


async def test_library_import_works_in_a_backtest(client: Client) -> None:
    summary = await ok(client, "create_backtest", {"project": "uses_library"})
    assert summary["status"] == "Completed", summary
    logs = await ok(client, "read_backtest_logs", {"project": "uses_library", "backtestId": summary["backtestId"]})
    assert any("double(21)=42" in line for line in logs["log"]["lines"])


async def test_check_syntax_reports_type_errors_with_lean_settings(client: Client, workspace: Path) -> None:
    good = await ok(client, "check_syntax", {"project": "buy_hold"})
    assert good["ok"] is True and good["errors"] == [] and good["checkedFiles"] == ["main.py"]
    assert good["checker"].startswith("mypy ") and "quantconnect-stubs" in good["checker"]
    bad = await ok(client, "check_syntax", {"project": "type_errors"})
    assert bad["ok"] is False
    by_line = {(e["line"], e["code"]) for e in bad["errors"] if e["severity"] == "error"}
    assert {(7, "call-overload"), (7, "arg-type")} & by_line  # set_cash("lots")
    assert (11, "attr-defined") in by_line  # SetHoldings: PascalCase is not LEAN's Python API
    broken = await ok(client, "check_syntax", {"project": "syntax_error"})
    assert broken["ok"] is False and broken["errors"][0]["code"] == "syntax" and broken["errors"][0]["line"] == 5
    # algorithms using datetime/np without importing them pass, as in LEAN's own check
    write_project(workspace, "uses_datetime", '''
from AlgorithmImports import *


class UsesDatetime(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime(2021, 1, 1))
        self.window = np.zeros(3)
''')
    implicit = await ok(client, "check_syntax", {"project": "uses_datetime"})
    assert implicit["ok"] is True, implicit["errors"]


# --- backtests -----------------------------------------------------------------------------------------------------
async def test_create_backtest_runs_to_the_end_with_progress(client: Client, workspace: Path) -> None:
    progress: list[Any] = []
    summary = await ok(client, "create_backtest", {"project": "buy_hold", "name": "first run"}, progress)
    assert summary["status"] == "Completed" and summary["name"] == "first run" and summary["backend"] == "local"
    assert summary["error"] is None
    assert set(summary["statistics"]) >= {"Total Orders", "Net Profit", "Sharpe Ratio", "Drawdown", "End Equity"}
    assert summary["statistics"]["Total Orders"] == "1"
    folder = workspace / summary["outputDir"]
    assert folder.parent == workspace / "algorithms" / "buy_hold" / "backtests"
    backtest_id = summary["backtestId"]
    assert len(backtest_id) == 10 and backtest_id.startswith("1")
    assert json.loads((folder / "config").read_text())["id"] == int(backtest_id)
    for name in (f"{backtest_id}.json", f"{backtest_id}-summary.json", f"{backtest_id}-log.txt", "log.txt", "code"):
        assert (folder / name).exists(), name
    values = [p[0] for p in progress]
    assert values == sorted(values) and len(set(values)) == len(values), progress  # strictly increasing
    assert values[0] == 0.0 and values[-1] == 1.0 and all(p[1] == 1.0 for p in progress)


async def test_parameters_replace_the_project_parameters(client: Client) -> None:
    summary = await ok(client, "create_backtest", {"project": "sma_cross", "parameters": {"fast": 3, "slow": "10"}})
    assert summary["parameters"] == {"fast": "3", "slow": "10"}
    logs = await ok(client, "read_backtest_logs", {"project": "sma_cross", "backtestId": summary["backtestId"]})
    assert any(line.endswith("fast=3 slow=10") for line in logs["log"]["lines"])
    default = await ok(client, "create_backtest", {"project": "sma_cross"})
    assert default["parameters"] == {"fast": "5", "slow": "20"}


async def test_read_tools_on_a_finished_backtest(finished: dict[str, Any]) -> None:
    service: BacktestService = finished["service"]  # type: ignore[assignment]
    completed = finished["completed"]
    async with Client(create_server(service), raise_exceptions=True) as client:
        args = {"project": "buy_hold", "backtestId": completed.backtest_id}
        details = await ok(client, "read_backtest", args)
        assert details["status"] == "Completed" and details["name"] == "baseline"
        assert len(details["statistics"]) >= 25 and details["statistics"]["Total Orders"] == "1"
        assert details["runtimeStatistics"]["Equity"].startswith("$")
        assert "sharpeRatio" in details["portfolioStatistics"] and "totalNumberOfTrades" in details["tradeStatistics"]
        assert details["algorithmConfiguration"]["startDate"] == "2021-01-01T00:00:00Z"
        assert "Strategy Equity" in details["charts"] and details["orderCount"] == 1
        assert details["state"]["Status"] == "Completed" and "RuntimeError" not in details["state"]

        listed = await ok(client, "list_backtests", {"project": "buy_hold", "includeStatistics": True})
        assert [b["backtestId"] for b in listed["backtests"]] == [completed.backtest_id]
        assert listed["backtests"][0]["statistics"]["Total Orders"] == "1"
        bare = await ok(client, "list_backtests", {"project": "buy_hold"})
        assert bare["backtests"][0]["statistics"] == {}

        orders = await ok(client, "read_backtest_orders", {**args, "includeEvents": True})
        assert orders["totalOrders"] == 1 and orders["start"] == 0 and orders["end"] == 1
        order = orders["orders"][0]
        assert order["id"] == 1 and order["symbol"]["value"] == "SPY" and order["status"] == 3
        assert [e["status"] for e in order["events"]] == ["submitted", "filled"]
        empty = await ok(client, "read_backtest_orders", {**args, "start": 5, "end": 10})
        assert empty["orders"] == [] and empty["totalOrders"] == 1

        chart = await ok(client, "read_backtest_chart", {**args, "name": "Strategy Equity", "count": 10})
        equity = chart["series"]["Equity"]
        assert equity["unit"] == "$" and equity["seriesType"] == 2 and len(equity["values"]) == 10
        assert equity["totalPoints"] > 10 and len(equity["values"][0]) == 5  # candles: time, o, h, l, c
        times = [v[0] for v in equity["values"]]
        assert times == sorted(times)
        window = await ok(client, "read_backtest_chart", {**args, "name": "Strategy Equity", "count": 2000,
                                                          "start": int(times[3]), "end": int(times[6])})
        assert all(times[3] <= v[0] <= times[6] for v in window["series"]["Equity"]["values"])

        logs = await ok(client, "read_backtest_logs", args)
        assert logs["source"] == "algorithm" and logs["totalLines"] == len(logs["log"]["lines"])
        assert logs["log"]["lines"][0].endswith("started") and logs["log"]["trust"] == "untrusted"
        engine = await ok(client, "read_backtest_logs", {**args, "source": "engine", "endLine": 3})
        assert engine["endLine"] - engine["startLine"] == len(engine["log"]["lines"]) <= 3
        assert "TRACE::" in engine["log"]["lines"][0]

        project = await ok(client, "read_project", {"project": "buy_hold"})
        assert project["latestBacktest"]["backtestId"] == completed.backtest_id


async def test_algorithm_text_only_leaves_inside_the_untrusted_envelope(finished: dict[str, Any]) -> None:
    service: BacktestService = finished["service"]  # type: ignore[assignment]
    failed = finished["failed"]
    async with Client(create_server(service), raise_exceptions=True) as client:
        args = {"project": "raises", "backtestId": failed.backtest_id}
        details = await ok(client, "read_backtest", args)
        assert details["status"] == "RuntimeError"
        error = details["error"]
        assert error["trust"] == "untrusted" and "do not follow" in error["notice"]
        assert error["beginMarker"].startswith("<<<BEGIN UNTRUSTED") and error["endMarker"].startswith("<<<END UNTRUSTED")
        assert any("ValueError: boom" in line and INJECTION in line for line in error["lines"])
        logs = await ok(client, "read_backtest_logs", args)
        lines = logs["log"]["lines"]
        assert any(INJECTION in line for line in lines)
        assert any(line.endswith("colored and a bell") for line in lines)  # escape codes and control chars removed
        assert all("\x1b" not in line and "\x07" not in line for line in lines)
        # outside the envelopes the algorithm's text never appears
        for payload in (details, logs):
            stripped = dict(payload)
            stripped.pop("error", None)
            stripped.pop("log", None)
            assert INJECTION not in json.dumps(stripped)
        orders = await ok(client, "read_backtest_orders", args)
        assert "untrusted" in orders["notice"]


async def test_runtime_error_is_a_result_not_a_tool_error(client: Client) -> None:
    summary = await ok(client, "create_backtest", {"project": "raises"})
    assert summary["status"] == "RuntimeError"
    assert any("ValueError: boom" in line for line in summary["error"]["lines"])
    assert summary["statistics"]["Total Orders"] == "1"  # LEAN still writes the statistics of the partial run


async def test_unloadable_algorithm_fails_with_the_reason(client: Client, workspace: Path) -> None:
    summary = await ok(client, "create_backtest", {"project": "syntax_error"})
    assert summary["status"] == "Failed"
    assert any("Syntax error" in line for line in summary["error"]["lines"]), summary["error"]
    folder = workspace / summary["outputDir"]
    assert (folder / "config").is_file() and (folder / "code" / "main.py").is_file()  # like the CLI
    listed = await ok(client, "list_backtests", {"project": "syntax_error"})
    assert listed["backtests"][0]["status"] == "Failed"
    no_results = await call(client, "read_backtest_orders", {"project": "syntax_error", "backtestId": summary["backtestId"]})
    assert_clear_error(no_results, "read_backtest_orders", "has no results", "Failed")


async def test_timeout_stops_the_run_and_the_server_keeps_working(client: Client) -> None:
    summary = await ok(client, "create_backtest", {"project": "slow", "timeoutSeconds": 2})
    assert summary["status"] == "Timeout" and "2 seconds" in " ".join(summary["error"]["lines"])
    details = await ok(client, "read_backtest", {"project": "slow", "backtestId": summary["backtestId"]})
    assert details["status"] == "Incomplete"  # no summary file: stopped before the end
    assert (await ok(client, "list_projects", {}))["projects"]


@pytest.mark.parametrize("how,status", [("kill", "Killed"), ("exit", "Failed")])
async def test_a_crashing_algorithm_cannot_take_the_server_down(client: Client, how: str, status: str) -> None:
    summary = await ok(client, "create_backtest", {"project": "self_kill", "parameters": {"how": how}})
    assert summary["status"] == status, summary
    text = " ".join(summary["error"]["lines"])
    assert ("SIGKILL" in text) if how == "kill" else ("code 3" in text)
    follow_up = await ok(client, "create_backtest", {"project": "buy_hold"})
    assert follow_up["status"] == "Completed"


async def test_progress_follows_the_algorithm_clock(client: Client) -> None:
    progress: list[Any] = []
    summary = await ok(client, "create_backtest", {"project": "slow", "parameters": {"pause": "0.01"}}, progress)
    assert summary["status"] == "Completed"
    clock = [p for p in progress if p[2] and p[2].startswith("algorithm time 2021-")]
    assert len(clock) >= 2, progress
    assert all(0.0 < p[0] < 1.0 for p in clock)


async def test_running_backtest_is_visible_while_it_runs(service: BacktestService) -> None:
    import anyio

    async with Client(create_server(service), raise_exceptions=True) as client:
        seen: dict[str, Any] = {}

        async def run() -> None:
            seen["summary"] = await ok(client, "create_backtest", {"project": "slow", "parameters": {"pause": "0.02"}})

        async with anyio.create_task_group() as group:
            group.start_soon(run)
            with anyio.fail_after(60):
                while True:
                    listed = await ok(client, "list_backtests", {"project": "slow"})
                    if listed["backtests"] and listed["backtests"][0]["status"] == "Running":
                        running = listed["backtests"][0]
                        details = await ok(client, "read_backtest", {"project": "slow", "backtestId": running["backtestId"]})
                        seen["running"] = details
                        break
                    await anyio.sleep(0.05)
        assert seen["running"]["status"] == "Running" and seen["running"]["parameters"] == {"pause": "0.02"}
        assert seen["summary"]["status"] == "Completed"
        assert seen["summary"]["backtestId"] == seen["running"]["backtestId"]


@pytest.mark.skipif(not (LEAN_DATA / "equity" / "usa" / "daily" / "spy.zip").is_file(),
                    reason="LEAN sample data not found at <repo>/../shared/lean-data")
async def test_one_year_daily_backtest_end_to_end_on_sample_data(tmp_path: Path) -> None:
    from _mcp_support import make_workspace

    root = make_workspace(tmp_path / "sample_ws", LEAN_DATA, projects=())
    write_project(root, "spy_sma", '''
from AlgorithmImports import *


class SpySma(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 1, 1)
        self.set_end_date(2014, 12, 31)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.fast = self.sma(self.spy, int(self.get_parameter("fast", "10")), Resolution.DAILY)
        self.slow = self.sma(self.spy, 30, Resolution.DAILY)

    def on_data(self, data: Slice) -> None:
        if not self.slow.is_ready:
            return
        if self.fast.current.value > self.slow.current.value and not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
        elif self.fast.current.value < self.slow.current.value and self.portfolio.invested:
            self.liquidate(self.spy)
''', {"fast": "10"})
    service = BacktestService(root, "local", timeout_seconds=300)
    async with Client(create_server(service), raise_exceptions=True) as client:
        summary = await ok(client, "create_backtest", {"project": "spy_sma", "name": "2014 daily"})
        assert summary["status"] == "Completed"
        stats = summary["statistics"]
        assert int(stats["Total Orders"]) > 2 and stats["Start Equity"] == "100000"
        details = await ok(client, "read_backtest", {"project": "spy_sma", "backtestId": summary["backtestId"]})
        assert details["algorithmConfiguration"]["endDate"] == "2014-12-31T00:00:00Z"
        # what the engine itself computes for the same run
        from lean_local.runner import run_backtest

        direct = run_backtest(root / "algorithms" / "spy_sma", write_output=False)
        assert {k: direct.statistics[k] for k in stats} == stats


# --- optimization --------------------------------------------------------------------------------------------------
async def test_optimization_runs_the_grid_in_parallel_and_ranks_it(client: Client, workspace: Path) -> None:
    progress: list[Any] = []
    result = await ok(client, "create_optimization", {
        "project": "sma_cross",
        "name": "fast/slow grid",
        "parameters": [{"name": "fast", "min": 3, "max": 7, "step": 2}, {"name": "slow", "values": [15, "25"]}],
        "target": "Net Profit",
        "constraints": [{"statistic": "Total Orders", "operator": ">=", "value": 1}],
        "maxParallel": 2,
    }, progress)
    assert result["totalRuns"] == 6 and result["completedRuns"] == 6 and result["failedRuns"] == 0
    assert result["status"] == "Completed" and result["targetDirection"] == "max"
    combos = {(r["parameters"]["fast"], r["parameters"]["slow"]) for r in result["runs"]}
    assert combos == {(f, s) for f in ("3", "5", "7") for s in ("15", "25")}
    ranked = [r for r in result["runs"] if r["rank"] is not None]
    values = [r["targetValue"] for r in ranked]
    assert values == sorted(values, reverse=True)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    for run in result["runs"]:
        assert run["targetValue"] == float(run["statistics"]["Net Profit"].rstrip("%"))
    assert result["best"] == ranked[0]
    assert [p[0] for p in progress][-1] == 1.0 and len(progress) >= 7
    # each run is a LEAN backtest folder inside the optimization folder
    folder = workspace / result["outputDir"]
    assert folder.parent.name == "optimizations"
    assert {p.name for p in folder.iterdir() if p.is_dir()} == {r["backtestId"] for r in result["runs"]}
    assert (folder / "optimizer-config.json").is_file()
    assert json.loads((folder / "config").read_text())["id"] == int(result["optimizationId"])
    # ...readable with the backtest tools, and the optimization itself with read_optimization
    best = await ok(client, "read_backtest", {"project": "sma_cross", "backtestId": result["best"]["backtestId"]})
    assert best["parameters"] == result["best"]["parameters"]
    again = await ok(client, "read_optimization", {"project": "sma_cross", "optimizationId": result["optimizationId"]})
    assert again == result


async def test_optimization_constraints_and_minimisation(client: Client) -> None:
    result = await ok(client, "create_optimization", {
        "project": "sma_cross",
        "parameters": [{"name": "fast", "values": [2, 4, 6]}],
        "target": "Drawdown",
        "targetDirection": "min",
        "constraints": [{"statistic": "Total Orders", "operator": "greater", "value": 1000}],
    })
    assert result["completedRuns"] == 3 and result["best"] is None
    assert all(r["rank"] is None and r["satisfiesConstraints"] is False for r in result["runs"])
    open_result = await ok(client, "create_optimization", {
        "project": "sma_cross", "parameters": [{"name": "fast", "values": [2, 4, 6]}], "target": "Drawdown",
        "targetDirection": "min",
    })
    ranked = [r["targetValue"] for r in open_result["runs"]]
    assert ranked == sorted(ranked) and open_result["best"]["rank"] == 1


async def test_optimization_records_failed_runs(client: Client) -> None:
    result = await ok(client, "create_optimization", {
        "project": "self_kill", "parameters": [{"name": "how", "values": ["kill", "exit"]}],
    })
    assert result["failedRuns"] == 2 and result["best"] is None
    assert {r["status"] for r in result["runs"]} == {"Killed", "Failed"}


async def test_corrupt_output_folders_are_reported_not_crashed(client: Client, workspace: Path) -> None:
    backtests = workspace / "algorithms" / "buy_hold" / "backtests"

    def folder(name: str, config: str, files: dict[str, bytes | str]) -> None:
        path = backtests / name
        path.mkdir(parents=True)
        (path / "config").write_text(config)
        for file, content in files.items():
            (path / file).write_bytes(content if isinstance(content, bytes) else content.encode())

    folder("2020-01-01_00-00-01", '{"id": [1]}', {})
    folder("2020-01-01_00-00-02", '{"id": 1111111111}', {"1111111111-summary.json": "not json", "1111111111-log.txt": b"\xff\xfe bad utf-8\n"})
    folder("2020-01-01_00-00-03", '{"id": "2222222222"}', {"2222222222-summary.json": "[]"})
    folder("2020-01-01_00-00-04", '{"id": 3333333333, "backtest-name": 7}', {
        "3333333333-summary.json": json.dumps({"state": "weird", "statistics": ["x"], "algorithmConfiguration": {"parameters": [1]}}),
        "3333333333.json": json.dumps({"orders": {"1": "x", "2": {"id": "two"}}, "charts": {"Strategy Equity": {"series": {
            "Equity": {"values": [["a", 1], [1, "b"], {"x": 5, "y": 6}, "junk"]}, "Bad": "junk"}}, "Other": []}}),
    })
    folder("2020-01-01_00-00-05", "{", {})
    listed = await ok(client, "list_backtests", {"project": "buy_hold", "includeStatistics": True})
    assert [(b["backtestId"], b["status"]) for b in listed["backtests"]] == [
        ("3333333333", "RuntimeError"), ("2222222222", "Incomplete"), ("1111111111", "Incomplete")]
    details = await ok(client, "read_backtest", {"project": "buy_hold", "backtestId": "3333333333"})
    assert details["statistics"] == {} and details["parameters"] == {} and details["charts"] == ["Other", "Strategy Equity"]
    orders = await ok(client, "read_backtest_orders", {"project": "buy_hold", "backtestId": "3333333333"})
    assert orders["totalOrders"] == 2 and orders["orders"] == [{"id": "two"}]
    chart = await ok(client, "read_backtest_chart", {"project": "buy_hold", "backtestId": "3333333333", "name": "Strategy Equity"})
    assert chart["series"]["Equity"]["values"] == [[1.0, None], [5.0, 6.0]] and "Bad" not in chart["series"]
    logs = await ok(client, "read_backtest_logs", {"project": "buy_hold", "backtestId": "1111111111"})
    assert logs["log"]["lines"] == ["\ufffd\ufffd bad utf-8"]
    for backtest_id in ("1111111111", "2222222222"):
        incomplete = await ok(client, "read_backtest", {"project": "buy_hold", "backtestId": backtest_id})
        assert incomplete["status"] == "Incomplete" and incomplete["statistics"] == {}
        missing = await call(client, "read_backtest_chart", {"project": "buy_hold", "backtestId": backtest_id, "name": "x"})
        assert_clear_error(missing, "read_backtest_chart", "has no results", "Incomplete")
    assert (await ok(client, "read_project", {"project": "buy_hold"}))["latestBacktest"]["backtestId"] == "3333333333"


async def test_cancelled_request_stops_the_backtest_process(service: BacktestService) -> None:
    import multiprocessing

    import anyio

    with anyio.move_on_after(3):
        await service.create_backtest("slow")
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("backtest-")]
    listed = service.list_backtests("slow")
    assert [b.status for b in listed.backtests] == ["Incomplete"]
    assert (await service.create_backtest("buy_hold")).status == "Completed"
