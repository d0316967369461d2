# ConcentrationLimitRiskModel behind equal weighting of SPY, AAPL and IBM (a third each) on daily bars in 2014.
# Parameter: the maximum weight. Records each position's weight at every step.
from datetime import timedelta

from AlgorithmImports import *

from risk_models.concentration import ConcentrationLimitRiskModel


class ConcentrationTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 1, 1)
        self.set_end_date(2014, 12, 31)
        self.set_cash(1000000)
        self.symbols = [self.add_equity(ticker, Resolution.DAILY).symbol for ticker in ("SPY", "AAPL", "IBM")]
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.limit = ConcentrationLimitRiskModel(max_weight=float(self.get_parameter("max_weight", "0.2")))
        self.set_risk_management(self.limit)
        self.weights: list = []

    def on_data(self, slice: Slice) -> None:
        total = self.portfolio.total_portfolio_value
        self.weights.append((self.time, {s.value: self.portfolio[s].holdings_value / total for s in self.symbols}))
