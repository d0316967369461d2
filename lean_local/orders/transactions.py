"""Order routing in a backtest: tickets, the algorithm's transaction manager and the simulated brokerage.

Follows LEAN's ``SecurityTransactionManager`` → ``BrokerageTransactionHandler`` → ``BacktestingBrokerage``
path with synchronous processing: a submit request is validated and placed at once (status Submitted),
and resting orders are filled by :meth:`BacktestingTransactionHandler.process_synchronous_events`, which the
engine calls before and after ``on_data`` in every time slice.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_to_string, to_decimal
from lean_local.enums import OrderDirection, OrderResponseErrorCode, OrderStatus, OrderType, SecurityType
from lean_local.orders.fees import OrderFee, OrderFeeParameters
from lean_local.orders.fills import FillModelParameters
from lean_local.orders.requests import OrderResponse

if TYPE_CHECKING:
    from lean_local.algorithm import QCAlgorithm
    from lean_local.securities.security import Security


UNPROCESSED = OrderResponse.UNPROCESSED


class OrderTicket:
    """A handle on one order: status, fills, and update/cancel requests (LEAN's ``OrderTicket``)."""

    def __init__(self, transactions: "SecurityTransactionManager", submit_request: Any) -> None:
        self._transactions = transactions
        self.submit_request = submit_request
        self._order: Any = None
        self._status_override: OrderStatus | None = None
        self._cancel_request: Any = None
        self._order_events: list[Any] = []
        self._update_requests: list[Any] = []
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
        return self.submit_request.quantity_exact if self._order is None else self._order.quantity_exact

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
        return self.get_most_recent_order_request().time

    @property
    def order_type(self) -> OrderType:
        return self.submit_request.order_type

    @property
    def tag(self) -> str:
        return self.submit_request.tag if self._order is None else self._order.tag

    @property
    def update_requests(self) -> list[Any]:
        return list(self._update_requests)

    @property
    def cancel_request(self) -> Any:
        return self._cancel_request

    @property
    def order_events(self) -> list[Any]:
        return list(self._order_events)

    @property
    def has_order(self) -> bool:
        return self._order is not None

    @property
    def order_closed(self) -> bool:
        return self.status.is_closed

    def get(self, field: Any) -> float:
        """A price field of the order (``OrderField.LIMIT_PRICE`` etc.)."""
        value = self.get_exact(field)
        return value if isinstance(value, bool) else float(value)

    def get_exact(self, field: Any) -> Decimal | bool:
        """:meth:`get` with the exact Decimal (booleans such as ``trailing_as_percentage`` as they are)."""
        name = getattr(field, "name", str(field)).lower()
        source = self._order if self._order is not None else self.submit_request
        value = getattr(source, f"{name}_exact", None)
        if value is None:
            value = getattr(source, name, None)
        if value is None:
            raise ValueError(f"Unable to get field {name} on order of type {self.order_type.name}")
        return value if isinstance(value, (bool, Decimal)) else to_decimal(value)

    # --- requests ----------------------------------------------------------------------------------------
    def update(self, fields: Any) -> OrderResponse:
        from lean_local.orders.requests import UpdateOrderRequest

        request = UpdateOrderRequest(self._transactions.utc_time, self.order_id, fields)
        ticket = self._transactions.update_order(request)
        response: OrderResponse = ticket.update_requests[-1].response
        return response

    def _update_fields(self, **values: Any) -> OrderResponse:
        from lean_local.orders.requests import UpdateOrderFields

        fields = UpdateOrderFields()
        for name, value in values.items():
            setattr(fields, name, value)
        return self.update(fields)

    def update_tag(self, tag: str) -> OrderResponse:
        return self._update_fields(tag=tag)

    def update_quantity(self, quantity: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(quantity=quantity, tag=tag)

    def update_limit_price(self, limit_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(limit_price=limit_price, tag=tag)

    def update_stop_price(self, stop_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(stop_price=stop_price, tag=tag)

    def update_trigger_price(self, trigger_price: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(trigger_price=trigger_price, tag=tag)

    def update_stop_trailing_amount(self, trailing_amount: Any, tag: str | None = None) -> OrderResponse:
        return self._update_fields(trailing_amount=trailing_amount, tag=tag)

    def cancel(self, tag: str | None = None) -> OrderResponse:
        from lean_local.orders.requests import CancelOrderRequest

        request = CancelOrderRequest(self._transactions.utc_time, self.order_id, tag)
        if self._cancel_request is not None and not _request_failed(self._cancel_request):
            return OrderResponse.error(request, OrderResponseErrorCode.REQUEST_CANCELED, f"Order {self.order_id} has already received a cancellation request.")
        ticket = self._transactions.process_request(request)
        response: OrderResponse = ticket.cancel_request.response
        return response

    def get_most_recent_order_response(self) -> OrderResponse:
        response: OrderResponse = self.get_most_recent_order_request().response
        return response

    def get_most_recent_order_request(self) -> Any:
        if self._cancel_request is not None:
            return self._cancel_request
        if self._update_requests:
            return self._update_requests[-1]
        return self.submit_request

    # --- engine side ------------------------------------------------------------------------------------
    def add_order_event(self, event: Any) -> None:
        self._order_events.append(event)
        fill_quantity: Decimal = event.fill_quantity_exact
        if fill_quantity != 0:
            if self._order.type != OrderType.OPTION_EXERCISE:
                filled = self._quantity_filled + fill_quantity
                weighted = ZERO
                for e in self._order_events:
                    if e.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                        weighted = weighted + abs(e.fill_quantity_exact) * e.fill_price_exact
                average = weighted / abs(filled)
                self._order.price_exact = average
                self._average_fill_price = average
                self._quantity_filled = filled
            elif getattr(event, "is_in_the_money", False):
                self._order.price_exact = self.symbol.id.strike_price
                if event.fill_price_exact != 0:
                    self._quantity_filled += fill_quantity
                    self._average_fill_price = self._order.price_exact

    def set_order(self, order: Any) -> None:
        if self._order is not None and self._order.id != order.id:
            raise ValueError("Order id mismatch")
        self._order = order

    def add_update_request(self, request: Any) -> None:
        self._update_requests.append(request)

    def try_set_cancel_request(self, request: Any) -> bool:
        if self._cancel_request is not None and not _request_failed(self._cancel_request):
            return False
        self._cancel_request = request
        return True

    @classmethod
    def invalid_submit_request(cls, transactions: "SecurityTransactionManager", request: Any, response: OrderResponse) -> "OrderTicket":
        request.set_response(response)
        ticket = cls(transactions, request)
        ticket._status_override = OrderStatus.INVALID
        return ticket

    def __int__(self) -> int:
        response = self.get_most_recent_order_response()
        if response is not None and response.is_error:
            return int(response.error_code)
        return self.order_id

    def __repr__(self) -> str:
        return f"OrderTicket(id={self.order_id} {self.order_type.name} {self.symbol} qty={self.quantity} status={self.status.name})"


def _request_failed(request: Any) -> bool:
    response = getattr(request, "response", None)
    return response is not None and response.is_error


class SecurityTransactionManager:
    """``algorithm.transactions``: order ids, tickets, open orders and the closed-trade record."""

    def __init__(self, algorithm: "QCAlgorithm") -> None:
        self._algorithm = algorithm
        self._order_id = 0
        self.handler: BacktestingTransactionHandler | None = None

    @property
    def utc_time(self) -> datetime:
        return self._algorithm.utc_time

    def get_increment_order_id(self) -> int:
        self._order_id += 1
        return self._order_id

    @property
    def last_order_id(self) -> int:
        return self._order_id

    def process_request(self, request: Any) -> OrderTicket:
        from lean_local.orders.requests import SubmitOrderRequest

        assert self.handler is not None
        if isinstance(request, SubmitOrderRequest) and request.order_id < 1:
            request.set_order_id(self.get_increment_order_id())
        return self.handler.process(request)

    def add_order(self, request: Any) -> OrderTicket:
        return self.process_request(request)

    def update_order(self, request: Any) -> OrderTicket:
        return self.process_request(request)

    def cancel_order(self, order_id: int, order_tag: str | None = None) -> OrderTicket:
        return self.remove_order(order_id, order_tag)

    def remove_order(self, order_id: int, tag: str | None = None) -> OrderTicket:
        from lean_local.orders.requests import CancelOrderRequest

        return self.process_request(CancelOrderRequest(self.utc_time, order_id, tag or ""))

    def cancel_open_orders(self, symbol: Any = None, tag: str | None = None) -> list[OrderTicket]:
        if self._algorithm.is_warming_up:
            raise RuntimeError("This operation is not allowed in Initialize or during warm up: CancelOpenOrders. Please move this code to the OnWarmupFinished() method.")
        resolved = self._algorithm.resolve_symbol(symbol) if symbol is not None else None
        cancelled = []
        for ticket in self.get_open_order_tickets():
            if resolved is not None and ticket.symbol != resolved:
                continue
            ticket.cancel(tag if resolved is not None else (tag or f"Canceled by CancelOpenOrders() at {self.utc_time:%m/%d/%Y %H:%M:%S}"))
            cancelled.append(ticket)
        return cancelled

    # --- queries ------------------------------------------------------------------------------------------
    def _filter(self, filter: Any) -> Callable[[Any], bool]:
        if filter is None:
            return lambda _: True
        if callable(filter):
            return filter  # type: ignore[no-any-return]
        symbol = self._algorithm.resolve_symbol(filter)
        return lambda item: item.symbol == symbol

    def get_order_tickets(self, filter: Any = None) -> list[OrderTicket]:
        assert self.handler is not None
        predicate = self._filter(filter)
        return [ticket for ticket in self.handler.all_tickets() if predicate(ticket)]

    def get_open_order_tickets(self, filter: Any = None) -> list[OrderTicket]:
        assert self.handler is not None
        predicate = self._filter(filter)
        return [ticket for ticket in self.handler.open_tickets() if predicate(ticket)]

    def get_order_ticket(self, order_id: int) -> OrderTicket | None:
        assert self.handler is not None
        return self.handler.ticket(order_id)

    def get_open_orders(self, filter: Any = None) -> list[Any]:
        assert self.handler is not None
        predicate = self._filter(filter)
        return [order.clone() for order in self.handler.open_orders() if predicate(order)]

    def get_open_orders_remaining_quantity(self, filter: Any = None) -> float:
        return float(sum((t.quantity_remaining_exact for t in self.get_open_order_tickets(filter)), ZERO))

    def get_orders(self, filter: Any = None) -> list[Any]:
        assert self.handler is not None
        predicate = self._filter(filter)
        return [order.clone() for order in self.handler.all_orders() if predicate(order)]

    def get_order_by_id(self, order_id: int) -> Any:
        assert self.handler is not None
        order = self.handler.order(order_id)
        return order.clone() if order is not None else None

    @property
    def orders_count(self) -> int:
        assert self.handler is not None
        return self.handler.total_order_count

    def wait_for_order(self, order_id: int) -> bool:
        ticket = self.get_order_ticket(order_id)
        return ticket is not None and ticket.status.is_closed

    @property
    def winning_transactions(self) -> dict[datetime, float]:
        return {t: float(v) for t, (v, win) in self._algorithm.portfolio.transaction_record.records.items() if win}

    @property
    def losing_transactions(self) -> dict[datetime, float]:
        return {t: float(v) for t, (v, win) in self._algorithm.portfolio.transaction_record.records.items() if not win}

    @property
    def transaction_record(self) -> dict[datetime, float]:
        return {t: float(v) for t, v in self._algorithm.portfolio.transaction_record.profit_loss.items()}


class BacktestingTransactionHandler:
    """LEAN's brokerage transaction handler and backtesting brokerage, processing requests synchronously."""

    LIQUIDATE_FROM_DELISTING_TAG = "Liquidate from delisting"

    def __init__(self, algorithm: "QCAlgorithm") -> None:
        self.algorithm = algorithm
        self._open: dict[int, tuple[Any, OrderTicket, "Security"]] = {}
        self._complete_orders: dict[int, Any] = {}
        self._tickets: dict[int, OrderTicket] = {}
        self._pending: dict[int, Any] = {}
        self._needs_scan = False
        self.total_order_count = 0
        self.order_events: list[Any] = []
        self.on_order_event_listeners: list[Callable[[Any], None]] = []
        self._price_adjustment_modes: dict[Any, Any] = {}
        self._first_round_off_message = False
        self._price_rounding_warning = False
        self._cancel_pending: dict[int, OrderStatus] = {}

    # --- queries --------------------------------------------------------------------------------------
    def all_tickets(self) -> Iterable[OrderTicket]:
        return list(self._tickets.values())

    def open_tickets(self) -> Iterable[OrderTicket]:
        return [ticket for _, ticket, _ in self._open.values()]

    def open_orders(self) -> Iterable[Any]:
        return [order for order, _, _ in self._open.values()]

    def all_orders(self) -> Iterable[Any]:
        return [self._complete_orders[k] for k in sorted(self._complete_orders)]

    def ticket(self, order_id: int) -> OrderTicket | None:
        return self._tickets.get(order_id)

    def order(self, order_id: int) -> Any:
        return self._complete_orders.get(order_id)

    @property
    def orders(self) -> dict[int, Any]:
        return dict(sorted(self._complete_orders.items()))

    def _try_get_order(self, order_id: int) -> tuple[Any, OrderTicket | None, "Security | None"]:
        if order_id in self._open:
            return self._open[order_id]
        order = self._complete_orders.get(order_id)
        ticket = self._tickets.get(order_id)
        if order is None or ticket is None:
            return None, None, None
        return order, ticket, None

    # --- requests -------------------------------------------------------------------------------------
    def process(self, request: Any) -> OrderTicket:
        from lean_local.orders.requests import CancelOrderRequest, SubmitOrderRequest, UpdateOrderRequest

        # LEAN handles each request and then scans the backtesting brokerage at once, so a market order
        # placed in on_data is filled before the next line of the algorithm runs.
        if isinstance(request, SubmitOrderRequest):
            ticket = self.add_order(request)
        elif isinstance(request, UpdateOrderRequest):
            ticket = self.update_order(request)
        elif isinstance(request, CancelOrderRequest):
            ticket = self.cancel_order(request)
        else:
            raise TypeError(f"unknown order request {request!r}")
        self.scan()
        return ticket

    def add_order(self, request: Any) -> OrderTicket:
        from lean_local.orders.order import Order
        from lean_local.orders.order_event import OrderEvent
        from lean_local.orders.order import OrderSubmissionData

        algorithm = self.algorithm
        response = OrderResponse.warming_up(request) if algorithm.is_warming_up else OrderResponse.success(request)
        request.set_response(response)
        ticket = OrderTicket(algorithm.transactions, request)
        security = algorithm.securities[request.symbol]
        order = Order.create_order(request)
        self.total_order_count += 1
        self._tickets[ticket.order_id] = ticket
        if response.is_success:
            order.order_submission_data = OrderSubmissionData(
                security.bid_price_exact, security.ask_price_exact, security.cache.close
            )
            self._open[order.id] = (order, ticket, security)
            self._handle_submit(request)
        else:
            tag = "Algorithm warming up." if response.error_code == OrderResponseErrorCode.ALGORITHM_WARMING_UP else response.error_message
            order.price_currency = security.symbol_properties.quote_currency
            order.status = OrderStatus.INVALID
            order.tag = tag
            ticket.set_order(order)
            self._complete_orders[order.id] = order
            self._handle_order_events([OrderEvent(order, algorithm.utc_time, _zero_fee(), tag)])
        return ticket

    def _handle_submit(self, request: Any) -> None:
        from lean_local.orders.order_event import OrderEvent

        algorithm = self.algorithm
        order, ticket, security = self._open[request.order_id]
        self._complete_orders[order.id] = order
        order.price_currency = security.symbol_properties.quote_currency
        if not order.tag:
            order.tag = order.get_default_tag()
        order.quantity_exact = self._round_off_order(order, security)
        self._round_order_prices(order, security)
        self._set_price_adjustment_mode(order)
        ticket.set_order(order)
        if order.quantity_exact == 0:
            message = f"Unable to submit order with id {order.id} that has zero quantity."
            algorithm.error(message)
            self._invalidate(order, message)
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.ORDER_QUANTITY_ZERO, message))
            return
        sufficient = self._has_sufficient_buying_power(order, security, ticket)
        if not sufficient.is_sufficient:
            message = (
                f"Order Error: id: [{order.id}], Insufficient buying power to complete orders (Value:[{_value_text(order, security)}]), "
                f"Reason: {sufficient.reason}."
            )
            algorithm.error(message)
            self._invalidate(order, message)
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INSUFFICIENT_BUYING_POWER, message))
            return
        can_submit, brokerage_message = algorithm.brokerage_model.can_submit_order(security, order)
        if not can_submit:
            message = f"BrokerageModel declared unable to submit order: [{order.id}] {brokerage_message or ''}".rstrip()
            self._invalidate(order, message)
            algorithm.error(message)
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_MODEL_REFUSED_TO_SUBMIT_ORDER, message))
            return
        # BacktestingBrokerage.PlaceOrder
        if order.status == OrderStatus.NEW:
            self._needs_scan = True
            self._pending[order.id] = order
            _add_broker_id(order)
            event = OrderEvent(order, algorithm.utc_time, _zero_fee())
            event.status = OrderStatus.SUBMITTED
            self._handle_order_events([event])
        request.set_response(OrderResponse.success(request))

    def update_order(self, request: Any) -> OrderTicket:
        from lean_local.orders.order_event import OrderEvent

        algorithm = self.algorithm
        order, ticket, security = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            from lean_local.orders.requests import SubmitOrderRequest

            submit = SubmitOrderRequest(OrderType.MARKET, SecurityType.BASE, None, 0, 0, 0, datetime.max, request.tag or "")
            submit.set_order_id(request.order_id)
            response = OrderResponse.error(request, OrderResponseErrorCode.UNABLE_TO_FIND_ORDER, f"Unable to locate order with id {request.order_id}.")
            submit.set_response(response)
            invalid = OrderTicket(algorithm.transactions, submit)
            request.set_response(response)
            invalid.add_update_request(request)
            invalid._status_override = OrderStatus.INVALID
            return invalid
        ticket.add_update_request(request)
        if order.status == OrderStatus.NEW:
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_NEW_ORDER_STATUS, f"Unable to update order with id {order.id} with status {order.status.name}"))
            return ticket
        if order.status.is_closed and not getattr(request, "is_allowed_for_closed_order", lambda: False)():
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_ORDER_STATUS, f"Unable to update order with id {order.id} and status {order.status.name}"))
            return ticket
        if request.quantity_exact is not None and to_decimal(request.quantity_exact) == 0:
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.ORDER_QUANTITY_ZERO, f"Unable to update order with id {order.id} that has zero quantity."))
            return ticket
        if algorithm.is_warming_up:
            request.set_response(OrderResponse.warming_up(request))
            return ticket
        security = security or algorithm.securities[order.symbol]
        updated = order.clone()
        updated.apply_update_order_request(request)
        sufficient = self._has_sufficient_buying_power(updated, security, ticket)
        if not sufficient.is_sufficient:
            message = (
                f"Brokerage failed to update order with id: {order.id}, Symbol: {order.symbol.value}, Insufficient buying power to complete order, "
                f"Reason: {sufficient.reason}."
            )
            algorithm.error(message)
            self._handle_order_events([OrderEvent(order, algorithm.utc_time, _zero_fee(), message)])
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, message))
            return ticket
        order.apply_update_order_request(request)
        self._round_order_prices(order, security)
        ticket.set_order(order)
        if order.id in self._pending:
            self._needs_scan = True
            self._pending[order.id] = order
            _add_broker_id(order)
            event = OrderEvent(order, algorithm.utc_time, _zero_fee())
            event.status = OrderStatus.UPDATE_SUBMITTED
            self._handle_order_events([event])
            request.set_response(OrderResponse.success(request))
        elif order.status.is_closed:
            request.set_response(OrderResponse.success(request))
        else:
            message = f"Brokerage failed to update order with id {request.order_id}"
            algorithm.error(message)
            self._handle_order_events([OrderEvent(order, algorithm.utc_time, _zero_fee(), "Brokerage failed to update order")])
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, message))
        return ticket

    def cancel_order(self, request: Any) -> OrderTicket:
        from lean_local.orders.order_event import OrderEvent

        algorithm = self.algorithm
        order, ticket, _ = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            from lean_local.orders.requests import SubmitOrderRequest

            submit = SubmitOrderRequest(OrderType.MARKET, SecurityType.BASE, None, 0, 0, 0, datetime.max, request.tag or "")
            submit.set_order_id(request.order_id)
            response = OrderResponse.error(request, OrderResponseErrorCode.UNABLE_TO_FIND_ORDER, f"Unable to locate order with id {request.order_id}.")
            submit.set_response(response)
            invalid = OrderTicket(algorithm.transactions, submit)
            request.set_response(response)
            invalid.try_set_cancel_request(request)
            invalid._status_override = OrderStatus.INVALID
            return invalid
        if not ticket.try_set_cancel_request(request):
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_REQUEST, "Cancellation is already in progress."))
            return ticket
        if request.tag is not None and request.tag != "":
            order.tag = request.tag
        if order.status == OrderStatus.NEW:
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_NEW_ORDER_STATUS, f"Unable to cancel order with id {order.id} with status New"))
            return ticket
        if order.status.is_closed:
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_ORDER_STATUS, f"Unable to cancel order with id {order.id} and status {order.status.name}"))
            return ticket
        if algorithm.is_warming_up:
            request.set_response(OrderResponse.warming_up(request))
            return ticket
        self._cancel_pending[order.id] = order.status
        order.status = OrderStatus.CANCEL_PENDING
        self._handle_order_events([OrderEvent(order, algorithm.utc_time, _zero_fee())])
        # HandleCancelOrderRequest → BacktestingBrokerage.CancelOrder
        ticket.set_order(order)
        self._pending.pop(order.id, None)
        _add_broker_id(order)
        event = OrderEvent(order, algorithm.utc_time, _zero_fee())
        event.status = OrderStatus.CANCELED
        self._handle_order_events([event])
        if request.tag:
            order.tag = request.tag
        request.set_response(OrderResponse.success(request))
        return ticket

    # --- helpers ---------------------------------------------------------------------------------------
    def _round_off_order(self, order: Any, security: "Security") -> Decimal:
        lot = security.symbol_properties.lot_size
        remainder = order.quantity_exact % lot
        if remainder != 0:
            order.quantity_exact = order.quantity_exact - remainder
            if not self._first_round_off_message:
                self.algorithm.error(
                    f"Warning: Due to brokerage limitations, orders will be rounded to the nearest lot size of {decimal_to_string(lot)}"
                )
                self._first_round_off_message = True
        quantity: Decimal = order.quantity_exact
        return quantity

    def _round_order_prices(self, order: Any, security: "Security") -> None:
        increment = security.symbol_properties.minimum_price_variation
        if increment <= 0:
            return
        for name in _PRICE_FIELDS.get(order.type, ()):
            if name == "trailing_amount" and getattr(order, "trailing_as_percentage", False):
                continue
            original = getattr(order, f"{name}_exact")
            rounded = (original / increment).quantize(Decimal(1)) * increment
            setattr(order, f"{name}_exact", rounded)
            if rounded != original and not self._price_rounding_warning:
                self._price_rounding_warning = True
                label = "".join(part.capitalize() for part in name.split("_"))
                self.algorithm.error(
                    f"Warning: To meet brokerage precision requirements, order {label} was rounded to "
                    f"{decimal_to_string(rounded)} from {decimal_to_string(original)}"
                )

    def _set_price_adjustment_mode(self, order: Any) -> None:
        mode = self._price_adjustment_modes.get(order.symbol)
        if mode is None:
            security = self.algorithm.securities[order.symbol]
            configs = security.subscriptions
            if not configs:
                raise RuntimeError(f"Unable to locate subscription data config for {order.symbol}")
            mode = configs[0].data_normalization_mode
            self._price_adjustment_modes[order.symbol] = mode
        order.price_adjustment_mode = mode

    def _has_sufficient_buying_power(self, order: Any, security: "Security", ticket: OrderTicket) -> Any:
        model = security.buying_power_model
        return model.has_sufficient_buying_power_for_order(
            self.algorithm.portfolio, security, order, ticket.quantity_filled_exact
        )

    def _invalidate(self, order: Any, message: str) -> None:
        from lean_local.orders.order_event import OrderEvent

        if not order.status.is_closed:
            order.status = OrderStatus.INVALID
        self._handle_order_events([OrderEvent(order, self.algorithm.utc_time, _zero_fee(), message)])

    # --- synchronous processing -------------------------------------------------------------------------------
    def process_synchronous_events(self) -> None:
        """Fill what can be filled now (BacktestingBrokerage.Scan) and process delistings of the slice."""
        self.scan()
        algorithm = self.algorithm
        current = algorithm.current_slice
        if current is not None and current.delistings is not self._last_delistings:
            self._last_delistings = current.delistings
            self._process_delistings(current.delistings)

    _last_delistings: Any = None

    def scan(self) -> None:
        from lean_local.orders.order_event import OrderEvent

        if not self._needs_scan:
            return
        algorithm = self.algorithm
        still_needs_scan = False
        for order_id in sorted(self._pending):
            order = self._pending.get(order_id)
            if order is None:
                continue
            if order.status.is_closed:
                self._pending.pop(order_id, None)
                continue
            if order.time == algorithm.utc_time and order.type not in (OrderType.MARKET, OrderType.COMBO_MARKET, OrderType.OPTION_EXERCISE):
                still_needs_scan = True
                continue
            security = algorithm.securities.get(order.symbol)
            if security is None:
                self._remove_orders([order], OrderStatus.INVALID)
                continue
            if order.type == OrderType.MARKET_ON_OPEN:
                current = security.get_last_data()
                local_order_time = _to_local(order.time, security)
                if current is None or local_order_time >= current.end_time:
                    still_needs_scan = True
                    continue
            if order.time_in_force.is_order_expired(security, order):
                self._remove_orders([order], OrderStatus.CANCELED, "The order has expired.")
                continue
            if not algorithm.brokerage_model.can_execute_order(security, order):
                continue
            ticket = self._tickets[order.id]
            try:
                sufficient = self._has_sufficient_buying_power(order, security, ticket)
            except Exception as err:  # noqa: BLE001 - LEAN turns model errors into invalid orders
                self._remove_orders([order], OrderStatus.INVALID, str(err))
                algorithm.error(f"Order Error: ids: [{order.id}], Error executing margin models: {err}")
                continue
            fills: list[Any] = []
            if sufficient.is_sufficient:
                try:
                    if order.type == OrderType.OPTION_EXERCISE:
                        fills.extend(security.option_exercise_model.option_exercise(security, order))
                    else:
                        parameters = FillModelParameters(
                            security, order, algorithm.subscription_manager, algorithm.settings.stale_price_time_span,
                            {order: security}, self._on_order_updated,
                        )
                        fill = security.fill_model.fill(parameters)
                        if all(order.time_in_force.is_fill_valid(security, order, f) for f in fill):
                            fills.extend(fill)
                    for fill_event in fills:
                        if fill_event.status == OrderStatus.FILLED and fill_event.order_fee.value.amount_exact == 0:
                            fill_event.order_fee = security.fee_model.get_order_fee(OrderFeeParameters(security, order))
                except Exception as err:  # noqa: BLE001 - LEAN reports fill-model errors and carries on
                    algorithm.error(f"Order Error: id: {order.id}, Transaction model failed to fill for order type: {order.type.name} with error: {err}")
            elif order.status == OrderStatus.CANCEL_PENDING:
                continue
            else:
                message = (
                    f"Order Error: id: [{order.id}], Insufficient buying power to complete orders (Value:[{_value_text(order, security)}]), "
                    f"Reason: {sufficient.reason}."
                )
                self._remove_orders([order], OrderStatus.INVALID, message)
                algorithm.error(message)
                continue
            if not fills:
                continue
            events = []
            for fill_event in fills:
                if order.status != fill_event.status or fill_event.fill_quantity_exact != 0:
                    order.status = fill_event.status
                    events.append(fill_event)
            self._handle_order_events(events)
            if all(f.status.is_closed for f in fills):
                self._pending.pop(order.id, None)
            else:
                still_needs_scan = True
        self._needs_scan = still_needs_scan or bool(self._pending)

    def _on_order_updated(self, order: Any) -> None:
        """Trailing-stop and stop-limit state changes from the fill model reach the stored order."""
        stored = self._complete_orders.get(order.id)
        if stored is not None and stored is not order:
            if order.type == OrderType.TRAILING_STOP:
                stored.stop_price_exact = order.stop_price_exact
            elif order.type == OrderType.STOP_LIMIT:
                stored.stop_triggered = order.stop_triggered

    def _remove_orders(self, orders: list[Any], status: OrderStatus, message: str = "") -> None:
        from lean_local.orders.order_event import OrderEvent

        events = []
        for order in orders:
            event = OrderEvent(order, self.algorithm.utc_time, _zero_fee(), message)
            event.status = status
            events.append(event)
            self._pending.pop(order.id, None)
        self._handle_order_events(events)

    def _process_delistings(self, delistings: Any) -> None:
        from lean_local.enums import DelistingType
        from lean_local.orders.order import MarketOrder
        from lean_local.orders.order_event import OrderEvent

        algorithm = self.algorithm
        for delisting in list(delistings.values()):
            if delisting.type == DelistingType.WARNING:
                continue
            security = algorithm.securities.get(delisting.symbol)
            if security is None:
                continue
            quantity = -security.holdings.quantity_exact
            if quantity != 0:
                order = MarketOrder(security.symbol, quantity, algorithm.utc_time, self.LIQUIDATE_FROM_DELISTING_TAG)
                self._add_open_order(order, security)
                event = OrderEvent(order, algorithm.utc_time, _zero_fee())
                event.fill_price_exact = security.cache.price
                event.status = OrderStatus.FILLED
                event.fill_quantity_exact = order.quantity_exact
                event.message = self.LIQUIDATE_FROM_DELISTING_TAG
                self._handle_order_events([event])
            algorithm.on_security_delisted(security)
            if not algorithm.is_warming_up:
                algorithm.transactions.cancel_open_orders(security.symbol)

    def _add_open_order(self, order: Any, security: "Security") -> None:
        if order.status in (OrderStatus.NEW, OrderStatus.NONE):
            order.status = OrderStatus.SUBMITTED
        order.id = self.algorithm.transactions.get_increment_order_id()
        from lean_local.orders.requests import SubmitOrderRequest

        request = SubmitOrderRequest(
            order.type, security.type, order.symbol, order.quantity_exact, 0, 0, order.time, order.tag or ""
        )
        request.set_order_id(order.id)
        request.set_response(OrderResponse.success(request))
        ticket = OrderTicket(self.algorithm.transactions, request)
        ticket.set_order(order)
        self._set_price_adjustment_mode(order)
        self._open[order.id] = (order, ticket, security)
        self._complete_orders[order.id] = order
        self._tickets[order.id] = ticket
        self.total_order_count += 1

    # --- order events ---------------------------------------------------------------------------------------
    def _handle_order_events(self, events: list[Any]) -> None:
        algorithm = self.algorithm
        resolved: list[tuple[Any, OrderTicket, "Security"]] = []
        for event in events:
            entry: tuple[Any, OrderTicket | None, Any]
            if event.status.is_closed and event.order_id in self._open:
                opened = self._open.pop(event.order_id)
                self._complete_orders[event.order_id] = opened[0]
                self._tickets[event.order_id] = opened[1]
                entry = opened
            else:
                entry = self._try_get_order(event.order_id)
                if entry[0] is None:
                    return
            order, ticket, security = entry
            assert ticket is not None
            if security is None or security.symbol != event.symbol:
                security = algorithm.securities[event.symbol]
            resolved.append((order, ticket, security))
            event.ticket = ticket
        fills = []
        for event, (order, ticket, security) in zip(events, resolved):
            self._cancel_pending.pop(order.id, None) if event.status.is_closed else None
            if not (order.status in (OrderStatus.FILLED, OrderStatus.CANCELED) and event.status == OrderStatus.INVALID):
                order.status = event.status
            event.id = order.get_new_id()
            if event.status == OrderStatus.CANCELED:
                order.canceled_time = event.utc_time
            elif event.status in (OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED):
                order.last_fill_time = event.utc_time
            elif event.status in (OrderStatus.UPDATE_SUBMITTED, OrderStatus.SUBMITTED):
                if ticket._update_requests:
                    order.last_update_time = event.utc_time
            event.quantity_exact = order.quantity_exact
            order_type = order.type
            if order_type == OrderType.LIMIT:
                event.limit_price_exact = order.limit_price_exact
            elif order_type == OrderType.STOP_MARKET:
                event.stop_price_exact = order.stop_price_exact
            elif order_type == OrderType.STOP_LIMIT:
                event.limit_price_exact = order.limit_price_exact
                event.stop_price_exact = order.stop_price_exact
            elif order_type == OrderType.TRAILING_STOP:
                event.stop_price_exact = order.stop_price_exact
                event.trailing_amount_exact = order.trailing_amount_exact
            elif order_type == OrderType.LIMIT_IF_TOUCHED:
                event.limit_price_exact = order.limit_price_exact
                event.trigger_price_exact = order.trigger_price_exact
            if event.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                fills.append(event)
        try:
            algorithm.portfolio.process_fills(fills)
        except Exception as err:  # noqa: BLE001 - LEAN logs fill accounting errors and continues
            algorithm.error(f"Fill error: error in TradeBuilder.ProcessFill: {err}")
        for event, (order, ticket, security) in zip(events, resolved):
            if event.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                fee = event.order_fee.value.amount_exact
                algorithm.trade_builder_process_fill(event, security, fee)
            ticket.add_order_event(event)
        for event in events:
            if event.status != OrderStatus.NONE:
                self.order_events.append(event)
                for listener in self.on_order_event_listeners:
                    listener(event)
                algorithm.dispatch_order_event(event)


_PRICE_FIELDS: dict[OrderType, tuple[str, ...]] = {
    OrderType.LIMIT: ("limit_price",),
    OrderType.STOP_MARKET: ("stop_price",),
    OrderType.STOP_LIMIT: ("limit_price", "stop_price"),
    OrderType.TRAILING_STOP: ("stop_price", "trailing_amount"),
    OrderType.LIMIT_IF_TOUCHED: ("limit_price", "trigger_price"),
}


def _zero_fee() -> OrderFee:
    return OrderFee(OrderFee.ZERO.value)  # type: ignore[attr-defined]


def _add_broker_id(order: Any) -> None:
    order_id = str(order.id)
    if order_id not in order.broker_id:
        order.broker_id.append(order_id)


def _to_local(utc: datetime, security: "Security") -> datetime:
    from lean_local.timeutil import from_utc

    return from_utc(utc, security.exchange.time_zone)


def _value_text(order: Any, security: "Security") -> str:
    from lean_local.orders.fees import order_value

    return decimal_to_string(order_value(order, security))
