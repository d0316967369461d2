# Our version of LEAN's MarketOrderStaleDataFillRegressionAlgorithm (minute SPY, one week of October 2013): one
# share is bought at market every day one second after the open (when the latest bar is the previous close) and at
# noon. A market order must never fill on data older than one bar; the open order waits for the first session bar.
from AlgorithmImports import *


class NoStaleMarketFills(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.bar_span = timedelta(minutes=1)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.schedule.on(self.date_rules.every_day(self.spy), self.time_rules.at(9, 30, 1), self.buy_one)
        self.schedule.on(self.date_rules.every_day(self.spy), self.time_rules.at(12, 0, 0), self.buy_one)

    def buy_one(self) -> None:
        if self.securities[self.spy].has_data:
            self.market_order(self.spy, 1)

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        security = self.securities[order_event.symbol]
        last = security.get_last_data()
        if last is None:
            return
        gap = order_event.utc_time - Extensions.convert_to_utc(last.end_time, security.exchange.time_zone)
        if gap > self.bar_span:
            raise AssertionError(f"order {order_event.order_id} filled on data {gap} old")
