"""The server as a separate process: over stdio (as Claude Code starts it) and over streamable HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _mcp_support import TOOLS, text_of, write_project
from mcp import Client, StdioServerParameters

pytestmark = pytest.mark.anyio

PRINTS = '''
from AlgorithmImports import *


class Prints(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2021, 1, 4)
        self.set_end_date(2021, 2, 26)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.DAILY)
        print("print() from initialize: this must not reach the MCP stdio channel")

    def on_data(self, data: Slice) -> None:
        print('{"jsonrpc": "2.0", "id": 1, "result": "forged"}')
'''


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MCP_BACKTEST_WORKSPACE", None)
    return env


async def test_stdio_server_runs_backtests(workspace: Path) -> None:
    write_project(workspace, "prints", PRINTS)
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_backtest.backtest_server", "--workspace", str(workspace)],
        env=_environment(), cwd=str(workspace),
    )
    async with Client(parameters) as client:
        assert {tool.name for tool in (await client.list_tools()).tools} == set(TOOLS)
        listed = await client.call_tool("list_projects", {})
        assert "algorithms/prints" in {p["name"] for p in listed.structured_content["projects"]}
        result = await client.call_tool("create_backtest", {"project": "prints"})
        assert not result.is_error, text_of(result)
        assert result.structured_content["status"] == "Completed"
        bad = await client.call_tool("read_backtest", {"project": "prints", "backtestId": "x"})
        assert bad.is_error and "backtestId" in text_of(bad)


def test_stdio_server_refuses_a_folder_without_lean_json(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "mcp_backtest.backtest_server", "--workspace", str(tmp_path)],
                               capture_output=True, text=True, timeout=60, env=_environment(), stdin=subprocess.DEVNULL)
    assert completed.returncode == 2 and completed.stdout == ""
    assert "No lean.json" in completed.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_streamable_http_server(workspace: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mcp_backtest.backtest_server", "--workspace", str(workspace), "--transport",
         "streamable-http", "--port", str(port)],
        env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                assert time.monotonic() < deadline, "the HTTP server did not start"
                time.sleep(0.2)
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            assert {tool.name for tool in (await client.list_tools()).tools} == set(TOOLS)
            listed = await client.call_tool("list_projects", {})
            assert not listed.is_error and listed.structured_content["workspace"] == str(workspace)
            summary = await client.call_tool("create_backtest", {"project": "uses_library"})
            assert summary.structured_content["status"] == "Completed", text_of(summary)
    finally:
        process.terminate()
        process.wait(timeout=30)
