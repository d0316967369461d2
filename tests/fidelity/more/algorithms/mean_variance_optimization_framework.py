# Our version of LEAN's MeanVarianceOptimizationFrameworkAlgorithm: a coarse universe of AIG, BAC, IBM and SPY (SPY dropped after
# the 8th), daily historical-returns insights, mean-variance optimised weights (no rebalancing on insight changes alone),
# immediate execution.
from AlgorithmImports import *


class MeanVarianceOptimizationFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.settings.rebalance_portfolio_on_insight_changes = False
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.tickers = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AIG", "BAC", "IBM", "SPY")]
        self.set_universe_selection(CoarseFundamentalUniverseSelectionModel(self.select_coarse))
        self.set_alpha(HistoricalReturnsAlphaModel(resolution=Resolution.DAILY))
        self.set_portfolio_construction(MeanVarianceOptimizationPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(NullRiskManagementModel())

    def select_coarse(self, coarse):
        keep = 3 if self.time.day > 8 else len(self.tickers)
        return self.tickers[:keep]

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.FILLED:
            self.log(str(order_event))
