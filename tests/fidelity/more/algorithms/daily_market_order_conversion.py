# Our version of LEAN's DailyResolutionMarketOrderConversionRegressionAlgorithm (daily SPY, minute IBM, 2013-10-07
# to 09): on October 8th at 9:31 a market order on minute IBM fills at once, while one on daily SPY (whose only
# price is the stale previous close) becomes a market-on-close order filling at that day's close; at 15:55,
# inside the close buffer, a daily market order becomes a market-on-open order for the next session.
from datetime import datetime

from AlgorithmImports import *

TRADING_DAY = datetime(2013, 10, 8)


def is_fill(ticket: OrderTicket) -> bool:
    return ticket.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)


class DailyMarketOrdersConverted(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 9)
        self.set_cash(100000)
        self.daily = self.add_equity("SPY", Resolution.DAILY).symbol
        self.minute = self.add_equity("IBM", Resolution.MINUTE).symbol
        self.minute_ticket: OrderTicket | None = None
        self.on_close_ticket: OrderTicket | None = None
        self.on_open_ticket: OrderTicket | None = None
        trading_day = self.date_rules.on(TRADING_DAY.year, TRADING_DAY.month, TRADING_DAY.day)
        self.schedule.on(trading_day, self.time_rules.at(9, 31), self.after_the_open)
        self.schedule.on(trading_day, self.time_rules.at(15, 55), self.near_the_close)

    def after_the_open(self) -> None:
        if not (self.securities[self.daily].has_data and self.securities[self.minute].has_data):
            raise AssertionError("both securities should have data")
        self.minute_ticket = self.market_order(self.minute, 10)
        if self.minute_ticket.order_type != OrderType.MARKET or self.minute_ticket.status != OrderStatus.FILLED:
            raise AssertionError("the minute order stays a market order and fills at once")
        self.on_close_ticket = self.market_order(self.daily, 10)
        if self.on_close_ticket.order_type != OrderType.MARKET_ON_CLOSE or is_fill(self.on_close_ticket):
            raise AssertionError("the daily order becomes an unfilled market-on-close order")

    def near_the_close(self) -> None:
        self.on_open_ticket = self.market_order(self.daily, 10)
        if self.on_open_ticket.order_type != OrderType.MARKET_ON_OPEN or is_fill(self.on_open_ticket):
            raise AssertionError("the daily order near the close becomes an unfilled market-on-open order")

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        exchange = self.securities[order_event.symbol].exchange
        filled_at = Extensions.convert_from_utc(order_event.utc_time, exchange.time_zone)
        if self.on_close_ticket is not None and order_event.order_id == self.on_close_ticket.order_id:
            if filled_at != exchange.hours.get_next_market_close(TRADING_DAY, False):
                raise AssertionError(f"the market-on-close order filled at {filled_at}")
        elif self.on_open_ticket is not None and order_event.order_id == self.on_open_ticket.order_id:
            if filled_at.date() <= TRADING_DAY.date():
                raise AssertionError(f"the market-on-open order filled at {filled_at}")

    def on_end_of_algorithm(self) -> None:
        for ticket in (self.minute_ticket, self.on_close_ticket, self.on_open_ticket):
            if ticket is None or ticket.status != OrderStatus.FILLED:
                raise AssertionError("every order should have filled")
