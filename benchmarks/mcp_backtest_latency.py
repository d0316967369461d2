#!/usr/bin/env python
"""Latency of the backtest MCP server's tools: ``create_backtest`` on a one-year daily backtest and the ``read_*`` tools.

Every call goes through an MCP client session, the way an agent calls the server: in process (the SDK's memory
transport, the default) or over stdio to ``python -m mcp_backtest.backtest_server`` (``--transport stdio``, with
JSON-RPC encoding and a pipe in between). The backend is the local one (``lean_local`` in a child process per
backtest).

Workload: SPY, daily bars, 2014-01-01..2014-12-31, 10/30-day SMA cross (LEAN sample data at
``<repo>/../shared/lean-data``; without it a synthetic market, 2021, is generated and the report says so).
``create_backtest`` is timed cold (first run of the server: it starts the forkserver, which imports the engine)
and warm (the next ``--runs``); each read tool ``--reads`` times.

Usage: .venv/bin/python benchmarks/mcp_backtest_latency.py [--runs 5] [--reads 50] [--transport memory|stdio]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO.parent / "shared" / "lean-data"

ALGORITHM = '''
from AlgorithmImports import *


class SpySmaCross(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date({year}, 1, 1)
        self.set_end_date({year}, 12, 31)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.fast = self.sma(self.spy, int(self.get_parameter("fast", "10")), Resolution.DAILY)
        self.slow = self.sma(self.spy, 30, Resolution.DAILY)

    def on_data(self, data: Slice) -> None:
        if not self.slow.is_ready:
            return
        if self.fast.current.value > self.slow.current.value and not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
            self.debug(f"buy {{self.time}}")
        elif self.fast.current.value < self.slow.current.value and self.portfolio.invested:
            self.liquidate(self.spy)
            self.debug(f"sell {{self.time}}")
'''


def make_workspace(root: Path) -> tuple[Path, str]:
    if (SAMPLE_DATA / "equity" / "usa" / "daily" / "spy.zip").is_file():
        data, year, label = SAMPLE_DATA, 2014, "LEAN sample data (SPY 2014)"
    else:
        from datetime import date

        from lean_local.synthetic.generator import generate_market

        data, year, label = root / "data", 2021, "SYNTHETIC market (no LEAN sample data found), SPY 2021"
        generate_market(data, start=date(2020, 1, 2), end=date(2021, 12, 31), minute_days=0, resolutions=("daily",))
    (root / "lean.json").write_text(json.dumps({"data-folder": str(data), "organization-id": "benchmark"}))
    project = root / "algorithms" / "spy_sma"
    project.mkdir(parents=True)
    (project / "main.py").write_text(ALGORITHM.format(year=year))
    (project / "config.json").write_text(json.dumps({"algorithm-language": "Python", "parameters": {"fast": "10"}}))
    return root, label


def summarize(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(samples), "median_ms": statistics.median(samples) * 1000, "p95_ms": p95 * 1000,
            "min_ms": ordered[0] * 1000, "max_ms": ordered[-1] * 1000}


async def measure(root: Path, runs: int, reads: int, transport: str) -> dict[str, Any]:
    from mcp import Client, StdioServerParameters

    if transport == "stdio":
        target: Any = StdioServerParameters(command=sys.executable, args=["-m", "mcp_backtest.backtest_server",
                                            "--workspace", str(root)], env=dict(os.environ), cwd=str(root))
    else:
        from mcp_backtest.backtest_server import create_server
        from mcp_backtest.service import BacktestService

        target = create_server(BacktestService(root, "local"))
    results: dict[str, Any] = {}
    async with Client(target) as client:

        async def timed(tool: str, arguments: dict[str, Any]) -> tuple[float, Any]:
            started = time.perf_counter()
            result = await client.call_tool(tool, arguments)
            elapsed = time.perf_counter() - started
            if result.is_error:
                raise RuntimeError(f"{tool} failed: {result.content}")
            return elapsed, result.structured_content

        cold, first = await timed("create_backtest", {"project": "spy_sma", "name": "cold"})
        results["create_backtest (cold, first run of the server)"] = summarize([cold])
        warm = []
        engine = []
        for index in range(runs):
            elapsed, summary = await timed("create_backtest", {"project": "spy_sma", "name": f"warm {index}"})
            warm.append(elapsed)
            engine.append(summary["elapsedSeconds"])
        results["create_backtest (warm)"] = summarize(warm)
        results["  of which: backtest process (start to result)"] = summarize(engine)
        backtest = {"project": "spy_sma", "backtestId": first["backtestId"]}
        optimization = (await timed("create_optimization", {
            "project": "spy_sma", "parameters": [{"name": "fast", "min": 5, "max": 20, "step": 5}], "maxParallel": 2}))
        results["create_optimization (4 backtests, 2 in parallel)"] = summarize([optimization[0]])
        calls = {
            "list_projects": {},
            "read_project": {"project": "spy_sma"},
            "list_backtests": {"project": "spy_sma", "includeStatistics": True},
            "read_backtest": backtest,
            "read_backtest_orders": {**backtest, "start": 0, "end": 100, "includeEvents": True},
            "read_backtest_chart": {**backtest, "name": "Strategy Equity", "count": 100},
            "read_backtest_logs": {**backtest, "startLine": 0, "endLine": 250},
            "read_optimization": {"project": "spy_sma", "optimizationId": optimization[1]["optimizationId"]},
        }
        for tool, arguments in calls.items():
            samples = [(await timed(tool, arguments))[0] for _ in range(reads)]
            results[tool] = summarize(samples)
        results["_statistics"] = {k: first["statistics"][k] for k in ("Total Orders", "Net Profit", "Sharpe Ratio")}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm create_backtest runs (default 5)")
    parser.add_argument("--reads", type=int, default=50, help="calls per read tool (default 50)")
    parser.add_argument("--transport", choices=("memory", "stdio"), default="memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mcp_backtest_bench_") as temp:
        root, label = make_workspace(Path(temp))
        results = anyio.run(measure, root, args.runs, args.reads, args.transport)
    stats = results.pop("_statistics")
    print(f"backtest MCP server latency — local backend, transport {args.transport}")
    print(f"workload: one-year daily backtest, {label}; statistics {stats}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}")
    print(f"{'tool':52} {'n':>4} {'median ms':>10} {'p95 ms':>9} {'min ms':>9} {'max ms':>9}")
    for name, row in results.items():
        print(f"{name:52} {row['n']:>4} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} {row['min_ms']:>9.1f} {row['max_ms']:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
