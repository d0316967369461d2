# One SPY up insight of one hour emitted by hand at the first bar: equal weighting buys, and once the insight has
# expired (close time 10:31, seen at the 10:32 bar) the portfolio construction model flattens the position.
from AlgorithmImports import *


class InsightExpiry(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(None))
        self.emitted = False
        self.generated = []
        self.insights_generated += lambda algorithm, data: self.generated.append(data)

    def on_data(self, data: Slice) -> None:
        if not self.emitted:
            self.emitted = True
            self.emit_insights(Insight.price(self.spy, timedelta(hours=1), InsightDirection.UP))
