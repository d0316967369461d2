"""Per-position trailing stop and hard stop, measured on the security price."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional

from AlgorithmImports import *

TRAILING = "trailing"
HARD = "hard"


@dataclass
class StopExit:
    """One stop-out: when, which symbol, which stop, the price that triggered it and the levels it was measured from."""

    time: datetime
    symbol: Symbol
    reason: str
    price: float
    entry_price: float
    extreme_price: float
    quantity: float


@dataclass
class _Position:
    direction: int
    extreme_price: float
    stopped: bool = False


def stop_reason(
    direction: int, price: float, entry_price: float, extreme_price: float,
    trailing_stop_percent: Optional[float], hard_stop_percent: Optional[float],
) -> Optional[str]:
    """Which stop a price hits, if any: ``"hard"`` before ``"trailing"``, ``None`` when neither.

    Long (``direction > 0``): hard stop at ``entry * (1 - hard)``, trailing stop at ``highest * (1 - trailing)``.
    Short: hard stop at ``entry * (1 + hard)``, trailing stop at ``lowest * (1 + trailing)``. A price exactly on a
    level triggers it.
    """
    if direction > 0:
        if hard_stop_percent is not None and price <= entry_price * (1.0 - hard_stop_percent):
            return HARD
        if trailing_stop_percent is not None and price <= extreme_price * (1.0 - trailing_stop_percent):
            return TRAILING
    elif direction < 0:
        if hard_stop_percent is not None and price >= entry_price * (1.0 + hard_stop_percent):
            return HARD
        if trailing_stop_percent is not None and price >= extreme_price * (1.0 + trailing_stop_percent):
            return TRAILING
    return None


class TrailingAndHardStopRiskModel(RiskManagementModel):
    """Closes a position when its price falls a set fraction from its best price since entry (trailing stop) or from
    its entry price (hard stop); shorts mirror both.

    Why: a trailing stop locks in part of a winning trade's gain once it reverses, a hard stop bounds the loss of a
    trade that never worked. Both act per position, independently of what the alpha still believes.

    Each time the framework calls the model it looks at every invested security: the entry price is the position's
    average price (``holdings.average_price``), the extreme price starts there and follows the highest (long) or lowest
    (short) ``security.price`` seen since the position was opened. When the price reaches a stop level (see
    :func:`stop_reason`) the model returns a target of 0 for the symbol and, by default, cancels its insights so the
    portfolio model does not buy it straight back (a new insight can re-open it); until the position is closed the
    model keeps returning that exit target. The tracking restarts whenever the position is closed or flips side.

    Args:
        trailing_stop_percent: the fraction from the best price that triggers the trailing stop (default 0.05);
            ``None`` disables it.
        hard_stop_percent: the fraction from the entry price that triggers the hard stop (default 0.10); ``None``
            disables it.
        cancel_insights: cancel the symbol's insights on a stop-out (default ``True``).

    ``exits`` lists every :class:`StopExit`.
    """

    def __init__(
        self, trailing_stop_percent: Optional[float] = 0.05, hard_stop_percent: Optional[float] = 0.10,
        cancel_insights: bool = True,
    ) -> None:
        super().__init__()
        for name, value in (("trailing_stop_percent", trailing_stop_percent), ("hard_stop_percent", hard_stop_percent)):
            if value is not None and not 0 < value < 1:
                raise ValueError(f"TrailingAndHardStopRiskModel: {name} must be a fraction between 0 and 1, or None")
        self.trailing_stop_percent = trailing_stop_percent
        self.hard_stop_percent = hard_stop_percent
        self.cancel_insights = cancel_insights
        self.exits: List[StopExit] = []
        self._positions: Dict[Symbol, _Position] = {}

    def manage_risk(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> List[IPortfolioTarget]:
        result: List[IPortfolioTarget] = []
        for kvp in algorithm.securities:
            security = kvp.value
            symbol = security.symbol
            holdings = security.holdings
            if not holdings.invested:
                self._positions.pop(symbol, None)
                continue
            direction = 1 if holdings.is_long else -1
            entry_price = float(holdings.average_price)
            price = float(security.price)
            position = self._positions.get(symbol)
            if position is None or position.direction != direction:
                position = _Position(direction, entry_price)
                self._positions[symbol] = position
            if position.stopped:
                # already stopped out, still waiting for the exit to fill: keep the exit target in place
                result.append(PortfolioTarget(symbol, 0))
                continue
            if price <= 0:
                continue
            if (direction > 0 and price > position.extreme_price) or (direction < 0 and price < position.extreme_price):
                position.extreme_price = price
            reason = stop_reason(
                direction, price, entry_price, position.extreme_price, self.trailing_stop_percent, self.hard_stop_percent
            )
            if reason is None:
                continue
            self.exits.append(
                StopExit(algorithm.time, symbol, reason, price, entry_price, position.extreme_price, float(holdings.quantity))
            )
            position.stopped = True
            if self.cancel_insights:
                algorithm.insights.cancel([symbol])
            result.append(PortfolioTarget(symbol, 0))
        return result
