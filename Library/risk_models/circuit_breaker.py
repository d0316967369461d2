"""Portfolio circuit breaker: a daily loss limit and a drawdown kill switch that flatten the book and keep it flat."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import List, Optional

from AlgorithmImports import *

DAILY_LOSS = "daily_loss"
DRAWDOWN = "drawdown"


@dataclass
class CircuitBreakerTrip:
    """One time the breaker tripped: when, why, the portfolio value then and the reference it was measured from."""

    time: datetime
    reason: str
    portfolio_value: float
    reference_value: float

    @property
    def loss(self) -> float:
        """Fractional loss from the reference value (positive for a loss)."""
        return 1.0 - self.portfolio_value / self.reference_value if self.reference_value else 0.0


class PortfolioCircuitBreakerRiskModel(RiskManagementModel):
    """Liquidates everything and blocks new positions when the portfolio loses too much in a day or from its peak.

    Why: per-position stops do not protect against a bad day across the whole book (a correlated sell-off, a broken
    signal, a data error). A circuit breaker caps the damage at the portfolio level: once tripped it flattens every
    holding and refuses new targets, so the strategy cannot dig the hole deeper before someone looks at it.

    Two independent triggers, checked every time the framework calls the risk model:

    * **Daily loss limit**: the total portfolio value falls ``daily_loss_limit`` (a fraction) below its value at the
      start of the trading day (the last value seen on an earlier date, i.e. the previous close). It resets by itself
      at the start of the next trading day.
    * **Drawdown kill switch**: the total portfolio value falls ``max_drawdown`` below its high-water mark. It stays
      tripped until :meth:`reset` is called (e.g. from a scheduled event or after a manual review); the high-water mark
      then restarts from the current value.

    While tripped, every call returns a target of 0 for each security held, each security whose last framework target
    (``holdings.target``) is not flat, and each symbol that received a non-zero target, so the execution model
    liquidates and cannot open positions. Open orders are cancelled when the
    breaker trips. With ``cancel_insights=True`` the insights of the liquidated symbols are cancelled too, so the
    portfolio model does not rebuild them after the reset until the alpha emits new insights; by default they are kept
    and the portfolio model's next rebalance after the reset restores the positions.

    Args:
        daily_loss_limit: largest allowed loss from the start-of-day value, as a fraction (default 0.03); ``None``
            disables the daily limit.
        max_drawdown: largest allowed drawdown from the high-water mark, as a fraction (default 0.10); ``None``
            disables the kill switch.
        cancel_insights: cancel the insights of the symbols it liquidates (default ``False``).

    ``trips`` lists every :class:`CircuitBreakerTrip`; ``is_tripped``, ``daily_tripped`` and ``drawdown_tripped``
    give the current state.
    """

    def __init__(
        self, daily_loss_limit: Optional[float] = 0.03, max_drawdown: Optional[float] = 0.10, cancel_insights: bool = False
    ) -> None:
        super().__init__()
        for name, value in (("daily_loss_limit", daily_loss_limit), ("max_drawdown", max_drawdown)):
            if value is not None and not 0 < value < 1:
                raise ValueError(f"PortfolioCircuitBreakerRiskModel: {name} must be a fraction between 0 and 1, or None")
        self.daily_loss_limit = daily_loss_limit
        self.max_drawdown = max_drawdown
        self.cancel_insights = cancel_insights
        self.daily_tripped = False
        self.drawdown_tripped = False
        self.trips: List[CircuitBreakerTrip] = []
        self._day: Optional[date] = None
        self._day_start_value: Optional[float] = None
        self._last_value: Optional[float] = None
        self._high_water_mark: Optional[float] = None

    @property
    def is_tripped(self) -> bool:
        """Whether the breaker currently blocks trading (either trigger)."""
        return self.daily_tripped or self.drawdown_tripped

    def reset(self) -> None:
        """Re-arm both triggers; the high-water mark restarts from the portfolio value at the next check."""
        self.drawdown_tripped = False
        self.daily_tripped = False
        self._high_water_mark = None

    def manage_risk(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> List[IPortfolioTarget]:
        value = float(algorithm.portfolio.total_portfolio_value)
        today = algorithm.time.date()
        if self._day != today:
            # a new trading day: the daily limit re-arms and is measured from the last value of the previous day
            self._day = today
            self._day_start_value = self._last_value if self._last_value is not None else value
            self.daily_tripped = False
        self._last_value = value
        if self._high_water_mark is None or value > self._high_water_mark:
            self._high_water_mark = value

        was_tripped = self.is_tripped
        if not self.drawdown_tripped and self.max_drawdown is not None and self._high_water_mark > 0:
            if value <= self._high_water_mark * (1.0 - self.max_drawdown):
                self.drawdown_tripped = True
                self.trips.append(CircuitBreakerTrip(algorithm.time, DRAWDOWN, value, self._high_water_mark))
        if not self.daily_tripped and self.daily_loss_limit is not None and self._day_start_value:
            if value <= self._day_start_value * (1.0 - self.daily_loss_limit):
                self.daily_tripped = True
                self.trips.append(CircuitBreakerTrip(algorithm.time, DAILY_LOSS, value, self._day_start_value))
        if not self.is_tripped:
            return []
        if not was_tripped:
            algorithm.transactions.cancel_open_orders()
            algorithm.log(f"PortfolioCircuitBreakerRiskModel: tripped ({self.trips[-1].reason}), liquidating")
        flatten: List[Symbol] = []
        for kvp in algorithm.securities:
            security = kvp.value
            pending = security.holdings.target
            if security.invested or (pending is not None and pending.quantity != 0):
                flatten.append(kvp.key)
        for target in targets:
            if target.quantity != 0 and target.symbol not in flatten:
                flatten.append(target.symbol)
        if self.cancel_insights and flatten:
            algorithm.insights.cancel(flatten)
        result: List[IPortfolioTarget] = [PortfolioTarget(symbol, 0) for symbol in flatten]
        return result
