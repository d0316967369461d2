"""The QCAlgorithm indicator helpers inside real backtests on the LEAN sample data."""
from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lean_local.runner import run_backtest

_REPO = Path(__file__).resolve().parents[2]
HEADER = """\
from AlgorithmImports import *
from lean_local.indicators import *
from lean_local.consolidators import *
"""


def backtest(tmp_path: Path, lean_data: Path, body: str, **kwargs: Any) -> Any:
    path = tmp_path / "main.py"
    path.write_text(HEADER + textwrap.dedent(body))
    result = run_backtest(path, data_folder=lean_data, write_output=False, **kwargs)
    assert result.status == "Completed", result.stack_trace or result.runtime_error
    return result


def test_sma_on_daily_data(tmp_path: Path, lean_data: Path) -> None:
    result = backtest(tmp_path, lean_data, """
        class SmaDaily(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 1, 1)
                self.set_end_date(2013, 12, 31)
                self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
                self.average = self.sma("SPY", 10, Resolution.DAILY)
                self.rows = []

            def on_data(self, data):
                if "SPY" not in data.bars:
                    return
                bar = data.bars["SPY"]
                self.rows.append((bar.end_time, bar.close, self.average.is_ready, self.average.current.value,
                                  self.average.current.time))

            def on_end_of_algorithm(self):
                if not self.average.is_ready:
                    raise AssertionError("the SMA should be ready")
        """)
    algorithm = result.engine.algorithm
    rows = algorithm.rows
    closes = np.array([r[1] for r in rows])
    assert len(rows) == 252
    for i, (end, _, ready, value, time) in enumerate(rows):
        assert ready == (i >= 9)
        assert value == pytest.approx(closes[max(0, i - 9): i + 1].mean(), rel=1e-12)
        assert time == end  # updated before on_data, stamped with the bar's end
    average = algorithm.average
    assert average.name == "SMA(10,SPY_day)" and average.samples == 252
    config = algorithm.subscription_manager.get_subscription_data_configs(algorithm.spy)[0]
    (consolidator,) = config.consolidators
    assert type(consolidator).__name__ == "IdentityDataConsolidator" and consolidator in average.consolidators


def test_minute_helpers_consolidate_to_the_requested_resolution(tmp_path: Path, lean_data: Path) -> None:
    result = backtest(tmp_path, lean_data, """
        class Helpers(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 11)
                self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
                self.fast = self.ema("SPY", 20)
                self.daily_sma = self.sma(self.spy, 3, Resolution.DAILY)
                self.hourly_atr = self.atr(self.spy, 5, MovingAverageType.SIMPLE, Resolution.HOUR)
                self.rsi_15 = RelativeStrengthIndex(14)
                self.register_indicator(self.spy, self.rsi_15, timedelta(minutes=15))
                self.high_max = self.max(self.spy, 30)
                self.bands = self.bb(self.spy, 20, 2, resolution=Resolution.MINUTE, selector=Field.HIGH)
                self.minutes, self.fives, self.days, self.hours = [], [], [], []
                self.consolidate(self.spy, timedelta(minutes=5), lambda bar: self.fives.append((self.time, bar)))
                self.consolidate(self.spy, Resolution.DAILY, lambda bar: self.days.append((self.time, bar)))
                self.consolidate(self.spy, Resolution.HOUR, lambda bar: self.hours.append((self.time, bar)))
                self.daily_sma_updates = []
                self.daily_sma.updated += lambda sender, point: self.daily_sma_updates.append((self.time, point.value))

            def on_data(self, data):
                if "SPY" in data.bars:
                    self.minutes.append(data.bars["SPY"])
        """)
    algorithm = result.engine.algorithm
    minutes = algorithm.minutes
    closes = np.array([b.close for b in minutes])
    assert len(minutes) == 5 * 390

    # identity consolidation at the subscription resolution
    k = 2 / 21
    ema = closes[:20].mean()
    for close in closes[20:]:
        ema = close * k + ema * (1 - k)
    assert algorithm.fast.name == "EMA(20,SPY_min)" and algorithm.fast.current.value == pytest.approx(ema, rel=1e-12)
    highs = np.array([b.high for b in minutes])
    assert algorithm.high_max.current.value == highs[-30:].max()  # MAX uses the high of trade bars
    window = highs[-20:]
    assert algorithm.bands.upper_band.current.value == pytest.approx(window.mean() + 2 * window.std(), rel=1e-10)

    # five-minute bars: 09:30-09:35 is emitted at 09:35
    fives = algorithm.fives
    assert len(fives) == 5 * 78
    when, first = fives[0]
    assert (when, first.time, first.end_time) == (datetime(2013, 10, 7, 9, 35), datetime(2013, 10, 7, 9, 30),
                                                  datetime(2013, 10, 7, 9, 35))
    assert first.close == minutes[4].close and first.volume == sum(b.volume for b in minutes[:5])

    # daily bars of minute data span the session and are emitted at the close
    days = algorithm.days
    assert [(w, b.time, b.end_time) for w, b in days] == [
        (datetime(2013, 10, d, 16), datetime(2013, 10, d, 9, 30), datetime(2013, 10, d, 16)) for d in range(7, 12)]
    daily_closes = [b.close for _, b in days]
    assert daily_closes == [minutes[390 * d + 389].close for d in range(5)]
    assert algorithm.daily_sma.name == "SMA(3,SPY_day)" and algorithm.daily_sma.is_ready
    assert [t for t, _ in algorithm.daily_sma_updates] == [w for w, _ in days]
    assert algorithm.daily_sma.current.value == pytest.approx(np.mean(daily_closes[-3:]), rel=1e-12)

    # hourly true ranges, 15-minute RSI: consolidated bars feed the bar/point indicators
    hours = [b for _, b in algorithm.hours]
    assert [b.time.hour for b in hours[:7]] == [9, 10, 11, 12, 13, 14, 15]  # 09:00 holds 09:30-10:00
    ranges = [hours[0].high - hours[0].low] + [
        max(b.high - b.low, abs(b.high - p.close), abs(b.low - p.close)) for p, b in zip(hours, hours[1:])]
    assert algorithm.hourly_atr.current.value == pytest.approx(np.mean(ranges[-5:]), rel=1e-10)
    assert algorithm.hourly_atr.name == "ATR(5,SPY_hr)"
    assert algorithm.rsi_15.samples == 5 * 26
    configs = algorithm.subscription_manager.get_subscription_data_configs(algorithm.spy)
    trade = next(c for c in configs if c.type.__name__ == "TradeBar")
    kinds = sorted(type(c).__name__ for c in trade.consolidators)
    assert kinds.count("MarketHourAwareConsolidator") == 2 and kinds.count("TradeBarConsolidator") == 4


def test_warm_up_indicator_and_automatic_warm_up(tmp_path: Path, lean_data: Path) -> None:
    result = backtest(tmp_path, lean_data, """
        class Warm(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 8)
                self.set_end_date(2013, 10, 11)
                self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
                self.history_closes = list(self.history(self.spy, 10, Resolution.DAILY)["close"])
                self.settings.automatic_indicator_warm_up = True
                self.auto = self.sma(self.spy, 10, Resolution.DAILY)
                self.auto_ready, self.auto_value = self.auto.is_ready, self.auto.current.value
                self.settings.automatic_indicator_warm_up = False
                self.manual = SimpleMovingAverage(5)
                self.warm_up_indicator(self.spy, self.manual, Resolution.DAILY)
                self.manual_ready = self.manual.is_ready
                self.true_range = self.atr(self.spy, 3)
                self.warm_up_indicator(self.spy, self.true_range)
        """)
    algorithm = result.engine.algorithm
    closes = algorithm.history_closes
    assert algorithm.auto_ready and algorithm.manual_ready and algorithm.true_range.is_ready
    # warmed with the 10 (5) daily closes before the start, then updated by the backtest's 4 days
    assert algorithm.auto_value == pytest.approx(np.mean(closes), rel=1e-12)
    assert algorithm.manual.current.value == pytest.approx(np.mean(closes[-5:]), rel=1e-12)
    # the registered indicator keeps updating during the backtest's 4 days; the manual one was only warmed up
    assert algorithm.auto.samples == 14 and algorithm.manual.samples == 5
    assert algorithm.auto.name == "SMA(10,SPY_day)"


def fidelity_case(name: str) -> dict[str, Any]:
    path = _REPO.parent / "shared" / "fidelity" / "cases.json"
    if not path.exists():
        pytest.skip(f"LEAN regression statistics not found at {path}")
    cases = {case["name"]: case for case in json.loads(path.read_text())["cases"]}
    return cases[name]


def test_ema_cross_matches_lean_regression_statistics(tmp_path: Path, lean_data: Path) -> None:
    """LEAN's ParameterizedAlgorithm regression (run with Launcher/config.json's ema-fast=10, ema-slow=20)."""
    case = fidelity_case("ParameterizedAlgorithm")
    result = backtest(tmp_path, lean_data, """
        class EmaCross(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 11)
                self.set_cash(100000)
                self.add_equity("SPY")
                self.fast = self.ema("SPY", self.get_parameter("ema-fast", 100))
                self.slow = self.ema("SPY", self.get_parameter("ema-slow", 200))

            def on_data(self, data):
                if self.fast.is_ready and self.slow.is_ready:
                    if self.fast.current.value > self.slow.current.value * 1.001:
                        self.set_holdings("SPY", 1)
                    elif self.fast.current.value < self.slow.current.value * 0.999:
                        self.liquidate("SPY")
        """, parameters={"ema-fast": "10", "ema-slow": "20"})
    expected = case["expected_statistics"]
    assert result.order_list_hash == expected["OrderListHash"]
    for key in ("Total Orders", "End Equity", "Net Profit", "Total Fees", "Sharpe Ratio", "Drawdown"):
        assert result.statistics[key] == expected[key], key
