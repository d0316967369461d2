# Our version of LEAN's DelistingEventsAlgorithm: buy AAA.1, sell on the delisting warning,
# try to buy again once delisted (refused: the security is no longer tradable).
from AlgorithmImports import *


class DelistingEvents(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2007, 5, 15)
        self.set_end_date(2007, 5, 25)
        self.set_cash(100000)
        self.add_equity("AAA.1", Resolution.DAILY)
        self.add_equity("SPY", Resolution.DAILY)

    def on_data(self, data: Slice) -> None:
        if self.transactions.orders_count == 0:
            self.set_holdings("AAA.1", 1)
        for kvp in data.bars:
            self.log(f"{self.time} {kvp.key} {kvp.value.close}")
        aaa = self.securities["AAA.1"]
        if aaa.is_delisted and aaa.is_tradable:
            raise AssertionError("a delisted security must not be tradable")
        if not aaa.is_delisted and not aaa.is_tradable:
            raise AssertionError("a security stays tradable until it is delisted or removed")
        for kvp in data.delistings:
            if kvp.value.type == DelistingType.WARNING:
                self.set_holdings(kvp.key, 0)
            if kvp.value.type == DelistingType.DELISTED:
                self.set_holdings(kvp.key, 1)

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.log(f"{self.time} {order_event}")
