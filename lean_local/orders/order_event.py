"""LEAN's ``OrderEvent``: a status change or fill of one order, as passed to ``on_order_event``.

The transaction handler fills in, for every event, the order's current ``quantity`` and its limit/stop/trigger
prices and trailing amount (for the order types that have them), and numbers events per order (``id`` = 1, 2, …).
Prices and quantities are normalized on assignment; ``None`` never overwrites an optional price. As in LEAN's
Python API they read as floats; the exact Decimals are the ``*_exact`` members.
"""
from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_to_string, normalize, smart_rounding
from lean_local.enums import OrderDirection, OrderStatus
from lean_local.orders.order import (
    DecimalAsFloat,
    NormalizedDecimal,
    OptionalDecimalAsFloat,
    Order,
    as_decimal,
    currency_symbol,
    pascal_name,
    trailing_amount_text,
)
from lean_local.securities.identifier import is_option_type
from lean_local.securities.symbol import Symbol, to_symbol

if TYPE_CHECKING:
    from lean_local.orders.fees import OrderFee

#: LEAN's ``Currencies.NullCurrency``: the currency of ``OrderFee.Zero``
NULL_CURRENCY = "QCC"


def _opt(value: Decimal | float | int | None) -> Decimal | None:
    return None if value is None else normalize(as_decimal(value))


def fee_amount(fee: Any) -> Decimal:
    """Exact fee amount of an ``OrderFee`` (its ``value.amount_exact`` when offered, else ``value.amount``)."""
    value = fee.value
    exact = getattr(value, "amount_exact", None)
    return as_decimal(exact if exact is not None else value.amount)


def _invariant_datetime(moment: datetime) -> str:
    """``DateTime.ToString()`` with the invariant culture: ``MM/dd/yyyy HH:mm:ss``."""
    return moment.strftime("%m/%d/%Y %H:%M:%S")


class OrderEvent:
    """Order event. Constructors (LEAN's overloads):

    * ``OrderEvent()``
    * ``OrderEvent(order, utc_time, order_fee, message="")`` — status, quantity, direction and fill currency are
      taken from the order; fill price and quantity start at 0.
    * ``OrderEvent(order_id, symbol, utc_time, status, direction, fill_price, fill_quantity, order_fee,
      message="")``
    """

    fill_price = DecimalAsFloat()
    fill_quantity = DecimalAsFloat()
    quantity = DecimalAsFloat()
    stop_price = OptionalDecimalAsFloat()
    trigger_price = OptionalDecimalAsFloat()
    limit_price = OptionalDecimalAsFloat()
    trailing_amount = OptionalDecimalAsFloat()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.order_id = 0
        self.id = 0
        self.symbol: Symbol = Symbol.EMPTY
        self.utc_time: datetime = datetime(1, 1, 1)
        self.status = OrderStatus.NEW
        self.order_fee: OrderFee | Any = None
        self._fill_price = ZERO
        self.fill_price_currency: str | None = None
        self._fill_quantity = ZERO
        self.direction = OrderDirection.BUY
        self.message: str | None = None
        self.is_assignment = False
        self._stop_price: Decimal | None = None
        self._trigger_price: Decimal | None = None
        self._limit_price: Decimal | None = None
        self._quantity = ZERO
        self.is_in_the_money = False
        self._trailing_amount: Decimal | None = None
        self._trailing_as_percentage: bool | None = None
        #: the order ticket (set by the transaction handler; never serialized)
        self.ticket: Any = None
        if not args and not kwargs:
            return
        first = args[0] if args else kwargs.get("order", kwargs.get("order_id"))
        if isinstance(first, Order):
            names: tuple[str, ...] = ("order", "utc_time", "order_fee", "message")
            params = dict(zip(names, args))
            params.update(kwargs)
            order: Order = params["order"]
            self.order_id = order.id
            self.symbol = order.symbol
            self.status = order.status
            self.quantity_exact = order.quantity_exact
            self.direction = order.direction
            self.fill_quantity_exact = ZERO
            self.fill_price_exact = ZERO
            self.fill_price_currency = order.price_currency
            self.utc_time = _as_datetime(params["utc_time"])
            self.order_fee = params["order_fee"]
            self.message = params.get("message", "")
            self.is_assignment = False
            return
        names = ("order_id", "symbol", "utc_time", "status", "direction", "fill_price", "fill_quantity", "order_fee",
                 "message")
        params = dict(zip(names, args))
        params.update(kwargs)
        self.order_id = int(params["order_id"])
        self.symbol = to_symbol(params["symbol"])
        self.utc_time = _as_datetime(params["utc_time"])
        self.status = OrderStatus(params["status"])
        self.direction = OrderDirection(params["direction"])
        self.fill_price_exact = params["fill_price"]
        self.fill_price_currency = ""
        self.fill_quantity_exact = params["fill_quantity"]
        self.order_fee = params["order_fee"]
        self.message = params.get("message", "")
        self.is_assignment = False

    # -- normalized numbers -----------------------------------------------------------------------------------

    fill_price_exact = NormalizedDecimal()
    fill_quantity_exact = NormalizedDecimal()

    @property
    def absolute_fill_quantity_exact(self) -> Decimal:
        return abs(self._fill_quantity)

    @property
    def absolute_fill_quantity(self) -> float:
        return float(self.absolute_fill_quantity_exact)

    quantity_exact = NormalizedDecimal()

    @property
    def stop_price_exact(self) -> Decimal | None:
        return self._stop_price

    @stop_price_exact.setter
    def stop_price_exact(self, value: Decimal | float | int | None) -> None:
        if value is not None:
            self._stop_price = _opt(value)

    @property
    def trigger_price_exact(self) -> Decimal | None:
        return self._trigger_price

    @trigger_price_exact.setter
    def trigger_price_exact(self, value: Decimal | float | int | None) -> None:
        if value is not None:
            self._trigger_price = _opt(value)

    @property
    def limit_price_exact(self) -> Decimal | None:
        return self._limit_price

    @limit_price_exact.setter
    def limit_price_exact(self, value: Decimal | float | int | None) -> None:
        if value is not None:
            self._limit_price = _opt(value)

    @property
    def trailing_amount_exact(self) -> Decimal | None:
        return self._trailing_amount

    @trailing_amount_exact.setter
    def trailing_amount_exact(self, value: Decimal | float | int | None) -> None:
        if value is not None:
            self._trailing_amount = _opt(value)

    @property
    def trailing_as_percentage(self) -> bool | None:
        return self._trailing_as_percentage

    @trailing_as_percentage.setter
    def trailing_as_percentage(self, value: bool | None) -> None:
        if value is not None:
            self._trailing_as_percentage = bool(value)

    # -- helpers ----------------------------------------------------------------------------------------------

    @property
    def order_fee_amount_exact(self) -> Decimal:
        fee = self.order_fee
        if fee is None:
            return ZERO
        return fee_amount(fee)

    @property
    def order_fee_amount(self) -> float:
        return float(self.order_fee_amount_exact)

    def clone(self) -> OrderEvent:
        return copy.copy(self)

    def _text(self, short: bool) -> str:
        currency = currency_symbol(self.fill_price_currency)
        if short:
            parts = [f"{_invariant_datetime(self.utc_time)} OID:{self.order_id} {self.symbol.value} "
                     f"{pascal_name(self.status)} Q:{decimal_to_string(self._quantity)}"]
        else:
            parts = [f"Time: {_invariant_datetime(self.utc_time)} OrderID: {self.order_id} EventID: {self.id} "
                     f"Symbol: {self.symbol.value} Status: {pascal_name(self.status)} "
                     f"Quantity: {decimal_to_string(self._quantity)}"]
        labels = (("FQ:", "FP:", "LP:", "SP:", "TA: ", "TP:", "OF:", "M:", "IA:") if short else
                  ("FillQuantity: ", "FillPrice: ", "LimitPrice: ", "StopPrice: ", "TrailingAmount: ",
                   "TriggerPrice: ", "OrderFee: ", "Message: ", "IsAssignment: "))
        if self._fill_quantity != 0:
            parts.append(f"{labels[0]}{decimal_to_string(self._fill_quantity)}")
            parts.append(f"{labels[1]}{currency}{decimal_to_string(smart_rounding(self._fill_price))}")
        if self._limit_price is not None:
            parts.append(f"{labels[2]}{currency}{decimal_to_string(smart_rounding(self._limit_price))}")
        if self._stop_price is not None:
            parts.append(f"{labels[3]}{currency}{decimal_to_string(smart_rounding(self._stop_price))}")
        if self._trailing_amount is not None:
            text = trailing_amount_text(self._trailing_amount, bool(self.trailing_as_percentage), currency)
            parts.append(f"{labels[4]}{text}")
        if self._trigger_price is not None:
            parts.append(f"{labels[5]}{currency}{decimal_to_string(smart_rounding(self._trigger_price))}")
        if self.order_fee is not None and self.order_fee_amount_exact != 0:
            fee_text = f"{decimal_to_string(normalize(self.order_fee_amount_exact))} {self.order_fee.value.currency}"
            parts.append(f"{labels[6]}{currency if short else ''}{fee_text}")
        if self.message:
            parts.append(f"{labels[7]}{self.message}")
        if is_option_type(self.symbol.security_type):
            parts.append(f"{labels[8]}{self.is_assignment}")
        return " ".join(parts)

    def to_string(self) -> str:
        return self._text(short=False)

    def short_to_string(self) -> str:
        return self._text(short=True)

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"<OrderEvent {self.to_string()}>"


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


__all__ = ["NULL_CURRENCY", "OrderEvent", "fee_amount"]
