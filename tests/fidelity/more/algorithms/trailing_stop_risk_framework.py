# Our version of LEAN's TrailingStopRiskManagementModel framework regression: AAPL hour bars in raw prices, a 31-day constant up
# insight, equal weighting, immediate execution and a 1% trailing stop on the position value (imported from LEAN's Python module path).
from AlgorithmImports import *

from Risk.TrailingStopRiskManagementModel import TrailingStopRiskManagementModel


class RiskFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 1)
        self.set_end_date(2014, 6, 30)
        self.universe_settings.resolution = Resolution.HOUR
        self.universe_settings.data_normalization_mode = DataNormalizationMode.RAW
        self.set_universe_selection(ManualUniverseSelectionModel([Symbol.create("AAPL", SecurityType.EQUITY, Market.USA)]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(31), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(TrailingStopRiskManagementModel(0.01))
