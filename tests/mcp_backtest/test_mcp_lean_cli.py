"""The lean-cli backend, against the fake ``lean`` first on PATH: results, progress and every failure mode."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from _mcp_support import assert_clear_error, fake_lean_env, text_of
from mcp import Client

from mcp_backtest.backends import RunRequest
from mcp_backtest.backends.lean_cli import LeanCliBackend
from mcp_backtest.backtest_server import create_server
from mcp_backtest.errors import BackendError
from mcp_backtest.service import BacktestService

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fake lean first on PATH; its argv log file."""
    for key, value in fake_lean_env().items():
        if key in ("PATH", "FAKE_LEAN_PYTHON"):
            monkeypatch.setenv(key, value)
    for key in ("FAKE_LEAN_NO_DOCKER", "FAKE_LEAN_KILL", "FAKE_LEAN_CONTAINER_KILLED", "FAKE_LEAN_DELAY"):
        monkeypatch.delenv(key, raising=False)
    log = tmp_path / "argv.jsonl"
    monkeypatch.setenv("FAKE_LEAN_ARGV_LOG", str(log))
    return log


@pytest.fixture
def cli_service(workspace: Path, fake_path: Path) -> BacktestService:
    return BacktestService(workspace, "lean-cli", timeout_seconds=120, max_parallel=2)


async def run_tool(service: BacktestService, tool: str, arguments: dict[str, Any], progress: list[Any] | None = None) -> Any:
    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        if progress is not None:
            progress.append((value, message))

    async with Client(create_server(service), raise_exceptions=True) as client:
        return await client.call_tool(tool, arguments, progress_callback=on_progress)


async def test_backtest_through_the_cli_matches_the_local_engine(cli_service: BacktestService, workspace: Path,
                                                                 fake_path: Path) -> None:
    progress: list[Any] = []
    result = await run_tool(cli_service, "create_backtest", {"project": "sma_cross", "name": "via cli",
                                                             "parameters": {"fast": 3, "slow": "12"}}, progress)
    assert not result.is_error, text_of(result)
    summary = result.structured_content
    assert summary["status"] == "Completed" and summary["backend"] == "lean-cli" and summary["name"] == "via cli"
    backtest_id = summary["backtestId"]
    calls = [json.loads(line) for line in fake_path.read_text().splitlines()]
    assert len(calls) == 1 and calls[0]["cwd"] == str(workspace)
    assert calls[0]["argv"] == [
        "backtest", "algorithms/sma_cross", "--output", summary["outputDir"], "--no-update",
        "--extra-config", "algorithm-id", backtest_id, "--backtest-name", "via cli",
        "--parameter", "fast", "3", "--parameter", "slow", "12",
    ]
    assert "local-id" in json.loads((workspace / "algorithms" / "sma_cross" / "config.json").read_text())
    messages = [m for _, m in progress]
    assert messages[0] == "lean backtest started" and "LEAN engine started" in messages
    assert [v for v, _ in progress] == sorted({v for v, _ in progress}) and progress[-1][0] == 1.0
    local = await BacktestService(workspace, "local").create_backtest("sma_cross", parameters={"fast": 3, "slow": "12"})
    assert local.statistics == summary["statistics"]
    # the read tools work on the CLI's output folder
    details = await run_tool(cli_service, "read_backtest", {"project": "sma_cross", "backtestId": backtest_id})
    assert details.structured_content["statistics"]["Total Orders"] == summary["statistics"]["Total Orders"]
    orders = await run_tool(cli_service, "read_backtest_orders", {"project": "sma_cross", "backtestId": backtest_id})
    assert orders.structured_content["totalOrders"] == int(summary["statistics"]["Total Orders"])


async def test_runtime_error_in_the_algorithm(cli_service: BacktestService) -> None:
    result = await run_tool(cli_service, "create_backtest", {"project": "raises"})
    summary = result.structured_content
    assert summary["status"] == "RuntimeError"
    assert any("ValueError: boom" in line for line in summary["error"]["lines"])
    assert summary["error"]["trust"] == "untrusted"


async def test_algorithm_that_cannot_load(cli_service: BacktestService) -> None:
    summary = (await run_tool(cli_service, "create_backtest", {"project": "syntax_error"})).structured_content
    assert summary["status"] == "Failed"
    text = "\n".join(summary["error"]["lines"])
    assert "LEAN stopped without writing results" in text and "Syntax error" in text


async def test_no_docker_is_a_clear_tool_error(cli_service: BacktestService, workspace: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LEAN_NO_DOCKER", "1")
    result = await run_tool(cli_service, "create_backtest", {"project": "buy_hold"})
    assert_clear_error(result, "create_backtest", "needs Docker", "Please make sure Docker is installed and running",
                       "--backend local")
    assert not any((workspace / "algorithms" / "buy_hold" / "backtests").iterdir())


async def test_killed_lean_process(cli_service: BacktestService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LEAN_KILL", "1")
    summary = (await run_tool(cli_service, "create_backtest", {"project": "buy_hold"})).structured_content
    assert summary["status"] == "Killed" and "SIGKILL" in summary["error"]["lines"][0]
    monkeypatch.delenv("FAKE_LEAN_KILL")
    listed = (await run_tool(cli_service, "list_backtests", {"project": "buy_hold"})).structured_content
    assert listed["backtests"][0]["status"] == "Incomplete"


async def test_killed_container(cli_service: BacktestService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LEAN_CONTAINER_KILLED", "1")
    summary = (await run_tool(cli_service, "create_backtest", {"project": "buy_hold"})).structured_content
    assert summary["status"] == "Failed"
    assert "killed or ran out of memory" in summary["error"]["lines"][0]


async def test_timeout_terminates_the_cli_process_group(cli_service: BacktestService, workspace: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LEAN_DELAY", "120")
    started = time.monotonic()
    summary = (await run_tool(cli_service, "create_backtest", {"project": "buy_hold", "timeoutSeconds": 3})).structured_content
    assert summary["status"] == "Timeout" and time.monotonic() - started < 60
    output = str(workspace / summary["outputDir"])
    assert not [pid for pid in _pids_with_argument(summary["outputDir"]) if pid != os.getpid()], output


def _pids_with_argument(fragment: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if fragment in cmdline:
            pids.append(int(entry.name))
    return pids


async def test_backend_errors_before_anything_runs(workspace: Path, fake_path: Path, tmp_path: Path) -> None:
    backend = LeanCliBackend()

    def request(root: Path, project: Path) -> RunRequest:
        output = root / "out" / f"o{time.monotonic_ns()}"
        output.mkdir(parents=True)
        return RunRequest(root, project, output, "1000000001", None, None, 60)

    with pytest.raises(BackendError, match="Invalid value for 'PROJECT': Path 'algorithms/missing' does not exist"):
        await backend.run(request(workspace, workspace / "algorithms" / "missing"))
    (workspace / "algorithms" / "empty").mkdir()
    with pytest.raises(BackendError, match="does not contain a main.py"):
        await backend.run(request(workspace, workspace / "algorithms" / "empty"))
    no_json = tmp_path / "no_lean_json"
    (no_json / "p").mkdir(parents=True)
    (no_json / "p" / "main.py").write_text("")
    with pytest.raises(BackendError, match="requires a Lean configuration file"):
        await backend.run(request(no_json, no_json / "p"))
    lean_json = json.loads((workspace / "lean.json").read_text())
    del lean_json["organization-id"]
    (workspace / "lean.json").write_text(json.dumps(lean_json))
    with pytest.raises(BackendError, match="working organization"):
        await backend.run(request(workspace, workspace / "algorithms" / "buy_hold"))
    with pytest.raises(BackendError, match="not found on PATH"):
        await LeanCliBackend("no-such-lean-executable").run(request(workspace, workspace / "algorithms" / "buy_hold"))


async def test_optimization_through_the_cli(cli_service: BacktestService) -> None:
    result = await run_tool(cli_service, "create_optimization", {
        "project": "sma_cross", "parameters": [{"name": "fast", "values": [3, 6]}], "target": "Sharpe Ratio",
    })
    assert not result.is_error, text_of(result)
    content = result.structured_content
    assert content["completedRuns"] == 2 and content["backend"] == "lean-cli" and content["best"]["rank"] == 1

