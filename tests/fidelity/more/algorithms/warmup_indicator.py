# Our version of LEAN's WarmupIndicatorRegressionAlgorithm (daily SPY, 2013-11-01 to 12-10, 30-day warm-up): a 3-bar
# SMA is registered on a classic renko consolidator of $2 bricks; the first brick built after the warm-up buys SPY
# with all the cash.
from AlgorithmImports import *


class RenkoAfterWarmUp(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 11, 1)
        self.set_end_date(2013, 12, 10)
        self.set_warm_up(timedelta(days=30))
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        renko = ClassicRenkoConsolidator(2)
        renko.data_consolidated += self.on_brick
        self.register_indicator(self.spy, SimpleMovingAverage("SMA", 3), renko)

    def on_brick(self, sender: object, brick: RenkoBar) -> None:
        if self.is_warming_up:
            return
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1.0)
        self.log(f"CLOSE - {brick.time} - {brick.open} {brick.close}")
