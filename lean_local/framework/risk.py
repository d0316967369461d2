"""Risk management models: adjust (usually flatten) portfolio targets before execution.

Each model returns the targets it overrides; the algorithm lets those replace the portfolio construction
model's targets for the same symbols. Numbers are computed in ``Decimal`` where LEAN uses C# ``decimal``.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import IntEnum
from itertools import groupby
from typing import Any

from lean_local.csharp import DECIMAL_CONTEXT, ZERO, to_decimal
from lean_local.framework.portfolio_target import PortfolioTarget, PortfolioTargetCollection


def _exact(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return to_decimal(float(value))


class PositionSide(IntEnum):
    SHORT = -1
    NONE = 0
    LONG = 1


class RiskManagementModel:
    """Base class: override ``manage_risk(algorithm, targets) -> list[PortfolioTarget]``."""

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        legacy = _subclass_method(self, "ManageRisk")
        if legacy is not None:
            return list(legacy(algorithm, targets) or ())
        raise NotImplementedError(
            "Types deriving from 'RiskManagementModel' must implement the 'manage_risk(self, algorithm, targets)' method."
        )

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        legacy = _subclass_method(self, "OnSecuritiesChanged")
        if legacy is not None:
            legacy(algorithm, changes)


def _subclass_method(model: Any, name: str) -> Any:
    for klass in type(model).__mro__:
        if klass is RiskManagementModel:
            return None
        if name in klass.__dict__:
            return getattr(model, name)
    return None


class NullRiskManagementModel(RiskManagementModel):
    """Changes nothing."""

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        return []


def distinct_by_symbol(*groups: Iterable[Any]) -> list[Any]:
    """Concatenate target lists keeping the first target per symbol (``Concat(...).DistinctBy(t => t.Symbol)``)."""
    seen: set[Any] = set()
    result: list[Any] = []
    for group in groups:
        for target in group:
            if target.symbol not in seen:
                seen.add(target.symbol)
                result.append(target)
    return result


class CompositeRiskManagementModel(RiskManagementModel):
    """Applies several risk models in turn; each sees the targets as adjusted by the ones before it."""

    def __init__(self, *risk_management_models: Any) -> None:
        models: list[Any] = []
        for model in risk_management_models:
            if isinstance(model, (list, tuple)):
                models.extend(model)
            else:
                models.append(model)
        if not models:
            raise ValueError("Must specify at least 1 risk management model for the CompositeRiskManagementModel")
        self._risk_management_models = models

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        current = list(targets)
        for model in self._risk_management_models:
            adjusted = list(model.manage_risk(algorithm, current) or ())
            current = distinct_by_symbol(adjusted, current)
        return current

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for model in self._risk_management_models:
            model.on_securities_changed(algorithm, changes)

    def add_risk_management(self, risk_management_model: Any) -> None:
        self._risk_management_models.append(risk_management_model)


def unrealized_profit_percent(security: Any) -> Decimal:
    """``SecurityHolding.UnrealizedProfitPercent`` in decimal: unrealized profit over absolute holdings cost."""
    holdings = security.holdings
    cost = abs(holdings.holdings_cost_exact)
    if cost == 0:
        return ZERO
    return DECIMAL_CONTEXT.divide(holdings.unrealized_profit_exact, cost)


def _invested_securities(algorithm: Any) -> list[Any]:
    return [security for security in list(algorithm.securities.values()) if security.invested]


class MaximumDrawdownPercentPerSecurity(RiskManagementModel):
    """Flattens (and cancels the insights of) any holding whose unrealized loss exceeds the limit."""

    def __init__(self, maximum_drawdown_percent: Any = Decimal("0.05")) -> None:
        self.maximum_drawdown_percent = -abs(_exact(maximum_drawdown_percent))

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        result: list[Any] = []
        for security in _invested_securities(algorithm):
            if unrealized_profit_percent(security) < self.maximum_drawdown_percent:
                algorithm.insights.cancel([security.symbol])
                result.append(PortfolioTarget(security.symbol, 0))
        return result


class MaximumUnrealizedProfitPercentPerSecurity(RiskManagementModel):
    """Takes profit: flattens any holding whose unrealized profit exceeds the limit."""

    def __init__(self, maximum_unrealized_profit_percent: Any = Decimal("0.05")) -> None:
        self.maximum_unrealized_profit_percent = abs(_exact(maximum_unrealized_profit_percent))

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        result: list[Any] = []
        for security in _invested_securities(algorithm):
            if unrealized_profit_percent(security) > self.maximum_unrealized_profit_percent:
                algorithm.insights.cancel([security.symbol])
                result.append(PortfolioTarget(security.symbol, 0))
        return result


class MaximumDrawdownPercentPortfolio(RiskManagementModel):
    """Flattens every current target when the portfolio value falls the given percent below its start (or its
    high-water mark when ``is_trailing``)."""

    def __init__(self, maximum_drawdown_percent: Any = Decimal("0.05"), is_trailing: bool = False) -> None:
        self.maximum_drawdown_percent = -abs(_exact(maximum_drawdown_percent))
        self.is_trailing = is_trailing
        self.initialised = False
        self.portfolio_high = ZERO

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        current = algorithm.portfolio.total_portfolio_value_exact
        if not self.initialised:
            self.portfolio_high = current
            self.initialised = True
        if self.is_trailing and self.portfolio_high < current:
            self.portfolio_high = current
            return []
        drawdown = self.get_total_drawdown_percent(current)
        if drawdown < self.maximum_drawdown_percent and len(targets) != 0:
            self.initialised = False
            result: list[Any] = []
            for target in targets:
                algorithm.insights.cancel([target.symbol])
                result.append(PortfolioTarget(target.symbol, 0))
            return result
        return []

    def get_total_drawdown_percent(self, current_value: Decimal) -> Decimal:
        return DECIMAL_CONTEXT.divide(current_value, self.portfolio_high) - Decimal("1.0")


class TrailingStopRiskManagementModel(RiskManagementModel):
    """Flattens a position once its value falls the given percent from the best value seen since it was opened."""

    class HoldingsState:
        def __init__(self, position: PositionSide, absolute_holdings_value: Decimal) -> None:
            self.position = position
            self.absolute_holdings_value = absolute_holdings_value

    def __init__(self, maximum_drawdown_percent: Any = Decimal("0.05")) -> None:
        self.maximum_drawdown_percent = abs(_exact(maximum_drawdown_percent))
        self.trailing_absolute_holdings_state: dict[Any, TrailingStopRiskManagementModel.HoldingsState] = {}

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        result: list[Any] = []
        for security in list(algorithm.securities.values()):
            symbol = security.symbol
            if not security.invested:
                self.trailing_absolute_holdings_state.pop(symbol, None)
                continue
            holdings = security.holdings
            position = PositionSide.LONG if holdings.is_long else PositionSide.SHORT
            absolute_value = abs(holdings.holdings_value_exact)
            state = self.trailing_absolute_holdings_state.get(symbol)
            if state is None or position != state.position:
                state = TrailingStopRiskManagementModel.HoldingsState(position, abs(holdings.holdings_cost_exact))
                self.trailing_absolute_holdings_state[symbol] = state
            trailing = state.absolute_holdings_value
            if (position == PositionSide.LONG and trailing < absolute_value) or (position == PositionSide.SHORT and trailing > absolute_value):
                state.absolute_holdings_value = absolute_value
                continue
            drawdown = abs(DECIMAL_CONTEXT.divide(trailing - absolute_value, trailing))
            if self.maximum_drawdown_percent < drawdown:
                algorithm.insights.cancel([symbol])
                self.trailing_absolute_holdings_state.pop(symbol, None)
                result.append(PortfolioTarget(symbol, 0))
        return result


def _fundamentals(security: Any) -> Any:
    return getattr(security, "fundamentals", None)


def _has_fundamental_data(security: Any) -> bool:
    fundamentals = _fundamentals(security)
    return fundamentals is not None and bool(getattr(fundamentals, "has_fundamental_data", False))


class MaximumSectorExposureRiskManagementModel(RiskManagementModel):
    """Scales down the targets of any sector (Morningstar industry template code) whose absolute exposure exceeds
    the given fraction of the portfolio. Needs securities with fine fundamental data."""

    def __init__(self, maximum_sector_exposure: float = 0.20) -> None:
        if maximum_sector_exposure <= 0:
            raise ValueError("MaximumSectorExposureRiskManagementModel: the maximum sector exposure cannot be a non-positive value.")
        self.maximum_sector_exposure = maximum_sector_exposure
        self.targets_collection = PortfolioTargetCollection()

    def manage_risk(self, algorithm: Any, targets: list[Any]) -> list[Any]:
        maximum_value = float(algorithm.portfolio.total_portfolio_value) * self.maximum_sector_exposure
        self.targets_collection.add_range(targets)
        risk_targets: list[Any] = []
        securities = [s for s in _active_securities(algorithm) if _has_fundamental_data(s)]

        def sector(security: Any) -> Any:
            return _fundamentals(security).company_reference.industry_template_code

        securities.sort(key=sector)
        for _, group in groupby(securities, sector):
            quantities: dict[Any, float] = {}
            sector_value = 0.0
            for security in group:
                symbol = security.symbol
                quantities[symbol] = security.holdings.quantity
                value = security.holdings.absolute_holdings_value
                if self.targets_collection.contains_key(symbol):
                    quantities[symbol] = self.targets_collection[symbol].quantity
                    value = security.price * abs(quantities[symbol]) * float(security.symbol_properties.contract_multiplier)
                sector_value += float(value)
            ratio = sector_value / maximum_value
            if ratio > 1:
                for symbol, quantity in quantities.items():
                    if quantity != 0:
                        risk_targets.append(PortfolioTarget(symbol, float(quantity) / ratio))
        return risk_targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        if not any(_has_fundamental_data(s) for s in _active_securities(algorithm)):
            raise RuntimeError(
                "MaximumSectorExposureRiskManagementModel.on_securities_changed: Please select a portfolio selection "
                "model that selects securities with fundamental data."
            )


def _active_securities(algorithm: Any) -> list[Any]:
    active = getattr(algorithm, "active_securities", None)
    if active is None:
        return list(algorithm.securities.values())
    values = active.values() if hasattr(active, "values") else active
    return [getattr(item, "value", item) for item in values]
