"""Margin and buying power for a margin account (LEAN's ``BuyingPowerModel``/``SecurityMarginModel``).

It answers two questions: is there enough buying power for this order, and how many shares reach a target
fraction of the portfolio once fees are paid. Both follow LEAN's decimal arithmetic so that order sizes match.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import DECIMAL_CONTEXT, ZERO, to_decimal
from lean_local.enums import OrderDirection

if TYPE_CHECKING:
    from lean_local.portfolio import SecurityPortfolioManager
    from lean_local.securities.security import Security

ONE = Decimal(1)


@dataclass
class HasSufficientBuyingPowerForOrderResult:
    is_sufficient: bool
    reason: str = ""


@dataclass
class GetMaximumOrderQuantityResult:
    quantity: Decimal
    reason: str = ""
    is_error: bool = False


def discretely_round_by(value: Decimal, quanta: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``value`` to a multiple of ``quanta`` (LEAN's ``DiscretelyRoundBy``)."""
    if quanta == 0:
        return value
    with_context = DECIMAL_CONTEXT.copy()
    with_context.rounding = rounding
    multiplicand = (value / quanta).to_integral_value(context=with_context)
    return quanta * multiplicand


class BuyingPowerModel:
    """Margin requirements as fractions of position value; ``leverage`` = 1 / initial requirement."""

    def __init__(self, leverage: Any = 1, required_free_buying_power_percent: Any = 0) -> None:
        leverage_d = _exact(leverage)
        if leverage_d < 1:
            raise ValueError("Leverage must be greater than or equal to 1.")
        self._initial_margin_requirement = ONE / leverage_d
        self._maintenance_margin_requirement = ONE / leverage_d
        self.required_free_buying_power_percent = _exact(required_free_buying_power_percent)

    # --- leverage --------------------------------------------------------------------------------
    def get_leverage_exact(self, security: "Security") -> Decimal:
        return ONE / self._initial_margin_requirement

    def get_leverage(self, security: "Security") -> float:
        return float(self.get_leverage_exact(security))

    def set_leverage(self, security: "Security", leverage: Any) -> None:
        leverage_d = _exact(leverage)
        if leverage_d < 1:
            raise ValueError("Leverage must be greater than or equal to 1.")
        margin = ONE / leverage_d
        self._initial_margin_requirement = margin
        self._maintenance_margin_requirement = margin

    # --- margin ----------------------------------------------------------------------------------
    def initial_margin_requirement(self, security: "Security", quantity: Decimal) -> Decimal:
        return (
            Decimal(1)
            * security.symbol_properties.contract_multiplier
            * security.cache.price
            * quantity
            * self._initial_margin_requirement
        )

    def maintenance_margin(self, security: "Security", quantity: Decimal | None = None) -> Decimal:
        if quantity is None:
            value = security.holdings.holdings_value_exact
        else:
            value = security.holdings.quantity_value(quantity)
        return abs(value) * self._maintenance_margin_requirement

    def initial_margin_required_for_order(self, security: "Security", order: Any) -> Decimal:
        from lean_local.orders.fees import fee_amount

        fees = fee_amount(security, order)
        margin = self.initial_margin_requirement(security, order.quantity_exact)
        sign = (margin > 0) - (margin < 0)
        return margin + sign * fees

    def margin_remaining(self, portfolio: "SecurityPortfolioManager", security: "Security", direction: OrderDirection) -> Decimal:
        total = portfolio.total_portfolio_value_exact
        result = portfolio.get_margin_remaining_exact(total)
        if direction != OrderDirection.HOLD:
            holdings = security.holdings
            if holdings.quantity_exact > 0 and direction == OrderDirection.SELL:
                result += self.maintenance_margin(security) + self.initial_margin_requirement(
                    security, abs(holdings.quantity_exact)
                )
            elif holdings.quantity_exact < 0 and direction == OrderDirection.BUY:
                result += self.maintenance_margin(security) + self.initial_margin_requirement(
                    security, abs(holdings.quantity_exact)
                )
        result -= total * self.required_free_buying_power_percent
        return ZERO if result < 0 else result

    def has_sufficient_buying_power_for_order(
        self, portfolio: "SecurityPortfolioManager", security: "Security", order: Any, quantity_filled: Decimal = ZERO
    ) -> HasSufficientBuyingPowerForOrderResult:
        quantity = order.quantity_exact
        if quantity == 0:
            return HasSufficientBuyingPowerForOrderResult(True)
        holdings_quantity = security.holdings.quantity_exact
        if holdings_quantity * quantity < 0 and abs(holdings_quantity) >= abs(quantity):
            return HasSufficientBuyingPowerForOrderResult(True)
        free_margin = self.margin_remaining(portfolio, security, order.direction)
        required = self.initial_margin_required_for_order(security, order)
        percent_unfilled = (abs(quantity) - abs(quantity_filled)) / abs(quantity)
        required_remaining = percent_unfilled * required
        if abs(required_remaining) > free_margin:
            reason = (
                f"Id: {order.id}, Initial Margin: {_fmt(required_remaining)}, "
                f"Free Margin: {_fmt(free_margin)}"
            )
            return HasSufficientBuyingPowerForOrderResult(False, reason)
        return HasSufficientBuyingPowerForOrderResult(True)

    # --- sizing ----------------------------------------------------------------------------------
    def get_maximum_order_quantity_for_target_buying_power(
        self,
        portfolio: "SecurityPortfolioManager",
        security: "Security",
        target_buying_power: Decimal,
        minimum_order_margin_portfolio_percentage: Decimal,
    ) -> GetMaximumOrderQuantityResult:
        from lean_local.orders.fees import fee_amount
        from lean_local.orders.order import MarketOrder

        total = portfolio.total_portfolio_value_exact
        free_percent = self.required_free_buying_power_percent
        signed_target_final_margin = target_buying_power * (total - total * free_percent)
        if signed_target_final_margin == 0:
            return GetMaximumOrderQuantityResult(-security.holdings.quantity_exact)
        current_used_margin = self.initial_margin_requirement(security, security.holdings.quantity_exact)
        unit_margin = self.initial_margin_requirement(security, ONE)
        if unit_margin == 0:
            return GetMaximumOrderQuantityResult(ZERO, f"The price of the {security.symbol.value} security is zero")
        difference = abs(signed_target_final_margin - current_used_margin)
        if not above_minimum_order_margin_portfolio_percentage(portfolio, minimum_order_margin_portfolio_percentage, difference):
            minimum = total * minimum_order_margin_portfolio_percentage
            reason = (
                f"The target order margin {_fmt(difference)} is less than the minimum {_fmt(minimum)}."
            )
            portfolio.note_minimum_order_margin_skip()
            return GetMaximumOrderQuantityResult(ZERO, reason)
        utc_time = security.exchange.local_time
        last_quantity = ZERO
        while True:
            quantity, target_holdings_margin = self.get_amount_to_order(security, signed_target_final_margin, unit_margin)
            if quantity == 0:
                return GetMaximumOrderQuantityResult(
                    ZERO,
                    f"The order quantity is less than the lot size of {security.symbol_properties.lot_size} "
                    "and has been rounded to zero.",
                )
            order = MarketOrder(security.symbol, quantity, utc_time)
            fees = fee_amount(security, order)
            signed_target_final_margin = (total - fees - total * free_percent) * target_buying_power
            if last_quantity == quantity:
                raise ValueError(
                    f"GetMaximumOrderQuantityForTargetBuyingPower failed to converge on the target margin: "
                    f"{signed_target_final_margin}; the following information can be used to reproduce the issue. "
                    f"Total Portfolio Cash: {portfolio.cash_exact}; Leverage: {self.get_leverage_exact(security)}; "
                    f"Order Fee: {fees}; Lot Size: {security.symbol_properties.lot_size}; "
                    f"Current Holdings: {security.holdings.quantity_exact} @ {security.holdings.average_price_exact}; "
                    f"Target Percentage: %{target_buying_power * 100}; Current price: {security.cache.price}"
                )
            last_quantity = quantity
            if not abs(target_holdings_margin) > abs(signed_target_final_margin):
                break
        return GetMaximumOrderQuantityResult(quantity)

    def get_amount_to_order(self, security: "Security", target_margin: Decimal, margin_for_one_unit: Decimal) -> tuple[Decimal, Decimal]:
        lot_size = security.symbol_properties.lot_size
        order_size = -security.holdings.quantity_exact
        order_size += target_margin / margin_for_one_unit
        rounding = ROUND_CEILING if target_margin < 0 else ROUND_FLOOR
        order_size = discretely_round_by(order_size, lot_size, rounding)
        final_margin = self.initial_margin_requirement(security, order_size + security.holdings.quantity_exact)
        difference = final_margin - target_margin
        while (target_margin < 0 and difference < 0) or (target_margin > 0 and difference > 0):
            order_size += lot_size if target_margin < 0 else -lot_size
            final_margin = self.initial_margin_requirement(security, order_size + security.holdings.quantity_exact)
            new_difference = final_margin - target_margin
            if abs(new_difference) > abs(difference) and (new_difference > 0) == (difference > 0):
                raise ValueError(
                    "BuyingPowerModel().GetAmountToOrder(): margin is being adjusted in the wrong direction. "
                    f"Target margin: {target_margin}; Margin for one unit: {margin_for_one_unit}; "
                    f"Security holdings: {security.holdings.quantity_exact}"
                )
            difference = new_difference
        return order_size, final_margin

    def get_maximum_order_quantity_for_delta_buying_power(
        self,
        portfolio: "SecurityPortfolioManager",
        security: "Security",
        delta_buying_power: Decimal,
        minimum_order_margin_portfolio_percentage: Decimal,
    ) -> GetMaximumOrderQuantityResult:
        used = self.maintenance_margin(security)
        signed_used = used * (1 if security.holdings.quantity_exact > 0 else -1)
        target_buying_power = signed_used + delta_buying_power
        total = portfolio.total_portfolio_value_exact
        target = target_buying_power / total if total != 0 else ZERO
        return self.get_maximum_order_quantity_for_target_buying_power(
            portfolio, security, target, minimum_order_margin_portfolio_percentage
        )

    def get_buying_power(self, portfolio: "SecurityPortfolioManager", security: "Security", direction: OrderDirection) -> Decimal:
        return self.margin_remaining(portfolio, security, direction)

    def get_reserved_buying_power_for_position(self, security: "Security") -> Decimal:
        return self.maintenance_margin(security)


class SecurityMarginModel(BuyingPowerModel):
    """The default equity margin model (leverage 2 in a margin account)."""


class CashBuyingPowerModel(BuyingPowerModel):
    """A cash account: leverage 1, no shorting beyond holdings (simplified to leverage 1 here)."""

    def __init__(self) -> None:
        super().__init__(1)


def above_minimum_order_margin_portfolio_percentage(
    portfolio: "SecurityPortfolioManager", minimum_percentage: Decimal, abs_final_order_margin: Decimal
) -> bool:
    total = portfolio.total_portfolio_value_exact
    minimum_value = total * minimum_percentage
    if minimum_value > abs_final_order_margin and portfolio.get_margin_remaining_exact(total) > 0:
        return False
    return True


class BuyingPowerModelExtensions:
    """LEAN's ``BuyingPowerModelExtensions`` as Python algorithms call it (static methods taking the model first)."""

    @staticmethod
    def above_minimum_order_margin_portfolio_percentage(*args: Any) -> bool:
        """``(model, security, quantity, portfolio, minimum_percentage)``: whether an order of ``quantity`` needs at
        least ``minimum_percentage`` of the portfolio's value as initial margin (always true for a zero minimum);
        ``(portfolio, minimum_percentage, abs_final_order_margin)``: the same test for a known margin."""
        if len(args) == 3:
            portfolio, minimum, margin = args
            return above_minimum_order_margin_portfolio_percentage(portfolio, _exact(minimum), _exact(margin))
        if len(args) != 5:
            raise TypeError("above_minimum_order_margin_portfolio_percentage takes 3 or 5 arguments")
        model, security, quantity, portfolio, minimum = args
        minimum_d = _exact(minimum)
        if minimum_d == 0:
            return True
        margin = abs(model.initial_margin_requirement(security, _exact(quantity)))
        return above_minimum_order_margin_portfolio_percentage(portfolio, minimum_d, margin)


def _exact(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else to_decimal(value)


def _fmt(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")) if value.as_tuple().exponent < -2 else value, "f")  # type: ignore[operator]
