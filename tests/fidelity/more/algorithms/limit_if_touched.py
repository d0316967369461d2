# Our version of LEAN's LimitIfTouchedRegressionAlgorithm (SPY minute, 2013-10-07..11): whenever nothing is open, a
# 10-share limit-if-touched order goes in (buying before the 9th, selling after) with its trigger a dollar and its
# limit a quarter below (above) the price; every minute one share comes off and the trigger is re-rounded to five
# significant digits; at one share left everything open is canceled. Filled events must read as LEAN prints them.
from collections import deque
from decimal import ROUND_HALF_EVEN, Decimal
from math import floor, log10

from AlgorithmImports import *

EXPECTED_FILLS = deque([
    "Time: 10/10/2013 13:31:00 OrderID: 72 EventID: 399 Symbol: SPY Status: Filled Quantity: -1 FillQuantity: -1 "
    "FillPrice: $144.6434 LimitPrice: $144.3551 TriggerPrice: $143.61 OrderFee: 1 USD",
    "Time: 10/10/2013 15:57:00 OrderID: 73 EventID: 156 Symbol: SPY Status: Filled Quantity: -1 FillQuantity: -1 "
    "FillPrice: $145.6636 LimitPrice: $145.6434 TriggerPrice: $144.89 OrderFee: 1 USD",
    "Time: 10/11/2013 15:37:00 OrderID: 74 EventID: 380 Symbol: SPY Status: Filled Quantity: -1 FillQuantity: -1 "
    "FillPrice: $146.7185 LimitPrice: $146.6723 TriggerPrice: $145.92 OrderFee: 1 USD",
])


def five_significant_digits(value: float) -> float:
    """Round like C#'s decimal rounding of the float (15 significant digits first, then half to even)."""
    exact = Decimal(f"{value:.15g}")
    step = Decimal(1).scaleb(floor(log10(abs(exact))) + 1 - 5)
    return float(exact.quantize(step, rounding=ROUND_HALF_EVEN))


class ShrinkingLimitIfTouched(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.add_equity("SPY")
        self.ticket: OrderTicket | None = None
        self.sign = 1

    def on_data(self, data: Slice) -> None:
        if not data.contains_key("SPY"):
            return
        if not self.transactions.get_open_orders():
            self.sign = 1 if self.time.day < 9 else -1
            price = data["SPY"].price
            quantity = self.sign * 10
            request = SubmitOrderRequest(OrderType.LIMIT_IF_TOUCHED, SecurityType.EQUITY, "SPY", quantity, 0,
                                         price - self.sign, price - 0.25 * self.sign, self.utc_time,
                                         f"LIT - Quantity: {quantity}")
            self.ticket = self.transactions.add_order(request)
            return
        if self.ticket is None:
            return
        if self.ticket.quantity == 1:
            self.transactions.cancel_open_orders()
            self.ticket = None
            return
        smaller = int(self.ticket.quantity - self.sign)
        self.ticket.update_quantity(smaller, f"LIT - Quantity: {smaller}")
        self.ticket.update_trigger_price(five_significant_digits(self.ticket.get(OrderField.TRIGGER_PRICE)))

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.FILLED:
            expected = EXPECTED_FILLS.popleft()
            if str(order_event) != expected:
                raise AssertionError(f"expected {expected}, got {order_event}")
