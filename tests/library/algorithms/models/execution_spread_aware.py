# SpreadAwareLimitExecutionModel working SPY targets on minute trade and quote bars (raw prices), 2013-10-07..08:
# a long target from the first bar, then a short one from 2013-10-08 (insights flip direction each day).
# Parameters: the model's spread limit, aggressiveness, timeout (minutes) and replacements. Records every order
# event and the quote at each submission.
from datetime import date, timedelta
from typing import List, Optional

from AlgorithmImports import *

from execution_models.spread_aware import SpreadAwareLimitExecutionModel


class FlipAlpha(AlphaModel):
    """Up on the first day, down on the second, one insight per day."""

    def __init__(self) -> None:
        self.last_day: Optional[date] = None

    def update(self, algorithm: QCAlgorithm, data: Slice) -> List[Insight]:
        if algorithm.time.date() == self.last_day or not data.bars:
            return []
        self.last_day = algorithm.time.date()
        direction = InsightDirection.UP if algorithm.time.day == 7 else InsightDirection.DOWN
        return [Insight.price(symbol, timedelta(days=1), direction) for symbol in data.bars.keys()]


class SpreadAwareTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE, data_normalization_mode=DataNormalizationMode.RAW).symbol
        self.set_alpha(FlipAlpha())
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.model = SpreadAwareLimitExecutionModel(
            max_spread_percent=float(self.get_parameter("max_spread", "0.001")),
            aggressiveness=float(self.get_parameter("aggressiveness", "0")),
            timeout=timedelta(minutes=int(self.get_parameter("timeout", "2"))),
            max_replacements=int(self.get_parameter("replacements", "2")),
        )
        self.set_execution(self.model)
        self.events: list = []

    def on_order_event(self, order_event: OrderEvent) -> None:
        security = self.securities[self.spy]
        self.events.append((self.time, order_event.order_id, order_event.status, order_event.fill_quantity,
                            order_event.fill_price, security.bid_price, security.ask_price))
