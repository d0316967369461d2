# SectorBudgetPortfolioConstructionModel: US equity (SPY, QQQ) 50%, emerging markets (EEM, short) 20%, commodities
# (USO, BNO) 20%; IWM has insights but no bucket. Each ticker's insight carries a weight; parameter "weighting" picks
# equal or insight weighting inside the buckets. Daily bars, first quarter of 2015.
from datetime import timedelta
from typing import Dict, List

from AlgorithmImports import *

from portfolio_models.budgets import SectorBudgetPortfolioConstructionModel

VIEWS: Dict[str, tuple[InsightDirection, float]] = {
    "SPY": (InsightDirection.UP, 3.0),
    "QQQ": (InsightDirection.UP, 1.0),
    "EEM": (InsightDirection.DOWN, 1.0),
    "USO": (InsightDirection.UP, 1.0),
    "BNO": (InsightDirection.UP, 3.0),
    "IWM": (InsightDirection.UP, 1.0),
}
BUCKETS = {"SPY": "us_equity", "QQQ": "us_equity", "EEM": "emerging", "USO": "commodities", "BNO": "commodities"}
BUDGETS = {"us_equity": 0.5, "emerging": 0.2, "commodities": 0.2}


class WeightedViewsAlpha(AlphaModel):
    """Emits each ticker's view with its weight every day, valid for three days."""

    def update(self, algorithm: QCAlgorithm, data: Slice) -> List[Insight]:
        insights = []
        for symbol in data.bars.keys():
            direction, weight = VIEWS[symbol.value]
            insights.append(Insight.price(symbol, timedelta(days=3), direction, weight=weight))
        return insights


class SectorBudgetTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2015, 1, 1)
        self.set_end_date(2015, 3, 31)
        self.set_cash(1000000)
        self.symbols = {ticker: self.add_equity(ticker, Resolution.DAILY).symbol for ticker in VIEWS}
        self.model = SectorBudgetPortfolioConstructionModel(BUCKETS, BUDGETS, weighting=self.get_parameter("weighting", "equal"))
        self.set_alpha(WeightedViewsAlpha())
        self.set_portfolio_construction(self.model)
        self.decisions: list = []
        self.holdings: list = []

    def on_data(self, slice: Slice) -> None:
        total = self.portfolio.total_portfolio_value
        self.holdings.append((self.time, {t: self.portfolio[s].holdings_value / total for t, s in self.symbols.items()}))
        if self.model.last_weights:
            self.decisions.append((self.time, {s.value: w for s, w in self.model.last_weights.items()},
                                   dict(self.model.last_bucket_exposure)))
