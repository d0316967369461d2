"""``OrderTicket``: the algorithm's handle on one order (LEAN's ``OrderTicket``).

A ticket reads the order's live state (status, quantity, prices, fills) and sends update and cancel requests
through the transaction manager. Money members read as floats; the exact Decimals are the ``*_exact`` members.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_add, decimal_div, decimal_mul
from lean_local.enums import OrderField, OrderResponseErrorCode, OrderStatus, OrderType, SecurityType
from lean_local.orders.order import pascal_name
from lean_local.orders.requests import (
    CancelOrderRequest,
    OrderRequest,
    OrderResponse,
    SubmitOrderRequest,
    UpdateOrderFields,
    UpdateOrderRequest,
)

if TYPE_CHECKING:
    from lean_local.orders.transactions import SecurityTransactionManager

# which order types carry each field, and the order class (by type) that must hold it
_FIELD_TYPES: dict[OrderField, tuple[OrderType, ...]] = {
    OrderField.LIMIT_PRICE: (OrderType.COMBO_LIMIT, OrderType.COMBO_LEG_LIMIT, OrderType.LIMIT, OrderType.STOP_LIMIT,
                             OrderType.LIMIT_IF_TOUCHED),
    OrderField.STOP_PRICE: (OrderType.STOP_LIMIT, OrderType.STOP_MARKET, OrderType.TRAILING_STOP),
    OrderField.TRIGGER_PRICE: (OrderType.LIMIT_IF_TOUCHED,),
    OrderField.TRAILING_AMOUNT: (OrderType.TRAILING_STOP,),
    OrderField.TRAILING_AS_PERCENTAGE: (OrderType.TRAILING_STOP,),
}
# order types whose orders can answer for a field requested on another type (LEAN casts to the field's class)
_COMPATIBLE: dict[OrderType, tuple[OrderType, ...]] = {OrderType.STOP_MARKET: (OrderType.STOP_MARKET, OrderType.TRAILING_STOP)}


class OrderTicket:
    """A handle on one order: status, fills, and update/cancel requests."""

    def __init__(self, transactions: "SecurityTransactionManager", submit_request: SubmitOrderRequest) -> None:
        self._transactions = transactions
        self.submit_request = submit_request
        self._order: Any = None
        self._status_override: OrderStatus | None = None
        self._cancel_request: CancelOrderRequest | None = None
        self._order_events: list[Any] = []
        self._update_requests: list[UpdateOrderRequest] = []
        self._average_fill_price: Decimal = ZERO
        self._quantity_filled: Decimal = ZERO

    # --- state --------------------------------------------------------------------------------------
    @property
    def order_id(self) -> int:
        return int(self.submit_request.order_id)

    @property
    def status(self) -> OrderStatus:
        if self._status_override is not None:
            return self._status_override
        return OrderStatus.NEW if self._order is None else self._order.status

    @property
    def symbol(self) -> Any:
        return self.submit_request.symbol

    @property
    def security_type(self) -> SecurityType:
        return self.submit_request.security_type

    @property
    def quantity_exact(self) -> Decimal:
        quantity: Decimal = self.submit_request.quantity_exact if self._order is None else self._order.quantity_exact
        return quantity

    @property
    def quantity(self) -> float:
        return float(self.quantity_exact)

    @property
    def average_fill_price_exact(self) -> Decimal:
        return self._average_fill_price

    @property
    def average_fill_price(self) -> float:
        return float(self._average_fill_price)

    @property
    def quantity_filled_exact(self) -> Decimal:
        return self._quantity_filled

    @property
    def quantity_filled(self) -> float:
        return float(self._quantity_filled)

    @property
    def quantity_remaining_exact(self) -> Decimal:
        return self.quantity_exact - self._quantity_filled

    @property
    def quantity_remaining(self) -> float:
        return float(self.quantity_remaining_exact)

    @property
    def time(self) -> datetime:
        """UTC time of the most recent request (cancel, else last update, else submit)."""
        return self.get_most_recent_order_request().time

    @property
    def order_type(self) -> OrderType:
        return self.submit_request.order_type

    @property
    def tag(self) -> str | None:
        tag: str | None = self.submit_request.tag if self._order is None else self._order.tag
        return tag

    @property
    def update_requests(self) -> list[UpdateOrderRequest]:
        return list(self._update_requests)

    @property
    def cancel_request(self) -> CancelOrderRequest | None:
        return self._cancel_request

    @property
    def order_events(self) -> list[Any]:
        return list(self._order_events)

    @property
    def has_order(self) -> bool:
        return self._order is not None

    @property
    def order_closed(self) -> bool:
        return self.status.is_closed()

    # --- fields ---------------------------------------------------------------------------------------
    def get(self, field: OrderField) -> Any:
        """An order field (``OrderField.LIMIT_PRICE`` …) as a float; ``TRAILING_AS_PERCENTAGE`` as a bool."""
        value = self.get_exact(field)
        return value if isinstance(value, bool) else float(value)

    def get_exact(self, field: OrderField | str) -> Decimal | bool:
        """:meth:`get` with the exact Decimal. Read from the order once it exists, else from the submit request;
        a field the order type does not have is an error, as in LEAN."""
        field = _as_field(field)
        if self.submit_request.order_type not in _FIELD_TYPES[field]:
            raise ValueError(f"Unable to get field {pascal_name(field)} on order of type "
                             f"{pascal_name(self.submit_request.order_type)}")
        name = field.name.lower()
        if self._order is None:
            source: Any = self.submit_request
        else:
            wanted = self.submit_request.order_type
            if self._order.type not in _COMPATIBLE.get(wanted, (wanted,)):
                raise ValueError(f"Unable to access property {pascal_name(field)} on order of type "
                                 f"{pascal_name(self._order.type)}")
            source = self._order
        if field == OrderField.LIMIT_PRICE and self.submit_request.order_type == OrderType.COMBO_LIMIT and self._order is not None:
            value: Any = self._order.group_order_manager.limit_price_exact
        elif field == OrderField.TRAILING_AS_PERCENTAGE:
            return bool(getattr(source, name))
        else:
            value = getattr(source, f"{name}_exact")
        return value if isinstance(value, Decimal) else Decimal(value)

    # --- requests ---------------------------------------------------------------------------------------
    def update(self, fields: UpdateOrderFields) -> OrderResponse:
        request = UpdateOrderRequest(self._transactions.utc_time, self.submit_request.order_id, fields)
        ticket = self._transactions.update_order(request)
        response: OrderResponse = ticket.update_requests[-1].response
        return response

    def _update_fields(self, tag: str | None, **values: Any) -> OrderResponse:
        fields = UpdateOrderFields(tag=tag)
        for name, value in values.items():
            setattr(fields, name, value)
        return self.update(fields)

    def update_tag(self, tag: str) -> OrderResponse:
        return self._update_fields(tag)

    def update_quantity(self, quantity: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(tag, quantity=quantity)

    def update_limit_price(self, limit_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(tag, limit_price=limit_price)

    def update_stop_price(self, stop_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(tag, stop_price=stop_price)

    def update_trigger_price(self, trigger_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(tag, trigger_price=trigger_price)

    def update_stop_trailing_amount(self, trailing_amount: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(tag, trailing_amount=trailing_amount)

    def cancel(self, tag: str | None = None) -> OrderResponse:
        request = CancelOrderRequest(self._transactions.utc_time, self.order_id, tag)
        if self._cancel_request is not None and not _request_failed(self._cancel_request):
            return OrderResponse.error(request, OrderResponseErrorCode.REQUEST_CANCELED,
                                       f"Order {self.order_id} has already received a cancellation request.")
        ticket = self._transactions.process_request(request)
        assert ticket.cancel_request is not None
        response: OrderResponse = ticket.cancel_request.response
        return response

    def get_most_recent_order_response(self) -> OrderResponse:
        response: OrderResponse = self.get_most_recent_order_request().response
        return response

    def get_most_recent_order_request(self) -> OrderRequest:
        if self._cancel_request is not None:
            return self._cancel_request
        if self._update_requests:
            return self._update_requests[-1]
        return self.submit_request

    # --- engine side ------------------------------------------------------------------------------------
    def add_order_event(self, event: Any) -> None:
        """Record an event; fills update the running filled quantity and the quantity-weighted average price."""
        self._order_events.append(event)
        fill_quantity: Decimal = event.fill_quantity_exact
        if fill_quantity == 0:
            return
        if self._order.type != OrderType.OPTION_EXERCISE:
            filled = decimal_add(self._quantity_filled, fill_quantity)
            weighted = ZERO
            for e in self._order_events:
                if e.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                    weighted = decimal_add(weighted, decimal_mul(abs(e.fill_quantity_exact), e.fill_price_exact))
            average = decimal_div(weighted, abs(filled))
            self._order.price_exact = average
            self._average_fill_price = average
            self._quantity_filled = filled
        elif getattr(event, "is_in_the_money", False):
            self._order.price_exact = self.symbol.id.strike_price
            if event.fill_price_exact != 0:
                self._quantity_filled = decimal_add(self._quantity_filled, fill_quantity)
                self._average_fill_price = self._order.price_exact

    def set_order(self, order: Any) -> None:
        if self._order is not None and self._order.id != order.id:
            raise ValueError("Order id mismatch")
        self._order = order

    def add_update_request(self, request: UpdateOrderRequest) -> None:
        if request.order_id != self.order_id:
            raise ValueError("Received UpdateOrderRequest for incorrect order id.")
        self._update_requests.append(request)

    def try_set_cancel_request(self, request: CancelOrderRequest) -> bool:
        """Accept a cancel request unless a previous one is still in force."""
        if request.order_id != self.order_id:
            raise ValueError("Received CancelOrderRequest for incorrect order id.")
        if self._cancel_request is not None and not _request_failed(self._cancel_request):
            return False
        self._cancel_request = request
        return True

    # --- invalid tickets -----------------------------------------------------------------------------------
    @classmethod
    def invalid_submit_request(cls, transactions: "SecurityTransactionManager", request: SubmitOrderRequest,
                               response: OrderResponse) -> "OrderTicket":
        request.set_response(response)
        ticket = cls(transactions, request)
        ticket._status_override = OrderStatus.INVALID
        return ticket

    @classmethod
    def invalid_update_order_id(cls, transactions: "SecurityTransactionManager",
                                request: UpdateOrderRequest) -> "OrderTicket":
        ticket = cls._unknown_order(transactions, request)
        request.set_response(OrderResponse.unable_to_find_order(request))
        ticket.add_update_request(request)
        return ticket

    @classmethod
    def invalid_cancel_order_id(cls, transactions: "SecurityTransactionManager",
                                request: CancelOrderRequest) -> "OrderTicket":
        ticket = cls._unknown_order(transactions, request)
        request.set_response(OrderResponse.unable_to_find_order(request))
        ticket.try_set_cancel_request(request)
        return ticket

    @classmethod
    def _unknown_order(cls, transactions: "SecurityTransactionManager", request: OrderRequest) -> "OrderTicket":
        submit = SubmitOrderRequest(OrderType.MARKET, SecurityType.BASE, None, 0, 0, 0, datetime.max, request.tag)
        submit.set_response(OrderResponse.unable_to_find_order(request))
        submit.set_order_id(request.order_id)
        ticket = cls(transactions, submit)
        ticket._status_override = OrderStatus.INVALID
        return ticket

    # --- python conveniences ---------------------------------------------------------------------------------
    def __int__(self) -> int:
        response = self.get_most_recent_order_response()
        if response is not None and response.is_error:
            return int(response.error_code)
        return self.order_id

    def __str__(self) -> str:
        requests = 1 + len(self._update_requests) + (1 if self._cancel_request is not None else 0)
        answered = [self.submit_request, *self._update_requests]
        if self._cancel_request is not None:
            answered.append(self._cancel_request)
        responses = sum(1 for r in answered if r.response is not OrderResponse.UNPROCESSED)
        counts = f"Request Count: {requests} Response Count: {responses}"
        return f"{self.order_id}: {self._order} {counts}" if self._order is not None else f"{self.order_id}: {counts}"

    def __repr__(self) -> str:
        return f"OrderTicket(id={self.order_id} {self.order_type.name} {self.symbol} qty={self.quantity} status={self.status.name})"


def _as_field(field: OrderField | str) -> OrderField:
    if isinstance(field, OrderField):
        return field
    return OrderField[str(field).upper()]


def _request_failed(request: OrderRequest) -> bool:
    from lean_local.enums import OrderRequestStatus

    return request.status == OrderRequestStatus.ERROR
