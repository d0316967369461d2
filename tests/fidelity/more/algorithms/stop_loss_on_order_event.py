# Our version of LEAN's StopLossOnOrderEventRegressionAlgorithm (minute SPY, one week of October 2013): short 100
# shares at market on the first slice; when that entry fills, a buy-stop protecting it is placed $2 below the fill
# price (so it triggers on the next bar).
from AlgorithmImports import *


class ShortWithStopFromFill(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.spy = self.add_equity("SPY").symbol
        self.traded = False

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested and not self.traded:
            self.traded = True
            self.market_order(self.spy, -100, False, "Entry")
            self.debug("Purchased Stock")

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.debug(str(order_event))
        order = self.transactions.get_order_by_id(order_event.order_id)
        if order.tag == "Entry" and order_event.status == OrderStatus.FILLED:
            stop = order_event.fill_price - 2
            self.debug(f"Enter short at {order_event.fill_price} set STOPLOSS at "
                       f"{Currencies.get_currency_symbol(order.price_currency)}{stop}")
            self.stop_market_order(order.symbol, -order.quantity, stop, tag="StopLoss")
