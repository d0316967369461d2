"""A position in one security: quantity, average price, realised profit, fees and sales volume.

Exact decimals live in the ``*_exact`` attributes (the engine's accounting); the plain names are floats
for algorithms, matching what LEAN's Python API returns.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO

if TYPE_CHECKING:
    from lean_local.securities.security import Security


class SecurityHolding:
    """LEAN's ``SecurityHolding`` for a single-currency (USD) account."""

    def __init__(self, security: "Security") -> None:
        self._security = security
        self.quantity_exact: Decimal = ZERO
        self.average_price_exact: Decimal = ZERO
        self.price_exact: Decimal = ZERO
        self.total_sale_volume_exact: Decimal = ZERO
        self.profit_exact: Decimal = ZERO
        self.last_trade_profit_exact: Decimal = ZERO
        self.total_fees_exact: Decimal = ZERO
        self.total_dividends_exact: Decimal = ZERO
        self._invested = False
        self.target: Any = None

    # --- engine side ----------------------------------------------------------------------------
    def set_holdings(self, average_price: Decimal, quantity: Decimal) -> None:
        self._invested = abs(quantity) >= self._security.symbol_properties.lot_size
        self.quantity_exact = quantity
        self.average_price_exact = average_price

    def update_market_price(self, price: Decimal) -> None:
        self.price_exact = price

    def add_new_fee(self, fee: Decimal) -> None:
        self.total_fees_exact += fee

    def add_new_profit(self, profit: Decimal) -> None:
        self.profit_exact += profit

    def add_new_sale(self, sale_value: Decimal) -> None:
        self.total_sale_volume_exact += sale_value

    def add_new_dividend(self, dividend: Decimal) -> None:
        self.total_dividends_exact += dividend

    def set_last_trade_profit(self, profit: Decimal) -> None:
        self.last_trade_profit_exact = profit

    def quantity_value(self, quantity: Decimal, price: Decimal | None = None) -> Decimal:
        """Value of ``quantity`` units at ``price`` (default: the last market price), quote currency."""
        used_price = self.price_exact if price is None else price
        return used_price * quantity * self._security.symbol_properties.contract_multiplier

    @property
    def holdings_value_exact(self) -> Decimal:
        if self.quantity_exact == 0:
            return ZERO
        return self.quantity_value(self.quantity_exact)

    @property
    def holdings_cost_exact(self) -> Decimal:
        if self.quantity_exact == 0:
            return ZERO
        return self.quantity_value(self.quantity_exact, self.average_price_exact)

    @property
    def unrealized_profit_exact(self) -> Decimal:
        return self.total_close_profit()

    def total_close_profit(
        self,
        include_fees: bool = True,
        exit_price: Decimal | None = None,
        entry_price: Decimal | None = None,
        quantity: Decimal | None = None,
    ) -> Decimal:
        """Profit if the position were closed now at the bid (long) or ask (short), less liquidation fees."""
        security = self._security
        if quantity is None:
            if not self._invested:
                return ZERO
            quantity = self.quantity_exact
        fees = ZERO
        if include_fees and security.fee_model is not None:
            from lean_local.orders.fees import market_order_fee

            fees = market_order_fee(security, -quantity)
        if self.quantity_exact > 0:
            price = security.bid_price_exact
        else:
            price = security.ask_price_exact
        if price == 0:
            price = security.cache.price
        entry_value = self.quantity_value(quantity, self.average_price_exact if entry_price is None else entry_price)
        exit_value = self.quantity_value(quantity, price if exit_price is None else exit_price)
        return exit_value - entry_value - fees

    # --- algorithm side (floats) ----------------------------------------------------------------
    @property
    def symbol(self) -> Any:
        return self._security.symbol

    @property
    def type(self) -> Any:
        return self._security.type

    @property
    def quantity(self) -> float:
        return float(self.quantity_exact)

    @property
    def absolute_quantity(self) -> float:
        return abs(float(self.quantity_exact))

    @property
    def average_price(self) -> float:
        return float(self.average_price_exact)

    @property
    def price(self) -> float:
        return float(self.price_exact)

    @property
    def invested(self) -> bool:
        return self._invested

    @property
    def hold_stock(self) -> bool:
        return self._invested

    @property
    def is_long(self) -> bool:
        return self.quantity_exact > 0

    @property
    def is_short(self) -> bool:
        return self.quantity_exact < 0

    @property
    def holdings_value(self) -> float:
        return float(self.holdings_value_exact)

    @property
    def absolute_holdings_value(self) -> float:
        return abs(float(self.holdings_value_exact))

    @property
    def holdings_cost(self) -> float:
        return float(self.holdings_cost_exact)

    @property
    def absolute_holdings_cost(self) -> float:
        return abs(float(self.holdings_cost_exact))

    @property
    def unrealized_profit(self) -> float:
        return float(self.unrealized_profit_exact)

    @property
    def unrealized_profit_percent(self) -> float:
        cost = abs(self.holdings_cost_exact)
        if cost == 0:
            return 0.0
        return float(self.unrealized_profit_exact / cost)

    @property
    def total_sale_volume(self) -> float:
        return float(self.total_sale_volume_exact)

    @property
    def total_fees(self) -> float:
        return float(self.total_fees_exact)

    @property
    def total_dividends(self) -> float:
        return float(self.total_dividends_exact)

    @property
    def profit(self) -> float:
        return float(self.profit_exact + self.total_dividends_exact)

    @property
    def net_profit(self) -> float:
        return float(self.profit_exact + self.total_dividends_exact - self.total_fees_exact)

    @property
    def last_trade_profit(self) -> float:
        return float(self.last_trade_profit_exact)

    @property
    def leverage(self) -> float:
        return self._security.leverage

    def __repr__(self) -> str:
        return f"{self._security.symbol}: {self.quantity} @ {self.average_price}"
