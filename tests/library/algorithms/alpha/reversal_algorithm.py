# ShortTermReversalAlphaModel over ten daily ETFs and stocks in the first half of 2012: 5-day returns, rebalanced
# every 5 bars, long the 2 worst and short the 2 best, equal weighting.
from AlgorithmImports import *

from alpha.reversal import ShortTermReversalAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm

TICKERS = ("SPY", "QQQ", "IWM", "EEM", "USO", "AAPL", "IBM", "BAC", "AIG", "WM")


class ShortTermReversalTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2012, 1, 3)
        self.set_end_date(2012, 6, 29)
        self.set_cash(1000000)
        for ticker in TICKERS:
            self.add_equity(ticker, Resolution.DAILY)
        self.alpha_model = ShortTermReversalAlphaModel(lookback=5, holding_bars=5, num_long=2, num_short=2)
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
