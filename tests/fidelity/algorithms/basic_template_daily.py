# Our version of LEAN's BasicTemplateDailyAlgorithm: all-in SPY on daily bars (the order becomes MarketOnOpen).
from AlgorithmImports import *


class BasicTemplateDaily(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 17)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.DAILY)

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings("SPY", 1)
            self.debug("Bought SPY")
