# Our version of LEAN's OnWarmupFinishedRegressionAlgorithm: one day of warm-up on SPY minute data, no trading;
# on_warmup_finished must be called exactly once.
from AlgorithmImports import *


class WarmupFinishedOnce(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.MINUTE)
        self.set_warmup(timedelta(days=1))
        self.warmup_finished_calls = 0

    def on_warmup_finished(self) -> None:
        self.warmup_finished_calls += 1

    def on_end_of_algorithm(self) -> None:
        if self.warmup_finished_calls != 1:
            raise AssertionError(f"on_warmup_finished was called {self.warmup_finished_calls} times, expected once")
