# Our version of LEAN's ScheduledEventsOrderRegressionAlgorithm (minute SPY, 2013-10-07 to 10-11): three daily events
# (09:25, five minutes before SPY's close, 16:05) are each scheduled twice; events due at the same moment fire in the
# order they were scheduled and the clock never goes back. A week-start event for AAPL (not subscribed) fires once at
# 09:30. The algorithm buys SPY with all its cash.
from AlgorithmImports import *


class OrderedScheduledEvents(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.spy = self.add_equity("SPY").symbol
        self.fired = 0
        self.market_open_calls = 0
        self.last_time = datetime.min
        aapl = Symbol.create("AAPL", SecurityType.EQUITY, Market.USA)
        self.schedule.on(self.date_rules.week_start(aapl), self.time_rules.after_market_open(aapl), self.after_market_open)
        every_day = self.date_rules.every_day(self.spy)
        times = {"a": self.time_rules.at(9, 25), "b": self.time_rules.before_market_close(self.spy, 5),
                 "c": self.time_rules.at(16, 5)}
        self.next_copy = {name: 0 for name in times}
        for copy in range(2):
            for name, time_rule in times.items():
                self.schedule.on(every_day, time_rule, self.event_copy(name, copy))

    def event_copy(self, name: str, copy: int):
        def fire() -> None:
            if self.next_copy[name] != copy:
                raise AssertionError(f"{self.time}: copy {copy} of event {name} fired out of order")
            self.next_copy[name] = (copy + 1) % 2
            if self.last_time > self.time:
                raise AssertionError(f"the clock went back from {self.last_time} to {self.time}")
            self.last_time = self.time
            self.fired += 1
        return fire

    def after_market_open(self) -> None:
        self.market_open_calls += 1
        if self.time.time() != time(9, 30):
            raise AssertionError(f"after-market-open event at {self.time}")

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)

    def on_end_of_algorithm(self) -> None:
        if self.fired != 28 or self.market_open_calls != 1:
            raise AssertionError(f"{self.fired} scheduled events and {self.market_open_calls} market-open events")
