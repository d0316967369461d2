"""LEAN's order model (``Common/Orders``): the ``Order`` base class, its concrete types and ``create_order``.

Money and quantity members read as ``float`` under LEAN's names, as pythonnet shows C# decimals to Python
algorithms (``order.quantity``, ``order.limit_price``, ...); the exact Decimals the engine computes with are the
``*_exact`` members (``order.quantity_exact``, ``order.limit_price_exact``, ``order.get_value_exact(security)``).
Assigning the plain name accepts float/int/Decimal (floats converted like C#'s ``(decimal)double``).

Field rules that matter for the result file and OrderListHash:

* ``time`` / ``created_time``: UTC submission time (the algorithm's UTC time when the order was requested).
* ``price``: 0 until the first fill, then the quantity-weighted average fill price of all fills (the order ticket
  sets it after every fill); for option exercise orders the strike when in the money. Always normalized
  (trailing zeros dropped), like quantity.
* ``last_fill_time``: UTC time of the latest fill event; ``canceled_time``: of the cancel event;
  ``last_update_time``: of a submitted/update-submitted event that follows an update request.
* ``broker_id``: ``[str(id)]`` once the backtesting brokerage accepted the order.
* ``order_submission_data``: the security's bid, ask and last (``security.close``) at submission, exactly as
  cached (no rounding, scale kept); ``None`` for orders rejected before submission.
* ``price_adjustment_mode``: the data normalization mode of the symbol's subscription (Adjusted = 1 by
  default).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, overload

from lean_local.csharp import DECIMAL_CONTEXT, ZERO, decimal_to_string, normalize, smart_rounding, to_decimal
from lean_local.enums import DataNormalizationMode, OrderDirection, OrderStatus, OrderType, SecurityType
from lean_local.orders.properties import OrderProperties, TimeInForce
from lean_local.securities.symbol import Symbol, to_symbol

if TYPE_CHECKING:
    from lean_local.orders.requests import SubmitOrderRequest, UpdateOrderRequest

#: ``new DateTime()`` in C#: the value of an order's time before it is set
DEFAULT_TIME = datetime(1, 1, 1)

_CURRENCY_SYMBOLS = {
    "USD": "$", "GBP": "₤", "JPY": "¥", "KRW": "₩", "EUR": "€", "NZD": "$", "AUD": "$", "CAD": "$", "CHF": "Fr",
    "HKD": "$", "SGD": "$", "XAG": "Ag", "XAU": "Au", "CNY": "¥", "CZK": "Kč", "DKK": "kr", "HUF": "Ft",
    "INR": "₹", "MXN": "$", "NOK": "kr", "PLN": "zł", "SAR": "﷼", "SEK": "kr", "THB": "฿", "TRY": "₺",
    "TWD": "NT$", "ZAR": "R", "RUB": "₽", "BRL": "R$", "GNF": "Fr", "BTC": "₿", "BCH": "Ƀ", "BSV": "Ɓ",
    "LTC": "Ł", "ETH": "Ξ", "EOS": "ε", "XRP": "✕", "XLM": "*", "ETC": "ξ", "ZRX": "ZRX", "USDT": "₮",
    "ADA": "₳", "SOL": "◎", "DOT": "●", "DOGE": "Ð", "DAI": "◈", "CNH": "¥", "IDR": "Rp", "ALGO": "Ⱥ", "ICP": "∞",
    "XMR": "ɱ", "XTZ": "ꜩ", "IOTA": "ɨ", "MIOTA": "ɨ", "MKR": "Μ", "ZEC": "ⓩ", "DASH": "Đ", "XNO": "Ӿ",
    "REP": "Ɍ", "STEEM": "ȿ", "THETA": "ϑ", "FIL": "⨎", "BAT": "⟁", "LSK": "Ⱡ", "NAV": "Ꞥ",
}


def currency_symbol(currency: str | None) -> str:
    """LEAN's ``Currencies.GetCurrencySymbol``: ``"USD"`` → ``"$"``; unknown codes are returned as is."""
    if not currency:
        return ""
    return _CURRENCY_SYMBOLS.get(currency, currency)


def as_decimal(value: Decimal | float | int | str) -> Decimal:
    """Money/quantity input → Decimal; floats keep 15 significant digits like C#'s ``(decimal)double``."""
    if isinstance(value, bool):
        return Decimal(int(value))
    return to_decimal(value)


class DecimalAsFloat:
    """A C# ``decimal`` member as LEAN's Python API shows it: reading gives a ``float`` (pythonnet converts decimals
    to floats), assigning accepts float/int/Decimal. The exact value lives in ``<name>_exact`` (a Decimal), which
    the engine reads and writes; assignments go through it, so its normalisation rules apply."""

    __slots__ = ("exact_name",)

    def __init__(self) -> None:
        self.exact_name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.exact_name = f"{name}_exact"

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> DecimalAsFloat: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> float: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> DecimalAsFloat | float:
        if instance is None:
            return self
        return float(getattr(instance, self.exact_name))

    def __set__(self, instance: object, value: Decimal | float | int) -> None:
        setattr(instance, self.exact_name, as_decimal(value))


class NormalizedDecimal:
    """An exact C# ``decimal`` member that LEAN normalises when it is set (``Normalize()``: no trailing zeros), stored
    in ``_<name>`` (``price_exact`` → ``_price``)."""

    __slots__ = ("storage",)

    def __init__(self) -> None:
        self.storage = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.storage = "_" + name.removesuffix("_exact")

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> NormalizedDecimal: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> Decimal: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> NormalizedDecimal | Decimal:
        if instance is None:
            return self
        value: Decimal = getattr(instance, self.storage)
        return value

    def __set__(self, instance: object, value: Decimal | float | int) -> None:
        setattr(instance, self.storage, normalize(as_decimal(value)))


class OptionalDecimalAsFloat:
    """:class:`DecimalAsFloat` for a C# ``decimal?`` member: ``None`` reads and writes as ``None``."""

    __slots__ = ("exact_name",)

    def __init__(self) -> None:
        self.exact_name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.exact_name = f"{name}_exact"

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> OptionalDecimalAsFloat: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> float | None: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> OptionalDecimalAsFloat | float | None:
        if instance is None:
            return self
        value = getattr(instance, self.exact_name)
        return None if value is None else float(value)

    def __set__(self, instance: object, value: Decimal | float | int | None) -> None:
        setattr(instance, self.exact_name, None if value is None else as_decimal(value))


def pascal_name(member: Any) -> str:
    """C# enum member name of one of our UPPER_SNAKE IntEnum members (``MARKET_ON_OPEN`` → ``MarketOnOpen``)."""
    return "".join(part.capitalize() for part in member.name.split("_"))


def _fmt(value: Decimal) -> str:
    return decimal_to_string(value)


class OrderSubmissionData:
    """Bid, ask and last price of the security when the order was submitted (kept exactly as given; floats under
    the plain names, exact Decimals under ``*_exact``)."""

    __slots__ = ("bid_price_exact", "ask_price_exact", "last_price_exact")

    bid_price = DecimalAsFloat()
    ask_price = DecimalAsFloat()
    last_price = DecimalAsFloat()

    def __init__(self, bid_price: Decimal | float | int, ask_price: Decimal | float | int,
                 last_price: Decimal | float | int) -> None:
        self.bid_price_exact: Decimal = as_decimal(bid_price)
        self.ask_price_exact: Decimal = as_decimal(ask_price)
        self.last_price_exact: Decimal = as_decimal(last_price)

    def clone(self) -> OrderSubmissionData:
        return OrderSubmissionData(self.bid_price_exact, self.ask_price_exact, self.last_price_exact)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OrderSubmissionData) and self.bid_price_exact == other.bid_price_exact
                and self.ask_price_exact == other.ask_price_exact and self.last_price_exact == other.last_price_exact)

    def __repr__(self) -> str:
        return (f"OrderSubmissionData(bid={self.bid_price_exact}, ask={self.ask_price_exact}, "
                f"last={self.last_price_exact})")


class _OrderIdSet:
    """Insertion-ordered set of order ids (a C# ``HashSet<int>`` filled once, serialized in insertion order)."""

    __slots__ = ("_ids",)

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self._ids: dict[int, None] = dict.fromkeys(ids)

    def add(self, order_id: int) -> bool:
        if order_id in self._ids:
            return False
        self._ids[order_id] = None
        return True

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._ids

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return "{" + ", ".join(map(str, self._ids)) + "}"


class GroupOrderManager:
    """Shared state of the legs of a combo order."""

    quantity = DecimalAsFloat()
    limit_price = DecimalAsFloat()

    def __init__(self, *args: Any) -> None:
        """``GroupOrderManager()``, ``GroupOrderManager(leg_count, quantity, limit_price=0)`` or
        ``GroupOrderManager(id, leg_count, quantity, limit_price=0)``."""
        self.id = 0
        self.count = 0
        self.quantity_exact: Decimal = ZERO
        self.limit_price_exact: Decimal = ZERO
        self.order_ids = _OrderIdSet()
        if not args:
            return
        if len(args) >= 3 and not isinstance(args[2], bool) and len(args) in (3, 4) and _looks_like_id_form(args):
            self.id = int(args[0])
            args = args[1:]
        self.count = int(args[0])
        self.quantity_exact = as_decimal(args[1])
        self.limit_price_exact = as_decimal(args[2]) if len(args) > 2 else ZERO

    @property
    def direction(self) -> OrderDirection:
        if self.quantity_exact > 0:
            return OrderDirection.BUY
        if self.quantity_exact < 0:
            return OrderDirection.SELL
        return OrderDirection.HOLD

    @property
    def absolute_quantity_exact(self) -> Decimal:
        return abs(self.quantity_exact)

    @property
    def absolute_quantity(self) -> float:
        return float(self.absolute_quantity_exact)


def _looks_like_id_form(args: tuple[Any, ...]) -> bool:
    # (id, leg_count, quantity[, limit]) has 4 args, or 3 ints; (leg_count, quantity, limit) has a price third
    if len(args) == 4:
        return True
    return isinstance(args[0], int) and isinstance(args[1], int)


class Order:
    """Base order. Concrete types set :attr:`TYPE`; attribute names follow LEAN's Python API: money and quantity
    members read as floats, their exact Decimals are the ``*_exact`` members."""

    TYPE: ClassVar[OrderType]
    #: JSON names of the members a subclass declares, in C# declaration order (Newtonsoft writes these first)
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("type",)

    price = DecimalAsFloat()
    quantity = DecimalAsFloat()

    def __init__(self, symbol: Symbol | str | None = None, quantity: Decimal | float | int = 0,
                 time: datetime | date | None = None, tag: Any = "", properties: OrderProperties | None = None,
                 group_order_manager: GroupOrderManager | None = None) -> None:
        if isinstance(tag, GroupOrderManager):
            # LEAN overload (symbol, quantity, time, group_order_manager, tag, properties): shift the arguments
            manager = tag
            tag = properties if isinstance(properties, str) else ""
            properties = group_order_manager if isinstance(group_order_manager, OrderProperties) else None
            group_order_manager = manager
        self._id = 0
        self._price = ZERO
        self._quantity = ZERO
        self._incremental_id = 0
        self.group_order_manager: GroupOrderManager | None = group_order_manager
        self.contingent_id = 0
        self.broker_id: list[str] = []
        self.symbol: Symbol = Symbol.EMPTY if symbol is None else to_symbol(symbol)
        self.price_currency = ""
        self.time: datetime = DEFAULT_TIME if time is None else _as_datetime(time)
        self.last_fill_time: datetime | None = None
        self.last_update_time: datetime | None = None
        self.canceled_time: datetime | None = None
        self.status = OrderStatus.NONE
        self.tag: str | None = "" if tag is None else str(tag)
        self.properties: OrderProperties = properties if properties is not None else OrderProperties()
        self.order_submission_data: OrderSubmissionData | None = None
        self.price_adjustment_mode = DataNormalizationMode.RAW
        #: not part of the pinned LEAN version's orders; kept for API compatibility with newer stubs
        self.contingency: Any = None
        self.quantity_exact = as_decimal(quantity)

    # -- identity / numbers -----------------------------------------------------------------------------------

    @property
    def id(self) -> int:
        return self._id

    @id.setter
    def id(self, value: int) -> None:
        self._id = int(value)
        if self._id != 0 and self.group_order_manager is not None:
            self.group_order_manager.order_ids.add(self._id)

    @property
    def type(self) -> OrderType:
        return self.TYPE

    price_exact = NormalizedDecimal()
    quantity_exact = NormalizedDecimal()

    @property
    def absolute_quantity_exact(self) -> Decimal:
        return abs(self.quantity_exact)

    @property
    def absolute_quantity(self) -> float:
        return float(self.absolute_quantity_exact)

    @property
    def direction(self) -> OrderDirection:
        quantity = self.quantity_exact
        if quantity > 0:
            return OrderDirection.BUY
        if quantity < 0:
            return OrderDirection.SELL
        return OrderDirection.HOLD

    @property
    def created_time(self) -> datetime:
        return self.time

    @property
    def time_in_force(self) -> TimeInForce:
        return self.properties.time_in_force

    @property
    def security_type(self) -> SecurityType:
        return self.symbol.id.security_type

    @property
    def value_exact(self) -> Decimal:
        """``quantity * price`` (LEAN's obsolete ``Order.Value``; still serialized)."""
        return DECIMAL_CONTEXT.multiply(self.quantity_exact, self.price_exact)

    @property
    def value(self) -> float:
        return float(self.value_exact)

    @property
    def is_marketable(self) -> bool:
        return self.TYPE in (OrderType.MARKET, OrderType.COMBO_MARKET)

    def get_new_id(self) -> int:
        """Next order-event id for this order (1, 2, …)."""
        self._incremental_id += 1
        return self._incremental_id

    # -- value ------------------------------------------------------------------------------------------------

    def get_value_exact(self, security: Any) -> Decimal:
        """Order value in account currency: the type-specific value × conversion rate × contract multiplier."""
        value = self.get_value_impl(security)
        rate = _attr_decimal(getattr(security, "quote_currency", None), "conversion_rate", Decimal(1))
        multiplier = _attr_decimal(getattr(security, "symbol_properties", None), "contract_multiplier", Decimal(1))
        return DECIMAL_CONTEXT.multiply(DECIMAL_CONTEXT.multiply(value, rate), multiplier)

    def get_value(self, security: Any) -> float:
        """:meth:`get_value_exact` as a float (LEAN's ``Order.GetValue`` seen from Python)."""
        return float(self.get_value_exact(security))

    def get_value_impl(self, security: Any) -> Decimal:
        return DECIMAL_CONTEXT.multiply(self.quantity_exact, _security_price(security))

    def get_default_tag(self) -> str:
        return ""

    # -- updates / copies -------------------------------------------------------------------------------------

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        if request.order_id != self.id:
            raise ValueError("Attempted to apply updates to the incorrect order!")
        if request.quantity_exact is not None:
            self.quantity_exact = request.quantity_exact
        if request.tag is not None:
            self.tag = request.tag

    def clone(self) -> Order:
        order = type(self).__new__(type(self))
        Order.__init__(order)
        self._copy_derived(order)
        self.copy_to(order)
        return order

    def _copy_derived(self, order: Order) -> None:
        """Copy the subclass's own fields (before the base fields, as LEAN's ``Clone`` does)."""

    def copy_to(self, order: Order) -> None:
        order._id = self._id
        order.group_order_manager = self.group_order_manager
        order.time = self.time
        order.last_fill_time = self.last_fill_time
        order.last_update_time = self.last_update_time
        order.canceled_time = self.canceled_time
        order.broker_id = list(self.broker_id)
        order.contingent_id = self.contingent_id
        order.price_exact = self.price_exact
        order.price_currency = self.price_currency
        order.quantity_exact = self.quantity_exact
        order.status = self.status
        order.symbol = self.symbol
        order.tag = self.tag
        order.properties = self.properties.clone()
        order.order_submission_data = (
            self.order_submission_data.clone() if self.order_submission_data is not None else None
        )
        order.price_adjustment_mode = self.price_adjustment_mode
        order._incremental_id = self._incremental_id
        order.contingency = self.contingency

    def __copy__(self) -> Order:
        return self.clone()

    def __deepcopy__(self, memo: dict[int, Any]) -> Order:
        return self.clone()

    # -- factory ----------------------------------------------------------------------------------------------

    @staticmethod
    def create_order(request: SubmitOrderRequest) -> Order:
        """The order a submit request describes, with status New and the request's order id."""
        order_type = request.order_type
        order: Order
        if order_type == OrderType.MARKET:
            order = MarketOrder(request.symbol, request.quantity_exact, request.time, request.tag, request.order_properties)
        elif order_type == OrderType.LIMIT:
            order = LimitOrder(request.symbol, request.quantity_exact, request.limit_price_exact, request.time,
                               request.tag, request.order_properties)
        elif order_type == OrderType.STOP_MARKET:
            order = StopMarketOrder(request.symbol, request.quantity_exact, request.stop_price_exact, request.time,
                                    request.tag, request.order_properties)
        elif order_type == OrderType.STOP_LIMIT:
            order = StopLimitOrder(request.symbol, request.quantity_exact, request.stop_price_exact,
                                   request.limit_price_exact, request.time, request.tag, request.order_properties)
        elif order_type == OrderType.TRAILING_STOP:
            order = TrailingStopOrder(request.symbol, request.quantity_exact, request.stop_price_exact,
                                      request.trailing_amount_exact, request.trailing_as_percentage, request.time,
                                      request.tag, request.order_properties)
        elif order_type == OrderType.LIMIT_IF_TOUCHED:
            order = LimitIfTouchedOrder(request.symbol, request.quantity_exact, request.trigger_price_exact,
                                        request.limit_price_exact, request.time, request.tag, request.order_properties)
        elif order_type == OrderType.MARKET_ON_OPEN:
            order = MarketOnOpenOrder(request.symbol, request.quantity_exact, request.time, request.tag,
                                      request.order_properties)
        elif order_type == OrderType.MARKET_ON_CLOSE:
            order = MarketOnCloseOrder(request.symbol, request.quantity_exact, request.time, request.tag,
                                       request.order_properties)
        elif order_type == OrderType.OPTION_EXERCISE:
            order = OptionExerciseOrder(request.symbol, request.quantity_exact, request.time, request.tag,
                                        request.order_properties)
        elif order_type == OrderType.COMBO_LIMIT:
            order = ComboLimitOrder(request.symbol, request.quantity_exact, request.limit_price_exact, request.time,
                                    request.group_order_manager, request.tag, request.order_properties)
        elif order_type == OrderType.COMBO_LEG_LIMIT:
            order = ComboLegLimitOrder(request.symbol, request.quantity_exact, request.limit_price_exact, request.time,
                                       request.group_order_manager, request.tag, request.order_properties)
        elif order_type == OrderType.COMBO_MARKET:
            order = ComboMarketOrder(request.symbol, request.quantity_exact, request.time, request.group_order_manager,
                                     request.tag, request.order_properties)
        else:
            raise ValueError(f"Unknown order type {order_type!r}")
        order.status = OrderStatus.NEW
        order.id = request.order_id
        return order

    # -- text -------------------------------------------------------------------------------------------------

    def to_string(self) -> str:
        tag = f": {self.tag}" if self.tag else ""
        units = "" if self.quantity_exact == 1 else "s"
        return (f"OrderId: {self.id} (BrokerId: {','.join(self.broker_id)}) {pascal_name(self.status)} "
                f"{pascal_name(self.type)} order for {_fmt(self.quantity_exact)} unit{units} of {self.symbol}{tag}")

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_string()}>"


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _attr_decimal(owner: Any, name: str, default: Decimal) -> Decimal:
    if owner is None:
        return default
    value = getattr(owner, name, None)
    return default if value is None else as_decimal(value)


def _security_price(security: Any) -> Decimal:
    """The security's exact price: its cache's Decimal when it has one, else its (float) ``price``."""
    cache = getattr(security, "cache", None)
    price = getattr(cache, "price", None) if cache is not None else None
    return as_decimal(security.price if price is None else price)


def _currency(order: Order) -> str:
    return currency_symbol(order.price_currency)


def _positional(args: tuple[Any, ...], kwargs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    if len(args) > len(names):
        raise TypeError(f"expected at most {len(names)} positional arguments, got {len(args)}")
    params = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in params:
            raise TypeError(f"got multiple values for argument '{key}'")
        params[key] = value
    return params


class MarketOrder(Order):
    TYPE = OrderType.MARKET

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``MarketOrder(symbol, quantity, time, tag="", properties=None)`` or
        ``MarketOrder(symbol, quantity, time, price, tag="", properties=None)``."""
        if not args and not kwargs:
            super().__init__()
            return
        price = None
        if len(args) > 3 and isinstance(args[3], (Decimal, int, float)) and not isinstance(args[3], bool):
            price = args[3]
            args = args[:3] + args[4:]
        params = _positional(args, kwargs, ("symbol", "quantity", "time", "tag", "properties"))
        price = params.pop("price", price)
        super().__init__(**params)
        if price is not None:
            self.price_exact = price


class MarketOnOpenOrder(Order):
    TYPE = OrderType.MARKET_ON_OPEN


class MarketOnCloseOrder(Order):
    TYPE = OrderType.MARKET_ON_CLOSE

    #: MOC orders must be submitted at least this long before the close (LEAN: 15.5 minutes)
    DEFAULT_SUBMISSION_TIME_BUFFER: ClassVar[timedelta] = timedelta(minutes=15.5)
    #: settable by algorithms (``MarketOnCloseOrder.submission_time_buffer = timedelta(minutes=5)``)
    submission_time_buffer: ClassVar[timedelta] = DEFAULT_SUBMISSION_TIME_BUFFER


class OptionExerciseOrder(Order):
    TYPE = OrderType.OPTION_EXERCISE

    def get_value_impl(self, security: Any) -> Decimal:
        """Exercise quantity × price ÷ contract multiplier (price is the strike once exercised in the money)."""
        get_exercise_quantity = getattr(security, "get_exercise_quantity", None)
        exercise_quantity = (as_decimal(get_exercise_quantity(self.quantity_exact)) if get_exercise_quantity is not None
                             else self.quantity_exact)
        multiplier = _attr_decimal(getattr(security, "symbol_properties", None), "contract_multiplier", Decimal(1))
        return DECIMAL_CONTEXT.divide(DECIMAL_CONTEXT.multiply(exercise_quantity, self.price_exact), multiplier)


def _limit_value(quantity: Decimal, limit_price: Decimal, price: Decimal) -> Decimal:
    """Buy orders are valued at the lower of limit and price, sells at the higher."""
    if quantity < 0:
        return DECIMAL_CONTEXT.multiply(quantity, max(limit_price, price))
    if quantity > 0:
        return DECIMAL_CONTEXT.multiply(quantity, min(limit_price, price))
    return ZERO


class LimitOrder(Order):
    TYPE = OrderType.LIMIT
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("limitPrice", "type")

    limit_price = DecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``LimitOrder(symbol, quantity, limit_price, time, tag="", properties=None)``."""
        params = _positional(args, kwargs, ("symbol", "quantity", "limit_price", "time", "tag", "properties"))
        limit_price = params.pop("limit_price", ZERO)
        super().__init__(**params)
        self.limit_price_exact: Decimal = as_decimal(limit_price)

    @property
    def is_marketable(self) -> bool:
        data = self.order_submission_data
        if data is None:
            return False
        direction = self.direction
        return (direction == OrderDirection.BUY and self.limit_price_exact >= data.ask_price_exact) or (
            direction == OrderDirection.SELL and self.limit_price_exact <= data.bid_price_exact
        )

    def get_value_impl(self, security: Any) -> Decimal:
        return _limit_value(self.quantity_exact, self.limit_price_exact, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.limit_price_exact is not None:
            self.limit_price_exact = request.limit_price_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, LimitOrder)
        order.limit_price_exact = self.limit_price_exact

    def to_string(self) -> str:
        return f"{super().to_string()} at limit {_currency(self)}{_fmt(smart_rounding(self.limit_price_exact))}"


class StopMarketOrder(Order):
    TYPE = OrderType.STOP_MARKET
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("stopPrice", "type")

    stop_price = DecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``StopMarketOrder(symbol, quantity, stop_price, time, tag="", properties=None)``."""
        params = _positional(args, kwargs, ("symbol", "quantity", "stop_price", "time", "tag", "properties"))
        stop_price = params.pop("stop_price", ZERO)
        super().__init__(**params)
        self.stop_price_exact: Decimal = as_decimal(stop_price)

    def get_value_impl(self, security: Any) -> Decimal:
        return _limit_value(self.quantity_exact, self.stop_price_exact, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.stop_price_exact is not None:
            self.stop_price_exact = request.stop_price_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, StopMarketOrder)
        order.stop_price_exact = self.stop_price_exact

    def to_string(self) -> str:
        return f"{super().to_string()} at stop {_currency(self)}{_fmt(smart_rounding(self.stop_price_exact))}"


class StopLimitOrder(Order):
    TYPE = OrderType.STOP_LIMIT
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("stopPrice", "stopTriggered", "limitPrice", "type")

    stop_price = DecimalAsFloat()
    limit_price = DecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``StopLimitOrder(symbol, quantity, stop_price, limit_price, time, tag="", properties=None)``."""
        params = _positional(args, kwargs,
                             ("symbol", "quantity", "stop_price", "limit_price", "time", "tag", "properties"))
        stop_price = params.pop("stop_price", ZERO)
        limit_price = params.pop("limit_price", ZERO)
        super().__init__(**params)
        self.stop_price_exact: Decimal = as_decimal(stop_price)
        self.limit_price_exact: Decimal = as_decimal(limit_price)
        self.stop_triggered = False

    def get_value_impl(self, security: Any) -> Decimal:
        return _limit_value(self.quantity_exact, self.limit_price_exact, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.stop_price_exact is not None:
            self.stop_price_exact = request.stop_price_exact
        if request.limit_price_exact is not None:
            self.limit_price_exact = request.limit_price_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, StopLimitOrder)
        order.stop_price_exact = self.stop_price_exact
        order.limit_price_exact = self.limit_price_exact
        order.stop_triggered = self.stop_triggered

    def to_string(self) -> str:
        currency = _currency(self)
        return (f"{super().to_string()} at stop {currency}{_fmt(smart_rounding(self.stop_price_exact))} "
                f"limit {currency}{_fmt(smart_rounding(self.limit_price_exact))}")


class LimitIfTouchedOrder(Order):
    TYPE = OrderType.LIMIT_IF_TOUCHED
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("type", "triggerPrice", "limitPrice", "triggerTouched")

    trigger_price = DecimalAsFloat()
    limit_price = DecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``LimitIfTouchedOrder(symbol, quantity, trigger_price, limit_price, time, tag="", properties=None)``."""
        params = _positional(args, kwargs,
                             ("symbol", "quantity", "trigger_price", "limit_price", "time", "tag", "properties"))
        trigger_price = params.pop("trigger_price", ZERO)
        limit_price = params.pop("limit_price", ZERO)
        super().__init__(**params)
        self.trigger_price_exact: Decimal = as_decimal(trigger_price if trigger_price is not None else ZERO)
        self.limit_price_exact: Decimal = as_decimal(limit_price)
        self.trigger_touched = False

    def get_value_impl(self, security: Any) -> Decimal:
        return _limit_value(self.quantity_exact, self.limit_price_exact, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.trigger_price_exact is not None:
            self.trigger_price_exact = request.trigger_price_exact
        if request.limit_price_exact is not None:
            self.limit_price_exact = request.limit_price_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, LimitIfTouchedOrder)
        order.trigger_price_exact = self.trigger_price_exact
        order.limit_price_exact = self.limit_price_exact
        order.trigger_touched = self.trigger_touched

    def to_string(self) -> str:
        currency = _currency(self)
        return (f"{super().to_string()} at trigger {currency}{_fmt(smart_rounding(self.trigger_price_exact))} "
                f"limit {currency}{_fmt(smart_rounding(self.limit_price_exact))}")


def trailing_amount_text(trailing_amount: Decimal, as_percentage: bool, currency: str) -> str:
    if as_percentage:
        return f"{_fmt(DECIMAL_CONTEXT.multiply(trailing_amount, Decimal(100)))}%"
    return f"{currency}{_fmt(trailing_amount)}"


class TrailingStopOrder(StopMarketOrder):
    TYPE = OrderType.TRAILING_STOP
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("trailingAmount", "trailingAsPercentage", "type", "stopPrice")

    trailing_amount = DecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``TrailingStopOrder(symbol, quantity, stop_price, trailing_amount, trailing_as_percentage, time,
        tag="", properties=None)`` or ``TrailingStopOrder(symbol, quantity, trailing_amount,
        trailing_as_percentage, time, tag="", properties=None)`` (stop price 0)."""
        if len(args) > 3 and isinstance(args[3], bool):
            args = args[:2] + (ZERO,) + args[2:]
        params = _positional(args, kwargs, ("symbol", "quantity", "stop_price", "trailing_amount",
                                            "trailing_as_percentage", "time", "tag", "properties"))
        trailing_amount = params.pop("trailing_amount", ZERO)
        trailing_as_percentage = params.pop("trailing_as_percentage", False)
        super().__init__(**params)
        self.trailing_amount_exact: Decimal = as_decimal(trailing_amount)
        self.trailing_as_percentage = bool(trailing_as_percentage)

    def get_default_tag(self) -> str:
        text = trailing_amount_text(self.trailing_amount_exact, self.trailing_as_percentage, _currency(self))
        return f"Trailing Amount: {text}"

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.trailing_amount_exact is not None:
            self.trailing_amount_exact = request.trailing_amount_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, TrailingStopOrder)
        order.stop_price_exact = self.stop_price_exact
        order.trailing_amount_exact = self.trailing_amount_exact
        order.trailing_as_percentage = self.trailing_as_percentage

    def to_string(self) -> str:
        currency = _currency(self)
        trailing = trailing_amount_text(self.trailing_amount_exact, self.trailing_as_percentage, currency)
        return (f"{Order.to_string(self)} at stop {currency}{_fmt(smart_rounding(self.stop_price_exact))}. "
                f"Trailing amount: {trailing}")

    @staticmethod
    def try_update_stop_price(current_market_price: Decimal, current_stop_price: Decimal, trailing_amount: Decimal,
                              trailing_as_percentage: bool, direction: OrderDirection) -> tuple[bool, Decimal]:
        """New stop when the market moved more than the trailing distance away from the current stop."""
        if direction == OrderDirection.SELL:
            distance = current_market_price - current_stop_price
        else:
            distance = current_stop_price - current_market_price
        reference = (DECIMAL_CONTEXT.multiply(current_market_price, trailing_amount) if trailing_as_percentage
                     else trailing_amount)
        if distance <= reference:
            return False, ZERO
        return True, TrailingStopOrder.calculate_stop_price(current_market_price, trailing_amount,
                                                            trailing_as_percentage, direction)

    @staticmethod
    def calculate_stop_price(current_market_price: Decimal, trailing_amount: Decimal, trailing_as_percentage: bool,
                             direction: OrderDirection) -> Decimal:
        if trailing_as_percentage:
            factor = 1 + trailing_amount if direction == OrderDirection.BUY else 1 - trailing_amount
            return DECIMAL_CONTEXT.multiply(current_market_price, factor)
        if direction == OrderDirection.BUY:
            return current_market_price + trailing_amount
        return current_market_price - trailing_amount


class ComboOrder(Order):
    """Leg of a combo order: its quantity is stored as a ratio of the group quantity."""

    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("type", "quantity")

    def __init__(self, symbol: Symbol | str | None = None, quantity: Decimal | float | int = 0,
                 time: datetime | date | None = None, group_order_manager: GroupOrderManager | None = None,
                 tag: str | None = "", properties: OrderProperties | None = None) -> None:
        self._ratio = ZERO
        super().__init__(symbol, 0, time, tag, properties, group_order_manager)
        self.group_order_manager = group_order_manager
        self.quantity_exact = as_decimal(quantity)

    @property
    def quantity_exact(self) -> Decimal:
        ratio = getattr(self, "_ratio", ZERO)
        manager = self.group_order_manager
        value = DECIMAL_CONTEXT.multiply(ratio, manager.quantity_exact) if manager is not None else ratio
        return normalize(value)

    @quantity_exact.setter
    def quantity_exact(self, value: Decimal | float | int) -> None:
        amount = as_decimal(value)
        manager = getattr(self, "group_order_manager", None)
        group_quantity = manager.quantity_exact if manager is not None else ZERO
        self._ratio = DECIMAL_CONTEXT.divide(amount, group_quantity) if group_quantity != 0 else amount

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        if request.order_id != self.id:
            raise ValueError("Attempted to apply updates to the incorrect order!")
        if request.tag is not None:
            self.tag = request.tag
        if request.quantity_exact is not None and self.group_order_manager is not None:
            self.group_order_manager.quantity_exact = request.quantity_exact

    def copy_to(self, order: Order) -> None:
        super().copy_to(order)
        if isinstance(order, ComboOrder):
            order._ratio = self._ratio


class ComboMarketOrder(ComboOrder):
    TYPE = OrderType.COMBO_MARKET


class ComboLimitOrder(ComboOrder):
    """Combo leg whose limit price lives on the group (``group_order_manager.limit_price``)."""

    TYPE = OrderType.COMBO_LIMIT

    def __init__(self, symbol: Symbol | str | None = None, quantity: Decimal | float | int = 0,
                 limit_price: Decimal | float | int = 0, time: datetime | date | None = None,
                 group_order_manager: GroupOrderManager | None = None, tag: str | None = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, group_order_manager, tag, properties)
        if group_order_manager is not None:
            group_order_manager.limit_price_exact = as_decimal(limit_price)

    def get_value_impl(self, security: Any) -> Decimal:
        limit = self.group_order_manager.limit_price_exact if self.group_order_manager is not None else ZERO
        return _limit_value(self.quantity_exact, limit, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.limit_price_exact is not None and self.group_order_manager is not None:
            self.group_order_manager.limit_price_exact = request.limit_price_exact


class ComboLegLimitOrder(ComboOrder):
    """Combo leg with its own limit price."""

    TYPE = OrderType.COMBO_LEG_LIMIT
    _DERIVED_JSON: ClassVar[tuple[str, ...]] = ("type", "limitPrice", "quantity")

    limit_price = DecimalAsFloat()

    def __init__(self, symbol: Symbol | str | None = None, quantity: Decimal | float | int = 0,
                 limit_price: Decimal | float | int = 0, time: datetime | date | None = None,
                 group_order_manager: GroupOrderManager | None = None, tag: str | None = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, group_order_manager, tag, properties)
        self.limit_price_exact: Decimal = as_decimal(limit_price)

    def get_value_impl(self, security: Any) -> Decimal:
        return _limit_value(self.quantity_exact, self.limit_price_exact, _security_price(security))

    def apply_update_order_request(self, request: UpdateOrderRequest) -> None:
        super().apply_update_order_request(request)
        if request.limit_price_exact is not None:
            self.limit_price_exact = request.limit_price_exact

    def _copy_derived(self, order: Order) -> None:
        assert isinstance(order, ComboLegLimitOrder)
        order.limit_price_exact = self.limit_price_exact


ORDER_CLASSES: dict[OrderType, type[Order]] = {
    OrderType.MARKET: MarketOrder,
    OrderType.LIMIT: LimitOrder,
    OrderType.STOP_MARKET: StopMarketOrder,
    OrderType.STOP_LIMIT: StopLimitOrder,
    OrderType.MARKET_ON_OPEN: MarketOnOpenOrder,
    OrderType.MARKET_ON_CLOSE: MarketOnCloseOrder,
    OrderType.OPTION_EXERCISE: OptionExerciseOrder,
    OrderType.LIMIT_IF_TOUCHED: LimitIfTouchedOrder,
    OrderType.COMBO_MARKET: ComboMarketOrder,
    OrderType.COMBO_LIMIT: ComboLimitOrder,
    OrderType.COMBO_LEG_LIMIT: ComboLegLimitOrder,
    OrderType.TRAILING_STOP: TrailingStopOrder,
}

__all__ = [
    "DEFAULT_TIME",
    "ComboLegLimitOrder",
    "ComboLimitOrder",
    "ComboMarketOrder",
    "ComboOrder",
    "DecimalAsFloat",
    "GroupOrderManager",
    "LimitIfTouchedOrder",
    "LimitOrder",
    "MarketOnCloseOrder",
    "MarketOnOpenOrder",
    "MarketOrder",
    "ORDER_CLASSES",
    "OptionExerciseOrder",
    "OptionalDecimalAsFloat",
    "Order",
    "OrderSubmissionData",
    "StopLimitOrder",
    "StopMarketOrder",
    "TrailingStopOrder",
    "as_decimal",
    "currency_symbol",
    "pascal_name",
    "trailing_amount_text",
]
