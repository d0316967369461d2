# SMA cross for lean_local (LEAN's Python API). benchmarks/sma_cross.py passes every setting as a run
# parameter, so both engines run exactly the same configuration; the decision rule lives in sma_logic.py and is
# shared verbatim with the backtrader strategy.
from AlgorithmImports import *

from sma_logic import SmaCross


class SmaCrossBenchmark(QCAlgorithm):
    def initialize(self) -> None:
        start = [int(x) for x in self.get_parameter("start").split("-")]
        end = [int(x) for x in self.get_parameter("end").split("-")]
        self.set_start_date(*start)
        self.set_end_date(*end)
        self.set_cash(float(self.get_parameter("cash")))
        if self.get_parameter("benchmark", "default") == "constant":
            self.set_benchmark(lambda time: 0.0)  # no internal SPY hour feed
        daily = self.get_parameter("resolution") == "daily"
        resolution = Resolution.DAILY if daily else Resolution.MINUTE
        fast, slow = int(self.get_parameter("fast")), int(self.get_parameter("slow"))
        quantity = int(self.get_parameter("quantity"))
        # intraday: no new orders on a session's closing bar (LEAN would turn them into next-day
        # market-on-open orders, backtrader with cheat-on-close would fill them at that close)
        self.no_trade_on_close = not daily
        self.rules = {}
        self.names = {}  # symbol -> the ticker it was added as (Symbol.value follows renames, e.g. WMI -> WM)
        for ticker in self.get_parameter("tickers").split(","):
            symbol = self.add_equity(ticker, resolution).symbol
            self.rules[symbol] = SmaCross(fast, slow, quantity)
            self.names[symbol] = ticker
        self.real_bars = 0
        self.recorded = [] if self.get_parameter("record_bars", "0") == "1" else None

    def on_data(self, data: Slice) -> None:
        time = self.time
        can_trade = not (self.no_trade_on_close and time.hour == 16 and time.minute == 0)
        for symbol, bar in data.bars.items():
            if bar.is_fill_forward:
                continue  # backtrader has no fill-forward: both engines feed the rule real bars only
            self.real_bars += 1
            if self.recorded is not None:
                self.recorded.append((self.names[symbol], bar.end_time, bar.open, bar.high, bar.low, bar.close))
            signal = self.rules[symbol].update(bar.close, can_trade)
            if signal:
                self.market_order(symbol, signal)
