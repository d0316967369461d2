#!/usr/bin/env python
"""How long ``build_statistics`` takes, before and after the integer fast paths, on a real backtest's inputs.

Scenario (the default): ``algorithms/trend_basket`` on the synthetic market, 2016-01-04..2018-12-31, daily bars
(about 1850 equity samples, 850 closed trades, 145 periods: the whole backtest and 144 rolling windows).

1. The backtest runs once with the current code; the ``StatisticsInputs`` its result handler builds are captured
   (symbols reduced to strings, the risk-free rate to a table of the rates looked up) and pickled.
2. ``build_statistics`` is timed on them with the current code (best of ``--repeat``).
3. The baseline revision's ``lean_local`` (``git archive``, default: the commit before the fast paths) is
   unpacked to a temporary folder and a worker process (this script, ``--worker``) times it on the same
   pickle.
4. Both results are compared in full: summary strings, the result JSON of every period, and every raw
   ``Decimal`` of the trade and portfolio statistics with its exact digits, scale and sign.

Usage: .venv/bin/python benchmarks/statistics_speed.py [--start 2016-01-04] [--end 2018-12-31]
       [--data /tmp/synth] [--baseline REV] [--repeat 3] [--profile]
The synthetic market is generated into ``--data`` when missing (``lean-local data synthetic``).
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pickle
import pstats
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASELINE = "771f594"  # the last commit before the integer fast paths (digit-string decimal arithmetic)


class RateTable:
    """A picklable stand-in for the interest-rate model: the rates it returned for the equity sample times."""

    def __init__(self, rates: dict[datetime, Decimal]) -> None:
        self.rates = rates

    def __call__(self, time: datetime) -> Decimal:
        return self.rates[time]


def capture_inputs(start: str, end: str, data: Path) -> tuple[Any, float, float]:
    """Run the backtest; return its statistics inputs, the run's wall time and its build_statistics time."""
    import lean_local.results.handler as handler
    from lean_local.runner import run_backtest
    from lean_local.statistics import StatisticsInputs

    captured: dict[str, Any] = {}
    original = getattr(handler, "build_statistics")  # noqa: B009 - patched below, restored after the run

    def capturing(inputs: StatisticsInputs) -> Any:
        captured.setdefault("inputs", inputs)
        began = time.perf_counter()
        results = original(inputs)
        captured.setdefault("seconds", time.perf_counter() - began)
        return results

    setattr(handler, "build_statistics", capturing)  # noqa: B010
    try:
        began = time.perf_counter()
        run_backtest(REPO / "algorithms" / "trend_basket", data_folder=data, write_output=False,
                     parameters={"start": start, "end": end})
        elapsed = time.perf_counter() - began
    finally:
        setattr(handler, "build_statistics", original)  # noqa: B010
    inputs = captured["inputs"]
    trades = [dataclasses.replace(trade, symbol_key=str(trade.symbol_key)) for trade in inputs.closed_trades]
    rates = RateTable({when: inputs.risk_free_rate(when) for when, _ in inputs.equity})
    portable = dataclasses.replace(inputs, closed_trades=trades, risk_free_rate=rates)
    return portable, elapsed, captured["seconds"]


def digest(results: Any) -> dict[str, Any]:
    """Everything the statistics produce, as exact strings (``str(Decimal)`` keeps scale and sign)."""

    def raw(performance: Any) -> dict[str, Any]:
        fields = {**dataclasses.asdict(performance.trade_statistics),
                  **{f"portfolio.{key}": value
                     for key, value in dataclasses.asdict(performance.portfolio_statistics).items()}}
        return {key: str(value) for key, value in fields.items()}

    document = {
        "error": results.error,
        "summary": results.summary,
        "totalPerformance": results.total_performance,
        "rollingWindow": results.rolling_window,
        "raw": {"total": raw(results.total), **{key: raw(value) for key, value in results.rolling.items()}},
    }
    exact: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return exact


def time_statistics(inputs: Any, repeat: int, profile: bool) -> tuple[dict[str, float], Any]:
    """Best wall-clock and best CPU time (``time.process_time``, steadier on a busy machine) of ``repeat`` runs."""
    from lean_local.statistics import build_statistics

    best = {"wall": float("inf"), "cpu": float("inf")}
    results = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        results = build_statistics(inputs)
        best["wall"] = min(best["wall"], time.perf_counter() - wall)
        best["cpu"] = min(best["cpu"], time.process_time() - cpu)
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(build_statistics, inputs)
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
        print(stream.getvalue())
    return best, results


def worker(inputs_path: Path, output: Path, repeat: int) -> None:
    with inputs_path.open("rb") as handle:
        inputs = pickle.load(handle)
    seconds, results = time_statistics(inputs, repeat, profile=False)
    output.write_text(json.dumps({"seconds": seconds, "digest": digest(results)}))


def baseline(revision: str, inputs_path: Path, repeat: int, folder: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """Time the baseline revision's build_statistics in a worker process."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "lean_local"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    output = folder / "baseline.json"
    environment = {**os.environ, "PYTHONPATH": str(folder)}
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(inputs_path), str(output),
                    "--repeat", str(repeat)], check=True, env=environment, cwd=folder)
    document = json.loads(output.read_text())
    return document["seconds"], document["digest"]


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        found = [f"{path}/{key}: only in one" for key in before.keys() ^ after.keys()]
        for key in before.keys() & after.keys():
            found += differences(before[key], after[key], f"{path}/{key}")
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [item for index, pair in enumerate(zip(before, after))
                for item in differences(*pair, f"{path}[{index}]")]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", default="2016-01-04")
    parser.add_argument("--end", default="2018-12-31")
    parser.add_argument("--data", type=Path, default=Path("/tmp/synth"))
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a profile of the current build_statistics")
    parser.add_argument("--worker", nargs=2, type=Path, metavar=("INPUTS", "OUTPUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        inputs_path, output = arguments.worker
        worker(inputs_path, output, arguments.repeat)
        return

    sys.path.insert(0, str(REPO))
    if not arguments.data.exists():
        subprocess.run([str(Path(sys.executable).with_name("lean-local")), "data", "synthetic", "--output",
                        str(arguments.data)], check=True)
    inputs, run_seconds, run_statistics_seconds = capture_inputs(arguments.start, arguments.end, arguments.data)
    print(f"scenario: trend_basket {arguments.start}..{arguments.end}: {len(inputs.equity)} equity samples, "
          f"{len(inputs.closed_trades)} closed trades, {len(inputs.profit_loss)} transactions")
    print(f"backtest run: {run_seconds:.2f} s, of which build_statistics {run_statistics_seconds:.2f} s")

    after_seconds, after_results = time_statistics(inputs, arguments.repeat, arguments.profile)
    after = digest(after_results)
    with tempfile.TemporaryDirectory() as folder:
        inputs_path = Path(folder) / "inputs.pickle"
        with inputs_path.open("wb") as handle:
            pickle.dump(inputs, handle)
        before_seconds, before = baseline(arguments.baseline, inputs_path, arguments.repeat, Path(folder))

    print(f"build_statistics, best of {arguments.repeat}:      wall clock      CPU time")
    print(f"  before ({arguments.baseline}):{before_seconds['wall']:16.3f} s {before_seconds['cpu']:11.3f} s")
    print(f"  after (working tree):{after_seconds['wall']:16.3f} s {after_seconds['cpu']:11.3f} s")
    print(f"  speed-up:{before_seconds['wall'] / after_seconds['wall']:27.1f}x "
          f"{before_seconds['cpu'] / after_seconds['cpu']:11.1f}x")
    found = differences(before, after)
    periods = len(after["rollingWindow"]) + 1
    if found:
        print(f"OUTPUTS DIFFER in {len(found)} places:")
        for line in found[:20]:
            print("  " + line)
        sys.exit(1)
    print(f"outputs identical: summary, result JSON and raw decimals of all {periods} periods")


if __name__ == "__main__":
    main()
