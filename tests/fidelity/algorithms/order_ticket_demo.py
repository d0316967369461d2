# Our version of LEAN's OrderTicketDemoAlgorithm: every order type is submitted on SPY minute data, then
# updated minute by minute (limits and stops pulled in by a cent, trailing percentages by 0.01%, MOO/MOC
# quantities up by one share) until one side of each pair fills and the other is cancelled.
from AlgorithmImports import *


class PairedTickets:
    """Two resting tickets on opposite sides: when one fills, the other is cancelled."""

    def __init__(self, algorithm: QCAlgorithm) -> None:
        self.algorithm = algorithm
        self.tickets: list[OrderTicket] = []

    @property
    def active(self) -> bool:
        return len(self.tickets) == 2

    def settle(self) -> bool:
        """True (and the pair is forgotten) once either side has filled; the other side is cancelled."""
        buy, sell = self.tickets
        if buy.status == OrderStatus.FILLED:
            sell.cancel("Long filled.")
        elif sell.status == OrderStatus.FILLED:
            buy.cancel("Short filled")
        else:
            return False
        self.tickets = []
        return True


def next_update_tag(ticket: OrderTicket) -> str:
    return f"Update #{len(ticket.update_requests) + 1}"


class OrderTicketWalkthrough(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY").symbol
        self.limits = PairedTickets(self)
        self.stops = PairedTickets(self)
        self.stop_limits = PairedTickets(self)
        self.trailing = PairedTickets(self)
        self.on_open: list[OrderTicket] = []
        self.on_close: list[OrderTicket] = []

    def at(self, day: int, hour: int, minute: int) -> bool:
        now = self.time
        return (now.day, now.hour, now.minute) == (day, hour, minute)

    def on_data(self, data: Slice) -> None:
        self.market_steps()
        self.limit_steps()
        self.stop_market_steps()
        self.stop_limit_steps()
        self.trailing_stop_steps()
        self.market_on_open_steps()
        self.market_on_close_steps()

    # --- one method per order type -------------------------------------------------------------------
    def market_steps(self) -> None:
        if not self.at(7, 9, 31):
            return
        filled_now = self.market_order(self.spy, 10, asynchronous=False)
        if filled_now.status != OrderStatus.FILLED:
            raise AssertionError("a synchronous market order must be filled when market_order returns")
        later = self.market_order(self.spy, 10, asynchronous=True)
        response = later.cancel("Attempt to cancel async order")
        self.log(f"cancel async market order {later.order_id}: success={response.is_success} code={response.error_code}")

    def limit_steps(self) -> None:
        if self.at(7, 12, 0):
            price = self.securities[self.spy].close
            self.limits.tickets = [self.limit_order(self.spy, 10, price * 0.999),
                                   self.limit_order(self.spy, -10, price * 1.001)]
        if not self.limits.active or self.limits.settle():
            return
        buy, sell = self.limits.tickets
        for ticket, step in ((buy, 0.01), (sell, -0.01)):
            fields = UpdateOrderFields()
            fields.limit_price = ticket.get(OrderField.LIMIT_PRICE) + step
            fields.tag = next_update_tag(ticket)
            ticket.update(fields)

    def stop_market_steps(self) -> None:
        if self.at(7, 16, 0):
            price = self.securities[self.spy].close
            self.stops.tickets = [self.stop_market_order(self.spy, 10, price * 1.0025),
                                  self.stop_market_order(self.spy, -10, price * 0.9975)]
        if not self.stops.active or self.stops.settle():
            return
        buy, sell = self.stops.tickets
        for ticket, step in ((buy, -0.01), (sell, 0.01)):
            fields = UpdateOrderFields()
            fields.stop_price = ticket.get(OrderField.STOP_PRICE) + step
            fields.tag = next_update_tag(ticket)
            ticket.update(fields)

    def stop_limit_steps(self) -> None:
        if self.at(8, 12, 1):
            price = self.securities[self.spy].close
            self.stop_limits.tickets = [self.stop_limit_order(self.spy, 10, price * 1.001, price - 0.03),
                                        self.stop_limit_order(self.spy, -10, price * 0.999, price + 0.03)]
        if not self.stop_limits.active or self.stop_limits.settle():
            return
        buy, sell = self.stop_limits.tickets
        for ticket, stop_step, limit_step in ((buy, -0.01, 0.01), (sell, 0.01, -0.01)):
            fields = UpdateOrderFields()
            fields.stop_price = ticket.get(OrderField.STOP_PRICE) + stop_step
            fields.limit_price = ticket.get(OrderField.LIMIT_PRICE) + limit_step
            fields.tag = next_update_tag(ticket)
            ticket.update(fields)

    def trailing_stop_steps(self) -> None:
        if self.at(7, 12, 0):
            price = self.securities[self.spy].close
            self.trailing.tickets = [
                self.trailing_stop_order(self.spy, 10, price * 1.0025, trailing_amount=0.0025, trailing_as_percentage=True),
                self.trailing_stop_order(self.spy, -10, price * 0.9975, trailing_amount=0.0025, trailing_as_percentage=True),
            ]
            return
        if not self.trailing.active or self.trailing.settle():
            return
        buy, _ = self.trailing.tickets
        minutes_open = (self.utc_time - buy.time).total_seconds() / 60
        if minutes_open % 5 != 0:
            return
        for ticket in self.trailing.tickets:
            fields = UpdateOrderFields()
            fields.trailing_amount = max(ticket.get(OrderField.TRAILING_AMOUNT) - 0.0001, 0.0001)
            fields.tag = next_update_tag(ticket)
            ticket.update(fields)

    def market_on_open_steps(self) -> None:
        if self.at(8, 16, 0):
            self.on_open.append(self.market_on_open_order(self.spy, 50))
        self.grow_until_filled(self.on_open)

    def market_on_close_steps(self) -> None:
        if self.at(9, 12, 0):
            held = self.portfolio[self.spy].quantity
            self.on_close.append(self.market_on_close_order(self.spy, 2 * held if held else 100))
        self.grow_until_filled(self.on_close)
        if self.at(self.end_date.day, 15, 45):
            self.market_on_close_order(self.spy, -self.portfolio[self.spy].quantity, tag="Liquidate end of algorithm")

    def grow_until_filled(self, pending: list[OrderTicket]) -> None:
        """Once a minute (at :59) add one share to a still-open MOO/MOC order."""
        if len(pending) != 1 or self.time.minute != 59:
            return
        ticket = pending[0]
        if ticket.status == OrderStatus.FILLED:
            pending.clear()
            return
        fields = UpdateOrderFields()
        fields.quantity = ticket.quantity + 1
        fields.tag = next_update_tag(ticket)
        ticket.update(fields)

    # --- checks --------------------------------------------------------------------------------------
    def on_order_event(self, order_event: OrderEvent) -> None:
        order = self.transactions.get_order_by_id(order_event.order_id)
        self.log(f"{self.time}: {order.type}: {order_event}")
        if order_event.quantity == 0 or order_event.quantity != order.quantity:
            raise AssertionError("an order event carries the order's current quantity")
        if isinstance(order, (LimitOrder, StopLimitOrder)) and order_event.limit_price == 0:
            raise AssertionError("limit price missing on the event")
        if type(order) is StopMarketOrder and order_event.stop_price == 0:
            raise AssertionError("stop price missing on the event")
        if order_event.ticket is None or order_event.ticket.order_id != order_event.order_id:
            raise AssertionError("the event's ticket is the order's ticket")

    def on_end_of_algorithm(self) -> None:
        mine = lambda ticket: ticket.symbol == self.spy
        filled = list(self.transactions.get_orders(lambda order: order.status == OrderStatus.FILLED))
        if len(filled) != 9 or len(list(self.transactions.get_order_tickets(mine))) != 12:
            raise AssertionError("expected 9 filled orders out of 12 tickets")
        if self.transactions.get_open_orders(self.spy) or list(self.transactions.get_open_order_tickets(mine)):
            raise AssertionError("no order should still be open")
        if self.transactions.get_open_orders_remaining_quantity(mine) or self.transactions.get_open_orders_remaining_quantity(self.spy):
            raise AssertionError("no quantity should remain open")
        if len(list(self.transactions.get_orders())) != 12 or self.transactions.get_open_orders():
            raise AssertionError("expected 12 orders, none open")
