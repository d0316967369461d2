# Our version of LEAN's SetHoldingsMarketOnOpenRegressionAlgorithm (minute SPY, daily AAPL, one week of October
# 2013): once AAPL has data the whole portfolio goes into it with set_holdings. Outside market hours that becomes a
# single market-on-open order, which stays the one open AAPL ticket until it fills.
from AlgorithmImports import *


class AllInAaplAtTheOpen(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY")
        self.aapl = self.add_equity("AAPL", Resolution.DAILY).symbol

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested and self.securities[self.aapl].has_data:
            self.set_holdings(self.aapl, 1)
            self.single_open_ticket()

    def single_open_ticket(self) -> OrderTicket:
        [ticket] = self.transactions.get_open_order_tickets(self.aapl)
        return ticket

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.SUBMITTED:
            self.single_open_ticket()
        elif list(self.transactions.get_open_order_tickets(self.aapl)):
            raise AssertionError("no AAPL ticket should be open after the fill")
        if order_event.order_id > 1:
            raise AssertionError(f"only one order was expected: {order_event}")
        self.debug(f"OnOrderEvent: {order_event}")
