# Our version of LEAN's MarginRemainingRegressionAlgorithm (SPY and AAPL daily at leverage 1, 2007 to 2010): 70% of
# the portfolio goes into SPY at once and 30% into AAPL on the first bar of 2009. With cash accounts the remaining
# margin must stay positive on every bar; it is plotted with the cash at noon every day.
from AlgorithmImports import *


class UnleveragedMarginRemaining(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2007, 1, 1)
        self.set_end_date(2010, 1, 1)
        self.spy = self.add_equity("SPY", Resolution.DAILY, leverage=1).symbol
        self.aapl = self.add_equity("AAPL", Resolution.DAILY, leverage=1)
        self.schedule.on(self.date_rules.every_day(), self.time_rules.noon, self.plot_margin)

    def plot_margin(self) -> None:
        self.plot("Info", "Portfolio.MarginRemaining", self.portfolio.margin_remaining)
        self.plot("Info", "Portfolio.Cash", self.portfolio.cash)

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 0.7)
            self.debug("bought SPY")
        if self.portfolio.margin_remaining <= 0:
            raise AssertionError(f"margin remaining {self.portfolio.margin_remaining} is not positive")
        if self.time.year == 2009 and not self.aapl.invested:
            self.set_holdings(self.aapl.symbol, 0.3)
            self.debug("bought AAPL")
