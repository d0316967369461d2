# Our version of LEAN's CoarseFundamentalTop3Algorithm: each day hold the three most traded US equities (by dollar
# volume in the coarse file), a third of the portfolio each; trade on the next data after the universe changes.
from AlgorithmImports import *


class TopDollarVolume(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 3, 24)
        self.set_end_date(2014, 4, 7)
        self.set_cash(50000)
        self.universe_settings.resolution = Resolution.DAILY
        self.add_universe(self.most_traded)
        self.count = 3
        self.pending = None

    def most_traded(self, rows: list[Fundamental]) -> list[Symbol]:
        ranked = sorted(rows, key=lambda row: row.dollar_volume, reverse=True)
        return [row.symbol for row in ranked[: self.count]]

    def on_securities_changed(self, changes: SecurityChanges) -> None:
        self.pending = changes

    def on_data(self, data: Slice) -> None:
        if self.pending is None:
            return
        for security in self.pending.removed_securities:
            if security.invested:
                self.liquidate(security.symbol)
        for security in self.pending.added_securities:
            self.set_holdings(security.symbol, 1 / self.count)
        self.pending = None
