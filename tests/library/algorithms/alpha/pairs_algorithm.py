# CointegratedPairsAlphaModel on GOOG/GOOGL (Alphabet's class C and class A shares) from July 2018 to 2020: 252-day
# window, entry at |z| 2, exit at 0.5, stop at 4, retest every 21 bars, insight weighting, immediate execution.
from AlgorithmImports import *

from alpha.pairs import CointegratedPairsAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm


class CointegratedPairsTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2018, 7, 2)
        self.set_end_date(2020, 12, 31)
        self.set_cash(1000000)
        self.add_equity("GOOG", Resolution.DAILY)
        self.add_equity("GOOGL", Resolution.DAILY)
        self.alpha_model = CointegratedPairsAlphaModel(pairs=[("GOOG", "GOOGL")], lookback=252, entry_z=2.0,
                                                       exit_z=0.5, stop_z=4.0, retest_bars=21, max_holding_bars=63)
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(InsightWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
