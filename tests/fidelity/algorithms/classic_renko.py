# Our version of LEAN's ClassicRenkoConsolidatorAlgorithm: two $2.50 classic renko consolidators on SPY daily bars,
# one on the close (buys when flat), one on a weighted bar price (sells when invested).
from AlgorithmImports import *


class TwoRenkoStreams(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2012, 1, 1)
        self.set_end_date(2013, 1, 1)
        self.add_equity("SPY", Resolution.DAILY)

        on_close = ClassicRenkoConsolidator(2.5)
        on_close.data_consolidated += self.on_close_brick
        self.subscription_manager.add_consolidator("SPY", on_close)

        weighted = ClassicRenkoConsolidator(2.5, lambda bar: (2 * bar.open + bar.high + bar.low + 3 * bar.close) / 7,
                                            lambda bar: bar.volume)
        weighted.data_consolidated += self.on_weighted_brick
        self.subscription_manager.add_consolidator("SPY", weighted)

    def on_close_brick(self, sender: object, brick: RenkoBar) -> None:
        if not self.portfolio.invested:
            self.set_holdings(brick.symbol, 1)

    def on_weighted_brick(self, sender: object, brick: RenkoBar) -> None:
        if self.portfolio.invested:
            self.liquidate(brick.symbol)
