# Our version of LEAN's ZeroedBenchmarkRegressionAlgorithm: a brokerage model whose benchmark is always 0.
from AlgorithmImports import *


class ZeroBenchmarkBrokerage(DefaultBrokerageModel):
    def get_benchmark(self, securities):
        return FuncBenchmark(lambda time: 0)


class ZeroedBenchmark(QCAlgorithm):
    def initialize(self) -> None:
        self.set_cash(100000)
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.HOUR)
        self.set_brokerage_model(ZeroBenchmarkBrokerage())

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings("SPY", 1)
