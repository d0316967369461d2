# Two alpha models added with add_alpha: one always up on SPY, one always down on IBM (minute data). The composite
# merges them; equal weighting holds SPY long and IBM short at about half the portfolio each.
from AlgorithmImports import *


class Always(AlphaModel):
    def __init__(self, ticker: str, direction: InsightDirection) -> None:
        self.ticker = ticker
        self.direction = direction
        self.name = f"Always{direction.name.title()}({ticker})"

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list:
        symbol = algorithm.symbol(self.ticker)
        if not data.contains_key(symbol) or algorithm.insights.has_active_insights(symbol, algorithm.utc_time):
            return []
        return [Insight.price(symbol, timedelta(minutes=30), self.direction)]


class CompositeDirections(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.MINUTE)
        self.add_equity("IBM", Resolution.MINUTE)
        self.add_alpha(Always("SPY", InsightDirection.UP))
        self.add_alpha(Always("IBM", InsightDirection.DOWN))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.weights = []

    def on_end_of_algorithm(self) -> None:
        value = self.portfolio.total_portfolio_value
        self.weights = [self.portfolio[t].holdings_value / value for t in ("SPY", "IBM")]
