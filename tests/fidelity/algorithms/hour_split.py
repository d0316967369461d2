# Our version of LEAN's HourSplitRegressionAlgorithm: buy one AAPL share on the day of its 7:1 split.
from AlgorithmImports import *


class BuyOnSplitDay(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 6)
        self.set_end_date(2014, 6, 9)
        self.set_cash(100000)
        self.set_benchmark(lambda time: 0)
        self.aapl = self.add_equity("AAPL", Resolution.HOUR).symbol

    def on_data(self, data: Slice) -> None:
        if data.bars.count == 0:
            return
        if not self.portfolio.invested and self.time.date() == self.end_date.date():
            self.buy(self.aapl, 1)
