"""The SMA-cross decision rule, shared verbatim by the lean_local algorithm and the backtrader strategy.

Both engines call ``SmaCross.update(close, can_trade)`` once per real (not fill-forwarded) trade bar of a
ticker; it returns +quantity (buy), -quantity (sell) or 0. The simple moving averages are running sums,
updated with the same float operations in the same order in both engines, so the signals are bit-identical
whenever the closes are.
"""
from __future__ import annotations

from collections import deque


class SmaCross:
    """Long ``quantity`` shares while SMA(fast) > SMA(slow), flat otherwise (fixed size, market orders)."""

    __slots__ = ("fast", "slow", "quantity", "_fw", "_sw", "_fs", "_ss", "long")

    def __init__(self, fast: int, slow: int, quantity: int) -> None:
        self.fast, self.slow, self.quantity = fast, slow, quantity
        self._fw: deque[float] = deque()
        self._sw: deque[float] = deque()
        self._fs = 0.0
        self._ss = 0.0
        self.long = False  # the position the strategy has asked for (orders may fill later)

    def update(self, close: float, can_trade: bool = True) -> int:
        self._fw.append(close)
        self._fs += close
        if len(self._fw) > self.fast:
            self._fs -= self._fw.popleft()
        self._sw.append(close)
        self._ss += close
        if len(self._sw) > self.slow:
            self._ss -= self._sw.popleft()
        if len(self._sw) < self.slow or not can_trade:
            return 0
        want_long = self._fs / self.fast > self._ss / self.slow
        if want_long and not self.long:
            self.long = True
            return self.quantity
        if not want_long and self.long:
            self.long = False
            return -self.quantity
        return 0
