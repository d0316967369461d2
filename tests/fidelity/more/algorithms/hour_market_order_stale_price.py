# Our version of LEAN's HourResolutionMarketOrderStalePriceRegressionAlgorithm (hourly SPY, 2013-10-07 to 08): with
# a one-minute stale-price window, an asynchronous market order sent at 10:55 on the 8th stays a market order and
# must not fill on the 10:00 bar; it fills at the close of the next real hour bar, ending 11:00.
from datetime import datetime

from AlgorithmImports import *

EXPECTED_FILL = datetime(2013, 10, 8, 11, 0)


class WaitForTheNextHourBar(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(100000)
        self.settings.stale_price_time_span = timedelta(minutes=1)
        self.spy = self.add_equity("SPY", Resolution.HOUR).symbol
        self.ticket: OrderTicket | None = None
        self.schedule.on(self.date_rules.on(2013, 10, 8), self.time_rules.at(10, 55), self.buy_mid_bar)

    def buy_mid_bar(self) -> None:
        if not self.securities[self.spy].has_data:
            raise AssertionError("SPY should have data")
        self.ticket = self.market_order(self.spy, 10, asynchronous=True)
        if self.ticket.order_type != OrderType.MARKET:
            raise AssertionError(f"the order became {self.ticket.order_type}")
        if self.ticket.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
            raise AssertionError("the order filled on the stale bar")

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        security = self.securities[self.spy]
        filled_at = Extensions.convert_from_utc(order_event.utc_time, security.exchange.time_zone)
        bar = security.get_last_data()
        if filled_at != EXPECTED_FILL or bar is None or bar.is_fill_forward or bar.end_time != EXPECTED_FILL:
            raise AssertionError(f"expected a fill on the real bar ending {EXPECTED_FILL}, got {filled_at}")
        if order_event.fill_price != security.close:
            raise AssertionError("the order fills at the bar's close")

    def on_end_of_algorithm(self) -> None:
        if self.ticket is None or self.ticket.status != OrderStatus.FILLED:
            raise AssertionError("the market order should have filled")
