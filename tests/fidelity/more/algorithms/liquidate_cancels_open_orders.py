# Our version of LEAN's LiquidateRegressionAlgorithm (daily SPY and IBM, 2018-01-04 to 10): at midnight on January
# 5th and 8th a 10-share IBM market order and one-share limit buys $5 under the price of IBM and SPY are placed,
# then everything is liquidated at once. Liquidating cancels the still-open orders, so at the end every order is
# canceled and nothing is held.
from AlgorithmImports import *


class OrderThenLiquidate(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2018, 1, 4)
        self.set_end_date(2018, 1, 10)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.ibm = self.add_equity("IBM", Resolution.DAILY).symbol
        for day in (5, 8):
            self.schedule.on(self.date_rules.on(2018, 1, day), self.time_rules.midnight, self.rebalance)

    def rebalance(self) -> None:
        self.market_order(self.ibm, 10)
        self.limit_order(self.ibm, 1, self.securities[self.ibm].price - 5)
        self.limit_order(self.spy, 1, self.securities[self.spy].price - 5)
        self.liquidate()

    def on_end_of_algorithm(self) -> None:
        left = [order for order in self.transactions.get_orders() if order.status != OrderStatus.CANCELED]
        if left:
            raise AssertionError(f"{len(left)} orders should have been canceled")
        for holding in self.portfolio.values():
            if holding.quantity != 0:
                raise AssertionError(f"{holding.quantity} {holding.symbol} still held")
