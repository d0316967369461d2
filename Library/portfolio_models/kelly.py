"""Capped fractional-Kelly position sizing from insight magnitude and confidence."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from AlgorithmImports import *

from portfolio_models._common import CloseWindows, annualized_volatility, rebalancing_func, respects_bias

SECONDS_PER_YEAR = 365.25 * 24 * 3600


def kelly_fraction(
    magnitude: Optional[float], confidence: Optional[float], annual_volatility: float, horizon: timedelta,
    min_volatility: float = 1e-4,
) -> float:
    """Full-Kelly fraction of capital for one insight: expected excess return over its horizon divided by the variance.

    The insight predicts a move of ``|magnitude|`` in its direction over ``horizon`` and is right with probability
    ``confidence``; taking a wrong call as the same move against us, the expected return of the bet is
    ``edge = (2 * confidence - 1) * |magnitude|``. With the asset's annualised volatility ``annual_volatility`` the
    variance over the horizon is ``annual_volatility**2 * horizon_in_years`` (calendar time), and the growth-optimal
    (Kelly) fraction for a normally distributed return is ``edge / variance``. Returns 0 when the insight has no
    magnitude or confidence, no edge (confidence <= 0.5) or no horizon.
    """
    if magnitude is None or confidence is None:
        return 0.0
    years = horizon.total_seconds() / SECONDS_PER_YEAR
    if years <= 0:
        return 0.0
    edge = (2.0 * min(max(float(confidence), 0.0), 1.0) - 1.0) * abs(float(magnitude))
    if edge <= 0:
        return 0.0
    variance = max(float(annual_volatility), min_volatility) ** 2 * years
    return edge / variance


def capped_kelly_weights(
    directions: Sequence[float], full_kelly: Sequence[float], kelly_scale: float, max_position: float, max_total: float
) -> np.ndarray:
    """Signed weights: ``direction * min(kelly_scale * full_kelly, max_position)``, then scaled down together so the
    gross exposure (sum of absolute weights) is at most ``max_total``."""
    signs = np.sign(np.asarray(directions, dtype=float))
    sizes = np.minimum(np.maximum(np.asarray(full_kelly, dtype=float), 0.0) * kelly_scale, max_position)
    weights = signs * sizes
    gross = float(np.abs(weights).sum())
    if gross > max_total > 0:
        weights = weights * (max_total / gross)
    result: np.ndarray = weights
    return result


class CappedKellyPortfolioConstructionModel(PortfolioConstructionModel):
    """Sizes each position with a fraction of the Kelly bet implied by its insight's magnitude and confidence, capped
    per position and in total.

    Why: the Kelly criterion turns a forecast's edge and the asset's risk into the growth-optimal bet size, so strong,
    confident forecasts on calm assets get more capital than weak forecasts on volatile ones. Full Kelly is far too
    aggressive for noisy forecasts (estimation error, fat tails), so the bet is scaled by ``kelly_fraction`` (half-Kelly
    by default) and capped: at most ``max_position`` of the portfolio per symbol and ``max_total`` gross.

    For each symbol's last active insight (up or down, allowed by the portfolio bias, with both ``magnitude`` and
    ``confidence`` set): ``edge = (2 * confidence - 1) * |magnitude|`` over the insight's period, variance =
    ``volatility**2 * period_in_years`` with the annualised volatility of the last ``lookback`` bar returns at
    ``resolution`` (warmed up from ``history``, then kept current by a consolidator), full Kelly = ``edge / variance``
    (see :func:`kelly_fraction`). The target weight is ``direction * min(kelly_fraction * full_kelly, max_position)``;
    if the absolute weights add up to more than ``max_total`` they are all scaled down in proportion. Insights without
    magnitude or confidence, with confidence at or below 0.5, flat insights and symbols without history get 0.

    Args:
        rebalance: LEAN's rebalancing parameter (``Resolution``, ``timedelta``, date rule or function); ``None``
            rebalances only on insight and security changes.
        portfolio_bias: ``PortfolioBias.LONG_SHORT`` (default), ``LONG`` or ``SHORT``.
        kelly_fraction: multiplier applied to the full-Kelly bet (default 0.5, half-Kelly).
        max_position: largest absolute weight of one symbol (default 0.20).
        max_total: largest gross exposure, the sum of absolute weights (default 1.0).
        lookback: bars of returns used for the volatility (default 63).
        resolution: bar size of those returns (default daily).
        annualization_factor: bars per year at ``resolution`` (default 252).
        min_volatility: floor for the annualised volatility (default 1e-4).

    After each rebalance ``last_full_kelly`` and ``last_weights`` (by symbol) hold the raw Kelly fractions and the
    capped weights.
    """

    def __init__(
        self,
        rebalance: Any = Resolution.DAILY,
        portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
        kelly_fraction: float = 0.5,
        max_position: float = 0.20,
        max_total: float = 1.0,
        lookback: int = 63,
        resolution: Resolution = Resolution.DAILY,
        annualization_factor: float = 252.0,
        min_volatility: float = 1e-4,
    ) -> None:
        super().__init__()
        if kelly_fraction <= 0 or max_position <= 0 or max_total <= 0:
            raise ValueError("CappedKellyPortfolioConstructionModel: kelly_fraction, max_position and max_total must be positive")
        if lookback < 2:
            raise ValueError("CappedKellyPortfolioConstructionModel: lookback must be at least 2 bars")
        self.portfolio_bias = portfolio_bias
        self.kelly_fraction = kelly_fraction
        self.max_position = max_position
        self.max_total = max_total
        self.lookback = lookback
        self.resolution = resolution
        self.annualization_factor = annualization_factor
        self.min_volatility = min_volatility
        self.last_full_kelly: Dict[Symbol, float] = {}
        self.last_weights: Dict[Symbol, float] = {}
        self._windows = CloseWindows(lookback, resolution)
        func = rebalancing_func(rebalance)
        if func is not None:
            self.set_rebalancing_func(func)

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        super().on_securities_changed(algorithm, changes)
        self._windows.on_securities_changed(algorithm, changes)

    # The stubs type this hook's result as a .NET Dictionary; LEAN's Python wrapper takes a Python dict, as its own
    # Python models return.
    def determine_target_percent(self, active_insights: List[Insight]) -> Dict[Insight, float]:  # type: ignore[override]
        result: Dict[Insight, float] = {insight: 0.0 for insight in active_insights}
        self.last_full_kelly = {}
        self.last_weights = {}
        candidates = [
            insight for insight in active_insights
            if insight.direction != InsightDirection.FLAT and respects_bias(insight, self.portfolio_bias)
            and insight.magnitude is not None and insight.confidence is not None
        ]
        if not candidates:
            return result
        returns, kept = self._windows.returns([insight.symbol for insight in candidates])
        if returns.shape[0] < 2:
            return result
        covered = [candidates[index] for index in kept]
        volatilities = annualized_volatility(returns, self.annualization_factor)
        full = [
            kelly_fraction(insight.magnitude, insight.confidence, float(volatilities[index]), insight.period, self.min_volatility)
            for index, insight in enumerate(covered)
        ]
        weights = capped_kelly_weights(
            [int(insight.direction) for insight in covered], full, self.kelly_fraction, self.max_position, self.max_total
        )
        for index, insight in enumerate(covered):
            result[insight] = float(weights[index])
            self.last_full_kelly[insight.symbol] = full[index]
            self.last_weights[insight.symbol] = float(weights[index])
        return result
