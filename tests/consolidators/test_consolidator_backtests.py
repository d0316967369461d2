"""Consolidators inside real backtests on the LEAN sample data."""
from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lean_local.runner import run_backtest

_REPO = Path(__file__).resolve().parents[2]
HEADER = """\
from AlgorithmImports import *
from lean_local.indicators import *
from lean_local.consolidators import *
"""


def backtest(tmp_path: Path, lean_data: Path, body: str) -> Any:
    path = tmp_path / "main.py"
    path.write_text(HEADER + textwrap.dedent(body))
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.stack_trace or result.runtime_error
    return result


def test_classic_renko_trading_matches_lean_regression_statistics(tmp_path: Path, lean_data: Path) -> None:
    """LEAN's ClassicRenkoConsolidatorAlgorithm regression: buy on close bricks, sell on (2o+h+l+3c)/7 bricks."""
    path = _REPO.parent / "shared" / "fidelity" / "cases.json"
    if not path.exists():
        pytest.skip(f"LEAN regression statistics not found at {path}")
    case = next(c for c in json.loads(path.read_text())["cases"] if c["name"] == "ClassicRenkoConsolidatorAlgorithm")
    result = backtest(tmp_path, lean_data, """
        class Renko(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2012, 1, 1)
                self.set_end_date(2013, 1, 1)
                spy = self.add_equity("SPY", Resolution.DAILY).symbol
                on_close = ClassicRenkoConsolidator(2.5)
                on_close.data_consolidated += self.buy
                self.subscription_manager.add_consolidator(spy, on_close)
                seven = ClassicRenkoConsolidator(2.5, lambda b: (2 * b.open + b.high + b.low + 3 * b.close) / 7,
                                                 lambda b: b.volume)
                seven.data_consolidated += self.sell
                self.subscription_manager.add_consolidator(spy, seven)
                self.bricks = []

            def buy(self, sender, brick):
                self.bricks.append(brick)
                if not self.portfolio.invested:
                    self.set_holdings(brick.symbol, 1)

            def sell(self, sender, brick):
                if self.portfolio.invested:
                    self.liquidate(brick.symbol)
        """)
    expected = case["expected_statistics"]
    assert result.order_list_hash == expected["OrderListHash"]
    for key in ("Total Orders", "End Equity", "Net Profit", "Total Fees", "Win Rate", "Sharpe Ratio"):
        assert result.statistics[key] == expected[key], key
    bricks = result.engine.algorithm.bricks
    assert all(abs(b.close - b.open) == 2.5 for b in bricks)
    assert all(later.open == earlier.close for earlier, later in zip(bricks, bricks[1:]))


def test_weekly_and_count_consolidation_of_daily_data(tmp_path: Path, lean_data: Path) -> None:
    result = backtest(tmp_path, lean_data, """
        class Weekly(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 1, 7)
                self.set_end_date(2013, 3, 29)
                self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
                self.days, self.weeks, self.triples = [], [], []
                self.consolidate(self.spy, Calendar.WEEKLY, lambda bar: self.weeks.append(bar))
                triple = TradeBarConsolidator(3)
                triple.data_consolidated += lambda sender, bar: self.triples.append(bar)
                self.subscription_manager.add_consolidator(self.spy, triple)

            def on_data(self, data):
                if "SPY" in data.bars:
                    self.days.append(data.bars["SPY"])
        """)
    algorithm = result.engine.algorithm
    days, weeks = algorithm.days, algorithm.weeks
    assert all(w.time.weekday() == 0 and w.time.hour == 0 and w.end_time - w.time == timedelta(days=7) for w in weeks)
    for week in weeks:
        inside = [d for d in days if week.time <= d.time < week.end_time]
        assert week.open == inside[0].open and week.close == inside[-1].close
        assert week.high == max(d.high for d in inside) and week.low == min(d.low for d in inside)
        assert week.volume == sum(d.volume for d in inside)
    assert weeks[0].time == datetime(2013, 1, 7) and len(weeks) >= 11
    triples = algorithm.triples
    assert len(triples) == len(days) // 3
    assert [(t.time, t.end_time) for t in triples[:2]] == [(days[0].time, days[2].end_time), (days[3].time, days[5].end_time)]
