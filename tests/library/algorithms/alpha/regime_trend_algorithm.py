# RegimeFilteredTrendAlphaModel on SPY from 2007 to 2009, through the 2008 volatility spike: 50/200-day averages,
# 21-day against 252-day volatility, shorts allowed, insights every 10 bars, equal weighting.
from AlgorithmImports import *

from alpha.regime_trend import RegimeFilteredTrendAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm


class RegimeFilteredTrendTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2007, 1, 3)
        self.set_end_date(2009, 12, 31)
        self.set_cash(1000000)
        self.add_equity("SPY", Resolution.DAILY)
        self.alpha_model = RegimeFilteredTrendAlphaModel(fast_period=50, slow_period=200, volatility_period=21,
                                                         long_run_volatility_period=252, allow_short=True,
                                                         insight_bars=10)
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
