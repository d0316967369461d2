# Our version of LEAN's AddRiskManagementAlgorithm: SPY minute bars, a 20-minute constant up insight, equal weighting, immediate
# execution; risk rules are added one at a time (a 2% portfolio drawdown stop, then a +1% per-security take profit).
from AlgorithmImports import *


class AddRiskManagement(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel(Symbol.create("SPY", SecurityType.EQUITY, Market.USA)))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.add_risk_management(MaximumDrawdownPercentPortfolio(0.02))
        self.add_risk_management(MaximumUnrealizedProfitPercentPerSecurity(0.01))
