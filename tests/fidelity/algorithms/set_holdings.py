# Our version of LEAN's SetHoldingsRegressionAlgorithm: four set_holdings calls in one on_data,
# with int, float and numpy weights, all placed before any of them fills.
from AlgorithmImports import *


class SetHoldingsFourTimes(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)

    def on_data(self, data: Slice) -> None:
        if self.portfolio.invested:
            return
        for weight in (0.1, float(0.2), np.float64(0.3), 1):
            self.set_holdings("SPY", weight)
