# Our version of LEAN's FillOutsideHoursMinuteResolutionAlgorithm (minute SPY, 2013-10-07 to 08): at 23:00 on the
# first day, if not invested, a one-share market order is submitted through a SubmitOrderRequest. Outside market
# hours it must not fill at once on the last bar; it waits for fresh data.
from AlgorithmImports import *


class NightMarketOrder(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE)
        self.schedule.on(self.date_rules.today, self.time_rules.at(timedelta(hours=23)), self.buy_at_night)

    def buy_at_night(self) -> None:
        if self.portfolio.invested or not self.spy.has_data:
            return
        request = SubmitOrderRequest(OrderType.MARKET, self.spy.type, self.spy.symbol, 1, 0, 0, self.time, "")
        ticket = self.submit_order_request(request)
        if ticket.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
            raise AssertionError(f"the order filled outside market hours at {self.time}")
