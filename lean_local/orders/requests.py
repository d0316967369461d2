"""Order requests and responses (LEAN's ``OrderRequest`` family, ``UpdateOrderFields``, ``OrderResponse``).

Prices and quantities read as floats (LEAN's Python API); the exact Decimals are the ``*_exact`` members."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_to_string, smart_rounding
from lean_local.enums import OrderRequestStatus, OrderRequestType, OrderResponseErrorCode, OrderType, SecurityType
from lean_local.orders.order import DecimalAsFloat, OptionalDecimalAsFloat, as_decimal, pascal_name
from lean_local.securities.symbol import Symbol, to_symbol

if TYPE_CHECKING:
    from lean_local.orders.order import GroupOrderManager, Order
    from lean_local.orders.properties import OrderProperties

_UNPROCESSED_MESSAGE = "The request has not yet been processed."
_DEFAULT_ERROR_MESSAGE = "An unexpected error occurred."


def _invariant_datetime(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %H:%M:%S")


def _optional_decimal(value: Decimal | float | int | None) -> Decimal | None:
    return None if value is None else as_decimal(value)


class OrderResponse:
    """Result of processing an order request. ``OrderResponse.UNPROCESSED`` until the handler answers."""

    UNPROCESSED: OrderResponse

    def __init__(self, order_id: int, error_code: OrderResponseErrorCode, error_message: str | None) -> None:
        self.order_id = order_id
        self.error_code = OrderResponseErrorCode(error_code)
        self.error_message: str | None = None
        if self.error_code != OrderResponseErrorCode.NONE:
            self.error_message = error_message if error_message is not None else _DEFAULT_ERROR_MESSAGE

    @property
    def is_processed(self) -> bool:
        return self is not OrderResponse.UNPROCESSED

    @property
    def is_error(self) -> bool:
        return self.is_processed and self.error_code != OrderResponseErrorCode.NONE

    @property
    def is_success(self) -> bool:
        return self.is_processed and not self.is_error

    @staticmethod
    def success(request: OrderRequest) -> OrderResponse:
        return OrderResponse(request.order_id, OrderResponseErrorCode.NONE, None)

    @staticmethod
    def error(request: OrderRequest, error_code: OrderResponseErrorCode, error_message: str) -> OrderResponse:
        return OrderResponse(request.order_id, error_code, error_message)

    @staticmethod
    def invalid_status(request: OrderRequest, order: Order) -> OrderResponse:
        return OrderResponse.error(
            request, OrderResponseErrorCode.INVALID_ORDER_STATUS,
            f"Unable to update order with id {request.order_id} because it already has {pascal_name(order.status)} "
            "status.",
        )

    @staticmethod
    def invalid_new_status(request: OrderRequest, order: Order) -> OrderResponse:
        return OrderResponse.error(
            request, OrderResponseErrorCode.INVALID_NEW_ORDER_STATUS,
            f"Unable to update or cancel order with id {request.order_id} and status {pascal_name(order.status)} "
            "because the submit confirmation has not been received yet.",
        )

    @staticmethod
    def unable_to_find_order(request: OrderRequest) -> OrderResponse:
        return OrderResponse.error(request, OrderResponseErrorCode.UNABLE_TO_FIND_ORDER,
                                   f"Unable to locate order with id {request.order_id}.")

    @staticmethod
    def zero_quantity(request: OrderRequest) -> OrderResponse:
        verb = pascal_name(request.order_request_type).lower()
        return OrderResponse.error(request, OrderResponseErrorCode.ORDER_QUANTITY_ZERO,
                                   f"Unable to {verb} order with id {request.order_id} that has zero quantity.")

    @staticmethod
    def missing_security(request: SubmitOrderRequest) -> OrderResponse:
        return OrderResponse.error(
            request, OrderResponseErrorCode.MISSING_SECURITY,
            f"You haven't requested {request.symbol} data. Add this with AddSecurity() in the Initialize() method.",
        )

    @staticmethod
    def warming_up(request: OrderRequest) -> OrderResponse:
        return OrderResponse.error(
            request, OrderResponseErrorCode.ALGORITHM_WARMING_UP,
            "This operation is not allowed in Initialize or during warm up: OrderRequest."
            f"{pascal_name(request.order_request_type)}. Please move this code to the OnWarmupFinished() method.",
        )

    def to_string(self) -> str:
        if self is OrderResponse.UNPROCESSED:
            return "Unprocessed"
        if self.is_error:
            return f"Error: {pascal_name(self.error_code)} - {self.error_message}"
        return "Success"

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"<OrderResponse {self.to_string()}>"


OrderResponse.UNPROCESSED = OrderResponse(-(2**31), OrderResponseErrorCode.NONE, _UNPROCESSED_MESSAGE)


class OrderRequest:
    """Base of submit/update/cancel requests."""

    ORDER_REQUEST_TYPE: OrderRequestType

    def __init__(self, time: datetime | date, order_id: int, tag: str | None) -> None:
        self._time = time if isinstance(time, datetime) else datetime(time.year, time.month, time.day)
        self.order_id = order_id
        self._tag = tag
        self._response = OrderResponse.UNPROCESSED
        self._status = OrderRequestStatus.UNPROCESSED

    @property
    def order_request_type(self) -> OrderRequestType:
        return self.ORDER_REQUEST_TYPE

    @property
    def time(self) -> datetime:
        """UTC time of the request."""
        return self._time

    @property
    def tag(self) -> str | None:
        return self._tag

    @property
    def status(self) -> OrderRequestStatus:
        return self._status

    @property
    def response(self) -> OrderResponse:
        return self._response

    def set_response(self, response: OrderResponse,
                     status: OrderRequestStatus = OrderRequestStatus.ERROR) -> None:
        """Store the response; an error response always marks the request as errored."""
        if response is None:
            raise ValueError("Response can not be null")
        self._status = OrderRequestStatus.ERROR if response.is_error else OrderRequestStatus(status)
        self._response = response

    def to_string(self) -> str:
        return (f"{_invariant_datetime(self.time)} UTC: Order: ({self.order_id}) - {self.tag or ''} "
                f"Status: {pascal_name(self.status)}")

    def __str__(self) -> str:
        return self.to_string()


class SubmitOrderRequest(OrderRequest):
    """Request to submit a new order. ``order_id`` is -10 (``UnableToFindOrder``) until the handler assigns one."""

    ORDER_REQUEST_TYPE = OrderRequestType.SUBMIT

    quantity = DecimalAsFloat()
    stop_price = DecimalAsFloat()
    limit_price = DecimalAsFloat()
    trigger_price = DecimalAsFloat()
    trailing_amount = DecimalAsFloat()

    def __init__(self, order_type: OrderType, security_type: SecurityType, symbol: Symbol | str | None,
                 quantity: Decimal | float | int, stop_price: Decimal | float | int, limit_price: Decimal | float | int,
                 *args: Any, **kwargs: Any) -> None:
        """LEAN's overloads after ``limit_price``: ``(time, tag, properties=None, group_order_manager=None,
        asynchronous=False)``, ``(trigger_price, time, tag, …)`` or ``(trigger_price, trailing_amount,
        trailing_as_percentage, time, tag, …)``."""
        if args and isinstance(args[0], (datetime, date)):
            names: tuple[str, ...] = ("time", "tag", "properties", "group_order_manager", "asynchronous")
        elif len(args) > 1 and isinstance(args[1], (datetime, date)):
            names = ("trigger_price", "time", "tag", "properties", "group_order_manager", "asynchronous")
        else:
            names = ("trigger_price", "trailing_amount", "trailing_as_percentage", "time", "tag", "properties",
                     "group_order_manager", "asynchronous")
        params: dict[str, Any] = dict(zip(names, args))
        params.update(kwargs)
        super().__init__(params["time"], int(OrderResponseErrorCode.UNABLE_TO_FIND_ORDER), params.get("tag", ""))
        self.order_type = OrderType(order_type)
        self.security_type = SecurityType(security_type)
        self.symbol = to_symbol(symbol) if symbol is not None else Symbol.EMPTY
        self.quantity_exact: Decimal = as_decimal(quantity)
        self.stop_price_exact: Decimal = as_decimal(stop_price)
        self.limit_price_exact: Decimal = as_decimal(limit_price)
        self.trigger_price_exact: Decimal = as_decimal(params.get("trigger_price") or ZERO)
        self.trailing_amount_exact: Decimal = as_decimal(params.get("trailing_amount") or ZERO)
        self.trailing_as_percentage = bool(params.get("trailing_as_percentage", False))
        self.order_properties: OrderProperties | None = params.get("properties")
        self.group_order_manager: GroupOrderManager | None = params.get("group_order_manager")
        self.asynchronous = bool(params.get("asynchronous", False))

    def set_order_id(self, order_id: int) -> None:
        self.order_id = order_id

    def to_string(self) -> str:
        from lean_local.orders.order import Order

        proxy = Order.create_order(self)
        return (f"{_invariant_datetime(self.time)} UTC: Submit Order: ({self.order_id}) - {proxy} {self.tag or ''} "
                f"Status: {pascal_name(self.status)} Async: {self.asynchronous}")


class UpdateOrderFields:
    """The fields an update may change; ``None`` leaves a field as it is. Values given as floats are converted
    like C#'s ``(decimal)double`` when set."""

    quantity = OptionalDecimalAsFloat()
    limit_price = OptionalDecimalAsFloat()
    stop_price = OptionalDecimalAsFloat()
    trigger_price = OptionalDecimalAsFloat()
    trailing_amount = OptionalDecimalAsFloat()

    def __init__(self, quantity: Decimal | float | int | None = None, limit_price: Decimal | float | int | None = None,
                 stop_price: Decimal | float | int | None = None, trigger_price: Decimal | float | int | None = None,
                 trailing_amount: Decimal | float | int | None = None, tag: str | None = None) -> None:
        self.quantity_exact: Decimal | None = _optional_decimal(quantity)
        self.limit_price_exact: Decimal | None = _optional_decimal(limit_price)
        self.stop_price_exact: Decimal | None = _optional_decimal(stop_price)
        self.trigger_price_exact: Decimal | None = _optional_decimal(trigger_price)
        self.trailing_amount_exact: Decimal | None = _optional_decimal(trailing_amount)
        self.tag = tag


class UpdateOrderRequest(OrderRequest):
    ORDER_REQUEST_TYPE = OrderRequestType.UPDATE

    quantity = OptionalDecimalAsFloat()
    limit_price = OptionalDecimalAsFloat()
    stop_price = OptionalDecimalAsFloat()
    trigger_price = OptionalDecimalAsFloat()
    trailing_amount = OptionalDecimalAsFloat()

    def __init__(self, time: datetime | date, order_id: int, fields: UpdateOrderFields) -> None:
        super().__init__(time, order_id, fields.tag)
        self.quantity_exact: Decimal | None = fields.quantity_exact
        self.limit_price_exact: Decimal | None = fields.limit_price_exact
        self.stop_price_exact: Decimal | None = fields.stop_price_exact
        self.trigger_price_exact: Decimal | None = fields.trigger_price_exact
        self.trailing_amount_exact: Decimal | None = fields.trailing_amount_exact

    def is_allowed_for_closed_order(self) -> bool:
        """Only tag changes are allowed once an order is closed."""
        return (self.quantity_exact is None and self.limit_price_exact is None and self.stop_price_exact is None
                and self.trigger_price_exact is None and self.trailing_amount_exact is None)

    def to_string(self) -> str:
        updates: list[str] = []
        if self.quantity_exact is not None:
            updates.append(f"Quantity: {decimal_to_string(self.quantity_exact)}")
        if self.limit_price_exact is not None:
            updates.append(f"LimitPrice: {decimal_to_string(smart_rounding(self.limit_price_exact))}")
        if self.stop_price_exact is not None:
            updates.append(f"StopPrice: {decimal_to_string(smart_rounding(self.stop_price_exact))}")
        if self.trailing_amount_exact is not None:
            updates.append(f"TrailingAmount: {decimal_to_string(smart_rounding(self.trailing_amount_exact))}")
        if self.trigger_price_exact is not None:
            updates.append(f"TriggerPrice: {decimal_to_string(smart_rounding(self.trigger_price_exact))}")
        return (f"{_invariant_datetime(self.time)} UTC: Update Order: ({self.order_id}) - {', '.join(updates)} "
                f"{self.tag or ''} Status: {pascal_name(self.status)}")


class CancelOrderRequest(OrderRequest):
    ORDER_REQUEST_TYPE = OrderRequestType.CANCEL

    def to_string(self) -> str:
        return (f"{_invariant_datetime(self.time)} UTC: Cancel Order: ({self.order_id}) - {self.tag or ''} "
                f"Status: {pascal_name(self.status)}")


__all__ = [
    "CancelOrderRequest",
    "OrderRequest",
    "OrderResponse",
    "SubmitOrderRequest",
    "UpdateOrderFields",
    "UpdateOrderRequest",
]
