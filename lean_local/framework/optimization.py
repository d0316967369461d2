"""Optimisation-based portfolio construction: mean-variance, risk parity and Black-Litterman (scipy).

Each model keeps, per symbol, a window of the last ``period`` rates of change over ``lookback`` bars, warmed up
from history when the security is added (LEAN's ``*SymbolData`` with a ``RateOfChange`` feeding a
``RollingWindow``). Mean-variance and Black-Litterman then append the magnitudes of the insights they size, as
LEAN's Python models do; risk parity refreshes its returns from history at each rebalance.
"""
from __future__ import annotations

import sys
from collections import deque
from datetime import datetime
from itertools import groupby
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from lean_local.enums import InsightDirection, Resolution
from lean_local.framework.alphas import history_trade_bars
from lean_local.framework.insights import Insight
from lean_local.framework.portfolio import PortfolioBias, PortfolioConstructionModel
from lean_local.timeutil import to_utc

__all__ = [
    "MinimumVariancePortfolioOptimizer",
    "MaximumSharpeRatioPortfolioOptimizer",
    "UnconstrainedMeanVariancePortfolioOptimizer",
    "RiskParityPortfolioOptimizer",
    "MeanVarianceOptimizationPortfolioConstructionModel",
    "RiskParityPortfolioConstructionModel",
    "BlackLittermanOptimizationPortfolioConstructionModel",
]


def _sign(value: float) -> int:
    return -1 if value < 0 else (1 if value > 0 else 0)


def _variance(weights: np.ndarray, covariance: Any, name: str) -> float:
    variance = float(np.dot(weights.T, np.dot(covariance, weights)))
    if variance == 0 and np.any(weights):
        raise ValueError(f"{name}.portfolio_variance: Volatility cannot be zero. Weights: {weights}")
    return variance


class MinimumVariancePortfolioOptimizer:
    """Minimum variance subject to full investment and a target return, weights in [minimum, maximum] (SLSQP);
    the result is scaled so the absolute weights sum to 1."""

    def __init__(self, minimum_weight: float = -1, maximum_weight: float = 1, target_return: float = 0.02) -> None:
        self.minimum_weight = minimum_weight
        self.maximum_weight = maximum_weight
        self.target_return = target_return

    def optimize(self, historical_returns: pd.DataFrame, expected_returns: Any = None, covariance: Any = None) -> np.ndarray:
        if covariance is None:
            covariance = historical_returns.cov()
        if expected_returns is None:
            expected_returns = historical_returns.mean()
        size = historical_returns.columns.size
        x0 = np.array(size * [1.0 / size])
        expected = np.asarray(expected_returns, dtype=float)
        constraints = [
            {"type": "eq", "fun": lambda w: np.sum(w) - 1},
            {"type": "eq", "fun": lambda w: float(np.dot(expected, w)) - self.target_return},
        ]
        result = minimize(lambda w: _variance(w, covariance, "MinimumVariancePortfolioOptimizer"), x0,
                          bounds=tuple((self.minimum_weight, self.maximum_weight) for _ in range(size)),
                          constraints=constraints, method="SLSQP")
        if not result["success"]:
            return x0
        weights: np.ndarray = result["x"] / np.sum(np.abs(result["x"]))
        return weights


class MaximumSharpeRatioPortfolioOptimizer:
    """Maximum Sharpe ratio subject to full investment, weights in [minimum, maximum] (SLSQP)."""

    def __init__(self, minimum_weight: float = -1, maximum_weight: float = 1, risk_free_rate: float = 0) -> None:
        self.minimum_weight = minimum_weight
        self.maximum_weight = maximum_weight
        self.risk_free_rate = risk_free_rate

    def optimize(self, historical_returns: pd.DataFrame, expected_returns: Any = None, covariance: Any = None) -> np.ndarray:
        if covariance is None:
            covariance = historical_returns.cov()
        if expected_returns is None:
            expected_returns = historical_returns.mean()
        excess = np.asarray(expected_returns, dtype=float) - self.risk_free_rate
        size = np.asarray(covariance).shape[0]
        x0 = np.array(size * [1.0 / size])
        result = minimize(
            lambda w: -float(excess.dot(w)) / np.sqrt(_variance(w, covariance, "MaximumSharpeRatioPortfolioOptimizer")), x0,
            bounds=tuple((self.minimum_weight, self.maximum_weight) for _ in range(size)),
            constraints=[{"type": "eq", "fun": lambda w: np.sum(w) - 1}], method="SLSQP",
        )
        weights: np.ndarray = result["x"] if result["success"] else x0
        return weights


class UnconstrainedMeanVariancePortfolioOptimizer:
    """Unconstrained mean-variance weights: expected returns × inverse covariance."""

    def optimize(self, historical_returns: pd.DataFrame, expected_returns: Any = None, covariance: Any = None) -> np.ndarray:
        if expected_returns is None:
            expected_returns = historical_returns.mean()
        if covariance is None:
            covariance = historical_returns.cov()
        weights: np.ndarray = np.asarray(expected_returns, dtype=float).dot(np.linalg.inv(np.asarray(covariance, dtype=float)))
        return weights


class RiskParityPortfolioOptimizer:
    """Equal risk contributions (Newton-CG on the log-barrier formulation), clipped to [minimum, maximum]."""

    def __init__(self, minimum_weight: float = 1e-05, maximum_weight: float = sys.float_info.max) -> None:
        self.minimum_weight = minimum_weight if minimum_weight >= 1e-05 else 1e-05
        self.maximum_weight = maximum_weight if maximum_weight >= minimum_weight else minimum_weight

    def optimize(self, historical_returns: pd.DataFrame, budget: Any = None, covariance: Any = None) -> np.ndarray:
        if covariance is None:
            covariance = np.cov(np.asarray(historical_returns, dtype=float).T)
        covariance = np.atleast_2d(np.asarray(covariance, dtype=float))
        size = historical_returns.columns.size
        x0 = np.array(size * [1.0 / size])
        budget = np.asarray(budget, dtype=float) if budget is not None else x0
        result = minimize(
            lambda w: 0.5 * w.T @ covariance @ w - budget.T @ np.log(w),
            x0=x0, method="Newton-CG",
            jac=lambda w: covariance @ w - budget / w,
            hess=lambda w: covariance + np.diag((budget / w**2).flatten()),
        )
        if not result["success"]:
            return x0
        weights: np.ndarray = np.clip(result["x"] / np.sum(result["x"]), self.minimum_weight, self.maximum_weight)
        return weights


class _ReturnsWindow:
    """Rates of change over ``lookback`` samples, the last ``period`` of them kept (newest first)."""

    def __init__(self, symbol: Any, lookback: int, period: int) -> None:
        self.symbol = symbol
        self.lookback = lookback
        self.values: deque[tuple[datetime, float]] = deque(maxlen=period)
        self._prices: deque[float] = deque(maxlen=lookback + 1)

    def update(self, time: datetime, price: float) -> None:
        self._prices.append(float(price))
        if len(self._prices) > self.lookback:
            previous = self._prices[0]
            value = 0.0 if previous == 0 else (self._prices[-1] - previous) / previous
            self.values.appendleft((time, value))

    def add(self, time: datetime, value: float, skip_same_time: bool = False) -> None:
        if skip_same_time and self.values and self.values[0][0] == time:
            return
        self.values.appendleft((time, float(value)))

    def reset(self) -> None:
        self.values.clear()
        self._prices.clear()

    @property
    def return_(self) -> pd.Series:
        return pd.Series(data=[v for _, v in self.values], index=[t for t, _ in self.values], dtype=float)

    @property
    def is_ready(self) -> bool:
        return len(self.values) == self.values.maxlen


def _warm_up(algorithm: Any, windows: dict[Any, _ReturnsWindow], securities: list[Any], count: int, resolution: Any,
             factory: Any, utc_times: bool = False) -> None:
    symbols = [security.symbol for security in securities]
    if not symbols:
        return
    history = history_trade_bars(algorithm, symbols, count, resolution)
    for security in securities:
        bars = history.get(security.symbol)
        if not bars:
            continue
        window = windows.get(security.symbol) or factory(security.symbol)
        for bar in bars:
            time = to_utc(bar.end_time, security.exchange.time_zone) if utc_times else bar.end_time
            window.update(time, float(bar.close))
        windows[security.symbol] = window


def _rebalance_argument(rebalance: Any) -> Any:
    return rebalance


class MeanVarianceOptimizationPortfolioConstructionModel(PortfolioConstructionModel):
    """Minimum-variance weights (target return 2% by default) over each symbol's historical rates of change plus the
    magnitudes of its insights; insights need a magnitude."""

    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
                 lookback: int = 1, period: int = 63, resolution: Any = Resolution.DAILY, target_return: float = 0.02,
                 optimizer: Any = None) -> None:
        super().__init__(_rebalance_argument(rebalance))
        self.lookback = lookback
        self.period = period
        self.resolution = Resolution(resolution)
        self.portfolio_bias = PortfolioBias(portfolio_bias)
        lower = 0 if portfolio_bias == PortfolioBias.LONG else -1
        upper = 0 if portfolio_bias == PortfolioBias.SHORT else 1
        self.optimizer = optimizer if optimizer is not None else MinimumVariancePortfolioOptimizer(lower, upper, target_return)
        self.symbol_data_by_symbol: dict[Any, _ReturnsWindow] = {}

    def should_create_target_for_insight(self, insight: Insight) -> bool:
        if not PortfolioConstructionModel.filter_invalid_insight_magnitude(self.algorithm, [insight]):
            return False
        if insight.magnitude is None:
            raise ValueError("MeanVarianceOptimizationPortfolioConstructionModel does not accept 'None' as Insight.magnitude. "
                             "Please checkout the selected Alpha Model specifications.")
        window = self.symbol_data_by_symbol.get(insight.symbol)
        if window is None:
            window = self.symbol_data_by_symbol[insight.symbol] = _ReturnsWindow(insight.symbol, self.lookback, self.period)
        window.add(self.algorithm.time, insight.magnitude)
        return True

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        targets: dict[Insight, float] = {}
        if not active_insights:
            return targets
        symbols = {insight.symbol for insight in active_insights}
        returns = pd.DataFrame({str(s.id): data.return_ for s, data in self.symbol_data_by_symbol.items() if s in symbols})
        weights = pd.Series(self.optimizer.optimize(returns), index=returns.columns)
        for insight in active_insights:
            weight = float(weights[str(insight.symbol.id)])
            if self.portfolio_bias != PortfolioBias.LONG_SHORT and _sign(weight) != int(self.portfolio_bias):
                weight = 0.0
            targets[insight] = weight
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        super().on_securities_changed(algorithm, changes)
        for removed in changes.removed_securities:
            window = self.symbol_data_by_symbol.pop(removed.symbol, None)
            if window is not None:
                window.reset()
        added = [s for s in changes.added_securities if s.symbol not in self.symbol_data_by_symbol]
        _warm_up(algorithm, self.symbol_data_by_symbol, added, self.lookback * self.period, self.resolution,
                 lambda symbol: _ReturnsWindow(symbol, self.lookback, self.period))


class RiskParityPortfolioConstructionModel(PortfolioConstructionModel):
    """Risk-parity weights over the last ``period`` rates of change of the insights' symbols (long only)."""

    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
                 lookback: int = 1, period: int = 252, resolution: Any = Resolution.DAILY, optimizer: Any = None) -> None:
        super().__init__(_rebalance_argument(rebalance))
        if portfolio_bias == PortfolioBias.SHORT:
            raise ValueError("Long position must be allowed in RiskParityPortfolioConstructionModel.")
        self.lookback = lookback
        self.period = period
        self.resolution = Resolution(resolution)
        self.optimizer = optimizer if optimizer is not None else RiskParityPortfolioOptimizer()
        self._symbol_data_by_symbol: dict[Any, _ReturnsWindow] = {}

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        targets: dict[Insight, float] = {}
        if not active_insights:
            return targets
        algorithm = self.algorithm
        symbols = [insight.symbol for insight in active_insights]
        # refresh the windows with the bars that closed since the last rebalance
        history = history_trade_bars(algorithm, symbols, self.lookback * self.period + 1, self.resolution)
        for symbol in symbols:
            window = _ReturnsWindow(symbol, self.lookback, self.period)
            for bar in history.get(symbol, ()):
                window.update(bar.end_time, float(bar.close))
            if window.values:
                self._symbol_data_by_symbol[symbol] = window
        returns = pd.DataFrame({str(s): data.return_ for s, data in self._symbol_data_by_symbol.items() if s in set(symbols)})
        if returns.empty:
            return targets
        weights = pd.Series(self.optimizer.optimize(returns), index=returns.columns)
        for insight in active_insights:
            if str(insight.symbol) in weights.index:
                targets[insight] = float(weights[str(insight.symbol)])
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        super().on_securities_changed(algorithm, changes)
        for removed in changes.removed_securities:
            window = self._symbol_data_by_symbol.pop(removed.symbol, None)
            if window is not None:
                window.reset()
        _warm_up(algorithm, self._symbol_data_by_symbol, list(changes.added_securities), self.lookback * self.period,
                 self.resolution, lambda symbol: _ReturnsWindow(symbol, self.lookback, self.period))


class BlackLittermanOptimizationPortfolioConstructionModel(PortfolioConstructionModel):
    """Black-Litterman: CAPM equilibrium returns blended with the alpha models' views (insight magnitudes), then
    maximum-Sharpe weights."""

    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
                 lookback: int = 1, period: int = 63, resolution: Any = Resolution.DAILY, risk_free_rate: float = 0,
                 delta: float = 2.5, tau: float = 0.05, optimizer: Any = None) -> None:
        super().__init__(_rebalance_argument(rebalance))
        self.lookback = lookback
        self.period = period
        self.resolution = Resolution(resolution)
        self.risk_free_rate = risk_free_rate
        self.delta = delta
        self.tau = tau
        self.portfolio_bias = PortfolioBias(portfolio_bias)
        lower = 0 if portfolio_bias == PortfolioBias.LONG else -1
        upper = 0 if portfolio_bias == PortfolioBias.SHORT else 1
        self.optimizer = optimizer if optimizer is not None else MaximumSharpeRatioPortfolioOptimizer(lower, upper, risk_free_rate)
        self.symbol_data_by_symbol: dict[Any, _ReturnsWindow] = {}

    def should_create_target_for_insight(self, insight: Insight) -> bool:
        return bool(PortfolioConstructionModel.filter_invalid_insight_magnitude(self.algorithm, [insight]))

    def get_target_insights(self) -> list[Insight]:
        algorithm = self.algorithm
        active = [i for i in algorithm.insights.get_active_insights(algorithm.utc_time) if self.should_create_target_for_insight(i)]
        result: list[Insight] = []
        for _, by_model in groupby(sorted(active, key=lambda i: i.source_model or ""), lambda i: i.source_model or ""):
            for _, by_symbol in groupby(sorted(by_model, key=lambda i: str(i.symbol.value)), lambda i: i.symbol):
                result.append(sorted(by_symbol, key=lambda i: i.generated_time_utc)[-1])
        return result

    def determine_target_percent(self, last_active_insights: list[Insight]) -> dict[Insight, float]:
        targets: dict[Insight, float] = {}
        p, q = self.get_views(last_active_insights)
        if p is None or q is None:
            return targets
        returns: dict[Any, pd.Series] = {}
        for insight in last_active_insights:
            symbol = insight.symbol
            window = self.symbol_data_by_symbol.get(symbol) or _ReturnsWindow(symbol, self.lookback, self.period)
            if insight.magnitude is None:
                raise ValueError("BlackLittermanOptimizationPortfolioConstructionModel does not accept 'None' as "
                                 "Insight.magnitude. Please make sure your Alpha Model is generating Insights with the Magnitude property set.")
            window.add(insight.generated_time_utc, insight.magnitude, skip_same_time=True)
            returns[symbol] = window.return_
        frame = pd.DataFrame(returns)
        pi, sigma = self.get_equilibrium_return(frame)
        pi, sigma = self.apply_blacklitterman_master_formula(pi, sigma, p, q)
        weights = pd.Series(self.optimizer.optimize(frame, pi, sigma), index=sigma.columns)
        for symbol, weight in weights.items():
            for insight in last_active_insights:
                if str(insight.symbol) == str(symbol):
                    value = float(weight)
                    if self.portfolio_bias != PortfolioBias.LONG_SHORT and _sign(value) != int(self.portfolio_bias):
                        value = 0.0
                    targets[insight] = value
                    break
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        super().on_securities_changed(algorithm, changes)
        for removed in changes.removed_securities:
            window = self.symbol_data_by_symbol.pop(removed.symbol, None)
            if window is not None:
                window.reset()
        _warm_up(algorithm, self.symbol_data_by_symbol, list(changes.added_securities), self.lookback * self.period,
                 self.resolution, lambda symbol: _ReturnsWindow(symbol, self.lookback, self.period), utc_times=True)

    def apply_blacklitterman_master_formula(self, pi: Any, sigma: pd.DataFrame, p: np.ndarray, q: np.ndarray) -> tuple[Any, pd.DataFrame]:
        ts = self.tau * sigma
        omega = np.dot(np.dot(p, ts), p.T) * np.eye(q.shape[0])
        if np.linalg.det(omega) == 0:
            return pi, sigma
        a = np.dot(np.dot(ts, p.T), np.linalg.inv(np.dot(np.dot(p, ts), p.T) + omega))
        pi_array = np.asarray(pi, dtype=float)
        posterior = np.squeeze(np.asarray(np.expand_dims(pi_array, axis=0).T + np.dot(a, (q - np.expand_dims(np.dot(p, pi_array.T), axis=1)))))
        m = ts - np.dot(np.dot(a, p), ts)
        return posterior, (sigma + m) * self.delta

    def get_equilibrium_return(self, returns: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
        size = len(returns.columns)
        weights = np.array([1 / size] * size)
        covariance = returns.cov() * 252
        annual_return = np.sum(((1 + returns.mean()) ** 252 - 1) * weights)
        annual_variance = np.dot(weights.T, np.dot(covariance, weights))
        risk_aversion = (annual_return - self.risk_free_rate) / annual_variance
        return np.dot(np.dot(risk_aversion, covariance), weights), covariance

    def get_views(self, insights: list[Insight]) -> tuple[np.ndarray | None, np.ndarray | None]:
        try:
            p: dict[Any, dict[Any, float]] = {}
            q: dict[Any, float] = {}
            symbols = list(dict.fromkeys(insight.symbol for insight in insights))
            for model, group_iter in groupby(insights, lambda i: i.source_model):
                group = list(group_iter)
                up = sum(abs(i.magnitude or 0.0) for i in group if i.direction == InsightDirection.UP)
                down = sum(abs(i.magnitude or 0.0) for i in group if i.direction == InsightDirection.DOWN)
                view = up if up > down else down
                if view == 0:
                    continue
                q[model] = view
                p[model] = {}
                for insight in group:
                    p[model][insight.symbol] = int(insight.direction) * abs(insight.magnitude or 0.0) / view
                for symbol in symbols:
                    p[model].setdefault(symbol, 0.0)
            if q:
                return np.array([list(row.values()) for row in p.values()]), np.array([[value] for value in q.values()])
        except (TypeError, ValueError, ZeroDivisionError):
            pass
        return None, None
