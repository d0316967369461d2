"""Rolling closing prices per security, the data plumbing every alpha model of this library shares.

A :class:`PriceWindow` keeps the last ``size`` closes of one security at a bar resolution (daily by default). It
is filled from ``algorithm.history`` when the security joins the universe, then kept current by a consolidator
registered with the subscription manager, so the model works whatever resolution the security is subscribed at
(minute data is consolidated into daily bars). :class:`PriceWindows` creates and disposes the windows as the
universe changes: removing a security removes its consolidator.
"""
from __future__ import annotations

from AlgorithmImports import *

from collections import deque
from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pandas as pd


class PriceWindow:
    """The last ``size`` closes (and their bar end times) of ``symbol`` at ``resolution``."""

    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, size: int, resolution: Resolution = Resolution.DAILY,
                 warm_up: bool = True) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.symbol = symbol
        self.size = size
        self.resolution = resolution
        self.closes: deque[float] = deque(maxlen=size)
        self.times: deque[datetime] = deque(maxlen=size)
        self.samples = 0
        self.consolidator = algorithm.resolve_consolidator(symbol, resolution)
        self.consolidator.data_consolidated += self._on_data_consolidated
        algorithm.subscription_manager.add_consolidator(symbol, self.consolidator)
        if warm_up:
            self.warm_up(algorithm)

    @property
    def is_ready(self) -> bool:
        return len(self.closes) == self.size

    @property
    def count(self) -> int:
        return len(self.closes)

    @property
    def end_time(self) -> datetime | None:
        """End time of the newest bar, None while empty."""
        return self.times[-1] if self.times else None

    @property
    def prices(self) -> np.ndarray:
        """The closes, oldest first."""
        return np.fromiter(self.closes, dtype=float, count=len(self.closes))

    def add(self, end_time: datetime, close: float) -> bool:
        """Append a bar unless it is not newer than the last one (history and the consolidator may both deliver
        the bar that ends at the moment the window is created). Non-positive closes are ignored."""
        if self.times and end_time <= self.times[-1]:
            return False
        if not close > 0:
            return False
        self.times.append(end_time)
        self.closes.append(float(close))
        self.samples += 1
        return True

    def warm_up(self, algorithm: QCAlgorithm) -> None:
        """Fill the window with the last ``size`` bars of history."""
        history = algorithm.history(self.symbol, self.size, self.resolution)
        if history.empty or "close" not in history.columns:
            return
        closes = history.loc[self.symbol]["close"]
        for end_time, close in closes.items():
            self.add(pd.Timestamp(end_time).to_pydatetime(), float(close))

    def _on_data_consolidated(self, sender: object, bar: IBaseData) -> None:
        self.add(bar.end_time, float(bar.value))

    def dispose(self, algorithm: QCAlgorithm) -> None:
        """Detach the consolidator from the subscription."""
        self.consolidator.data_consolidated -= self._on_data_consolidated
        algorithm.subscription_manager.remove_consolidator(self.symbol, self.consolidator)


class PriceWindows:
    """One :class:`PriceWindow` per security in the model's universe."""

    def __init__(self, size: int, resolution: Resolution = Resolution.DAILY) -> None:
        self.size = size
        self.resolution = resolution
        self._windows: dict[Symbol, PriceWindow] = {}

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> tuple[list[Symbol], list[Symbol]]:
        """Create windows for added securities and dispose those of removed ones; returns (added, removed)."""
        removed: list[Symbol] = []
        for security in changes.removed_securities:
            window = self._windows.pop(security.symbol, None)
            if window is not None:
                window.dispose(algorithm)
                removed.append(security.symbol)
        added: list[Symbol] = []
        for security in changes.added_securities:
            symbol = security.symbol
            if symbol in self._windows:
                continue
            self._windows[symbol] = PriceWindow(algorithm, symbol, self.size, self.resolution)
            added.append(symbol)
        return added, removed

    def get(self, symbol: Symbol) -> PriceWindow | None:
        return self._windows.get(symbol)

    def __getitem__(self, symbol: Symbol) -> PriceWindow:
        return self._windows[symbol]

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._windows

    def __iter__(self) -> Iterator[Symbol]:
        return iter(list(self._windows))

    def __len__(self) -> int:
        return len(self._windows)

    def items(self) -> list[tuple[Symbol, PriceWindow]]:
        return list(self._windows.items())

    def ready(self) -> dict[Symbol, PriceWindow]:
        """The full windows."""
        return {symbol: window for symbol, window in self._windows.items() if window.is_ready}

    def latest_end_time(self) -> datetime | None:
        """End time of the newest bar of any window."""
        times = [w.end_time for w in self._windows.values() if w.end_time is not None]
        return max(times) if times else None
