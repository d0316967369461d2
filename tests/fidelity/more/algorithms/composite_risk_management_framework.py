# Our version of LEAN's CompositeRiskManagementModelFrameworkAlgorithm: SPY minute bars, a 20-minute constant up insight, equal
# weighting, immediate execution, and two risk rules combined: take profit at +1% and cut losses at -1% per security.
from AlgorithmImports import *


class CompositeRiskFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel(Symbol.create("SPY", SecurityType.EQUITY, Market.USA)))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(CompositeRiskManagementModel(
            MaximumUnrealizedProfitPercentPerSecurity(0.01),
            MaximumDrawdownPercentPerSecurity(0.01),
        ))
