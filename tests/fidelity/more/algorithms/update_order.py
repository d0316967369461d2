# Our version of LEAN's UpdateOrderRegressionAlgorithm (daily SPY, 2013-2014): each month the next order type of
# a fixed rotation is submitted through a SubmitOrderRequest (the quantity sign flips each time the rotation starts
# over, the first time included); between the 9th and 13th the quantity grows by ten shares, between the 14th and
# 19th limit/stop prices move to 0.5% around the price, and from the 20th a still-open order is canceled.
from math import copysign

from AlgorithmImports import *

ROTATION = [OrderType.MARKET, OrderType.LIMIT, OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.MARKET_ON_OPEN,
            OrderType.MARKET_ON_CLOSE, OrderType.TRAILING_STOP]


class MonthlyOrderRotation(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 1, 1)
        self.set_end_date(2015, 1, 1)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY)
        self.month = -1
        self.quantity = 100
        self.next_index = 0
        self.tickets: list[OrderTicket] = []

    def next_order_type(self) -> OrderType:
        if self.next_index == 0:
            self.quantity = -self.quantity
        order_type = ROTATION[self.next_index]
        self.next_index = (self.next_index + 1) % len(ROTATION)
        return order_type

    def on_data(self, data: Slice) -> None:
        if not data.bars.contains_key("SPY"):
            return
        if self.time.month != self.month:
            self.month = self.time.month
            self.submit(self.next_order_type(), data["SPY"])
        elif self.tickets:
            self.manage(self.tickets[-1])

    def submit(self, order_type: OrderType, bar: TradeBar) -> None:
        buying = self.quantity > 0
        stop = bar.high * 1.025 if buying else bar.low * 0.975
        limit = stop * 0.975 if buying else stop * 1.025
        if order_type == OrderType.LIMIT:
            limit = bar.low * 0.975 if buying else bar.high * 1.025
        request = SubmitOrderRequest(order_type, SecurityType.EQUITY, "SPY", self.quantity, stop, limit, 0, 0.01, True,
                                     self.utc_time, str(int(order_type)))
        self.tickets.append(self.transactions.add_order(request))

    def manage(self, ticket: OrderTicket) -> None:
        if ticket.status == OrderStatus.FILLED:
            return
        updates = len(ticket.update_requests)
        day = self.time.day
        fields = UpdateOrderFields()
        if 8 < day < 14:
            if updates == 0:
                fields.quantity = ticket.quantity + copysign(10, self.quantity)
                fields.tag = f"Change quantity: {day}"
                ticket.update(fields)
        elif 13 < day < 20:
            if updates == 1:
                price = self.spy.price
                fields.limit_price = price * (1 - copysign(0.005, ticket.quantity))
                if ticket.order_type != OrderType.TRAILING_STOP:
                    fields.stop_price = price * (1 + copysign(0.005, ticket.quantity))
                fields.tag = f"Change prices: {day}"
                ticket.update(fields)
        elif updates == 2:
            ticket.cancel(f"{day} and is still open!")

    def on_order_event(self, order_event: OrderEvent) -> None:
        order = self.transactions.get_order_by_id(order_event.order_id)
        if order.status == OrderStatus.CANCELED and order.canceled_time != order_event.utc_time:
            raise AssertionError("a canceled order's canceled_time is its cancel event time")
        if order.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED) and order.last_fill_time != order_event.utc_time:
            raise AssertionError("a filled order's last_fill_time is its fill event time")
