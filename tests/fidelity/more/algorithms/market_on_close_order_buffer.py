# Our version of LEAN's MarketOnCloseOrderBufferRegressionAlgorithm (minute SPY, 2013-10-07 to 08): with the
# market-on-close submission buffer cut to ten minutes, an order at 15:49 is accepted and one at 15:51 refused;
# a third one sent at 17:00 on the first day (after the close) is accepted for the next day's close.
from AlgorithmImports import *


class TenMinuteCloseBuffer(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)
        self.in_time: OrderTicket | None = None
        self.too_late: OrderTicket | None = None
        self.after_hours: OrderTicket | None = None
        self.schedule.on(self.date_rules.today, self.time_rules.at(17, 0), self.order_after_hours)
        MarketOnCloseOrder.submission_time_buffer = timedelta(minutes=10)

    def order_after_hours(self) -> None:
        self.after_hours = self.market_on_close_order("SPY", 2)

    def on_data(self, data: Slice) -> None:
        if self.time.hour != 15:
            return
        if self.time.minute == 49 and self.in_time is None:
            self.in_time = self.market_on_close_order("SPY", 2)
        if self.time.minute == 51 and self.too_late is None:
            self.too_late = self.market_on_close_order("SPY", 2)

    def on_end_of_algorithm(self) -> None:
        MarketOnCloseOrder.submission_time_buffer = MarketOnCloseOrder.DEFAULT_SUBMISSION_TIME_BUFFER
        if self.in_time.status != OrderStatus.FILLED or self.after_hours.status != OrderStatus.FILLED:
            raise AssertionError("the orders within the buffer should have filled")
        if self.too_late.status != OrderStatus.INVALID:
            raise AssertionError("the order inside the buffer should have been refused")
