# Our version of LEAN's BlackLittermanPortfolioOptimizationFrameworkAlgorithm: a coarse universe of AIG, BAC, IBM and SPY (SPY
# dropped after the 8th), daily historical-returns insights as views, Black-Litterman weights from an unconstrained
# mean-variance optimiser, immediate execution.
from AlgorithmImports import *


class BlackLittermanOptimizationFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.tickers = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AIG", "BAC", "IBM", "SPY")]
        self.set_universe_selection(CoarseFundamentalUniverseSelectionModel(self.select_coarse))
        self.set_alpha(HistoricalReturnsAlphaModel(resolution=Resolution.DAILY))
        optimizer = UnconstrainedMeanVariancePortfolioOptimizer()
        self.set_portfolio_construction(BlackLittermanOptimizationPortfolioConstructionModel(optimizer=optimizer))
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(NullRiskManagementModel())

    def select_coarse(self, coarse):
        keep = 3 if self.time.day > 8 else len(self.tickers)
        return self.tickers[:keep]
