# Our version of LEAN's OnEndOfDayRegressionAlgorithm (minute data, 2013-10-07 to 10-11): a named universe of tickers
# holds SPY every day and IBM on the 8th only. The first end-of-day call for SPY buys it to half the portfolio and
# adds BAC, whose first end-of-day call buys BAC to the other half. End-of-day calls are counted per symbol.
from AlgorithmImports import *


class EndOfDayCounter(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.bac = Symbol.create("BAC", SecurityType.EQUITY, Market.USA)
        self.ibm = Symbol.create("IBM", SecurityType.EQUITY, Market.USA)
        self.calls = {self.spy: 0, self.bac: 0, self.ibm: 0}
        self.add_universe("my-universe-name", self.tickers_of_the_day)

    def tickers_of_the_day(self, time: datetime) -> list[str]:
        return ["SPY", "IBM"] if time.day == 8 else ["SPY"]

    def on_end_of_day(self, symbol: Symbol) -> None:
        if symbol not in self.calls:
            return
        if self.calls[symbol] == 0 and symbol == self.spy:
            self.set_holdings(self.spy, 0.5)
            self.add_equity("BAC")
        elif self.calls[symbol] == 0 and symbol == self.bac:
            self.set_holdings(self.bac, 0.5)
        self.calls[symbol] += 1
        self.log(f"on_end_of_day({symbol}) at {self.utc_time}: {self.calls}")

    def on_end_of_algorithm(self) -> None:
        expected = {self.spy: 5, self.bac: 4, self.ibm: 1}
        if self.calls != expected:
            raise AssertionError(f"end-of-day calls {self.calls}, expected {expected}")
