# TrailingAndHardStopRiskModel on a long AAPL position (daily bars, 2015-2016; a ten-day up insight re-opens the
# position after a stop-out). Parameters: the trailing and hard stop fractions ("none" disables one). Records the
# close, the position and its average price at every step.
from datetime import timedelta
from typing import Optional

from AlgorithmImports import *

from risk_models.stops import TrailingAndHardStopRiskModel


def fraction(text: str) -> Optional[float]:
    return None if text == "none" else float(text)


class StopsTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2015, 1, 1)
        self.set_end_date(2016, 12, 31)
        self.set_cash(100000)
        self.aapl = self.add_equity("AAPL", Resolution.DAILY).symbol
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=10)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.stops = TrailingAndHardStopRiskModel(
            trailing_stop_percent=fraction(self.get_parameter("trailing", "0.05")),
            hard_stop_percent=fraction(self.get_parameter("hard", "none")),
        )
        self.set_risk_management(self.stops)
        self.steps: list = []

    def on_data(self, slice: Slice) -> None:
        holding = self.portfolio[self.aapl]
        self.steps.append((self.time, self.securities[self.aapl].price, holding.quantity, holding.average_price))
