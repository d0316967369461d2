"""Helpers shared by this library's portfolio construction models.

* :func:`rebalancing_func` turns LEAN's ``rebalance`` parameter (a ``Resolution``, a ``timedelta``, a date rule or a
  function) into what ``PortfolioConstructionModel.set_rebalancing_func`` accepts, the way LEAN's own Python models do.
* :class:`CloseWindows` keeps each symbol's recent closes (history warm-up, then a consolidator) and turns them into
  a matrix of per-bar simple returns, one column per symbol.
* :func:`respects_bias` applies a ``PortfolioBias`` to an insight.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional

import numpy as np
import pandas as pd

from AlgorithmImports import *


def resolution_span(resolution: int) -> timedelta:
    """The length of one bar of ``resolution`` (zero for ticks)."""
    if resolution == Resolution.DAILY:
        return timedelta(days=1)
    if resolution == Resolution.HOUR:
        return timedelta(hours=1)
    if resolution == Resolution.MINUTE:
        return timedelta(minutes=1)
    if resolution == Resolution.SECOND:
        return timedelta(seconds=1)
    return timedelta(0)


def rebalancing_func(rebalance: Any) -> Optional[Any]:
    """LEAN's ``rebalance`` parameter as a rebalancing function (or the date rule itself); ``None`` for no schedule.

    A ``Resolution`` (an int under pythonnet) or a ``timedelta`` becomes ``utc -> utc + span``; anything else (a date
    rule or a function ``utc -> next utc``) is returned unchanged for ``set_rebalancing_func`` to convert.
    """
    if rebalance is None:
        return None
    if isinstance(rebalance, int) and not isinstance(rebalance, bool):
        rebalance = resolution_span(rebalance)
    if isinstance(rebalance, timedelta):
        span = rebalance
        if span <= timedelta(0):
            return None

        def next_rebalance(utc_time: datetime) -> datetime:
            return utc_time + span

        return next_rebalance
    return rebalance


def respects_bias(insight: Insight, bias: int) -> bool:
    """Whether an insight's direction is allowed by a ``PortfolioBias`` (LONG_SHORT allows both sides)."""
    return bias == PortfolioBias.LONG_SHORT or int(insight.direction) == int(bias)


class CloseWindows:
    """The last ``lookback + 1`` closes of each symbol at ``resolution``, and their per-bar returns.

    A symbol's window is filled from ``history`` when the symbol is added and then kept current by a consolidator
    (``resolve_consolidator``) registered with the subscription manager; removing the symbol drops both. Models call
    :meth:`on_securities_changed` from their own ``on_securities_changed`` and :meth:`returns` when they rebalance.
    """

    def __init__(self, lookback: int, resolution: Resolution) -> None:
        self.lookback = lookback
        self.resolution = resolution
        self._closes: Dict[Symbol, Deque[tuple[datetime, float]]] = {}
        self._consolidators: Dict[Symbol, IDataConsolidator] = {}

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        for security in changes.removed_securities:
            consolidator = self._consolidators.pop(security.symbol, None)
            if consolidator is not None:
                algorithm.subscription_manager.remove_consolidator(security.symbol, consolidator)
            self._closes.pop(security.symbol, None)
        added = [security.symbol for security in changes.added_securities if security.symbol not in self._consolidators]
        if not added:
            return
        history = algorithm.history(added, self.lookback + 1, self.resolution)
        for symbol in added:
            window: Deque[tuple[datetime, float]] = deque(maxlen=self.lookback + 1)
            if history is not None and not history.empty and "close" in history.columns:
                try:
                    closes = history.loc[symbol]["close"]
                except KeyError:
                    closes = None
                if closes is not None:
                    for end_time, close in closes.items():
                        window.append((pd.Timestamp(end_time).to_pydatetime(), float(close)))
            self._closes[symbol] = window
            consolidator = algorithm.resolve_consolidator(symbol, self.resolution)
            consolidator.data_consolidated += self._handler(window)
            algorithm.subscription_manager.add_consolidator(symbol, consolidator)
            self._consolidators[symbol] = consolidator

    @staticmethod
    def _handler(window: Deque[tuple[datetime, float]]) -> Callable[[Any, Any], None]:
        def on_bar(sender: Any, bar: Any) -> None:
            if not window or bar.end_time > window[-1][0]:
                window.append((bar.end_time, float(bar.close)))

        return on_bar

    def returns(self, symbols: List[Symbol]) -> tuple[np.ndarray, List[int]]:
        """Per-bar simple returns of ``symbols`` on the bar end times they all have, and which symbols they cover.

        Symbols with fewer than two closes are left out; the second item lists the positions (in ``symbols``) of the
        columns kept. The matrix has shape ``(at most lookback, len(kept))``.
        """
        columns: List[pd.Series] = []
        kept: List[int] = []
        for index, symbol in enumerate(symbols):
            window = self._closes.get(symbol)
            if window is None or len(window) < 2:
                continue
            columns.append(pd.Series([close for _, close in window], index=[time for time, _ in window], dtype=float))
            kept.append(index)
        if not columns:
            return np.empty((0, 0)), []
        closes = pd.concat(columns, axis=1, keys=list(range(len(columns)))).sort_index().dropna()
        if len(closes) < 2:
            return np.empty((0, len(kept))), kept
        matrix: np.ndarray = closes.pct_change().iloc[1:].to_numpy(dtype=float)
        return matrix, kept


def annualized_volatility(returns: np.ndarray, annualization_factor: float) -> np.ndarray:
    """Sample standard deviation of each column, scaled by ``sqrt(annualization_factor)``."""
    if returns.shape[0] < 2:
        return np.zeros(returns.shape[1])
    result: np.ndarray = returns.std(axis=0, ddof=1) * np.sqrt(annualization_factor)
    return result

