# Our version of LEAN's ScheduledUniverseRegressionAlgorithm (2013-10-07 to 10-08): a scheduled universe selects SPY
# every day at 1 AM (checked against the expected selection times) and the algorithm buys SPY with all its cash.
from AlgorithmImports import *


class DailyScheduledSelection(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.expected_times = [datetime(2013, 10, 7, 1), datetime(2013, 10, 8, 1)]
        self.add_universe(ScheduledUniverse(self.date_rules.every_day(), self.time_rules.at(1, 0), self.select))

    def select(self, time: datetime) -> list[Symbol]:
        self.debug(f"Universe selection called: {self.time}")
        expected = self.expected_times.pop(0)
        if self.time != expected:
            raise AssertionError(f"selection at {self.time}, expected {expected}")
        return [self.spy]

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)

    def on_end_of_algorithm(self) -> None:
        if self.expected_times:
            raise AssertionError(f"selections never made at {self.expected_times}")
