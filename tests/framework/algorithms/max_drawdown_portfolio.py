# Our version of LEAN's MaximumDrawdownPercentPortfolioFrameworkRegressionAlgorithm: AAPL hour bars in raw prices,
# a 31-day constant up insight, equal weighting, and two portfolio drawdown limits combined: 1% from the start
# value and 1.5% trailing from the high-water mark.
from AlgorithmImports import *

from Risk.CompositeRiskManagementModel import CompositeRiskManagementModel
from Risk.MaximumDrawdownPercentPortfolio import MaximumDrawdownPercentPortfolio


class MaximumDrawdownPortfolioFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 1)
        self.set_end_date(2014, 6, 30)
        self.universe_settings.resolution = Resolution.HOUR
        self.universe_settings.data_normalization_mode = DataNormalizationMode.RAW
        self.set_universe_selection(ManualUniverseSelectionModel(Symbol.create("AAPL", SecurityType.EQUITY, Market.USA)))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(31), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(CompositeRiskManagementModel(
            MaximumDrawdownPercentPortfolio(0.01),
            MaximumDrawdownPercentPortfolio(0.015, True),
        ))
