# Our version of LEAN's DividendRegressionAlgorithm (SPY daily, 1998 to 2006, raw prices): half the portfolio goes
# into SPY once and is held; every cash dividend is paid into the portfolio, so at the end the total profit must be
# exactly the sum of dividends received.
from AlgorithmImports import *


class RawPriceDividendCollector(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(1998, 1, 1)
        self.set_end_date(2006, 1, 1)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY, data_normalization_mode=DataNormalizationMode.RAW).symbol
        self.dividends_received = 0

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 0.5)

    def on_dividends(self, dividends: Dividends) -> None:
        dividend = dividends[self.spy]
        holding = self.portfolio[self.spy]
        self.debug(f"{dividend.time} dividend {dividend.distribution} on {holding.quantity} shares, cash {self.portfolio.cash}")
        self.dividends_received += dividend.distribution * holding.quantity

    def on_end_of_algorithm(self) -> None:
        # amounts reach Python as floats, so compare to the cent
        checks = {
            "total profit": (self.portfolio.total_profit, self.dividends_received),
            "total net profit": (self.portfolio.total_net_profit, self.dividends_received - self.portfolio.total_fees),
            "holding dividends": (self.portfolio[self.spy].total_dividends, self.dividends_received),
        }
        for name, (actual, expected) in checks.items():
            if abs(actual - expected) > 0.005:
                raise AssertionError(f"{name} {actual}, expected {expected}")
