"""Inverse-volatility (naive risk parity) portfolio construction with a portfolio volatility target."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

import numpy as np

from AlgorithmImports import *

from portfolio_models._common import CloseWindows, annualized_volatility, rebalancing_func, respects_bias


def inverse_volatility_weights(
    directions: Sequence[float],
    returns: np.ndarray,
    target_volatility: float,
    max_leverage: float,
    annualization_factor: float = 252.0,
    min_volatility: float = 1e-4,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Signed inverse-volatility weights scaled to an annualised portfolio volatility target.

    ``returns`` is a ``(bars, assets)`` matrix of per-bar returns and ``directions`` the sign wanted for each asset
    (+1 long, -1 short, 0 none). Each asset's raw weight is ``direction / volatility`` (volatility floored at
    ``min_volatility``), normalised to a gross exposure of 1; the whole book is then scaled so that its ex-ante
    volatility ``sqrt(w' Σ w)`` (Σ the annualised sample covariance) equals ``target_volatility``, but never beyond a
    gross exposure of ``max_leverage``.

    Returns ``(weights, annualised volatilities, ex-ante volatility of the returned weights)``.
    """
    signs = np.sign(np.asarray(directions, dtype=float))
    count = len(signs)
    zeros = np.zeros(count)
    if count == 0 or returns.shape[0] < 2 or returns.shape[1] != count:
        return zeros, zeros, 0.0
    volatilities = annualized_volatility(returns, annualization_factor)
    raw = signs / np.maximum(volatilities, min_volatility)
    gross = float(np.abs(raw).sum())
    if gross == 0.0:
        return zeros, volatilities, 0.0
    unit = raw / gross
    covariance = np.atleast_2d(np.cov(returns, rowvar=False, ddof=1)) * annualization_factor
    unit_volatility = max(float(np.sqrt(max(float(unit @ covariance @ unit), 0.0))), min_volatility)
    scale = min(target_volatility / unit_volatility, max_leverage)
    weights = unit * scale
    return weights, volatilities, unit_volatility * scale


class InverseVolatilityPortfolioConstructionModel(PortfolioConstructionModel):
    """Sizes each insight's symbol inversely to its recent volatility and scales the book to a volatility target.

    Why: equal weights let the most volatile holdings dominate portfolio risk. Weighting by ``1 / volatility`` gives
    each position a similar risk budget (risk parity when correlations are alike), and scaling the whole book to a
    target volatility keeps risk steady across calm and turbulent regimes: exposure shrinks when markets get rough and
    grows (up to ``max_leverage`` gross) when they are quiet.

    On every rebalance the symbols with an active up/down insight (that the portfolio bias allows) get the weight
    ``direction / volatility``, normalised to a gross of 1, where volatility is the annualised standard deviation of
    the last ``lookback`` bar returns at ``resolution`` (warmed up from ``history`` when a symbol is added, then kept
    current by a consolidator). The book is then multiplied by ``target_volatility / ex-ante volatility`` (ex-ante
    volatility from the sample covariance of the same returns), capped at a gross exposure of ``max_leverage``. Flat
    insights, symbols against the bias and symbols without enough history get 0.

    Args:
        rebalance: LEAN's rebalancing parameter: a ``Resolution``, a ``timedelta``, a date rule or a function
            ``utc_time -> next rebalance utc_time``; ``None`` rebalances only on insight and security changes.
        portfolio_bias: ``PortfolioBias.LONG_SHORT`` (default), ``LONG`` or ``SHORT``.
        lookback: number of bars of returns used for the volatilities and the covariance (default 63, ~3 months).
        resolution: bar size of the returns (default daily).
        target_volatility: annualised portfolio volatility to aim for (default 0.10 = 10%).
        max_leverage: largest gross exposure (sum of absolute weights) the scaling may reach (default 1.0).
        annualization_factor: bars per year at ``resolution`` (default 252 trading days).
        min_volatility: floor for the annualised volatilities, avoiding division by zero (default 1e-4).

    After each rebalance ``last_weights``, ``last_volatilities`` (by symbol) and ``last_portfolio_volatility``
    (ex-ante, annualised) describe the decision.
    """

    def __init__(
        self,
        rebalance: Any = Resolution.DAILY,
        portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
        lookback: int = 63,
        resolution: Resolution = Resolution.DAILY,
        target_volatility: float = 0.10,
        max_leverage: float = 1.0,
        annualization_factor: float = 252.0,
        min_volatility: float = 1e-4,
    ) -> None:
        super().__init__()
        if lookback < 2:
            raise ValueError("InverseVolatilityPortfolioConstructionModel: lookback must be at least 2 bars")
        if target_volatility <= 0 or max_leverage <= 0:
            raise ValueError("InverseVolatilityPortfolioConstructionModel: target_volatility and max_leverage must be positive")
        self.portfolio_bias = portfolio_bias
        self.lookback = lookback
        self.resolution = resolution
        self.target_volatility = target_volatility
        self.max_leverage = max_leverage
        self.annualization_factor = annualization_factor
        self.min_volatility = min_volatility
        self.last_weights: Dict[Symbol, float] = {}
        self.last_volatilities: Dict[Symbol, float] = {}
        self.last_portfolio_volatility = 0.0
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
        candidates = [
            insight for insight in active_insights
            if insight.direction != InsightDirection.FLAT and respects_bias(insight, self.portfolio_bias)
        ]
        self.last_weights = {}
        self.last_volatilities = {}
        self.last_portfolio_volatility = 0.0
        if not candidates:
            return result
        returns, kept = self._windows.returns([insight.symbol for insight in candidates])
        covered = [candidates[index] for index in kept]
        weights, volatilities, portfolio_volatility = inverse_volatility_weights(
            [int(insight.direction) for insight in covered], returns, self.target_volatility, self.max_leverage,
            self.annualization_factor, self.min_volatility,
        )
        for index, insight in enumerate(covered):
            result[insight] = float(weights[index])
            self.last_weights[insight.symbol] = float(weights[index])
            self.last_volatilities[insight.symbol] = float(volatilities[index])
        self.last_portfolio_volatility = portfolio_volatility
        return result
