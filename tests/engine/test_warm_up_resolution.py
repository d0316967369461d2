"""``set_warm_up(period, resolution)``: the warm-up period is read at the warm-up resolution, the rest at the
subscription's own resolution (LEAN's file feed splits the subscription at the algorithm start)."""
from __future__ import annotations

import textwrap
from datetime import datetime, timedelta
from pathlib import Path

from lean_local.runner import run_backtest


def test_hourly_equity_warms_up_on_daily_bars(tmp_path: Path, lean_data: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class DailyWarmUp(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 10)
                self.set_end_date(2013, 10, 10)
                self.add_equity("SPY", Resolution.HOUR)
                self.set_warm_up(timedelta(days=3), Resolution.DAILY)
                self.seen = []

            def on_data(self, slice):
                bar = slice.bars["SPY"]
                self.seen.append((self.is_warming_up, bar.end_time, bar.period))
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    seen = result.engine.algorithm.seen
    warm_up = [(end, period) for warming, end, period in seen if warming]
    assert warm_up == [(datetime(2013, 10, day, 16), timedelta(hours=6.5)) for day in (7, 8, 9)]
    after = [(end, period) for warming, end, period in seen if not warming]
    assert after == [(datetime(2013, 10, 10, hour), timedelta(hours=1)) for hour in range(10, 17)]


def test_minute_equity_quotes_are_absent_during_a_daily_warm_up(tmp_path: Path, lean_data: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class DailyWarmUpOfMinutes(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 8)
                self.set_end_date(2013, 10, 8)
                self.add_equity("SPY", Resolution.MINUTE)
                self.set_warm_up(timedelta(days=1), Resolution.DAILY)
                self.warm_up_quotes = 0
                self.warm_up_trades = 0

            def on_data(self, slice):
                if self.is_warming_up:
                    self.warm_up_quotes += len(slice.quote_bars)
                    self.warm_up_trades += len(slice.bars)
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    algorithm = result.engine.algorithm
    assert (algorithm.warm_up_trades, algorithm.warm_up_quotes) == (1, 0)


def test_securities_of_initialize_stream_from_the_exact_warm_up_start(tmp_path: Path, lean_data: Path) -> None:
    """LEAN adds them before the algorithm is locked: the bar ending at the warm-up start is included."""
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class NineHourWarmUp(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 8)
                self.set_end_date(2013, 10, 8)
                self.add_equity("SPY", Resolution.HOUR)
                self.set_warm_up(9, Resolution.HOUR)
                self.warm_up_ends = []

            def on_data(self, slice):
                if self.is_warming_up:
                    self.warm_up_ends.append(slice.bars["SPY"].end_time)
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    ends = result.engine.algorithm.warm_up_ends
    assert ends[:3] == [datetime(2013, 10, 4, 14), datetime(2013, 10, 4, 15), datetime(2013, 10, 4, 16)]
    assert len(ends) == 10
