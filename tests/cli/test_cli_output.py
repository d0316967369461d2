"""``lean-local backtest`` writes the output folder ``lean backtest`` writes (lean-cli.md §1.3, §1.4, §1.6).

The buying algorithm runs once as a subprocess (the installed console script) and once in-process through
``lean_local.cli.main``; both folders are checked file by file.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from _cli_support import (
    BUY_AND_HOLD,
    NEVER_TRADES,
    ONE_DAY_BUY,
    TIMESTAMP_FOLDER,
    CliRun,
    Output,
    Workspace,
    make_workspace,
    only_output,
    run_in_process,
    run_subprocess,
    write_lean_json,
)

# StatisticsBuilder.GetSummary order
LEAN_STATISTICS = [
    "Total Orders", "Average Win", "Average Loss", "Compounding Annual Return", "Drawdown", "Expectancy",
    "Start Equity", "End Equity", "Net Profit", "Sharpe Ratio", "Sortino Ratio", "Probabilistic Sharpe Ratio",
    "Loss Rate", "Win Rate", "Profit-Loss Ratio", "Alpha", "Beta", "Annual Standard Deviation", "Annual Variance",
    "Information Ratio", "Tracking Error", "Treynor Ratio", "Total Fees", "Estimated Strategy Capacity",
    "Lowest Capacity Asset", "Portfolio Turnover", "Drawdown Recovery",
]
RUNTIME_STATISTICS = ["Equity", "Fees", "Holdings", "Net Profit", "Probabilistic Sharpe Ratio", "Return", "Unrealized", "Volume"]
STATE_KEYS = ["StartTime", "EndTime", "RuntimeError", "StackTrace", "LogCount", "OrderCount", "InsightCount", "Name", "Hostname", "Status"]
RESULT_KEYS = ["rollingWindow", "charts", "orders", "profitLoss", "statistics", "runtimeStatistics", "state",
               "serverStatistics", "algorithmConfiguration", "totalPerformance"]
SUMMARY_KEYS = ["rollingWindow", "charts", "statistics", "runtimeStatistics", "state", "serverStatistics",
                "algorithmConfiguration", "totalPerformance"]
ORDER_FIELDS = ["type", "id", "contingentId", "brokerId", "symbol", "price", "priceCurrency", "time", "createdTime",
                "lastFillTime", "quantity", "status", "properties", "securityType", "direction", "value",
                "orderSubmissionData", "isMarketable", "priceAdjustmentMode"]
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DOLLARS = re.compile(r"^\$-?[\d,]+\.\d{2}$")
LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ")


@pytest.fixture(scope="module")
def subprocess_run(tmp_path_factory: pytest.TempPathFactory, lean_data: Path) -> tuple[Workspace, Path, CliRun, datetime]:
    workspace = make_workspace(tmp_path_factory.mktemp("sub") / "ws", lean_data)
    project = workspace.project("BuyAndHold", BUY_AND_HOLD)
    started = datetime.now()
    run = run_subprocess(["backtest", "BuyAndHold", "--backtest-name", "first run"], cwd=workspace.root)
    return workspace, project, run, started


@pytest.fixture(scope="module")
def inprocess_run(tmp_path_factory: pytest.TempPathFactory, lean_data: Path) -> tuple[Workspace, Path, CliRun]:
    workspace = make_workspace(tmp_path_factory.mktemp("inproc") / "ws", lean_data)
    project = workspace.project("BuyAndHold", BUY_AND_HOLD)
    run = run_in_process(["backtest", str(project)])
    return workspace, project, run


# --- the run and its console output ---------------------------------------------------------------------------------
def test_subprocess_run_succeeds_with_lean_console_output(subprocess_run: tuple[Workspace, Path, CliRun, datetime]) -> None:
    workspace, project, run, started = subprocess_run
    assert run.code == 0, run.stdout + run.stderr
    output = only_output(project)
    assert TIMESTAMP_FOLDER.match(output.folder.name)
    stamp = datetime.strptime(output.folder.name, "%Y-%m-%d_%H-%M-%S")
    assert started - timedelta(seconds=2) <= stamp <= datetime.now()
    assert run.lines[-1] == (
        f"Successfully ran 'BuyAndHold' in the 'backtesting' environment and stored the output in "
        f"'BuyAndHold/backtests/{output.folder.name}'"
    )
    statistics = [line.split("STATISTICS:: ", 1)[1] for line in run.lines if "STATISTICS:: " in line]
    assert "Total Orders 1" in statistics
    assert re.fullmatch(r"OrderListHash [0-9a-f]{32}", statistics[-1])
    assert len(statistics) == len(LEAN_STATISTICS) + 1
    for key, line in zip(LEAN_STATISTICS, statistics):
        assert line.startswith(key + " ") or line == key
    assert any(f"Algorithm Id:({output.algorithm_id}) completed in" in line for line in run.lines)
    assert any("Debug: parameter ema-fast=unset" in line for line in run.lines)
    assert not any(line.startswith("Error:") or " ERROR:: " in line for line in run.lines)


def test_inprocess_run_succeeds(inprocess_run: tuple[Workspace, Path, CliRun]) -> None:
    workspace, project, run = inprocess_run
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert run.lines[-1] == (
        f"Successfully ran 'BuyAndHold' in the 'backtesting' environment and stored the output in "
        f"'BuyAndHold/backtests/{output.folder.name}'"
    )
    assert any(re.search(r"STATISTICS:: OrderListHash [0-9a-f]{32}$", line) for line in run.lines)


@pytest.fixture(params=["subprocess", "inprocess"])
def buy_output(request: pytest.FixtureRequest) -> Output:
    if request.param == "subprocess":
        _, project, run, _ = request.getfixturevalue("subprocess_run")
    else:
        _, project, run = request.getfixturevalue("inprocess_run")
    assert run.code == 0, run.stdout + run.stderr
    return only_output(project)


# --- files -------------------------------------------------------------------------------------------------------------
def test_output_folder_has_lean_files(buy_output: Output) -> None:
    algorithm_id = buy_output.algorithm_id
    assert re.fullmatch(r"1\d{9}", algorithm_id)
    names = {p.name for p in buy_output.folder.iterdir()}
    assert names == {
        "config", "code", "log.txt", f"{algorithm_id}.json", f"{algorithm_id}-summary.json",
        f"{algorithm_id}-order-events.json", f"{algorithm_id}-log.txt",
    }


def test_config_file(subprocess_run: tuple[Workspace, Path, CliRun, datetime], inprocess_run: tuple[Workspace, Path, CliRun]) -> None:
    named = only_output(subprocess_run[1])
    text = (named.folder / "config").read_text(encoding="utf-8")
    config = json.loads(text)
    assert list(config) == ["id", "container", "backtest-name"]
    assert isinstance(config["id"], int) and re.fullmatch(r"1\d{9}", str(config["id"]))
    assert re.fullmatch(r"lean_cli_[0-9a-f]{32}", config["container"])
    assert config["backtest-name"] == "first run"
    assert text == json.dumps(config, indent=4) + "\n"
    unnamed = only_output(inprocess_run[1]).config
    assert list(unnamed) == ["id", "container"]
    assert unnamed["id"] != config["id"]


def test_code_folder_is_a_copy_of_the_sources(buy_output: Output) -> None:
    code = buy_output.folder / "code"
    assert sorted(p.name for p in code.iterdir()) == ["main.py"]  # config.json is not a source file
    assert (code / "main.py").read_text(encoding="utf-8").startswith("from AlgorithmImports import *")


def test_summary_is_written_last(subprocess_run: tuple[Workspace, Path, CliRun, datetime]) -> None:
    output = only_output(subprocess_run[1])
    summary = output.path("-summary.json").stat().st_mtime_ns
    for path in output.folder.iterdir():
        if path.is_file():
            assert path.stat().st_mtime_ns <= summary, path.name
    assert not list(output.folder.glob(".*partial"))


def test_summary_written_after_every_other_file(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    written: list[str] = []
    original_write = Path.write_text
    original_replace = os.replace

    def record_write(self: Path, *args: Any, **kwargs: Any) -> int:
        written.append(self.name)
        return original_write(self, *args, **kwargs)

    def record_replace(source: Any, target: Any) -> None:
        written.append(Path(target).name)
        original_replace(source, target)

    monkeypatch.setattr(Path, "write_text", record_write)
    monkeypatch.setattr(os, "replace", record_replace)
    project = workspace.project("OneDay", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    monkeypatch.undo()
    assert run.code == 0, run.stdout
    algorithm_id = only_output(project).algorithm_id
    outputs = [n for n in written if n.startswith(algorithm_id) or n in ("log.txt", "config")]
    assert outputs[-1] == f"{algorithm_id}-summary.json"
    assert {f"{algorithm_id}.json", f"{algorithm_id}-log.txt", "log.txt", f"{algorithm_id}-order-events.json"} <= set(outputs[:-1])


def test_algorithm_log_file(buy_output: Output) -> None:
    lines = buy_output.log.rstrip("\n").splitlines()
    assert all(LOG_LINE.match(line) for line in lines), lines
    assert any(line.endswith(" parameter ema-fast=unset") for line in lines)
    assert any(re.fullmatch(r"2013-10-07 09:3\d:00 bought SPY", line) for line in lines), lines
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} Your log was successfully created and can be retrieved from: .+"
        + re.escape(f"{buy_output.algorithm_id}-log.txt"),
        lines[-1],
    )
    assert buy_output.result["state"]["LogCount"] == str(len(lines) - 1)


def test_engine_log_file(buy_output: Output) -> None:
    text = (buy_output.folder / "log.txt").read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z TRACE:: ", text, re.M)
    assert "STATISTICS:: Total Orders 1" in text
    assert re.search(r"STATISTICS:: OrderListHash [0-9a-f]{32}", text)


def test_order_events_file(buy_output: Output) -> None:
    text = buy_output.path("-order-events.json").read_text(encoding="utf-8")
    assert "\n" not in text.strip()  # one line, like LEAN
    events = json.loads(text)
    assert [e["status"] for e in events] == ["submitted", "filled"]
    first, filled = events
    assert first["id"] == f"{buy_output.algorithm_id}-1-1" and filled["id"] == f"{buy_output.algorithm_id}-1-2"
    assert first["algorithmId"] == buy_output.algorithm_id
    assert filled["symbol"] == "SPY R735QTJ8XC9X" and filled["symbolValue"] == "SPY"
    assert filled["direction"] == "buy" and filled["fillQuantity"] > 0 and filled["orderFeeAmount"] > 0
    assert "orderFeeAmount" not in first  # left out when empty


# --- <id>.json ---------------------------------------------------------------------------------------------------------
def test_result_json_top_level(buy_output: Output) -> None:
    result = buy_output.result
    assert list(result) == RESULT_KEYS
    assert "orderEvents" not in result


def test_result_statistics(buy_output: Output) -> None:
    statistics = buy_output.result["statistics"]
    assert list(statistics) == LEAN_STATISTICS
    assert all(isinstance(v, str) for v in statistics.values())
    assert statistics["Total Orders"] == "1"
    assert statistics["Start Equity"] == "100000"
    assert statistics["Lowest Capacity Asset"] == "SPY R735QTJ8XC9X"
    assert re.fullmatch(r"\$\d+\.\d{2}", statistics["Total Fees"])
    assert statistics["Net Profit"].endswith("%")


def test_result_runtime_statistics(buy_output: Output) -> None:
    runtime = buy_output.result["runtimeStatistics"]
    assert list(runtime) == sorted(runtime) == RUNTIME_STATISTICS
    for key in ("Equity", "Holdings", "Net Profit", "Unrealized", "Volume"):
        assert DOLLARS.match(runtime[key]), (key, runtime[key])
    assert re.fullmatch(r"-\$[\d,]+\.\d{2}", runtime["Fees"])
    assert re.fullmatch(r"-?[\d,]+\.\d{2} %", runtime["Return"])
    assert runtime["Probabilistic Sharpe Ratio"].endswith("%")


def test_result_charts(buy_output: Output) -> None:
    charts = buy_output.result["charts"]
    for name in ("Strategy Equity", "Drawdown", "Benchmark"):
        assert charts[name]["name"] == name and charts[name]["chartType"] == 0
    equity = charts["Strategy Equity"]["series"]["Equity"]
    assert (equity["name"], equity["unit"], equity["index"], equity["seriesType"]) == ("Equity", "$", 0, 2)
    assert len(equity["values"]) > 5
    for point in equity["values"]:
        assert len(point) == 5 and isinstance(point[0], int)
        time, open_, high, low, close = point
        assert low <= open_ <= high and low <= close <= high
    assert equity["values"][0][0] == 1381118400  # 2013-10-07 00:00 New York, in unix seconds
    returns = charts["Strategy Equity"]["series"]["Return"]
    assert returns["unit"] == "%" and returns["seriesType"] == 3
    for chart, series in (("Drawdown", "Equity Drawdown"), ("Benchmark", "Benchmark")):
        line = charts[chart]["series"][series]
        assert line["seriesType"] == 0
        assert line["values"] and all(len(p) == 2 and isinstance(p[0], int) for p in line["values"])


def test_result_orders(buy_output: Output) -> None:
    orders = buy_output.result["orders"]
    assert list(orders) == ["1"]
    order = orders["1"]
    for field_name in ORDER_FIELDS:
        assert field_name in order, field_name
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", key) for key in order)  # camelCase
    assert order["id"] == 1 and order["type"] == 0 and order["status"] == 3 and order["direction"] == 0
    assert order["symbol"] == {"value": "SPY", "id": "SPY R735QTJ8XC9X", "permtick": "SPY"}
    assert order["securityType"] == 1 and order["priceCurrency"] == "USD"
    assert re.fullmatch(r"2013-10-07T13:3\d:00Z", order["time"])
    assert order["quantity"] > 0 and order["value"] > 0


def test_result_state(buy_output: Output) -> None:
    state = buy_output.result["state"]
    assert list(state) == STATE_KEYS
    assert state["Status"] == "Completed"
    assert state["RuntimeError"] == "" and state["StackTrace"] == ""
    assert ISO_Z.match(state["StartTime"]) and ISO_Z.match(state["EndTime"])
    assert state["OrderCount"] == "1" and state["Name"] == "BuyAndHold"


def test_result_algorithm_configuration(buy_output: Output) -> None:
    configuration = buy_output.result["algorithmConfiguration"]
    assert configuration["startDate"] == "2013-10-07T00:00:00Z"
    assert configuration["endDate"] == "2013-10-11T00:00:00Z"
    assert configuration["parameters"] == {}
    assert configuration["accountCurrency"] == "USD" and configuration["tradingDaysPerYear"] == 252


def test_result_total_performance(buy_output: Output) -> None:
    performance = buy_output.result["totalPerformance"]
    assert list(performance) == ["tradeStatistics", "portfolioStatistics", "closedTrades"]
    trades = performance["tradeStatistics"]
    assert isinstance(trades["totalNumberOfTrades"], int)
    assert trades["averageTradeDuration"] == "00:00:00"
    portfolio = performance["portfolioStatistics"]
    assert portfolio["startEquity"] == "100000"
    for key in ("sharpeRatio", "drawdown", "totalNetProfit", "valueAtRisk99", "drawdownRecovery"):
        assert isinstance(portfolio[key], str), key
    assert isinstance(performance["closedTrades"], list)


def test_result_rolling_window_and_profit_loss(buy_output: Output) -> None:
    result = buy_output.result
    assert set(result["rollingWindow"]) == {"M1_20131011", "M3_20131011", "M6_20131011", "M12_20131011"}
    assert isinstance(result["profitLoss"], dict)


def test_summary_json(buy_output: Output) -> None:
    summary = buy_output.summary
    assert list(summary) == SUMMARY_KEYS
    assert summary["rollingWindow"] == {}
    assert list(summary["charts"]) == ["Strategy Equity"]
    assert list(summary["charts"]["Strategy Equity"]["series"]) == ["Equity"]
    assert "orders" not in summary and "profitLoss" not in summary
    assert summary["totalPerformance"]["closedTrades"] == []
    result = buy_output.result
    assert summary["statistics"] == result["statistics"]
    assert summary["state"]["Status"] == "Completed"


# --- options -----------------------------------------------------------------------------------------------------------
def test_no_order_events_file_without_orders(workspace: Workspace) -> None:
    project = workspace.project("Idle", NEVER_TRADES)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert not output.path("-order-events.json").exists()
    assert output.result["orders"] == {}
    assert output.result["statistics"]["Total Orders"] == "0"
    assert output.summary["state"]["Status"] == "Completed"


def test_parameters_from_config_json(workspace: Workspace) -> None:
    project = workspace.project("Params", BUY_AND_HOLD, {"algorithm-language": "Python", "parameters": {"ema-fast": "10", "other": "x"}})
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert output.result["algorithmConfiguration"]["parameters"] == {"ema-fast": "10", "other": "x"}
    assert " parameter ema-fast=10\n" in output.log and " parameter other=x\n" in output.log


def test_parameter_option_replaces_config_parameters(workspace: Workspace) -> None:
    project = workspace.project("Params", BUY_AND_HOLD, {"algorithm-language": "Python", "parameters": {"ema-fast": "10", "other": "x"}})
    run = run_in_process(["backtest", str(project), "--parameter", "ema-fast", "20", "--parameter", "slow", "50"])
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert output.result["algorithmConfiguration"]["parameters"] == {"ema-fast": "20", "slow": "50"}
    assert " parameter ema-fast=20\n" in output.log
    assert " parameter other=unset\n" in output.log  # replaced, not merged
    # the project's config.json is left alone
    assert json.loads((project / "config.json").read_text())["parameters"] == {"ema-fast": "10", "other": "x"}


def test_output_option(workspace: Workspace) -> None:
    project = workspace.project("OneDay", ONE_DAY_BUY)
    target = workspace.root / "results" / "run-1"
    run = run_in_process(["backtest", str(project), "--output", str(target)])
    assert run.code == 0, run.stdout
    assert run.lines[-1].endswith("stored the output in 'results/run-1'")
    assert not (project / "backtests").exists()
    output = Output(target)
    assert output.summary["state"]["Status"] == "Completed"
    assert (target / "code" / "main.py").is_file()


def test_output_inside_project_is_not_copied_into_itself(workspace: Workspace) -> None:
    project = workspace.project("OneDay", ONE_DAY_BUY)
    target = project / "out"
    run = run_in_process(["backtest", str(project), "--output", str(target)])
    assert run.code == 0, run.stdout
    assert sorted(p.relative_to(target / "code").as_posix() for p in (target / "code").rglob("*")) == ["main.py"]


def test_data_folder_option_overrides_lean_json(tmp_path: Path, lean_data: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    write_lean_json(root, "data")  # <root>/data does not exist
    workspace = Workspace(root)
    project = workspace.project("OneDay", ONE_DAY_BUY)
    failed = run_in_process(["backtest", str(project)])
    assert failed.code == 1 and "Error: The data folder" in failed.stdout
    run = run_in_process(["backtest", str(project), "--data-folder", str(lean_data)])
    assert run.code == 0, run.stdout
    assert only_output(project).summary["state"]["Status"] == "Completed"


def test_lean_json_relative_data_folder_and_comments(tmp_path: Path, lean_data: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "data").symlink_to(lean_data, target_is_directory=True)
    (root / "lean.json").write_text(
        '{\n  // written by lean init\n  "data-folder": "data", /* relative to lean.json */\n  "organization-id": "abc"\n}\n',
        encoding="utf-8",
    )
    project = Workspace(root).project("OneDay", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout


def test_lean_json_found_by_walking_up_from_the_project(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = workspace.project("strategies/trend/OneDay", ONE_DAY_BUY)
    monkeypatch.chdir(tmp_path)  # not the workspace: the project's parents are searched
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert run.lines[-1] == (
        "Successfully ran 'strategies/trend/OneDay' in the 'backtesting' environment and stored the output in "
        f"'strategies/trend/OneDay/backtests/{output.folder.name}'"
    )


def test_python_file_as_project(workspace: Workspace) -> None:
    folder = workspace.root / "algos"
    folder.mkdir()
    algorithm = folder / "one_day.py"
    algorithm.write_text(ONE_DAY_BUY.lstrip(), encoding="utf-8")
    (folder / "helper_notes.py").write_text("NOTE = 1\n", encoding="utf-8")
    run = run_in_process(["backtest", str(algorithm)])
    assert run.code == 0, run.stdout
    output = only_output(folder)
    assert run.lines[-1].startswith("Successfully ran 'algos' in the 'backtesting' environment")
    # like the LEAN CLI, the folder holding the algorithm file is the project: all its sources are copied
    assert sorted(p.name for p in (output.folder / "code").iterdir()) == ["helper_notes.py", "one_day.py"]
    assert output.result["state"]["Name"] == "OneDayBuy"


def test_relative_project_path_from_the_workspace(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.project("OneDay", ONE_DAY_BUY)
    monkeypatch.chdir(workspace.root)
    run = run_in_process(["backtest", "OneDay", "--backtest-name", "named"])
    assert run.code == 0, run.stdout
    output = only_output(workspace.root / "OneDay")
    assert output.config["backtest-name"] == "named"


def test_two_runs_in_the_same_second_get_two_folders(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from lean_local import runner

    project = workspace.project("Idle", NEVER_TRADES)
    fixed = datetime(2024, 1, 2, 3, 4, 5)
    monkeypatch.setattr(runner, "default_output_dir", lambda p, now=None, _f=runner.default_output_dir: _f(p, fixed))
    assert run_in_process(["backtest", str(project)]).code == 0
    assert run_in_process(["backtest", str(project)]).code == 0
    assert sorted(p.name for p in (project / "backtests").iterdir()) == ["2024-01-02_03-04-05", "2024-01-02_03-04-06"]


def test_lean_config_option(tmp_path: Path, lean_data: Path) -> None:
    config_dir = tmp_path / "configs"
    config_dir.mkdir()
    lean_json = write_lean_json(config_dir, lean_data)
    project = Workspace(config_dir).project("OneDay", ONE_DAY_BUY)
    moved = tmp_path / "elsewhere" / "OneDay"
    moved.parent.mkdir()
    project.rename(moved)
    run = run_in_process(["backtest", str(moved), "--lean-config", str(lean_json)])
    assert run.code == 0, run.stdout


def test_no_update_flag_is_accepted(workspace: Workspace) -> None:
    """``lean backtest ... --no-update`` command lines (as an MCP server builds them) work unchanged."""
    project = workspace.project("Idle", NEVER_TRADES)
    run = run_in_process(["backtest", str(project), "--no-update"])
    assert run.code == 0, run.stdout + run.stderr
