# Our version of LEAN's ConfidenceWeightedFrameworkAlgorithm: SPY minute bars, a 20-minute constant up insight with 25%
# confidence, positions sized by insight confidence and filled immediately; the holdings end near a quarter of the portfolio.
from AlgorithmImports import *


class ConfidenceWeightedFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel(Symbol.create("SPY", SecurityType.EQUITY, Market.USA)))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, 0.25))
        self.set_portfolio_construction(ConfidenceWeightedPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())

    def on_end_of_algorithm(self) -> None:
        share = self.portfolio.total_holdings_value / self.portfolio.total_portfolio_value
        if not 0.23 <= share <= 0.28:
            raise AssertionError(f"holdings should be about 25% of the portfolio, got {share:.3f}")
