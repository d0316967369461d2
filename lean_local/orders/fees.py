"""Fee models: what an order costs, in LEAN's exact decimal arithmetic.

The interface is LEAN's: ``get_order_fee(parameters: OrderFeeParameters) -> OrderFee``. Algorithms may subclass
``FeeModel`` in Python and return ``OrderFee(CashAmount(amount, "USD"))`` with a float amount.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import OrderDirection, OrderType, SecurityType

if TYPE_CHECKING:
    from lean_local.securities.security import Security


def exact(value: Any) -> Decimal:
    """An exact Decimal from an engine Decimal or a user float/int."""
    if isinstance(value, Decimal):
        return value
    return to_decimal(value)


class CashAmount:
    """An amount of one currency."""

    __slots__ = ("_amount", "currency")

    def __init__(self, amount: Any, currency: str = "USD") -> None:
        self._amount = exact(amount)
        self.currency = currency

    @property
    def amount(self) -> float:
        return float(self._amount)

    @property
    def amount_exact(self) -> Decimal:
        return self._amount

    def __repr__(self) -> str:
        return f"{self._amount} {self.currency}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CashAmount) and self._amount == other._amount and self.currency == other.currency

    def __hash__(self) -> int:
        return hash((self._amount, self.currency))


class OrderFee:
    """The fee charged for an order (LEAN's ``OrderFee``); ``value.amount`` is the amount."""

    __slots__ = ("value",)

    def __init__(self, value: CashAmount) -> None:
        self.value = value

    @property
    def amount_exact(self) -> Decimal:
        return self.value.amount_exact

    def __repr__(self) -> str:
        return f"OrderFee({self.value})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrderFee) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)


OrderFee.ZERO = OrderFee(CashAmount(ZERO, "QCC"))  # type: ignore[attr-defined]  # LEAN's null currency


class OrderFeeParameters:
    """What a fee model sees: the security and the order."""

    __slots__ = ("security", "order")

    def __init__(self, security: "Security", order: Any) -> None:
        self.security = security
        self.order = order


class FeeModel:
    """Base fee model: free. Subclass and override ``get_order_fee``."""

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee(CashAmount(ZERO, "USD"))


class ConstantFeeModel(FeeModel):
    """A flat fee per order."""

    def __init__(self, fee: float | Decimal, currency: str = "USD") -> None:
        self._fee = exact(fee)
        self._currency = currency

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee(CashAmount(self._fee, self._currency))


_EQUITY_FEE_PER_SHARE = Decimal("0.005")
_EQUITY_MINIMUM_FEE = Decimal(1)
_EQUITY_MAXIMUM_RATE = Decimal("0.005")
_OPTION_TIERS = (Decimal("0.1"), Decimal("0.05"))
_OPTION_RATES = (Decimal("0.65"), Decimal("0.5"), Decimal("0.25"))
_OPTION_MINIMUM = Decimal("1.0")


def _order_exact(order: Any, name: str) -> Decimal:
    """An order's exact ``<name>_exact`` Decimal (an order-like object without one: its plain member)."""
    value = getattr(order, f"{name}_exact", None)
    return exact(getattr(order, name) if value is None else value)


def order_value(order: Any, security: "Security") -> Decimal:
    """LEAN's ``Order.GetValue``: signed value in the account currency at the order's reference price."""
    getter = getattr(order, "get_value_exact", None)
    if getter is not None:
        result: Decimal = getter(security)
        return result
    return _order_exact(order, "quantity") * security.cache.price * security.symbol_properties.contract_multiplier


def potential_order_price(order: Any, security: "Security") -> Decimal:
    """The premium IB's option schedule looks at: bid for buys and ask for sells on market-type orders."""
    order_type = order.type
    if order_type in (OrderType.TRAILING_STOP, OrderType.STOP_MARKET):
        return _order_exact(order, "stop_price")
    if order_type in (OrderType.MARKET, OrderType.MARKET_ON_OPEN, OrderType.MARKET_ON_CLOSE, OrderType.COMBO_MARKET):
        return security.bid_price_exact if order.direction == OrderDirection.BUY else security.ask_price_exact
    if order_type in (OrderType.STOP_LIMIT, OrderType.LIMIT_IF_TOUCHED, OrderType.LIMIT, OrderType.COMBO_LEG_LIMIT):
        return _order_exact(order, "limit_price")
    return ZERO


def _us_equity_commission(order: Any, security: "Security") -> Decimal:
    """IB's US equity schedule: $0.005 a share, at least $1, at most 0.5% of the trade value."""
    trade_value = abs(order_value(order, security))
    fee = _EQUITY_FEE_PER_SHARE * abs(_order_exact(order, "quantity"))
    maximum = _EQUITY_MAXIMUM_RATE * trade_value
    if fee < _EQUITY_MINIMUM_FEE:
        fee = _EQUITY_MINIMUM_FEE
    elif fee > maximum:
        fee = maximum
    return abs(fee)


class InteractiveBrokersFeeModel(FeeModel):
    """IB's tiered US equity and equity-option commissions (LEAN's default brokerage fee model)."""

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        order = parameters.order
        security = parameters.security
        if order.type == OrderType.OPTION_EXERCISE and security.type == SecurityType.OPTION:
            return OrderFee(CashAmount(ZERO, "USD"))
        quantity = abs(_order_exact(order, "quantity"))
        security_type = security.type
        if security_type == SecurityType.EQUITY:
            return OrderFee(CashAmount(_us_equity_commission(order, security), "USD"))
        if security_type in (SecurityType.OPTION, SecurityType.INDEX_OPTION):
            premium = potential_order_price(order, security)
            if premium >= _OPTION_TIERS[0]:
                rate = _OPTION_RATES[0]
            elif _OPTION_TIERS[1] <= premium < _OPTION_TIERS[0]:
                rate = _OPTION_RATES[1]
            else:
                rate = _OPTION_RATES[2]
            return OrderFee(CashAmount(max(quantity * rate, _OPTION_MINIMUM), "USD"))
        raise ValueError(
            f"InteractiveBrokersFeeModel does not support {security_type.name} securities in lean_local; "
            "set a fee model on the security with security.set_fee_model(...)"
        )


_ALPHA_STREAMS_PER_CONTRACT = {
    SecurityType.FUTURE: Decimal("0.5"), SecurityType.FUTURE_OPTION: Decimal("0.5"), SecurityType.OPTION: Decimal("0.5"),
    SecurityType.INDEX_OPTION: Decimal("0.5"), SecurityType.CFD: ZERO,
}
_ALPHA_STREAMS_FOREX_RATE = Decimal("0.000002")
_ALPHA_STREAMS_CRYPTO_MAKER = Decimal("0.001")
_ALPHA_STREAMS_CRYPTO_TAKER = Decimal("0.002")


class AlphaStreamsFeeModel(FeeModel):
    """Alpha Streams' fees: IB's schedule on US equities, $0.50 a contract on options and futures (commission plus
    clearing), a rate of the order value on forex, maker/taker rates on crypto; option exercise is free."""

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        order = parameters.order
        security = parameters.security
        if order.type == OrderType.OPTION_EXERCISE:
            return OrderFee(CashAmount(ZERO, "USD"))
        security_type = security.type
        quantity = abs(_order_exact(order, "quantity"))
        if security_type in _ALPHA_STREAMS_PER_CONTRACT:
            return OrderFee(CashAmount(_ALPHA_STREAMS_PER_CONTRACT[security_type] * quantity, "USD"))
        if security_type == SecurityType.FOREX:
            return OrderFee(CashAmount(_ALPHA_STREAMS_FOREX_RATE * abs(order_value(order, security)), "USD"))
        if security_type == SecurityType.CRYPTO:
            return self._crypto_fee(order, security, quantity)
        if security_type == SecurityType.EQUITY:
            if security.symbol.id.market != "usa":
                raise KeyError(f"AlphaStreamsFeeModel has no equity fees for market {security.symbol.id.market}")
            return OrderFee(CashAmount(_us_equity_commission(order, security), "USD"))
        raise ValueError(f"AlphaStreamsFeeModel does not support {security_type.name} securities")

    @staticmethod
    def _crypto_fee(order: Any, security: "Security", quantity: Decimal) -> OrderFee:
        """Taker rate at the touch; maker rate for a visible limit order that rests (post-only or not marketable)."""
        properties = getattr(order, "properties", None)
        rate = _ALPHA_STREAMS_CRYPTO_TAKER
        if order.type == OrderType.LIMIT and getattr(properties, "hidden", False) is not True and (
                getattr(properties, "post_only", False) is True or not order.is_marketable):
            rate = _ALPHA_STREAMS_CRYPTO_MAKER
        if order.type == OrderType.LIMIT:
            unit_price = _order_exact(order, "limit_price")
        else:
            unit_price = security.ask_price_exact if order.direction == OrderDirection.BUY else security.bid_price_exact
        unit_price *= exact(security.symbol_properties.contract_multiplier)
        currency = getattr(security.quote_currency, "symbol", security.quote_currency)
        return OrderFee(CashAmount(unit_price * quantity * rate, str(currency)))


class AxosFeeModel(FeeModel):
    """Axos Clearing: a flat amount per share ($0.0035 by default), no minimum."""

    def __init__(self, fees_per_share: float | Decimal | None = None) -> None:
        self._per_share = Decimal("0.0035") if fees_per_share is None else exact(fees_per_share)

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee(CashAmount(self._per_share * abs(_order_exact(parameters.order, "quantity")), "USD"))


def fee_amount(security: "Security", order: Any) -> Decimal:
    """Fee of ``order`` under the security's model, as an exact decimal in the account currency."""
    fee = security.fee_model.get_order_fee(OrderFeeParameters(security, order))
    if isinstance(fee, OrderFee):
        return fee.value.amount_exact
    # a Python model may return something fee-shaped
    return exact(fee.value.amount)


def market_order_fee(security: "Security", quantity: Decimal) -> Decimal:
    """Fee of a hypothetical market order (LEAN's ``GetMarketOrderFees``), used for unrealised profit."""
    from lean_local.orders.order import MarketOrder

    order = MarketOrder(security.symbol, quantity, security.local_time)
    return fee_amount(security, order)
