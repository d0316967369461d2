"""Concentration limit: no position may exceed a maximum share of the portfolio."""
from __future__ import annotations

import math
from typing import Dict, List

from AlgorithmImports import *


def clip_quantity(quantity: float, price: float, portfolio_value: float, max_weight: float, lot_size: float) -> float:
    """The quantity with the same sign whose value is at most ``max_weight * portfolio_value``, in whole lots
    (unchanged when already within the limit)."""
    if price <= 0 or quantity == 0:
        return quantity
    limit = max(max_weight * portfolio_value, 0.0)
    if abs(quantity) * price <= limit:
        return quantity
    lots = math.floor(limit / price / lot_size + 1e-9) if lot_size > 0 else limit / price
    size = lots * lot_size if lot_size > 0 else lots
    return math.copysign(size, quantity) if size else 0.0


class ConcentrationLimitRiskModel(RiskManagementModel):
    """Clips every position to at most ``max_weight`` of the total portfolio value, long or short.

    Why: a portfolio model driven by scores or optimisation can put most of the book into one name when its signal
    is extreme or its volatility estimate is tiny. A hard per-name limit bounds the damage a single security can do;
    the excess is simply not bought (it is not redistributed to other names).

    Each target whose value (``|quantity| * price * contract multiplier``, prices taken in the account currency) is
    above ``max_weight * total portfolio value`` is replaced by the largest whole-lot quantity of the same sign within
    the limit. With ``include_holdings=True`` (default) positions without a new target are checked too, so a holding
    that grew past the limit is trimmed back to it; set it to ``False`` to check only new targets.

    Args:
        max_weight: largest absolute weight of one position (default 0.20).
        include_holdings: also clip current holdings that have no new target (default ``True``).

    ``clipped`` counts the targets the model has clipped, by symbol.
    """

    def __init__(self, max_weight: float = 0.20, include_holdings: bool = True) -> None:
        super().__init__()
        if max_weight <= 0:
            raise ValueError("ConcentrationLimitRiskModel: max_weight must be positive")
        self.max_weight = max_weight
        self.include_holdings = include_holdings
        self.clipped: Dict[Symbol, int] = {}

    def manage_risk(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> List[IPortfolioTarget]:
        portfolio_value = float(algorithm.portfolio.total_portfolio_value)
        quantities: Dict[Symbol, float] = {}
        if self.include_holdings:
            for kvp in algorithm.securities:
                if kvp.value.invested:
                    quantities[kvp.key] = float(kvp.value.holdings.quantity)
        for target in targets:
            quantities[target.symbol] = float(target.quantity)
        result: List[IPortfolioTarget] = []
        for symbol, quantity in quantities.items():
            security = algorithm.securities[symbol]
            price = float(security.price) * float(security.symbol_properties.contract_multiplier)
            clipped = clip_quantity(quantity, price, portfolio_value, self.max_weight, float(security.symbol_properties.lot_size))
            if clipped != quantity:
                self.clipped[symbol] = self.clipped.get(symbol, 0) + 1
                result.append(PortfolioTarget(symbol, clipped))
        return result
