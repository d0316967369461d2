"""Cross-sectional momentum (relative strength rotation)."""
from __future__ import annotations

from AlgorithmImports import *

from datetime import datetime, timedelta

from alpha.price_window import PriceWindows
from alpha.stats_utils import period_return

REBALANCE_FREQUENCIES = ("daily", "weekly", "monthly")


def next_rebalance_time(now: datetime, frequency: str) -> datetime:
    """Start of the period after the one containing ``now``: the next midnight, the next Monday midnight or the
    first day of the next month."""
    today = datetime(now.year, now.month, now.day)
    if frequency == "daily":
        return today + timedelta(days=1)
    if frequency == "weekly":
        return today + timedelta(days=7 - today.weekday())
    if frequency == "monthly":
        return datetime(now.year + 1, 1, 1) if now.month == 12 else datetime(now.year, now.month + 1, 1)
    raise ValueError(f"rebalance must be one of {REBALANCE_FREQUENCIES}, got {frequency!r}")


class CrossSectionalMomentumAlphaModel(AlphaModel):
    """Ranks the universe by past return and holds the winners (and optionally shorts the losers).

    Cross-sectional momentum (Jegadeesh and Titman, 1993): securities that outperformed their peers over the past
    3-12 months tend to keep outperforming over the next months. The most recent ``skip`` bars are left out of the
    ranking return because one-month returns tend to reverse (the classic "12-1" signal is ``lookback=252,
    skip=21``).

    At the first price data (trade or quote bars) of every ``rebalance`` period ("daily", "weekly" or "monthly")
    the securities with a full price window are ranked by ``p[t-skip] / p[t-lookback] - 1``; the best ``num_long`` get up insights and, when
    ``num_short > 0``, the worst ``num_short`` get down insights. Insights close at the start of the next period,
    when the ranking is redone; securities that drop out of the selection get a flat insight. Magnitude is the
    ranking return minus the cross-sectional mean (the relative strength bet on), confidence the share of the
    ranked securities it beats (longs) or trails (shorts), weight ``1 / number of selected securities``; flat
    insights have weight and confidence 0, so that every portfolio construction model closes the position. No rebalance happens while fewer than
    ``num_long + num_short`` securities (and at least two) can be ranked.
    """

    def __init__(self, lookback: int = 252, skip: int = 21, num_long: int = 3, num_short: int = 0,
                 rebalance: str = "monthly", resolution: Resolution = Resolution.DAILY) -> None:
        if lookback < 1 or skip < 0 or skip >= lookback:
            raise ValueError("need lookback >= 1 and 0 <= skip < lookback")
        if num_long < 0 or num_short < 0 or num_long + num_short == 0:
            raise ValueError("num_long and num_short must be non-negative and not both zero")
        if rebalance not in REBALANCE_FREQUENCIES:
            raise ValueError(f"rebalance must be one of {REBALANCE_FREQUENCIES}, got {rebalance!r}")
        self.lookback = lookback
        self.skip = skip
        self.num_long = num_long
        self.num_short = num_short
        self.rebalance = rebalance
        self.resolution = resolution
        self.windows = PriceWindows(lookback + 1, resolution)
        self.next_rebalance = datetime.min
        self.selected: dict[Symbol, InsightDirection] = {}
        self.last_ranking: list[tuple[Symbol, float]] = []
        self.name = f"CrossSectionalMomentumAlphaModel({lookback},{skip},{num_long},{num_short},{rebalance})"

    def rank(self) -> list[tuple[Symbol, float]]:
        """(symbol, ranking return) of every security with a full window, best first (ties by ticker)."""
        scores = [(symbol, period_return(window.prices, self.lookback, self.skip))
                  for symbol, window in self.windows.ready().items()]
        return sorted(scores, key=lambda item: (-item[1], str(item[0])))

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        if algorithm.time < self.next_rebalance:
            return []
        if data.bars.count == 0 and data.quote_bars.count == 0:
            return []  # a slice of corporate events only (dividends at midnight): wait for prices
        ranking = self.rank()
        if len(ranking) < max(2, self.num_long + self.num_short):
            return []
        self.last_ranking = ranking
        self.next_rebalance = next_rebalance_time(algorithm.time, self.rebalance)
        last = len(ranking) - 1
        selection: dict[Symbol, tuple[InsightDirection, float, float]] = {}
        for index, (symbol, score) in enumerate(ranking[:self.num_long]):
            selection[symbol] = (InsightDirection.UP, score, 1.0 - index / last)
        if self.num_short > 0:
            for index, (symbol, score) in enumerate(ranking[-self.num_short:], start=last + 1 - self.num_short):
                selection[symbol] = (InsightDirection.DOWN, score, index / last)
        weight = 1.0 / len(selection)
        mean_score = sum(score for _, score in ranking) / len(ranking)
        insights: list[Insight] = []
        for symbol, (direction, score, confidence) in selection.items():
            insights.append(Insight.price(symbol, self.next_rebalance, direction, magnitude=score - mean_score,
                                          confidence=confidence, weight=weight, tag=f"rank return {score:.4f}"))
        for symbol in self.selected:
            if symbol not in selection and symbol in self.windows:
                insights.append(Insight.price(symbol, self.next_rebalance, InsightDirection.FLAT, weight=0.0,
                                              confidence=0.0))
        self.selected = {symbol: direction for symbol, (direction, _, _) in selection.items()}
        return insights

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        _, removed = self.windows.on_securities_changed(algorithm, changes)
        for symbol in removed:
            self.selected.pop(symbol, None)
