# Our version of LEAN's CompositeAlphaModelFrameworkAlgorithm: SPY, IBM, BAC and AIG added by hand (minute), an
# empty manual universe model, and a composite of the RSI and EMA-cross alpha models (daily indicators warmed
# up from history), equal weighting and immediate execution.
from AlgorithmImports import *

from Alphas.RsiAlphaModel import RsiAlphaModel
from Alphas.EmaCrossAlphaModel import EmaCrossAlphaModel
from Portfolio.EqualWeightingPortfolioConstructionModel import EqualWeightingPortfolioConstructionModel


class CompositeAlphaFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        for ticker in ("SPY", "IBM", "BAC", "AIG"):
            self.add_equity(ticker)
        self.set_universe_selection(ManualUniverseSelectionModel())
        self.set_alpha(CompositeAlphaModel(RsiAlphaModel(), EmaCrossAlphaModel()))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(NullRiskManagementModel())
