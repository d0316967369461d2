"""Pairs trading on cointegration with a rolling hedge ratio."""
from __future__ import annotations

from AlgorithmImports import *

import itertools
import math
from datetime import datetime

import numpy as np

from alpha.price_window import PriceWindow, PriceWindows
from alpha.stats_utils import engle_granger, ols_hedge_ratio, two_sided_confidence


class PairState:
    """What the model knows and holds for one (y, x) pair."""

    def __init__(self, y: Symbol, x: Symbol) -> None:
        self.y = y
        self.x = x
        self.is_cointegrated = False
        self.statistic = math.nan
        self.critical_value = math.nan
        self.alpha = math.nan
        self.beta = math.nan
        self.zscore = math.nan
        self.bars_since_test: int | None = None
        self.position = 0          # +1 long the spread (long y, short x), -1 short it, 0 flat
        self.bars_held = 0
        self.armed = True          # False after a stop-loss until the spread is back inside the exit band
        self.last_end_time: datetime | None = None
        self.open_insights: list[Insight] = []

    @property
    def key(self) -> tuple[Symbol, Symbol]:
        return self.y, self.x


class CointegratedPairsAlphaModel(AlphaModel):
    """Trades the spread of cointegrated pairs back to its mean, with opposite grouped insights on the two legs.

    Two prices are cointegrated when some combination ``y - beta * x`` is stationary even though each price
    wanders: the spread then reverts, which is a bet that does not depend on the market's direction. Per pair the
    model works on the last ``lookback`` aligned closes (log prices when ``use_log_prices``, so ``beta`` is a
    ratio of returns):

    * every bar it refits ``y = alpha + beta * x`` by OLS (the rolling hedge ratio) and takes the z-score of the
      latest residual against the residuals' standard deviation;
    * every ``retest_bars`` bars it runs the Engle-Granger test (ADF on the residuals with ``adf_lags`` lags,
      MacKinnon's critical value at ``significance``); only pairs that pass, with a positive ``beta``, are entered;
    * flat -> long the spread (up ``y``, down ``x``) when ``z < -entry_z``, short it (down ``y``, up ``x``) when
      ``z > entry_z``;
    * in a position -> flat when ``|z| < exit_z`` (converged), ``|z| > stop_z`` (diverged; no new entry until
      ``|z|`` is back below ``exit_z``), the test fails, after ``max_holding_bars`` bars, or when ``z`` jumps
      beyond the opposite entry band (re-entry on the next bar);
    * when a leg leaves the universe the pair is dropped and both legs' insights are cancelled.

    The two legs' insights are grouped with ``Insight.group``: a group of up/down on entry, a group of two flats on
    exit. Entry insights last ``max_holding_bars`` bars; their weights split one unit of capital so that the legs
    are hedged (``1 / (1 + h)`` and ``h / (1 + h)``, ``h`` the dollar hedge ratio), and their confidence is
    ``P(|Z| < |z|)``. An exit cancels the entry insights and emits flat insights with weight and confidence 0, so
    that every portfolio construction model closes both legs (the weight- and confidence-based ones ignore
    insights without them).

    ``pairs`` lists the (y, x) pairs to trade, as symbols or tickers; when it is None every pair of securities in
    the universe is tested (y is the one whose ticker sorts first).
    """

    def __init__(self, pairs: list[tuple[Symbol | str, Symbol | str]] | None = None, lookback: int = 252,
                 entry_z: float = 2.0, exit_z: float = 0.5, stop_z: float | None = 4.0, significance: float = 0.05,
                 adf_lags: int = 1, retest_bars: int = 21, max_holding_bars: int = 63, use_log_prices: bool = True,
                 resolution: Resolution = Resolution.DAILY) -> None:
        if lookback < 20:
            raise ValueError("lookback must be at least 20 bars for a meaningful cointegration test")
        if not 0 <= exit_z < entry_z or (stop_z is not None and stop_z <= entry_z):
            raise ValueError("need 0 <= exit_z < entry_z < stop_z")
        if retest_bars < 1 or max_holding_bars < 1 or adf_lags < 0:
            raise ValueError("retest_bars and max_holding_bars must be >= 1, adf_lags >= 0")
        self.requested_pairs = [(self._key(y), self._key(x)) for y, x in pairs] if pairs is not None else None
        self.lookback = lookback
        self.entry_z = entry_z
        self.exit_z = exit_z
        self.stop_z = stop_z
        self.significance = significance
        self.adf_lags = adf_lags
        self.retest_bars = retest_bars
        self.max_holding_bars = max_holding_bars
        self.use_log_prices = use_log_prices
        self.resolution = resolution
        self.windows = PriceWindows(lookback, resolution)
        self.pairs: dict[tuple[Symbol, Symbol], PairState] = {}
        self.name = f"CointegratedPairsAlphaModel({lookback},{entry_z},{exit_z},{significance})"

    @staticmethod
    def _key(value: Symbol | str) -> str:
        return (value if isinstance(value, str) else value.value).upper()

    # --- universe ----------------------------------------------------------------------------------------------
    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for key in [k for k in self.pairs if k[0] in removed or k[1] in removed]:
            pair = self.pairs.pop(key)
            if pair.open_insights:
                # do not leave the remaining leg unhedged: end both legs' insights
                algorithm.insights.cancel(pair.open_insights)
        symbols = sorted(self.windows, key=lambda s: str(s.value).upper())
        if self.requested_pairs is None:
            candidates = list(itertools.combinations(symbols, 2))
        else:
            by_ticker = {str(s.value).upper(): s for s in symbols}
            candidates = [(by_ticker[y], by_ticker[x]) for y, x in self.requested_pairs
                          if y in by_ticker and x in by_ticker]
        for y, x in candidates:
            if (y, x) not in self.pairs:
                self.pairs[(y, x)] = PairState(y, x)

    # --- signal ------------------------------------------------------------------------------------------------
    def aligned_prices(self, y: PriceWindow, x: PriceWindow) -> tuple[np.ndarray, np.ndarray]:
        """The closes of both windows at their common bar end times, oldest first."""
        x_by_time = dict(zip(x.times, x.closes))
        pairs = [(close, x_by_time[t]) for t, close in zip(y.times, y.closes) if t in x_by_time]
        array = np.array(pairs, dtype=float).reshape(-1, 2)
        if self.use_log_prices:
            array = np.log(array)
        return array[:, 0], array[:, 1]

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        insights: list[Insight] = []
        for pair in self.pairs.values():
            insights.extend(self._update_pair(algorithm, pair))
        return insights

    def _update_pair(self, algorithm: QCAlgorithm, pair: PairState) -> list[Insight]:
        y_window, x_window = self.windows.get(pair.y), self.windows.get(pair.x)
        if y_window is None or x_window is None or not (y_window.is_ready and x_window.is_ready):
            return []
        end_time = y_window.end_time
        if end_time is None or end_time != x_window.end_time or end_time == pair.last_end_time:
            return []  # wait until both legs have the same new bar
        pair.last_end_time = end_time
        y, x = self.aligned_prices(y_window, x_window)
        if len(y) < 20:
            return []
        if pair.bars_since_test is None or pair.bars_since_test + 1 >= self.retest_bars:
            result = engle_granger(y, x, self.adf_lags, self.significance)
            pair.is_cointegrated = result.is_cointegrated
            pair.statistic = result.statistic
            pair.critical_value = result.critical_value
            pair.bars_since_test = 0
        else:
            pair.bars_since_test += 1
        fit = ols_hedge_ratio(y, x)
        pair.alpha, pair.beta = fit.alpha, fit.beta
        std = float(np.std(fit.residuals))
        if std == 0:
            return []
        z = float(fit.residuals[-1] / std)
        pair.zscore = z
        tradable = pair.is_cointegrated and pair.beta > 0
        if not pair.armed and abs(z) < self.exit_z:
            pair.armed = True

        if pair.position != 0:
            pair.bars_held += 1
            reason = ""
            if abs(z) < self.exit_z:
                reason = "converged"
            elif self.stop_z is not None and abs(z) > self.stop_z:
                reason = "stop"
                pair.armed = False
            elif not tradable:
                reason = "no longer cointegrated"
            elif pair.bars_held >= self.max_holding_bars:
                reason = "time stop"
            elif (pair.position > 0 and z > self.entry_z) or (pair.position < 0 and z < -self.entry_z):
                reason = "crossed to the other side"
            if not reason:
                return []
            pair.position = 0
            pair.bars_held = 0
            if pair.open_insights:
                algorithm.insights.cancel(pair.open_insights)
                pair.open_insights = []
            tag = f"exit ({reason}) z {z:.3f}"
            return list(Insight.group(
                Insight.price(pair.y, self.resolution, 1, InsightDirection.FLAT, weight=0.0, confidence=0.0, tag=tag),
                Insight.price(pair.x, self.resolution, 1, InsightDirection.FLAT, weight=0.0, confidence=0.0, tag=tag)))

        if not tradable or not pair.armed or abs(z) <= self.entry_z:
            return []
        if self.stop_z is not None and abs(z) > self.stop_z:
            return []
        pair.position = 1 if z < 0 else -1
        pair.bars_held = 0
        y_direction = InsightDirection.UP if pair.position > 0 else InsightDirection.DOWN
        x_direction = InsightDirection.DOWN if pair.position > 0 else InsightDirection.UP
        # dollars of x per dollar of y that hedge the position
        hedge = pair.beta if self.use_log_prices else pair.beta * x_window.closes[-1] / y_window.closes[-1]
        y_weight, x_weight = 1.0 / (1.0 + hedge), hedge / (1.0 + hedge)
        confidence = two_sided_confidence(z)
        tag = f"entry z {z:.3f} beta {pair.beta:.4f} adf {pair.statistic:.3f}"
        pair.open_insights = list(Insight.group(
            Insight.price(pair.y, self.resolution, self.max_holding_bars, y_direction,
                          confidence=confidence, weight=y_weight, tag=tag),
            Insight.price(pair.x, self.resolution, self.max_holding_bars, x_direction,
                          confidence=confidence, weight=x_weight, tag=tag)))
        return list(pair.open_insights)
