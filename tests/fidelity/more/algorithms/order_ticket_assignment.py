# Our version of LEAN's OrderTicketAssignmentDemoAlgorithm (minute SPY, one week of October 2013): every hourly
# consolidated bar buys one share with an asynchronous market order. Order events carry their ticket, and the
# submitted event arrives before the market_order call has returned the ticket to the algorithm.
from AlgorithmImports import *


class HourlyAsyncBuys(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.ticket: OrderTicket | None = None
        self.trades = 0
        self.consolidate(self.spy, timedelta(hours=1), self.on_hour)

    def on_hour(self, bar: TradeBar) -> None:
        self.ticket = None
        self.ticket = self.market_order(self.spy, 1, asynchronous=True)
        self.debug(f"{self.time}: Buy: Price {bar.price}, order_id: {self.ticket.order_id}")
        self.trades += 1

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.ticket is None:
            raise AssertionError("an order event carries its ticket")
        if order_event.status == OrderStatus.SUBMITTED and self.ticket is not None:
            raise AssertionError("the submitted event comes before the ticket is returned")
        self.debug(str(order_event.ticket))

    def on_end_of_algorithm(self) -> None:
        if not self.portfolio.invested or self.trades != self.transactions.orders_count:
            raise AssertionError(f"{self.trades} trades but {self.transactions.orders_count} orders")
