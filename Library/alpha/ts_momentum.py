"""Time-series momentum with volatility scaling."""
from __future__ import annotations

from AlgorithmImports import *

import math
from datetime import datetime

from alpha.price_window import PriceWindows
from alpha.stats_utils import period_return, realized_volatility, volatility_scale


class TimeSeriesMomentumAlphaModel(AlphaModel):
    """Bets that each security keeps going the way it went over the lookback, sized to a volatility target.

    Time-series momentum (Moskowitz, Ooi and Pedersen, 2012): the sign of a security's own past return
    (``lookback`` bars, a year by default) predicts the sign of its next month's return, across asset classes.
    Positions are scaled by ``target_volatility / realised volatility`` so that every security contributes a
    similar risk and the signal is not dominated by the most volatile one.

    Every ``rebalance_bars`` bars (and at once when the sign flips) the model emits, per security, a price insight
    lasting ``rebalance_bars`` bars:

    * direction: up when the lookback return is above ``min_abs_return``, down when below ``-min_abs_return``
      (flat when ``allow_short`` is False), flat in between;
    * weight: ``min(max_weight, target_volatility / realised_volatility)``, the volatility-scaled position size,
      for weight-aware portfolio construction (e.g. ``InsightWeightingPortfolioConstructionModel``);
    * confidence: the same scale capped at 1;
    * magnitude: the lookback return rescaled to the insight's horizon (``(1 + r) ** (rebalance_bars /
      lookback) - 1``), i.e. the move expected if the trend persists at its past pace.

    When the signal turns flat a flat insight with weight and confidence 0 closes the position (the weight- and
    confidence-based portfolio construction models ignore insights without them).

    Realised volatility is the annualised standard deviation of the last ``volatility_lookback`` log returns.
    Prices come from daily bars (``resolution``) consolidated from the subscription and warmed up from history.
    """

    def __init__(self, lookback: int = 252, volatility_lookback: int = 63, target_volatility: float = 0.10,
                 max_weight: float = 1.0, rebalance_bars: int = 21, min_abs_return: float = 0.0,
                 allow_short: bool = True, resolution: Resolution = Resolution.DAILY,
                 annualization_factor: int = 252) -> None:
        if lookback < 1 or volatility_lookback < 2 or rebalance_bars < 1:
            raise ValueError("lookback >= 1, volatility_lookback >= 2 and rebalance_bars >= 1 are required")
        if target_volatility <= 0 or max_weight <= 0 or min_abs_return < 0:
            raise ValueError("target_volatility and max_weight must be positive, min_abs_return non-negative")
        self.lookback = lookback
        self.volatility_lookback = volatility_lookback
        self.target_volatility = target_volatility
        self.max_weight = max_weight
        self.rebalance_bars = rebalance_bars
        self.min_abs_return = min_abs_return
        self.allow_short = allow_short
        self.resolution = resolution
        self.annualization_factor = annualization_factor
        self.windows = PriceWindows(max(lookback, volatility_lookback) + 1, resolution)
        self._last_end_time: dict[Symbol, datetime] = {}
        self._last_direction: dict[Symbol, InsightDirection] = {}
        self._bars_since_emit: dict[Symbol, int] = {}
        self.name = f"TimeSeriesMomentumAlphaModel({lookback},{volatility_lookback},{target_volatility})"

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        insights: list[Insight] = []
        for symbol, window in self.windows.items():
            end_time = window.end_time
            if not window.is_ready or end_time is None or self._last_end_time.get(symbol) == end_time:
                continue
            self._last_end_time[symbol] = end_time
            bars = self._bars_since_emit.get(symbol, self.rebalance_bars - 1) + 1
            prices = window.prices
            lookback_return = period_return(prices, self.lookback)
            volatility = realized_volatility(prices[-(self.volatility_lookback + 1):], self.annualization_factor)
            direction = self.direction_for(lookback_return)
            previous = self._last_direction.get(symbol)
            if bars < self.rebalance_bars and direction == previous:
                self._bars_since_emit[symbol] = bars
                continue
            self._bars_since_emit[symbol] = 0
            self._last_direction[symbol] = direction
            if direction == InsightDirection.FLAT:
                if previous is not None and previous != InsightDirection.FLAT:
                    insights.append(Insight.price(symbol, self.resolution, self.rebalance_bars, InsightDirection.FLAT,
                                                  weight=0.0, confidence=0.0))
                continue
            scale = volatility_scale(volatility, self.target_volatility, self.max_weight)
            horizon_return = math.exp(math.log1p(lookback_return) * self.rebalance_bars / self.lookback) - 1.0
            insights.append(Insight.price(
                symbol, self.resolution, self.rebalance_bars, direction,
                magnitude=horizon_return, confidence=min(1.0, scale), weight=scale,
                tag=f"return {lookback_return:.4f}, volatility {volatility:.4f}"))
        return insights

    def direction_for(self, lookback_return: float) -> InsightDirection:
        """Direction of the insight for a lookback return."""
        if lookback_return > self.min_abs_return:
            return InsightDirection.UP
        if lookback_return < -self.min_abs_return and self.allow_short:
            return InsightDirection.DOWN
        return InsightDirection.FLAT

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for symbol in removed:
            self._last_end_time.pop(symbol, None)
            self._last_direction.pop(symbol, None)
            self._bars_since_emit.pop(symbol, None)
