"""Trend following switched off in turbulent volatility regimes."""
from __future__ import annotations

from AlgorithmImports import *

from datetime import datetime

import numpy as np

from alpha.price_window import PriceWindows
from alpha.stats_utils import realized_volatility


class RegimeFilteredTrendAlphaModel(AlphaModel):
    """Moving-average trend signal, traded only while short-term volatility is below its long-run level.

    Trend signals work best in calm markets; in volatility spikes (2008, 2020) prices whipsaw, moving-average
    crosses lag, and drawdowns cluster. The model therefore compares the annualised realised volatility of the
    last ``volatility_period`` log returns with that of the last ``long_run_volatility_period`` returns (the
    security's long-run level):

    * calm (``short vol <= volatility_threshold * long-run vol``): up insight when the ``fast_period`` simple
      moving average is above the ``slow_period`` one; down when below (flat if not ``allow_short``);
    * turbulent: flat insight, whatever the trend.

    A new insight is emitted when the state (calm/turbulent and direction) changes, and re-emitted every
    ``insight_bars`` bars while it persists; insights last ``insight_bars`` bars. Up/down insights have weight
    ``1 / number of securities`` (an equal share under ``InsightWeightingPortfolioConstructionModel``), flat ones
    weight and confidence 0, so that every portfolio construction model closes the position. The tag records
    both volatilities. ``regime`` holds the latest (is_calm, short vol, long-run vol) per security.
    """

    def __init__(self, fast_period: int = 50, slow_period: int = 200, volatility_period: int = 21,
                 long_run_volatility_period: int = 252, volatility_threshold: float = 1.0, allow_short: bool = False,
                 insight_bars: int = 21, resolution: Resolution = Resolution.DAILY,
                 annualization_factor: int = 252) -> None:
        if not 1 <= fast_period < slow_period:
            raise ValueError("need 1 <= fast_period < slow_period")
        if not 2 <= volatility_period < long_run_volatility_period:
            raise ValueError("need 2 <= volatility_period < long_run_volatility_period")
        if volatility_threshold <= 0 or insight_bars < 1:
            raise ValueError("volatility_threshold must be positive and insight_bars >= 1")
        self.fast_period = fast_period
        self.slow_period = slow_period
        self.volatility_period = volatility_period
        self.long_run_volatility_period = long_run_volatility_period
        self.volatility_threshold = volatility_threshold
        self.allow_short = allow_short
        self.insight_bars = insight_bars
        self.resolution = resolution
        self.annualization_factor = annualization_factor
        self.windows = PriceWindows(max(slow_period, long_run_volatility_period + 1), resolution)
        self.regime: dict[Symbol, tuple[bool, float, float]] = {}
        self._state: dict[Symbol, tuple[bool, InsightDirection]] = {}
        self._bars_since_emit: dict[Symbol, int] = {}
        self._last_end_time: dict[Symbol, datetime] = {}
        self.name = (f"RegimeFilteredTrendAlphaModel({fast_period},{slow_period},{volatility_period},"
                     f"{long_run_volatility_period},{volatility_threshold})")

    def evaluate(self, prices: np.ndarray) -> tuple[bool, InsightDirection, float, float]:
        """(is_calm, direction, short-term vol, long-run vol) for a full price window, oldest first."""
        short_vol = realized_volatility(prices[-(self.volatility_period + 1):], self.annualization_factor)
        long_vol = realized_volatility(prices[-(self.long_run_volatility_period + 1):], self.annualization_factor)
        calm = short_vol <= self.volatility_threshold * long_vol
        fast = float(np.mean(prices[-self.fast_period:]))
        slow = float(np.mean(prices[-self.slow_period:]))
        direction = InsightDirection.FLAT
        if calm:
            if fast > slow:
                direction = InsightDirection.UP
            elif fast < slow and self.allow_short:
                direction = InsightDirection.DOWN
        return calm, direction, short_vol, long_vol

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        insights: list[Insight] = []
        for symbol, window in self.windows.items():
            end_time = window.end_time
            if not window.is_ready or end_time is None or self._last_end_time.get(symbol) == end_time:
                continue
            self._last_end_time[symbol] = end_time
            calm, direction, short_vol, long_vol = self.evaluate(window.prices)
            self.regime[symbol] = (calm, short_vol, long_vol)
            state = (calm, direction)
            bars = self._bars_since_emit.get(symbol, self.insight_bars - 1) + 1
            previous = self._state.get(symbol)
            if state == previous and bars < self.insight_bars:
                self._bars_since_emit[symbol] = bars
                continue
            self._state[symbol] = state
            self._bars_since_emit[symbol] = 0
            regime = "calm" if calm else "turbulent"
            weight = 0.0 if direction == InsightDirection.FLAT else 1.0 / len(self.windows)
            confidence = 0.0 if direction == InsightDirection.FLAT else None
            insights.append(Insight.price(symbol, self.resolution, self.insight_bars, direction, weight=weight,
                                          confidence=confidence,
                                          tag=f"{regime}: volatility {short_vol:.4f}, long-run {long_vol:.4f}"))
        return insights

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for symbol in removed:
            for state in (self.regime, self._state, self._bars_since_emit, self._last_end_time):
                state.pop(symbol, None)
