# Our version of LEAN's ConsolidatorRollingWindowRegressionAlgorithm (minute SPY, 2013-10-07 to 10-11): a 10-minute
# trade bar consolidator keeps its last bars; on every consolidation index 0 is the bar just built (also `current`)
# and index 1 the one before (also `previous`). No trades.
from AlgorithmImports import *


class ConsolidatorHistory(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY", Resolution.MINUTE)
        self.consolidations = 0
        self.consolidator = TradeBarConsolidator(timedelta(minutes=10))
        self.consolidator.data_consolidated += self.on_ten_minutes
        self.subscription_manager.add_consolidator("SPY", self.consolidator)

    def on_ten_minutes(self, sender: object, bar: TradeBar) -> None:
        self.consolidations += 1
        latest = self.consolidator[0]
        if self.consolidator.current is not latest or latest.time != bar.time or latest.close != bar.close:
            raise AssertionError("index 0 is the bar just consolidated")
        if self.consolidator.window.count >= 2:
            before = self.consolidator[1]
            if self.consolidator.previous is not before or before.time >= bar.time or before.close <= 0:
                raise AssertionError("index 1 is the bar consolidated before")

    def on_end_of_algorithm(self) -> None:
        if self.consolidations == 0 or self.consolidator.window.count != 2:
            raise AssertionError(f"{self.consolidations} consolidations, window of {self.consolidator.window.count}")
