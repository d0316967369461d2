# Trend basket: hold, in equal weights, every stock of the basket whose 50-day average price is above
# its 200-day average; rebalance once a day at the close of the daily bar. A classic slow trend filter,
# used as the project's example strategy.
from collections import deque
from datetime import datetime

from AlgorithmImports import *


class TrendBasket(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2016-01-04"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2024-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        self.fast_period = self.get_parameter("fast", 50)
        self.slow_period = self.get_parameter("slow", 200)
        tickers = self.get_parameter("tickers", "SPY,SYNCHP,SYNSFT,SYNBNK,SYNINS,SYNOIL,SYNPWR,SYNSUN")
        self.closes: dict[Symbol, deque] = {}
        for ticker in tickers.split(","):
            symbol = self.add_equity(ticker.strip(), Resolution.DAILY).symbol
            self.closes[symbol] = deque(maxlen=self.slow_period)

    def on_data(self, data: Slice) -> None:
        for symbol, window in self.closes.items():
            bar = data.bars.get(symbol)
            if bar is not None:
                window.append(bar.close)
        uptrend = [symbol for symbol, window in self.closes.items() if self.in_uptrend(window)]
        weight = 1.0 / len(uptrend) if uptrend else 0.0
        targets = [PortfolioTarget(symbol, weight if symbol in uptrend else 0.0) for symbol in self.closes]
        self.set_holdings(targets)

    def in_uptrend(self, window: deque) -> bool:
        if len(window) < self.slow_period:
            return False
        fast = sum(list(window)[-self.fast_period:]) / self.fast_period
        slow = sum(window) / self.slow_period
        return fast > slow
