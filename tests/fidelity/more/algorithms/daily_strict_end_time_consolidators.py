# Our version of LEAN's DailyStrictEndTimeConsolidatorsRegressionAlgorithm (2013-10-07 to 10-11, minute SPY and daily
# AAPL without fill-forward): daily consolidators built from a Resolution follow the market's hours (09:30-16:00 bars)
# while a one-day timedelta consolidator of minute data spans midnight to midnight; AAPL's daily data passes through
# with market-hour bars either way. No trades.
from AlgorithmImports import *


class StrictDailyBars(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY", Resolution.MINUTE)
        self.add_equity("AAPL", Resolution.DAILY, fill_forward=False)
        self.resolution_bars = 0
        self.timedelta_bars = 0
        for ticker in ("AAPL", "SPY"):
            self.consolidate(ticker, Resolution.DAILY, self.on_resolution_bar)
        for ticker in ("AAPL", "SPY"):
            self.consolidate(ticker, timedelta(days=1), self.on_timedelta_bar)

    def on_resolution_bar(self, bar: TradeBar) -> None:
        self.debug(f"resolution bar at {self.time}: {bar}")
        self.resolution_bars += 1
        self.check_market_hours_bar(bar)

    def on_timedelta_bar(self, bar: TradeBar) -> None:
        self.debug(f"timedelta bar at {self.time}: {bar}")
        self.timedelta_bars += 1
        if bar.symbol.value == "AAPL":
            self.check_market_hours_bar(bar)
        elif bar.end_time.hour != 0 or bar.period != timedelta(days=1):
            raise AssertionError(f"{self.time}: a one-day bar should span midnight to midnight: {bar.end_time}")

    def check_market_hours_bar(self, bar: TradeBar) -> None:
        if self.settings.daily_precise_end_time:
            ok = bar.end_time.hour == 16 and bar.period == timedelta(hours=6.5)
        else:
            ok = bar.end_time.hour == 0 and bar.period == timedelta(days=1)
        if not ok:
            raise AssertionError(f"{self.time}: unexpected daily bar ending {bar.end_time} over {bar.period}")

    def on_end_of_algorithm(self) -> None:
        expected_resolution_bars = 9 + (1 if self.settings.daily_precise_end_time else 0)
        if self.timedelta_bars != 9 or self.resolution_bars != expected_resolution_bars:
            raise AssertionError(f"{self.timedelta_bars} timedelta bars, {self.resolution_bars} resolution bars")
