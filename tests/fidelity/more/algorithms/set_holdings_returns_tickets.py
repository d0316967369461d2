# Our version of LEAN's SetHoldingReturnsOrderTicketsRegressionAlgorithm (daily SPY and IBM, 2018-01-04 to 10): on
# every slice set_holdings targets 80% SPY and 20% IBM; it returns the tickets it placed, two while the portfolio
# is not yet invested and none once it is.
from AlgorithmImports import *


class EightyTwentyTickets(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2018, 1, 4)
        self.set_end_date(2018, 1, 10)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.ibm = self.add_equity("IBM", Resolution.DAILY).symbol

    def on_data(self, data: Slice) -> None:
        tickets = self.set_holdings([PortfolioTarget(self.spy, 0.8), PortfolioTarget(self.ibm, 0.2)])
        expected = 0 if self.portfolio.invested else 2
        if len(tickets) != expected:
            raise AssertionError(f"expected {expected} tickets, got {len(tickets)}")
