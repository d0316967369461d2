"""Brokerage models: which fee, fill, margin and benchmark a brokerage implies (LEAN's ``IBrokerageModel``).

``set_brokerage_model`` in an algorithm picks one of these; they configure each security as it is added.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.enums import AccountType, BrokerageMessageType, BrokerageName, Market, OrderType, SecurityType
from lean_local.orders.fees import (
    AlphaStreamsFeeModel, AxosFeeModel, ConstantFeeModel, FeeModel, InteractiveBrokersFeeModel,
)
from lean_local.orders.fills import AlphaStreamsSlippageModel, EquityFillModel, FillModel, NullSlippageModel
from lean_local.securities.buying_power import BuyingPowerModel, CashBuyingPowerModel, SecurityMarginModel

if TYPE_CHECKING:
    from lean_local.securities.security import Security


class FuncBenchmark:
    """A benchmark computed by a function of time (``set_benchmark(lambda t: ...)``)."""

    def __init__(self, function: Any) -> None:
        self._function = function

    def evaluate(self, time: Any) -> Decimal:
        value = self._function(time)
        return value if isinstance(value, Decimal) else Decimal(str(value)) if isinstance(value, int) else _to_decimal(value)

    @property
    def symbol(self) -> None:
        return None


class SecurityBenchmark:
    """The benchmark is a security's price (LEAN's default: SPY)."""

    def __init__(self, security: "Security") -> None:
        self.security = security

    def evaluate(self, time: Any) -> Decimal:
        return self.security.cache.price

    @property
    def symbol(self) -> Any:
        return self.security.symbol


def _to_decimal(value: Any) -> Decimal:
    from lean_local.csharp import to_decimal

    return to_decimal(float(value))


class BrokerageMessageEvent:
    """Why a brokerage model refused an order or an update (LEAN's ``BrokerageMessageEvent``)."""

    def __init__(self, type: "BrokerageMessageType | str", code: str, message: str) -> None:
        #: a ``BrokerageMessageType`` (or its LEAN name: Information, Warning, Error, Reconnect, Disconnect)
        self.type = type
        self.code = code
        self.message = message

    @property
    def type_name(self) -> str:
        """The type as C# prints the enum: ``BrokerageMessageType.INFORMATION`` -> "Information"."""
        if isinstance(self.type, BrokerageMessageType):
            return "".join(part.capitalize() for part in self.type.name.split("_"))
        return str(self.type)

    def __str__(self) -> str:
        return f"{self.type_name} - Code: {self.code} - {self.message}"

    def __repr__(self) -> str:
        return f"BrokerageMessageEvent({self.type!r}, {self.code!r}, {self.message!r})"


def ask_brokerage_model(check: Callable[..., Any], *args: Any) -> Any:
    """Call a brokerage model check (``can_submit_order``, ``can_update_order``); Python models written against
    LEAN's API declare its ``out message`` parameter as one more argument, which gets None (they return the
    ``(accepted, message)`` tuple instead)."""
    try:
        parameters = list(inspect.signature(check).parameters.values())
    except (TypeError, ValueError):
        return check(*args)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    takes_varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    if not takes_varargs and len(positional) == len(args) + 1 and positional[-1].default is inspect.Parameter.empty:
        return check(*args, None)
    return check(*args)


def _not_supported(message: str) -> BrokerageMessageEvent:
    return BrokerageMessageEvent("Warning", "NotSupported", message)


class BenchmarkRequest:
    """What a brokerage model asks for when it names the default benchmark: a SPY security."""

    def __init__(self, ticker: str) -> None:
        self.ticker = ticker


class DefaultBrokerageModel:
    """LEAN's default brokerage: IB fees on equities and options, equity fill model, leverage 2, SPY benchmark."""

    required_free_buying_power_percent = Decimal(0)

    def __init__(self, account_type: AccountType = AccountType.MARGIN) -> None:
        self.account_type = AccountType(account_type)

    # --- models -----------------------------------------------------------------------------------------
    def get_leverage(self, security: "Security") -> Decimal:
        if self.account_type == AccountType.CASH:
            return Decimal(1)
        security_type = security.type
        if security_type == SecurityType.CRYPTO_FUTURE:
            return Decimal(25)
        if security_type == SecurityType.EQUITY:
            return Decimal(2)
        if security_type in (SecurityType.FOREX, SecurityType.CFD):
            return Decimal(50)
        return Decimal(1)

    def get_fee_model(self, security: "Security") -> FeeModel:
        if security.type in (SecurityType.EQUITY, SecurityType.OPTION, SecurityType.FUTURE, SecurityType.FUTURE_OPTION):
            return InteractiveBrokersFeeModel()
        return ConstantFeeModel(Decimal(0))

    def get_fill_model(self, security: "Security") -> FillModel:
        if security.type == SecurityType.EQUITY:
            return EquityFillModel()
        return FillModel()

    def get_slippage_model(self, security: "Security") -> Any:
        return NullSlippageModel()

    def get_buying_power_model(self, security: "Security") -> BuyingPowerModel:
        if self.account_type == AccountType.CASH and security.type in (SecurityType.CRYPTO, SecurityType.FOREX):
            return CashBuyingPowerModel()
        return SecurityMarginModel(self.get_leverage(security), self.required_free_buying_power_percent)

    def get_settlement_model(self, security: "Security") -> None:
        return None

    def get_benchmark(self, securities: Any) -> Any:
        return BenchmarkRequest("SPY")

    # --- order checks ----------------------------------------------------------------------------------------
    #: the market of each security type when none is given (LEAN's ``DefaultMarketMap``)
    default_markets: dict[SecurityType, str] = {
        SecurityType.BASE: Market.USA, SecurityType.EQUITY: Market.USA, SecurityType.OPTION: Market.USA,
        SecurityType.FUTURE: Market.CME, SecurityType.FUTURE_OPTION: Market.CME, SecurityType.FOREX: Market.OANDA,
        SecurityType.CFD: Market.OANDA, SecurityType.CRYPTO: Market.COINBASE, SecurityType.CRYPTO_FUTURE: Market.BINANCE,
        SecurityType.INDEX: Market.USA, SecurityType.INDEX_OPTION: Market.USA,
    }

    def can_submit_order(self, security: "Security", order: Any) -> tuple[bool, BrokerageMessageEvent | None]:
        """(accepted, reason): the default brokerage takes every order except MOO on futures."""
        if security.type in (SecurityType.FUTURE, SecurityType.FUTURE_OPTION) and order.type == OrderType.MARKET_ON_OPEN:
            return False, _not_supported("MarketOnOpen orders are not supported for futures and future options.")
        return True, None

    def can_update_order(self, security: "Security", order: Any, request: Any) -> tuple[bool, BrokerageMessageEvent | None]:
        """(accepted, reason): the default brokerage accepts every update."""
        return True, None

    def can_execute_order(self, security: "Security", order: Any) -> bool:
        return True

    def apply_split(self, tickets: list[Any], split: Any) -> None:
        from lean_local.orders.requests import UpdateOrderFields

        factor = split.split_factor_exact
        for ticket in tickets:
            fields = UpdateOrderFields()
            fields.quantity = int(ticket.quantity_exact / factor)
            if ticket.order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT, OrderType.LIMIT_IF_TOUCHED):
                fields.limit_price_exact = ticket.get_exact("limit_price") * factor
            if ticket.order_type in (OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TRAILING_STOP):
                fields.stop_price_exact = ticket.get_exact("stop_price") * factor
            ticket.update(fields)


class InteractiveBrokersBrokerageModel(DefaultBrokerageModel):
    """Interactive Brokers: IB fees, a zero benchmark, and IB's supported order types."""

    _supported = {
        OrderType.MARKET, OrderType.MARKET_ON_OPEN, OrderType.MARKET_ON_CLOSE, OrderType.LIMIT, OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT, OrderType.TRAILING_STOP, OrderType.LIMIT_IF_TOUCHED, OrderType.COMBO_MARKET,
        OrderType.COMBO_LIMIT, OrderType.COMBO_LEG_LIMIT, OrderType.OPTION_EXERCISE,
    }

    def get_benchmark(self, securities: Any) -> Any:
        return FuncBenchmark(lambda time: 0)

    def get_fee_model(self, security: "Security") -> FeeModel:
        return InteractiveBrokersFeeModel()

    def get_leverage(self, security: "Security") -> Decimal:
        if self.account_type == AccountType.CASH:
            return Decimal(1)
        return Decimal(10) if security.type == SecurityType.CFD else super().get_leverage(security)

    def can_submit_order(self, security: "Security", order: Any) -> tuple[bool, BrokerageMessageEvent | None]:
        if order.type not in self._supported:
            return False, _not_supported(f"InteractiveBrokersBrokerageModel does not support {order.type.name} order type.")
        if order.type == OrderType.MARKET_ON_CLOSE and security.type not in (SecurityType.FUTURE, SecurityType.EQUITY, SecurityType.CFD):
            kind = "".join(part.capitalize() for part in security.type.name.split("_"))
            return False, BrokerageMessageEvent(
                "Warning", f"Unsupported order type for {kind} security type",
                "InteractiveBrokers does not support Market-on-Close orders for other security types different than Future and Equity.",
            )
        return True, None

    def can_execute_order(self, security: "Security", order: Any) -> bool:
        return order.security_type != SecurityType.BASE


class AxosClearingBrokerageModel(DefaultBrokerageModel):
    """Axos Clearing: $0.0035/share, equities only, market/limit/MOC orders, a zero benchmark."""

    _supported = {OrderType.LIMIT, OrderType.MARKET, OrderType.MARKET_ON_CLOSE}

    def get_fee_model(self, security: "Security") -> FeeModel:
        return AxosFeeModel()

    def get_benchmark(self, securities: Any) -> Any:
        return FuncBenchmark(lambda time: 0)

    def can_submit_order(self, security: "Security", order: Any) -> tuple[bool, BrokerageMessageEvent | None]:
        if security.type != SecurityType.EQUITY:
            return False, _not_supported(f"The {type(self).__name__} does not support {security.type.name} security type.")
        if order.type not in self._supported:
            return False, _not_supported(f"{type(self).__name__} does not support {order.type.name} order type.")
        if abs(order.quantity_exact) % 1 != 0:
            return False, _not_supported(f"Order quantity must be an integer, given {order.quantity_exact}")
        return True, None


class AlphaStreamsBrokerageModel(DefaultBrokerageModel):
    """Alpha Streams: margin accounts only, Alpha Streams fees and slippage, no leverage except 10x on forex and CFDs,
    immediate settlement; everything else as the default brokerage (SPY benchmark, default order checks)."""

    def __init__(self, account_type: AccountType = AccountType.MARGIN) -> None:
        if AccountType(account_type) == AccountType.CASH:
            raise ValueError("The Alpha Streams brokerage does not currently support Cash trading.")
        super().__init__(account_type)

    def get_fee_model(self, security: "Security") -> FeeModel:
        return AlphaStreamsFeeModel()

    def get_slippage_model(self, security: "Security") -> Any:
        return AlphaStreamsSlippageModel()

    def get_leverage(self, security: "Security") -> Decimal:
        return Decimal(10) if security.type in (SecurityType.FOREX, SecurityType.CFD) else Decimal(1)


_BY_NAME: dict[BrokerageName, type[DefaultBrokerageModel]] = {
    BrokerageName.DEFAULT: DefaultBrokerageModel,
    BrokerageName.INTERACTIVE_BROKERS_BROKERAGE: InteractiveBrokersBrokerageModel,
    BrokerageName.AXOS: AxosClearingBrokerageModel,
    BrokerageName.ALPHA_STREAMS: AlphaStreamsBrokerageModel,
}


def brokerage_model_for(name: BrokerageName, account_type: AccountType = AccountType.MARGIN) -> DefaultBrokerageModel:
    """The model ``set_brokerage_model(BrokerageName.X, AccountType.Y)`` selects."""
    model_type = _BY_NAME.get(BrokerageName(name))
    if model_type is None:
        supported = ", ".join(f"BrokerageName.{n.name}" for n in _BY_NAME)
        raise NotImplementedError(
            f"lean_local does not model BrokerageName.{BrokerageName(name).name} yet; supported: {supported}. "
            "Pass a DefaultBrokerageModel subclass instead to customise fees or fills."
        )
    return model_type(account_type)
