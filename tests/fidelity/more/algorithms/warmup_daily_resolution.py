# Our version of LEAN's WarmupDailyResolutionRegressionAlgorithm (hourly SPY, 2013-10-10 to 10-11): a three-day
# warm-up at daily resolution feeds a 2-period SMA. Every slice must update the SMA; warm-up bars are daily trade bars
# (6.5 hours, ending at 16:00, never fill-forwarded, no quote bars) and the bars after warm-up are hourly.
from AlgorithmImports import *


class DailyWarmUpOfHourlyData(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 10)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY", Resolution.HOUR)
        self.set_warm_up(timedelta(days=3), Resolution.DAILY)
        self.sma = self.sma("SPY", 2)
        self.samples = 0
        self.warm_up_trade_bars = False
        self.warm_up_quote_bars = False

    def on_data(self, slice: Slice) -> None:
        if self.sma.samples <= self.samples:
            raise AssertionError("the indicator was not updated")
        self.samples = self.sma.samples
        trade = slice.bars.get("SPY")
        quote = slice.quote_bars.get("SPY")
        in_warm_up_period = self.time <= self.start_date
        for bar in (trade, quote):
            if bar is None:
                continue
            if in_warm_up_period:
                if bar.is_fill_forward:
                    raise AssertionError("a warm-up bar was fill-forwarded")
                if bar.end_time.hour != 16 or bar.period != timedelta(hours=6.5):
                    raise AssertionError(f"unexpected warm-up bar {bar.end_time} {bar.period}")
            elif bar.end_time.minute != 0 or bar.period != timedelta(hours=1):
                raise AssertionError(f"unexpected hourly bar {bar.end_time} {bar.period}")
        self.warm_up_trade_bars |= trade is not None and self.is_warming_up
        self.warm_up_quote_bars |= quote is not None and self.is_warming_up

    def on_end_of_algorithm(self) -> None:
        if not self.warm_up_trade_bars:
            raise AssertionError("no trade bar during warm-up")
        if self.warm_up_quote_bars:
            raise AssertionError("daily warm-up has no quote bars")
