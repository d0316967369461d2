"""Short-term (1-5 day) cross-sectional reversal."""
from __future__ import annotations

from AlgorithmImports import *

from datetime import datetime

from alpha.price_window import PriceWindows
from alpha.stats_utils import period_return


class ShortTermReversalAlphaModel(AlphaModel):
    """Buys the recent losers and (optionally) sells the recent winners of the universe.

    Over days to a week, relative returns reverse (Lehmann 1990, Lo and MacKinlay 1990): the securities that fell
    most against their peers tend to bounce as liquidity providers are paid for absorbing the selling pressure, and
    the biggest winners give some of it back. The effect is strongest just after the move, so the holding period is
    short.

    Every ``holding_bars`` bars the securities with a full window are ranked by their ``lookback``-bar return: the
    ``num_long`` worst whose return is below ``-min_abs_return`` get up insights, and when ``num_short > 0`` the
    ``num_short`` best whose return is above ``min_abs_return`` get down insights. Insights last ``holding_bars``
    bars, so they expire when the next ranking is made; securities that are not selected again get a flat insight.
    Magnitude is the opposite of the security's excess return over the cross-sectional mean (a full reversal of
    the relative move), confidence the share of the ranked securities it trails (longs) or beats (shorts), weight
    ``1 / number of selected securities``; flat insights have weight and confidence 0, so that every portfolio
    construction model closes the position. ``last_ranking`` keeps the latest ranking.
    """

    def __init__(self, lookback: int = 5, holding_bars: int = 5, num_long: int = 2, num_short: int = 0,
                 min_abs_return: float = 0.0, resolution: Resolution = Resolution.DAILY) -> None:
        if lookback < 1 or holding_bars < 1:
            raise ValueError("lookback and holding_bars must be >= 1")
        if num_long < 0 or num_short < 0 or num_long + num_short == 0:
            raise ValueError("num_long and num_short must be non-negative and not both zero")
        if min_abs_return < 0:
            raise ValueError("min_abs_return must be non-negative")
        self.lookback = lookback
        self.holding_bars = holding_bars
        self.num_long = num_long
        self.num_short = num_short
        self.min_abs_return = min_abs_return
        self.resolution = resolution
        self.windows = PriceWindows(lookback + 1, resolution)
        self.selected: dict[Symbol, InsightDirection] = {}
        self.last_ranking: list[tuple[Symbol, float]] = []
        self._last_end_time: datetime | None = None
        self._bars_since_rebalance: int | None = None
        self.name = f"ShortTermReversalAlphaModel({lookback},{holding_bars},{num_long},{num_short})"

    def rank(self) -> list[tuple[Symbol, float]]:
        """(symbol, lookback return) of every security with a full window, worst first (ties by ticker)."""
        scores = [(symbol, period_return(window.prices, self.lookback))
                  for symbol, window in self.windows.ready().items()]
        return sorted(scores, key=lambda item: (item[1], str(item[0])))

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        end_time = self.windows.latest_end_time()
        if end_time is None or end_time == self._last_end_time:
            return []
        self._last_end_time = end_time
        if self._bars_since_rebalance is not None:
            self._bars_since_rebalance += 1
            if self._bars_since_rebalance < self.holding_bars:
                return []
        ranking = [item for item in self.rank() if self.windows[item[0]].end_time == end_time]
        if len(ranking) < 2:
            return []
        self._bars_since_rebalance = 0
        self.last_ranking = ranking
        last = len(ranking) - 1
        chosen: dict[Symbol, tuple[InsightDirection, float, float]] = {}
        for index, (symbol, score) in enumerate(ranking[:self.num_long]):
            if score < -self.min_abs_return:
                chosen[symbol] = (InsightDirection.UP, score, 1.0 - index / last)
        if self.num_short > 0:
            for index, (symbol, score) in enumerate(ranking[::-1][:self.num_short]):
                if score > self.min_abs_return and symbol not in chosen:
                    chosen[symbol] = (InsightDirection.DOWN, score, 1.0 - index / last)
        insights: list[Insight] = []
        mean_score = sum(score for _, score in ranking) / len(ranking)
        for symbol, (direction, score, confidence) in chosen.items():
            insights.append(Insight.price(symbol, self.resolution, self.holding_bars, direction,
                                          magnitude=mean_score - score, confidence=confidence,
                                          weight=1.0 / len(chosen), tag=f"{self.lookback}-bar return {score:.4f}"))
        selection = {symbol: direction for symbol, (direction, _, _) in chosen.items()}
        for symbol in self.selected:
            if symbol not in selection and symbol in self.windows:
                insights.append(Insight.price(symbol, self.resolution, self.holding_bars, InsightDirection.FLAT,
                                              weight=0.0, confidence=0.0))
        self.selected = selection
        return insights

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for symbol in removed:
            self.selected.pop(symbol, None)
