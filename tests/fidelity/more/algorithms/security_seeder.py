# Our version of LEAN's SecuritySeederRegressionAlgorithm (SPY minute, 2013-10-08 to 10-10): securities are
# initialized with the brokerage model's models and seeded with their last known trade and quote bars, so SPY
# already has every price, size and volume field set when it is reported as added; the portfolio then buys SPY.
from AlgorithmImports import *


class SeededOnAddition(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 10)
        self.set_security_initializer(
            BrokerageModelSecurityInitializer(self.brokerage_model, FuncSecuritySeeder(self.get_last_known_prices)))
        self.add_equity("SPY", Resolution.MINUTE)

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings("SPY", 1)

    def on_securities_changed(self, changes: SecurityChanges) -> None:
        for security in changes.added_securities:
            fields = [security.ask_price, security.bid_price, security.ask_size, security.bid_size, security.price,
                      security.volume, security.open, security.high, security.low, security.close]
            if not security.has_data or any(value == 0 for value in fields):
                raise AssertionError(f"{security.symbol} was not seeded: {fields}")
