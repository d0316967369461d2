# Our version of LEAN's SetEquityDataNormalizationModeOnAddEquity (SPY, IBM, AIG minute on 2013-10-07): each equity is
# added with its own price normalization (raw, adjusted, total return). Every subscription of an equity must carry
# that mode, and the prices seen during the day must lie in the range that mode produces.
from AlgorithmImports import *


class NormalizationModePerEquity(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.price_ranges = {}
        for ticker, mode, low, high in (
            ("SPY", DataNormalizationMode.RAW, 167.28, 168.37),
            ("IBM", DataNormalizationMode.ADJUSTED, 135.864131052, 136.819606508),
            ("AIG", DataNormalizationMode.TOTAL_RETURN, 48.73, 49.10),
        ):
            equity = self.add_equity(ticker, Resolution.MINUTE, data_normalization_mode=mode)
            modes = {c.data_normalization_mode for c in self.subscription_manager.subscriptions if c.symbol == equity.symbol}
            if modes != {mode}:
                raise AssertionError(f"{equity.symbol} subscriptions use {modes}, expected {mode}")
            self.price_ranges[equity] = (low, high)

    def on_data(self, slice: Slice) -> None:
        for equity, (low, high) in self.price_ranges.items():
            if equity.has_data and not low <= equity.price <= high:
                raise AssertionError(f"{equity.symbol} price {equity.price} outside [{low}, {high}]")
