"""Portfolio targets: a desired holding per symbol, and LEAN's percent-of-portfolio sizing.

``percent_target`` is LEAN's ``PortfolioTarget.Percent``: the share count that brings a security to a fraction
of the portfolio after the free-cash buffer, leverage and fees, as computed by the security's buying power
model. ``set_holdings`` and the framework's portfolio construction models size orders with it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import OrderStatus

if TYPE_CHECKING:
    from lean_local.algorithm import QCAlgorithm
    from lean_local.securities.security import Security


class IPortfolioTarget:
    """LEAN's portfolio target interface (``symbol``, ``quantity``, ``tag``): the type framework models annotate their
    targets with (``targets: List[IPortfolioTarget]``)."""


class PortfolioTarget(IPortfolioTarget):
    """A target quantity (shares) for a symbol. ``PortfolioTarget.percent`` builds one from a weight."""

    def __init__(self, symbol: Any, quantity: Any, tag: str = "") -> None:
        self.symbol = symbol
        self.quantity_exact = quantity if isinstance(quantity, Decimal) else to_decimal(float(quantity)) if not isinstance(quantity, int) else Decimal(quantity)
        self.tag = tag

    @property
    def quantity(self) -> float:
        return float(self.quantity_exact)

    @staticmethod
    def percent(algorithm: "QCAlgorithm", symbol: Any, percent: Any, return_delta_quantity: bool = False, tag: str = "") -> "PortfolioTarget | None":
        weight = percent if isinstance(percent, Decimal) else to_decimal(float(percent))
        return percent_target(algorithm, algorithm.resolve_symbol(symbol), weight, return_delta_quantity, tag)

    def __repr__(self) -> str:
        return f"{self.symbol}: {self.quantity_exact}"

    def __str__(self) -> str:
        tag = f" ({self.tag})" if self.tag else ""
        return f"{self.symbol}: {self.quantity_exact}{tag}"


def percent_target(
    algorithm: "QCAlgorithm", symbol: Any, percent: Decimal, return_delta_quantity: bool = False, tag: str = ""
) -> PortfolioTarget | None:
    settings = algorithm.settings
    absolute = abs(percent)
    if absolute > to_decimal(settings.max_absolute_portfolio_target_percentage) or (
        absolute != 0 and absolute < to_decimal(settings.min_absolute_portfolio_target_percentage)
    ):
        algorithm.error(
            f"The portfolio target percent: {percent}, does not comply with the current "
            f"'Algorithm.Settings' 'MaxAbsolutePortfolioTargetPercentage': {settings.max_absolute_portfolio_target_percentage}"
            f" or 'MinAbsolutePortfolioTargetPercentage': {settings.min_absolute_portfolio_target_percentage}. Skipping"
        )
        return None
    security = algorithm.securities.get(symbol)
    if security is None:
        algorithm.error(f"{symbol} not found in portfolio. Request this data when initializing the algorithm.")
        return None
    if security.cache.price == 0:
        algorithm.error(f"The order quantity for {symbol.value} cannot be calculated: the price of the security is zero.")
        return None
    portfolio = algorithm.portfolio
    adjusted = percent * portfolio.total_portfolio_value_less_free_buffer_exact / portfolio.total_portfolio_value_exact
    model = security.buying_power_model
    target_final_margin_percentage = adjusted / model.get_leverage_exact(security)
    result = model.get_maximum_order_quantity_for_target_buying_power(
        portfolio, security, target_final_margin_percentage, settings.minimum_order_margin_portfolio_percentage_exact
    )
    if result.is_error:
        algorithm.error(
            f"Unable to compute order quantity of {symbol}. Reason: {result.reason} Returning null."
        )
        return None
    if portfolio.minimum_order_margin_warning_state is False:
        portfolio.minimum_order_margin_warning_state = True
        algorithm.debug(
            "Warning: Portfolio target order margin is not above the minimum; the order was skipped. "
            "Setting 'Settings.MinimumOrderMarginPortfolioPercentage' to 0 allows every order."
        )
    lot = security.symbol_properties.lot_size
    lots = result.quantity / lot
    quantity = lots * lot + (ZERO if return_delta_quantity else security.holdings.quantity_exact)
    return PortfolioTarget(symbol, quantity, tag)


def adjust_by_lot_size(security: "Security", quantity: Decimal) -> Decimal:
    """Round a quantity down to whole lots, forgiving a one-in-a-million shortfall (``AdjustByLotSize``)."""
    lot = security.symbol_properties.lot_size
    absolute = abs(quantity)
    remainder = absolute % lot
    if lot - remainder < lot / 1_000_000:
        remainder -= lot
    absolute -= remainder
    sign = (quantity > 0) - (quantity < 0)
    return absolute * sign


def projected_quantity(algorithm: "QCAlgorithm", security: "Security") -> Decimal:
    """Holdings plus the unfilled quantity of open orders (``GetProjectedHoldings``)."""
    open_quantity = sum(
        (t.quantity_remaining_exact for t in algorithm.transactions.get_open_order_tickets(lambda t: t.symbol == security.symbol)),
        ZERO,
    )
    return security.holdings.quantity_exact + open_quantity


def unordered_quantity(algorithm: "QCAlgorithm", target: PortfolioTarget, security: "Security | None" = None) -> Decimal:
    """Quantity still to order to reach ``target`` (``OrderSizing.GetUnorderedQuantity``)."""
    security = security or algorithm.securities[target.symbol]
    return adjust_by_lot_size(security, target.quantity_exact - projected_quantity(algorithm, security))


_ = OrderStatus


class PortfolioTargetCollection:
    """Targets by symbol; adding a target for a symbol replaces the previous one (``PortfolioTargetCollection``)."""

    def __init__(self) -> None:
        self._targets: dict[Any, PortfolioTarget] = {}

    @property
    def count(self) -> int:
        return len(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    @property
    def is_empty(self) -> bool:
        return not self._targets

    @property
    def is_read_only(self) -> bool:
        return False

    @property
    def keys(self) -> list[Any]:
        return list(self._targets)

    @property
    def values(self) -> list[PortfolioTarget]:
        return list(self._targets.values())

    def add(self, target: Any, value: Any = None) -> None:
        if value is not None:
            target = value
        if target is None:
            return
        self._targets[target.symbol] = target

    def add_range(self, targets: Any) -> None:
        for target in targets:
            self._targets[target.symbol] = target

    def clear(self) -> None:
        self._targets.clear()

    def clear_fulfilled(self, algorithm: "QCAlgorithm") -> None:
        for target in list(self._targets.values()):
            security = algorithm.securities[target.symbol]
            if abs(target.quantity_exact - security.holdings.quantity_exact) < security.symbol_properties.lot_size:
                self.remove(target.symbol)

    def contains(self, target: Any) -> bool:
        return target is not None and target.symbol in self._targets

    def contains_key(self, symbol: Any) -> bool:
        return symbol in self._targets

    def __contains__(self, item: object) -> bool:
        if isinstance(item, PortfolioTarget):
            return item.symbol in self._targets
        return item in self._targets

    def remove(self, item: Any) -> bool:
        if isinstance(item, PortfolioTarget):
            existing = self._targets.get(item.symbol)
            if existing is not item:
                return False
            item = item.symbol
        return self._targets.pop(item, None) is not None

    def try_get_value(self, symbol: Any, target: Any = None) -> tuple[bool, PortfolioTarget | None]:
        found = self._targets.get(symbol)
        return found is not None, found

    def __getitem__(self, symbol: Any) -> PortfolioTarget:
        return self._targets[symbol]

    def __setitem__(self, symbol: Any, target: PortfolioTarget) -> None:
        self._targets[symbol] = target

    def __iter__(self) -> Any:
        return iter(list(self._targets.values()))

    def get_enumerator(self) -> Any:
        return iter(self)

    def order_by_margin_impact(self, algorithm: "QCAlgorithm") -> list[PortfolioTarget]:
        if not self._targets:
            return []
        from lean_local.algorithm import order_targets_by_margin_impact

        ordered: list[PortfolioTarget] = order_targets_by_margin_impact(algorithm, list(self._targets.values()))
        return ordered

    def __repr__(self) -> str:
        return f"PortfolioTargetCollection({', '.join(str(t) for t in self._targets.values())})"
