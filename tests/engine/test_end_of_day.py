"""``on_end_of_day``: LEAN calls the per-security form ten minutes before each security's close."""
from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

from lean_local.runner import run_backtest


def test_on_end_of_day_symbol_runs_ten_minutes_before_each_close(tmp_path: Path, lean_data: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class EndOfDay(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 8)
                self.add_equity("SPY")
                self.add_equity("IBM")
                self.calls = []

            def on_end_of_day(self, symbol: Symbol) -> None:
                self.calls.append((self.time, symbol.value))
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    calls = result.engine.algorithm.calls
    assert sorted(calls) == [
        (datetime(2013, 10, 7, 15, 50), "IBM"), (datetime(2013, 10, 7, 15, 50), "SPY"),
        (datetime(2013, 10, 8, 15, 50), "IBM"), (datetime(2013, 10, 8, 15, 50), "SPY"),
    ]


def test_an_algorithm_without_on_end_of_day_schedules_nothing(tmp_path: Path, lean_data: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class Quiet(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.add_equity("SPY")
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed"
    names = [event.name for event in result.engine.scheduler.scheduled_events]
    assert not any("EndOfDay" in name for name in names)
