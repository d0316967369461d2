# Our version of LEAN's CompleteOrderTagUpdateAlgorithm (minute SPY, one week of October 2013): a far-below limit
# buy is placed and canceled at once, then 100 shares are bought at market. Closed orders still accept a new tag
# (set from the cancel and fill events) but refuse any other update.
from AlgorithmImports import *

TAG_AFTER_FILL = "This is the tag set after order was filled."
TAG_AFTER_CANCEL = "This is the tag set after order was canceled."
QUANTITY = 100


class RetagClosedOrders(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.limit_ticket: OrderTicket | None = None
        self.market_ticket: OrderTicket | None = None

    def on_data(self, data: Slice) -> None:
        if self.portfolio.invested:
            return
        if self.limit_ticket is None:
            self.limit_ticket = self.limit_order(self.spy, 100, self.securities[self.spy].price * 0.1)
            self.limit_ticket.cancel()
        else:
            self.buy(self.spy, QUANTITY)

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.CANCELED:
            if order_event.order_id != self.limit_ticket.order_id:
                raise AssertionError("only the limit order is canceled")
            self.retag(self.limit_ticket, TAG_AFTER_CANCEL)
        elif order_event.status == OrderStatus.FILLED:
            [self.market_ticket] = self.transactions.get_order_tickets(lambda t: t.order_type == OrderType.MARKET)
            if order_event.order_id != self.market_ticket.order_id:
                raise AssertionError("only the market order fills")
            fields = UpdateOrderFields()
            fields.quantity = 50
            if self.market_ticket.update(fields).is_success:
                raise AssertionError("a filled order's quantity cannot change")
            self.retag(self.market_ticket, TAG_AFTER_FILL)

    @staticmethod
    def retag(ticket: OrderTicket, tag: str) -> None:
        fields = UpdateOrderFields()
        fields.tag = tag
        response = ticket.update(fields)
        if response.is_error:
            raise AssertionError(f"retagging failed: {response.error_message}")

    def on_end_of_algorithm(self) -> None:
        for ticket, tag in ((self.market_ticket, TAG_AFTER_FILL), (self.limit_ticket, TAG_AFTER_CANCEL)):
            if ticket.tag != tag or self.transactions.get_order_by_id(ticket.order_id).tag != tag:
                raise AssertionError(f"order {ticket.order_id} was not retagged")
        if self.market_ticket.quantity != QUANTITY or self.market_ticket.quantity_filled != QUANTITY:
            raise AssertionError("the market order quantity changed")
