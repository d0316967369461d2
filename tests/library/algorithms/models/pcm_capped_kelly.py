# CappedKellyPortfolioConstructionModel fed by fixed views (direction, magnitude, confidence) on six daily equities in
# 2015: two small edges that stay under the caps, two strong views that hit the per-position cap, one view without
# edge (confidence below 0.5) and one without magnitude. Parameters: the caps. Records the model's decisions, the
# holdings weights each day and one history frame for an independent recomputation.
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from AlgorithmImports import *

from portfolio_models.kelly import CappedKellyPortfolioConstructionModel

VIEWS: Dict[str, tuple[InsightDirection, Optional[float], float]] = {
    "SPY": (InsightDirection.UP, 0.002, 0.52),
    "IBM": (InsightDirection.UP, 0.002, 0.55),
    "AAPL": (InsightDirection.UP, 0.02, 0.60),
    "BAC": (InsightDirection.DOWN, 0.02, 0.60),
    "AIG": (InsightDirection.UP, 0.01, 0.45),
    "QQQ": (InsightDirection.UP, None, 0.70),
}
PERIOD = timedelta(days=5)


class FixedViewsAlpha(AlphaModel):
    """Emits each ticker's view every day, valid for five days."""

    def update(self, algorithm: QCAlgorithm, data: Slice) -> List[Insight]:
        insights = []
        for symbol in data.bars.keys():
            direction, magnitude, confidence = VIEWS[symbol.value]
            insights.append(Insight.price(symbol, PERIOD, direction, magnitude, confidence))
        return insights


class CappedKellyTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2015, 1, 1)
        self.set_end_date(2015, 12, 31)
        self.set_cash(1000000)
        self.symbols = {ticker: self.add_equity(ticker, Resolution.DAILY).symbol for ticker in VIEWS}
        self.model = CappedKellyPortfolioConstructionModel(
            kelly_fraction=0.5,
            max_position=float(self.get_parameter("max_position", "0.25")),
            max_total=float(self.get_parameter("max_total", "0.9")),
        )
        self.set_alpha(FixedViewsAlpha())
        self.set_portfolio_construction(self.model)
        self.decisions: list = []
        self.holdings: list = []
        self.check_frame = None
        self.check_time = datetime.min

    def on_data(self, slice: Slice) -> None:
        total = self.portfolio.total_portfolio_value
        self.holdings.append((self.time, {t: self.portfolio[s].holdings_value / total for t, s in self.symbols.items()}))
        if self.model.last_weights:
            self.decisions.append((self.time, dict(self.model.last_full_kelly), dict(self.model.last_weights)))
        if self.check_frame is None and self.time >= datetime(2015, 6, 1):
            self.check_frame = self.history(list(self.symbols.values()), 64, Resolution.DAILY)
            self.check_time = self.time
