# Our version of LEAN's BasicTemplateAxosAlgorithm: a quarter of the portfolio in SPY under Axos fees.
from AlgorithmImports import *


class BasicTemplateAxos(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_brokerage_model(BrokerageName.AXOS)
        self.add_equity("SPY", Resolution.MINUTE)

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings("SPY", 0.25)
