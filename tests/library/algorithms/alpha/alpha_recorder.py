# Base class of the Library/alpha test algorithms: records what the framework did so that the tests can check it
# against an independent computation on the same data.
from AlgorithmImports import *

import pandas as pd


class AlphaRecordingAlgorithm(QCAlgorithm):
    """Records every batch of emitted insights (``generated``), the time of every slice with bars
    (``bar_times``), the holdings at each of them (``holdings``) and, at the end, the daily closes of every security from
    ``history_days`` calendar days before the start (``daily_closes``, a Series per ticker)."""

    history_days = 420

    def start_recording(self) -> None:
        self.generated: list[tuple[datetime, list[Insight]]] = []
        self.bar_times: list[datetime] = []
        self.holdings: dict[datetime, dict[str, float]] = {}
        self.daily_closes: dict[str, pd.Series] = {}
        self.insights_generated += self.on_insights_generated

    def on_insights_generated(self, algorithm: QCAlgorithm, collection: GeneratedInsightsCollection) -> None:
        self.generated.append((self.time, list(collection.insights)))

    def on_data(self, data: Slice) -> None:
        if len(data.bars) == 0:
            return  # a slice with only corporate events (dividends, splits) at midnight
        self.bar_times.append(self.time)
        self.holdings[self.time] = {str(symbol.value): float(self.portfolio[symbol].quantity)
                                    for symbol in self.securities.keys()}

    def on_end_of_algorithm(self) -> None:
        symbols = list(self.securities.keys())
        frame = self.history(symbols, self.start_date - timedelta(days=self.history_days), self.time, Resolution.DAILY)
        for symbol in symbols:
            self.daily_closes[str(symbol.value)] = frame.loc[symbol]["close"]
