"""Gross exposure, net exposure and leverage caps that scale the whole book down proportionally."""
from __future__ import annotations

import math
from typing import Dict, List, Optional

from AlgorithmImports import *


def exposure_scale(
    values: List[float], portfolio_value: float, max_leverage: Optional[float], max_net_exposure: Optional[float],
    max_gross_exposure: Optional[float],
) -> float:
    """The factor (at most 1) that brings signed position ``values`` within every cap.

    Leverage is the gross exposure ``sum(|value|)`` over ``portfolio_value``; net exposure is ``|sum(value)|`` over
    ``portfolio_value``; ``max_gross_exposure`` caps ``sum(|value|)`` in account currency. Scaling every position by
    the same factor scales all three measures by it, so the smallest of the per-cap factors satisfies all caps.
    A cap of ``None`` is not applied; a non-positive portfolio value allows no exposure at all.
    """
    gross = sum(abs(value) for value in values)
    net = abs(sum(values))
    if gross == 0:
        return 1.0
    if portfolio_value <= 0 and (max_leverage is not None or max_net_exposure is not None):
        return 0.0
    factor = 1.0
    if max_leverage is not None:
        factor = min(factor, max_leverage * portfolio_value / gross)
    if max_net_exposure is not None and net > 0:
        factor = min(factor, max_net_exposure * portfolio_value / net)
    if max_gross_exposure is not None:
        factor = min(factor, max_gross_exposure / gross)
    return max(factor, 0.0)


def scale_quantity(quantity: float, factor: float, lot_size: float) -> float:
    """``quantity * factor`` rounded toward zero to whole lots (so the scaled position never exceeds the cap)."""
    if lot_size <= 0:
        return quantity * factor
    return math.trunc(quantity * factor / lot_size + 1e-9) * lot_size


class ExposureLimitRiskModel(RiskManagementModel):
    """Caps leverage (gross exposure), net exposure and gross notional by scaling every position down by one factor.

    Why: portfolio construction models size each position on its own merits; their sum can still be more levered, or
    more one-sided, than the mandate allows (e.g. at most 1.5x gross and 20% net for a long/short book). Scaling all
    positions by a common factor keeps their relative sizes — the alpha's view — while enforcing the limits.

    On every call the model builds the book the framework is heading to: the new targets' quantities where there are
    targets, the current holdings elsewhere, each valued at ``quantity * price * contract multiplier`` (prices are
    taken in the account currency, as for US equities). If it breaches a cap, every non-zero position of that book is
    scaled by the factor of :func:`exposure_scale` (rounded toward zero to whole lots) and returned as a target, so the
    caps also hold when price moves push an unchanged book over them.

    Args:
        max_leverage: largest gross exposure ``sum(|value|) / portfolio value`` (default 1.0); ``None`` for no cap.
        max_net_exposure: largest net exposure ``|sum(value)| / portfolio value`` (default 1.0); ``None`` for no cap.
        max_gross_exposure: largest ``sum(|value|)`` in account currency (default ``None``: no cap).

    ``last_scale`` is the factor applied by the last call (1.0 when no cap was breached).
    """

    def __init__(
        self, max_leverage: Optional[float] = 1.0, max_net_exposure: Optional[float] = 1.0,
        max_gross_exposure: Optional[float] = None,
    ) -> None:
        super().__init__()
        for name, value in (("max_leverage", max_leverage), ("max_net_exposure", max_net_exposure),
                            ("max_gross_exposure", max_gross_exposure)):
            if value is not None and value < 0:
                raise ValueError(f"ExposureLimitRiskModel: {name} must not be negative")
        self.max_leverage = max_leverage
        self.max_net_exposure = max_net_exposure
        self.max_gross_exposure = max_gross_exposure
        self.last_scale = 1.0

    def manage_risk(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> List[IPortfolioTarget]:
        quantities: Dict[Symbol, float] = {}
        for kvp in algorithm.securities:
            if kvp.value.invested:
                quantities[kvp.key] = float(kvp.value.holdings.quantity)
        for target in targets:
            quantities[target.symbol] = float(target.quantity)
        symbols = [symbol for symbol, quantity in quantities.items() if quantity != 0]
        values: List[float] = []
        for symbol in symbols:
            security = algorithm.securities[symbol]
            values.append(quantities[symbol] * float(security.price) * float(security.symbol_properties.contract_multiplier))
        factor = exposure_scale(
            values, float(algorithm.portfolio.total_portfolio_value), self.max_leverage, self.max_net_exposure,
            self.max_gross_exposure,
        )
        self.last_scale = factor
        if factor >= 1.0:
            return []
        result: List[IPortfolioTarget] = []
        for symbol in symbols:
            lot_size = float(algorithm.securities[symbol].symbol_properties.lot_size)
            result.append(PortfolioTarget(symbol, scale_quantity(quantities[symbol], factor, lot_size)))
        return result
