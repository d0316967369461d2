# Our version of LEAN's BasicTemplateAlgorithm: buy SPY with all capital on the first minute bar.
from AlgorithmImports import *


class BasicTemplate(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
