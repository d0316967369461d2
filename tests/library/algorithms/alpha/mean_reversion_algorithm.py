# ZScoreMeanReversionAlphaModel on SPY and IWM from 2010 to 2012: 20-day z-score, entry at 2, exit at 0.5, 10-bar
# time stop, equal weighting, immediate execution.
from AlgorithmImports import *

from alpha.mean_reversion import ZScoreMeanReversionAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm


class ZScoreMeanReversionTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2010, 1, 4)
        self.set_end_date(2012, 12, 31)
        self.set_cash(1000000)
        for ticker in ("SPY", "IWM"):
            self.add_equity(ticker, Resolution.DAILY)
        self.alpha_model = ZScoreMeanReversionAlphaModel(lookback=20, entry_z=2.0, exit_z=0.5, max_holding_bars=10)
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
