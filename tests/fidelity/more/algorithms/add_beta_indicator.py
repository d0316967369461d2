# Our version of LEAN's AddBetaIndicatorRegressionAlgorithm (minute IBM and SPY, 2013-10-07 to 10-15, $10,000): a
# 3-day beta of IBM against SPY, warmed up automatically, must be ready at once and stay within [0, 2.8]. On the
# first slice the algorithm buys 10 IBM and places a far limit buy and a far stop buy; when the limit order fills
# while beta is within 0.2 of 1 and the 3-day SPY SMA is rising, the open IBM orders are canceled.
from AlgorithmImports import *


class BetaOfIbm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 15)
        self.set_cash(10000)
        self.add_equity("IBM")
        self.add_equity("SPY")
        self.enable_automatic_indicator_warm_up = True
        self.beta = self.b("IBM", "SPY", 3, Resolution.DAILY)
        self.spy_sma = self.sma("SPY", 3, Resolution.DAILY)
        self.last_sma = 0
        if not self.beta.is_ready:
            raise AssertionError("the beta should be warmed up")

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            price = slice["IBM"].close
            self.buy("IBM", 10)
            self.limit_order("IBM", 10, price * 0.1)
            self.stop_market_order("IBM", 10, price / 0.1)
        beta = self.beta.current.value
        if beta < 0 or beta > 2.8:
            raise AssertionError(f"beta {beta} outside [0, 2.8]")
        self.log(f"Beta between IBM and SPY is: {beta}")

    def on_order_event(self, order_event: OrderEvent) -> None:
        order = self.transactions.get_order_by_id(order_event.order_id)
        rising = self.last_sma < self.spy_sma.current.value
        self.last_sma = self.spy_sma.current.value
        if order.status == OrderStatus.FILLED and order.type == OrderType.LIMIT \
                and abs(self.beta.current.value - 1) < 0.2 and rising:
            self.transactions.cancel_open_orders(order.symbol)
        if order.status == OrderStatus.CANCELED:
            self.log(str(order_event))
