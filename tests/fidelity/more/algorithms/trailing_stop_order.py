# Our version of LEAN's TrailingStopOrderRegressionAlgorithm (minute SPY, one week of October 2013): a 100-share buy
# trailing stop $2 above the market, and once it has filled a 100-share sell trailing stop $0.50 below it. While an
# order waits, its stop must never drift further than the trailing amount from the previous bar, and each fill
# must be on the right side of the stop.
from AlgorithmImports import *

BUY_TRAIL = 2
SELL_TRAIL = 0.5


class TrailingStopInAndOut(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY").symbol
        self.buy_ticket: OrderTicket | None = None
        self.sell_ticket: OrderTicket | None = None
        self.previous: Slice | None = None

    def on_data(self, data: Slice) -> None:
        if not data.contains_key(self.spy):
            return
        if self.buy_ticket is None:
            self.buy_ticket = self.trailing_stop_order(self.spy, 100, trailing_amount=BUY_TRAIL, trailing_as_percentage=False)
        elif self.buy_ticket.status != OrderStatus.FILLED:
            low = self.previous_side(ask=True).low
            if self.buy_ticket.get(OrderField.STOP_PRICE) - low > BUY_TRAIL:
                raise AssertionError("the buy stop trails the previous low by more than its amount")

        if self.sell_ticket is None:
            if self.portfolio.invested:
                self.sell_ticket = self.trailing_stop_order(self.spy, -100, trailing_amount=SELL_TRAIL, trailing_as_percentage=False)
        elif self.sell_ticket.status != OrderStatus.FILLED:
            high = self.previous_side(ask=False).high
            if high - self.sell_ticket.get(OrderField.STOP_PRICE) > SELL_TRAIL:
                raise AssertionError("the sell stop trails the previous high by more than its amount")
        self.previous = data

    def previous_side(self, ask: bool) -> Bar | TradeBar:
        """The previous slice's ask (buy) or bid (sell) bar, or its trade bar when it had no quote."""
        quote = self.previous.quote_bars.get(self.spy)
        if quote is not None:
            return quote.ask if ask else quote.bid
        return self.previous.bars[self.spy]

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        if order_event.direction == OrderDirection.BUY:
            if order_event.fill_price < self.buy_ticket.get(OrderField.STOP_PRICE):
                raise AssertionError("the buy trailing stop filled below its stop")
        elif order_event.fill_price > self.sell_ticket.get(OrderField.STOP_PRICE):
            raise AssertionError("the sell trailing stop filled above its stop")
