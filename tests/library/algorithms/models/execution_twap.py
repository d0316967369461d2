# TwapExecutionModel working a 100% SPY target (1 million dollars) on minute bars of 2013-10-07 and 08: slices every
# five minutes over half an hour, each at most 0.1% of the minute bar's volume. Records every order event.
from datetime import timedelta

from AlgorithmImports import *

from execution_models.twap import TwapExecutionModel


class TwapTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(1000000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.twap = TwapExecutionModel(duration=timedelta(minutes=30), interval=timedelta(minutes=5), max_participation=0.001)
        self.set_execution(self.twap)
        self.submitted: list = []

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.SUBMITTED:
            # the bar the order was sized on: its volume, as the engine holds it at submission time
            self.submitted.append((self.time, order_event.order_id, self.securities[self.spy].volume))
