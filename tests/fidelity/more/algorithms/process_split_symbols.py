# Our version of LEAN's ProcessSplitSymbolsRegressionAlgorithm (AAPL and GOOG daily, 2014-06-05 to 06-09): AAPL is
# removed on the slice of 2014-06-06, just before its 7-for-1 split, while the whole portfolio goes into GOOG. The
# split of a removed security must not disturb the run.
from AlgorithmImports import *


class RemoveBeforeSplit(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 5)
        self.set_end_date(2014, 6, 9)
        self.set_cash(100000)
        self.aapl = self.add_equity("AAPL", Resolution.DAILY)
        self.goog = self.add_equity("GOOG", Resolution.DAILY)

    def on_data(self, slice: Slice) -> None:
        if slice.time == datetime(2014, 6, 6):
            self.remove_security(self.aapl.symbol)
        if not self.portfolio.invested:
            self.set_holdings(self.goog.symbol, 1)
            self.debug("bought GOOG")
