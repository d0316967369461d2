"""lean_local.research.backtest: a finished backtest's equity curve and insights as pandas."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from lean_local.research.backtest import equity_curve, insights_frame
from lean_local.runner import run_backtest

ALGORITHM = '''
from AlgorithmImports import *


class ConstantInsights(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2014, 1, 2)
        self.set_end_date(2014, 3, 31)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        symbols = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("SPY", "IBM")]
        self.set_universe_selection(ManualUniverseSelectionModel(symbols))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=5)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
'''


def test_equity_curve_and_insights(tmp_path: Path, lean_data: Path) -> None:
    project = tmp_path / "constant"
    project.mkdir()
    (project / "main.py").write_text(ALGORITHM)
    result = run_backtest(project, data_folder=lean_data, write_output=False)
    assert result.succeeded, result.runtime_error
    curve = equity_curve(result)
    assert list(curve.columns) == ["equity", "benchmark"] and curve.index.name == "time"
    assert curve.index.is_monotonic_increasing
    assert curve["equity"].iloc[0] == 100000
    assert curve["equity"].iloc[-1] == pytest.approx(float(result.statistics["End Equity"]))
    assert curve.index[0].date().isoformat() == "2014-01-02" and curve.index[-1].date().isoformat() == "2014-03-31"
    assert curve["benchmark"].dropna().between(150, 200).all()  # SPY's price in early 2014
    insights = insights_frame(result)
    assert len(insights) == len(result.engine.algorithm.insights.get_insights()) > 0
    assert set(insights["symbol"]) == {"SPY", "IBM"} and set(insights["direction"]) == {1}
    assert (insights["close_time"] > insights["generated_time"]).all()
    assert insights["generated_time"].min().date().isoformat() >= "2014-01-02"


def test_failed_run_without_engine_is_explained() -> None:
    failed = SimpleNamespace(engine=None, status="RuntimeError", runtime_error="boom")
    with pytest.raises(ValueError, match="RuntimeError: boom"):
        equity_curve(failed)
