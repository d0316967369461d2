# Our version of LEAN's StopLimitOrderRegressionAlgorithm: on daily SPY, a 30/60-day EMA trend filter places a
# buy stop-limit far above the day's high (stop +10%, limit +11%) when the trend turns up, and once it has filled,
# a sell stop-limit below the day's low (stop -1%, limit -2%) when the trend turns down.
from AlgorithmImports import *


class StopLimitTrendEntries(QCAlgorithm):
    TOLERANCE = 0.001

    def initialize(self) -> None:
        self.set_start_date(2013, 1, 1)
        self.set_end_date(2017, 1, 1)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.fast = self.ema(self.spy, 30, Resolution.DAILY)
        self.slow = self.ema(self.spy, 60, Resolution.DAILY)
        self.entry: OrderTicket | None = None
        self.exit: OrderTicket | None = None

    def trend(self) -> int:
        """+1 when the fast EMA is above the slow EMA raised by the tolerance, -1 when below, else 0."""
        fast, threshold = self.fast.current.value, self.slow.current.value * (1 + self.TOLERANCE)
        return (fast > threshold) - (fast < threshold)

    def on_data(self, data: Slice) -> None:
        if not (self.fast.is_ready and self.slow.is_ready):
            return
        spy = self.securities[self.spy]
        if self.entry is None:
            if self.trend() > 0:
                self.entry = self.stop_limit_order(self.spy, 100, stop_price=spy.high * 1.10,
                                                   limit_price=spy.high * 1.11)
        elif self.entry.status == OrderStatus.FILLED and self.exit is None and self.trend() < 0:
            self.exit = self.stop_limit_order(self.spy, -100, stop_price=spy.low * 0.99, limit_price=spy.low * 0.98)

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        order = self.transactions.get_order_by_id(order_event.order_id)
        if not order.stop_triggered:
            raise AssertionError("a filled stop-limit order must have been triggered")
        buying = order_event.direction == OrderDirection.BUY
        ticket = self.entry if buying else self.exit
        limit = ticket.get(OrderField.LIMIT_PRICE)
        if (buying and order_event.fill_price > limit) or (not buying and order_event.fill_price < limit):
            raise AssertionError(f"fill {order_event.fill_price} is outside the limit {limit}")

    def on_end_of_algorithm(self) -> None:
        if any(ticket.submit_request.asynchronous for ticket in self.transactions.get_order_tickets()):
            raise AssertionError("every order was placed synchronously")
