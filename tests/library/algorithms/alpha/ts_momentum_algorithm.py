# TimeSeriesMomentumAlphaModel on SPY, IBM and USO through the 2008 crash and the 2009 recovery: 126-day lookback,
# 42-day volatility, 15% volatility target, insights every 10 bars, insight weighting, immediate execution.
from AlgorithmImports import *

from alpha.ts_momentum import TimeSeriesMomentumAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm


class TimeSeriesMomentumTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2008, 6, 2)
        self.set_end_date(2009, 12, 31)
        self.set_cash(1000000)
        for ticker in ("SPY", "IBM", "USO"):
            self.add_equity(ticker, Resolution.DAILY)
        self.alpha_model = TimeSeriesMomentumAlphaModel(lookback=126, volatility_lookback=42, target_volatility=0.15,
                                                        rebalance_bars=10)
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(InsightWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
