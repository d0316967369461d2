# Our version of LEAN's TimeInForceAlgorithm (minute SPY, one week of October 2013): on the first slice six limit
# buys are placed in pairs under three time-in-force settings (good-til-canceled, day, good-til-date October 10th);
# in each pair one limit is far below the market, the other above it. At the end every order must be in the state
# its time in force implies.
from datetime import datetime

from AlgorithmImports import *


class TimeInForcePairs(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.expected: dict[int, OrderStatus] = {}

    def on_data(self, data: Slice) -> None:
        if self.expected:
            return
        plan = [
            (TimeInForce.GOOD_TIL_CANCELED, 100, OrderStatus.SUBMITTED, 160, OrderStatus.FILLED),
            (TimeInForce.DAY, 140, OrderStatus.CANCELED, 180, OrderStatus.FILLED),
            (TimeInForce.good_til_date(datetime(2013, 10, 10)), 100, OrderStatus.CANCELED, 160, OrderStatus.FILLED),
        ]
        for time_in_force, low_limit, low_status, high_limit, high_status in plan:
            self.default_order_properties.time_in_force = time_in_force
            self.expected[self.limit_order(self.spy, 10, low_limit).order_id] = low_status
            self.expected[self.limit_order(self.spy, 10, high_limit).order_id] = high_status

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.debug(f"{self.time} {order_event}")

    def on_end_of_algorithm(self) -> None:
        for order_id, status in self.expected.items():
            actual = self.transactions.get_order_by_id(order_id).status
            if actual != status:
                raise AssertionError(f"order {order_id} is {actual}, expected {status}")
