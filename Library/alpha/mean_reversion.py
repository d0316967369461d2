"""Bollinger-band / z-score mean reversion."""
from __future__ import annotations

from AlgorithmImports import *

import math
from datetime import datetime

import numpy as np

from alpha.price_window import PriceWindows
from alpha.stats_utils import two_sided_confidence, zscore


class ZScoreMeanReversionAlphaModel(AlphaModel):
    """Fades stretched prices: short above the upper band, long below the lower band, flat once back inside.

    Over short horizons many liquid securities (and especially ETFs) overshoot and revert towards a moving
    average. The z-score ``(close - SMA) / standard deviation`` over the last ``lookback`` closes (population
    standard deviation, so ``entry_z = 2`` is the classic Bollinger band) measures how stretched the price is.

    Per security, on every new bar:

    * flat -> down insight when ``z > entry_z``, up insight when ``z < -entry_z`` (down only if ``allow_short``);
    * short -> flat insight once ``z <= exit_z``; long -> flat insight once ``z >= -exit_z``;
    * a position beyond the opposite band flips at once;
    * a position held ``max_holding_bars`` bars ends with a flat insight (time stop: a trend, not noise).

    Entry insights last ``max_holding_bars`` bars, carry the distance to the mean as magnitude
    (``SMA / close - 1``), ``P(|Z| < |z|)`` as confidence (0.95 at z = 2) and ``1 / number of securities`` as
    weight. An exit or a flip cancels the open entry insight; exit insights are flat with weight and confidence 0,
    so that every portfolio construction model (the weight- and confidence-based ones ignore insights without
    them) closes the position.
    """

    def __init__(self, lookback: int = 20, entry_z: float = 2.0, exit_z: float = 0.5, max_holding_bars: int = 10,
                 allow_short: bool = True, resolution: Resolution = Resolution.DAILY) -> None:
        if lookback < 2 or max_holding_bars < 1:
            raise ValueError("lookback >= 2 and max_holding_bars >= 1 are required")
        if not 0 <= exit_z < entry_z:
            raise ValueError("need 0 <= exit_z < entry_z")
        self.lookback = lookback
        self.entry_z = entry_z
        self.exit_z = exit_z
        self.max_holding_bars = max_holding_bars
        self.allow_short = allow_short
        self.resolution = resolution
        self.windows = PriceWindows(lookback, resolution)
        self.position: dict[Symbol, InsightDirection] = {}
        self.bars_held: dict[Symbol, int] = {}
        self.last_z: dict[Symbol, float] = {}
        self._last_end_time: dict[Symbol, datetime] = {}
        self._open_insights: dict[Symbol, Insight] = {}
        self.name = f"ZScoreMeanReversionAlphaModel({lookback},{entry_z},{exit_z},{max_holding_bars})"

    def target_direction(self, current: InsightDirection, z: float, bars_held: int) -> InsightDirection:
        """The state machine: the position after observing ``z`` while in ``current`` for ``bars_held`` bars."""
        if z > self.entry_z and self.allow_short:
            return InsightDirection.DOWN
        if z < -self.entry_z:
            return InsightDirection.UP
        if current == InsightDirection.DOWN and z > self.exit_z and bars_held < self.max_holding_bars:
            return InsightDirection.DOWN
        if current == InsightDirection.UP and z < -self.exit_z and bars_held < self.max_holding_bars:
            return InsightDirection.UP
        return InsightDirection.FLAT

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        insights: list[Insight] = []
        for symbol, window in self.windows.items():
            end_time = window.end_time
            if not window.is_ready or end_time is None or self._last_end_time.get(symbol) == end_time:
                continue
            self._last_end_time[symbol] = end_time
            prices = window.prices
            z = zscore(prices)
            if math.isnan(z):  # constant prices
                continue
            self.last_z[symbol] = z
            current = self.position.get(symbol, InsightDirection.FLAT)
            held = self.bars_held.get(symbol, 0) + (0 if current == InsightDirection.FLAT else 1)
            if held >= self.max_holding_bars and current != InsightDirection.FLAT:
                # time stop: leave, and only re-enter on a later bar
                target = InsightDirection.FLAT
            else:
                target = self.target_direction(current, z, held)
            if target == current:
                self.bars_held[symbol] = held
                continue
            self.position[symbol] = target
            self.bars_held[symbol] = 0
            previous = self._open_insights.pop(symbol, None)
            if previous is not None:
                algorithm.insights.cancel([previous])
            if target == InsightDirection.FLAT:
                insights.append(Insight.price(symbol, self.resolution, 1, InsightDirection.FLAT, weight=0.0,
                                              confidence=0.0, tag=f"z {z:.3f}"))
                continue
            price = float(prices[-1])
            mean = float(np.mean(prices))
            insight = Insight.price(symbol, self.resolution, self.max_holding_bars, target,
                                    magnitude=mean / price - 1.0, confidence=two_sided_confidence(z),
                                    weight=1.0 / len(self.windows), tag=f"z {z:.3f}")
            self._open_insights[symbol] = insight
            insights.append(insight)
        return insights

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for symbol in removed:
            for state in (self.position, self.bars_held, self.last_z, self._last_end_time, self._open_insights):
                state.pop(symbol, None)
