# Our version of LEAN's AccumulativeInsightPortfolioRegressionAlgorithm: every 20 minutes a new SPY up insight
# adds 3% of the portfolio; expiring insights take it away again.
from AlgorithmImports import *


class AccumulativeInsightPortfolio(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel([Symbol.create("SPY", SecurityType.EQUITY, Market.USA)]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, 0.25))
        self.set_portfolio_construction(AccumulativeInsightPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())

    def on_end_of_algorithm(self) -> None:
        value = self.portfolio.total_portfolio_value
        holdings = self.portfolio.total_holdings_value
        if holdings > value * 0.06 or holdings < value * 0.01:
            raise ValueError(f"Unexpected total holdings value: {holdings}")
