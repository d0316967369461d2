# Our version of LEAN's WarmupScheduledEventsRegressionAlgorithm (minute SPY without fill-forward, 2013-10-08): a
# warm-up of nine hour bars reaches back to 2013-10-04. Scheduled events every six hours and the end-of-day calls
# fire during the warm-up as well, at exactly the expected times, and never while warming up after the 7th.
from AlgorithmImports import *


class ScheduledEventsDuringWarmUp(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE, fill_forward=False)
        self.end_of_day_times = [datetime(2013, 10, day, 15, 50) for day in (4, 7, 8)]
        self.event_times = [datetime(2013, 10, 4, 18) + timedelta(hours=6 * i) for i in range(16)]
        self.schedule.on(self.date_rules.every_day(), self.time_rules.every(timedelta(hours=6)), self.every_six_hours)
        self.set_warm_up(9, Resolution.HOUR)

    def check(self, expected_times: list[datetime], what: str) -> None:
        self.debug(f"{what} at {self.time}. IsWarmingUp: {self.is_warming_up}")
        expected = expected_times.pop(0)
        if expected != self.time:
            raise AssertionError(f"{what} at {self.time}, expected {expected}")
        if expected.day > 7 and self.is_warming_up:
            raise AssertionError("the warm-up ends on the 7th")

    def every_six_hours(self) -> None:
        self.check(self.event_times, "scheduled event")

    def on_end_of_day(self, symbol: Symbol) -> None:
        self.check(self.end_of_day_times, "end of day")

    def on_end_of_algorithm(self) -> None:
        if self.event_times or self.end_of_day_times:
            raise AssertionError(f"never fired: {self.event_times} {self.end_of_day_times}")
