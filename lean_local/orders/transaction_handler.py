"""Order requests in a backtest (LEAN's ``BrokerageTransactionHandler`` with backtesting's synchronous queue).

Requests are validated when the algorithm makes them and then queued. A submit drains the queue at once (so the
new order is Submitted, and a market order filled, before ``market_order`` returns); updates and cancels wait in
the queue until the next submit or the end of the time step (:meth:`process_synchronous_events`), which is when
LEAN's backtests apply them. After each processed request the brokerage scans for fills.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from lean_local.csharp import decimal_to_string
from lean_local.enums import OrderRequestStatus, OrderResponseErrorCode, OrderStatus, OrderType
from lean_local.orders.backtesting_brokerage import (
    BacktestingBrokerage,
    insufficient_buying_power_message,
    zero_fee,
)
from lean_local.orders.order import Order, OrderSubmissionData
from lean_local.orders.requests import (
    CancelOrderRequest,
    OrderRequest,
    OrderResponse,
    SubmitOrderRequest,
    UpdateOrderRequest,
)
from lean_local.orders.ticket import OrderTicket
from lean_local.securities.price_variation import minimum_price_variation

if TYPE_CHECKING:
    from lean_local.algorithm import QCAlgorithm
    from lean_local.securities.security import Security


class OpenOrder(NamedTuple):
    order: Any
    ticket: OrderTicket
    security: "Security"


# the price members each order type rounds to the tick (trailing amounts only when given in price units)
_PRICE_FIELDS: dict[OrderType, tuple[str, ...]] = {
    OrderType.LIMIT: ("limit_price",),
    OrderType.STOP_MARKET: ("stop_price",),
    OrderType.STOP_LIMIT: ("limit_price", "stop_price"),
    OrderType.TRAILING_STOP: ("stop_price", "trailing_amount"),
    OrderType.LIMIT_IF_TOUCHED: ("limit_price", "trigger_price"),
    OrderType.COMBO_LEG_LIMIT: ("limit_price",),
}


class BacktestingTransactionHandler:
    """Order bookkeeping, request processing and order events for one backtest."""

    LIQUIDATE_FROM_DELISTING_TAG = "Liquidate from delisting"

    def __init__(self, algorithm: "QCAlgorithm") -> None:
        self.algorithm = algorithm
        self.brokerage = BacktestingBrokerage(algorithm, self._handle_order_events, self._handle_order_updated)
        self._open: dict[int, OpenOrder] = {}
        self._complete_orders: dict[int, Any] = {}
        self._tickets: dict[int, OrderTicket] = {}
        self._queue: deque[OrderRequest] = deque()
        self._cancel_pending: dict[int, OrderStatus] = {}
        self._price_adjustment_modes: dict[Any, Any] = {}
        self._first_round_off_message = False
        self._price_rounding_warning = False
        self._last_delistings: Any = None
        self.total_order_count = 0
        self.order_events: list[Any] = []
        self.on_order_event_listeners: list[Callable[[Any], None]] = []

    # --- queries --------------------------------------------------------------------------------------
    def all_tickets(self) -> Iterable[OrderTicket]:
        return list(self._tickets.values())

    def open_tickets(self) -> Iterable[OrderTicket]:
        return [entry.ticket for entry in self._open.values()]

    def open_orders(self) -> Iterable[Any]:
        return [entry.order for entry in self._open.values()]

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
        entry = self._open.get(order_id)
        if entry is not None:
            return entry
        order = self._complete_orders.get(order_id)
        ticket = self._tickets.get(order_id)
        if order is None or ticket is None:
            return None, None, None
        return order, ticket, None

    # --- requests from the algorithm ---------------------------------------------------------------------
    def process(self, request: OrderRequest) -> OrderTicket:
        if isinstance(request, SubmitOrderRequest):
            return self.add_order(request)
        if isinstance(request, UpdateOrderRequest):
            return self.update_order(request)
        if isinstance(request, CancelOrderRequest):
            return self.cancel_order(request)
        raise TypeError(f"unknown order request {request!r}")

    def add_order(self, request: SubmitOrderRequest) -> OrderTicket:
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
            self._open[order.id] = OpenOrder(order, ticket, security)
            self._queue.append(request)
            # backtests process the submission right away, asynchronous or not
            self.process_pending_requests()
        else:
            tag = ("Algorithm warming up." if response.error_code == OrderResponseErrorCode.ALGORITHM_WARMING_UP
                   else response.error_message)
            order.price_currency = security.symbol_properties.quote_currency
            order.status = OrderStatus.INVALID
            order.tag = tag
            ticket.set_order(order)
            self._complete_orders[order.id] = order
            self._handle_order_events([self._new_event(order, tag or "")])
        return ticket

    def update_order(self, request: UpdateOrderRequest) -> OrderTicket:
        order, ticket, _ = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            return OrderTicket.invalid_update_order_id(self.algorithm.transactions, request)
        ticket.add_update_request(request)
        if order.status == OrderStatus.NEW:
            request.set_response(OrderResponse.invalid_new_status(request, order))
        elif order.status.is_closed() and not request.is_allowed_for_closed_order():
            request.set_response(OrderResponse.invalid_status(request, order))
        elif request.quantity_exact is not None and request.quantity_exact == 0:
            request.set_response(OrderResponse.zero_quantity(request))
        elif self.algorithm.is_warming_up:
            request.set_response(OrderResponse.warming_up(request))
        else:
            request.set_response(OrderResponse.success(request), OrderRequestStatus.PROCESSING)
            self._queue.append(request)
        return ticket

    def cancel_order(self, request: CancelOrderRequest) -> OrderTicket:
        order, ticket, _ = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            return OrderTicket.invalid_cancel_order_id(self.algorithm.transactions, request)
        if not ticket.try_set_cancel_request(request):
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_REQUEST,
                                                     "Cancellation is already in progress."))
            return ticket
        # LEAN tags the order with the cancel reason before it checks whether the order can be canceled
        if request.tag is not None:
            order.tag = request.tag
        if order.status == OrderStatus.NEW:
            request.set_response(OrderResponse.invalid_new_status(request, order))
        elif order.status.is_closed():
            request.set_response(OrderResponse.invalid_status(request, order))
        elif self.algorithm.is_warming_up:
            request.set_response(OrderResponse.warming_up(request))
        else:
            self._cancel_pending[order.id] = order.status
            order.status = OrderStatus.CANCEL_PENDING
            self._handle_order_events([self._new_event(order)])
            request.set_response(OrderResponse.success(request), OrderRequestStatus.PROCESSING)
            self._queue.append(request)
        return ticket

    # --- processing ------------------------------------------------------------------------------------------
    def process_pending_requests(self) -> None:
        """Handle queued requests in arrival order, scanning for fills after each (re-entrant, like LEAN's
        synchronous request pool: an order placed from ``on_order_event`` joins the same queue)."""
        while self._queue:
            request = self._queue.popleft()
            self._handle_order_request(request)
            self.brokerage.scan()

    def process_synchronous_events(self) -> None:
        """End-of-step work: apply queued requests, fill what can be filled, then process the slice's delistings."""
        self.process_pending_requests()
        self.brokerage.scan()
        current = self.algorithm.current_slice
        if current is not None and current.delistings is not self._last_delistings:
            self._last_delistings = current.delistings
            self.brokerage.process_delistings(current.delistings, self._liquidate_delisted)

    def scan(self) -> None:
        self.brokerage.scan()

    def _handle_order_request(self, request: OrderRequest) -> None:
        if isinstance(request, SubmitOrderRequest):
            response = self._handle_submit(request)
        elif isinstance(request, UpdateOrderRequest):
            response = self._handle_update(request)
        else:
            assert isinstance(request, CancelOrderRequest)
            response = self._handle_cancel(request)
        request.set_response(response, OrderRequestStatus.PROCESSED)

    def _handle_submit(self, request: SubmitOrderRequest) -> OrderResponse:
        entry = self._open.get(request.order_id)
        if entry is None or entry.order.id in self._complete_orders:
            return OrderResponse.error(request, OrderResponseErrorCode.ORDER_ALREADY_EXISTS,
                                       "Cannot process submit request because order with id {0} already exists")
        order, ticket, security = entry
        algorithm = self.algorithm
        self._complete_orders[order.id] = order
        order.price_currency = security.symbol_properties.quote_currency
        if not order.tag:
            order.tag = order.get_default_tag()
        order.quantity_exact = self._round_off_order(order, security)
        self._round_order_prices(order, security)
        self._set_price_adjustment_mode(order)
        ticket.set_order(order)
        if order.quantity_exact == 0:
            response = OrderResponse.zero_quantity(request)
            algorithm.error(response.error_message)
            self._invalidate(order, response.error_message or "")
            return response
        refusal = self._buying_power_refusal(order, security, request)
        if refusal is not None:
            return refusal
        can_submit, message = _verdict(ask_brokerage_model(algorithm.brokerage_model.can_submit_order, security, order))
        if not can_submit:
            from lean_local.brokerages import BrokerageMessageEvent

            event = message if message is not None else BrokerageMessageEvent("Warning", "InvalidOrder", "")
            text = f"BrokerageModel declared unable to submit order: [{order.id}] {event}"
            response = OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_MODEL_REFUSED_TO_SUBMIT_ORDER, text)
            self._invalidate(order, text)
            algorithm.error(text)
            return response
        if not self.brokerage.place_order(order):
            text = f"Brokerage failed to place orders: [{order.id}]"
            self._invalidate(order, text)
            algorithm.error(text)
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_SUBMIT_ORDER, text)
        return OrderResponse.success(request)

    def _handle_update(self, request: UpdateOrderRequest) -> OrderResponse:
        order, ticket, security = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            return OrderResponse.unable_to_find_order(request)
        if order.status == OrderStatus.NEW:
            return OrderResponse.invalid_new_status(request, order)
        closed_update = False
        if order.status.is_closed():
            if not request.is_allowed_for_closed_order():
                return OrderResponse.invalid_status(request, order)
            closed_update = True
        algorithm = self.algorithm
        security = security or algorithm.securities[order.symbol]
        order.quantity_exact = self._round_off_order(order, security)
        can_update, message = _verdict(ask_brokerage_model(algorithm.brokerage_model.can_update_order, security, order, request))
        if not can_update:
            from lean_local.brokerages import BrokerageMessageEvent

            event = message if message is not None else BrokerageMessageEvent(
                "Warning", "InvalidRequest", f"BrokerageModel declared unable to update order: {order.id}")
            response = OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_MODEL_REFUSED_TO_UPDATE_ORDER,
                                           f"OrderID: {order.id} {event}")
            algorithm.error(response.error_message)
            self._handle_order_events([self._new_event(order, "BrokerageModel declared unable to update order")])
            return response
        if order.group_order_manager is None:
            updated = order.clone()
            updated.apply_update_order_request(request)
            refusal = self._buying_power_refusal(updated, security, request)
            if refusal is not None:
                return refusal
        order.apply_update_order_request(request)
        self._round_order_prices(order, security)
        ticket.set_order(order)
        if not closed_update and not self.brokerage.update_order(order):
            text = f"Brokerage failed to update order with id {request.order_id}"
            algorithm.error(text)
            self._handle_order_events([self._new_event(order, "Brokerage failed to update order")])
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, text)
        return OrderResponse.success(request)

    def _handle_cancel(self, request: CancelOrderRequest) -> OrderResponse:
        order, ticket, _ = self._try_get_order(request.order_id)
        if order is None or ticket is None:
            return OrderResponse.unable_to_find_order(request)
        if order.status == OrderStatus.NEW:
            self._cancel_pending_fallback(order)
            return OrderResponse.invalid_new_status(request, order)
        if order.status.is_closed():
            self._cancel_pending_fallback(order)
            return OrderResponse.invalid_status(request, order)
        ticket.set_order(order)
        if not self.brokerage.cancel_order(order):
            text = f"Brokerage failed to cancel order with id {order.id}"
            self.algorithm.error(text)
            self._cancel_pending_fallback(order)
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_CANCEL_ORDER, text)
        if request.tag is not None:
            order.tag = request.tag
        return OrderResponse.success(request)

    def _cancel_pending_fallback(self, order: Any) -> None:
        """A cancel that could not be carried out gives the order back the status it had before."""
        status = self._cancel_pending.pop(order.id, None)
        if status is not None:
            order.status = status

    # --- helpers ---------------------------------------------------------------------------------------
    def _new_event(self, order: Any, message: str = "") -> Any:
        from lean_local.orders.order_event import OrderEvent

        return OrderEvent(order, self.algorithm.utc_time, zero_fee(), message)

    def _buying_power_refusal(self, order: Any, security: "Security", request: OrderRequest) -> OrderResponse | None:
        """None when the portfolio can carry the order; else the error response (after LEAN's events)."""
        algorithm = self.algorithm
        ticket = self._tickets.get(order.id)
        filled = ticket.quantity_filled_exact if ticket is not None else Decimal(0)
        try:
            result = security.buying_power_model.has_sufficient_buying_power_for_order(
                algorithm.portfolio, security, order, filled
            )
        except Exception as err:  # noqa: BLE001 - LEAN reports margin-model errors as processing errors
            algorithm.error(f"Order Error: id: {order.id}, Error executing margin models: {err}")
            self._handle_order_events([self._new_event(order, "Error executing margin models")])
            return OrderResponse.error(request, OrderResponseErrorCode.PROCESSING_ERROR,
                                       "An error occurred while checking sufficient buying power for the orders.")
        if result.is_sufficient:
            return None
        if isinstance(request, UpdateOrderRequest):
            text = (f"Brokerage failed to update order with id: {order.id}, Symbol: {order.symbol.value}, "
                    f"Insufficient buying power to complete order, Reason: {result.reason}.")
            algorithm.error(text)
            self._handle_order_events([self._new_event(order, text)])
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, text)
        text = insufficient_buying_power_message(order, security, result.reason)
        algorithm.error(text)
        self._invalidate(order, text)
        return OrderResponse.error(request, OrderResponseErrorCode.INSUFFICIENT_BUYING_POWER, text)

    def _round_off_order(self, order: Any, security: "Security") -> Decimal:
        """Quantity rounded toward zero to the lot size (warning once)."""
        lot = security.symbol_properties.lot_size
        remainder = order.quantity_exact % lot
        if remainder != 0:
            order.quantity_exact = order.quantity_exact - remainder
            if not self._first_round_off_message:
                self.algorithm.error("Warning: Due to brokerage limitations, orders will be rounded to the nearest "
                                     f"lot size of {decimal_to_string(lot)}")
                self._first_round_off_message = True
        quantity: Decimal = order.quantity_exact
        return quantity

    def _round_order_prices(self, order: Any, security: "Security") -> None:
        """Prices rounded (half to even) to the security's tick; adjusted equities have none (warning once)."""
        for name in _PRICE_FIELDS.get(order.type, ()):
            if name == "trailing_amount" and getattr(order, "trailing_as_percentage", False):
                continue
            original: Decimal = getattr(order, f"{name}_exact")
            increment = minimum_price_variation(security, original)
            if increment <= 0:
                continue
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
            configs = self.algorithm.securities[order.symbol].subscriptions
            if not configs:
                raise RuntimeError(f"Unable to locate subscription data config for {order.symbol}")
            mode = configs[0].data_normalization_mode
            self._price_adjustment_modes[order.symbol] = mode
        order.price_adjustment_mode = mode

    def _invalidate(self, order: Any, message: str) -> None:
        if not order.status.is_closed():
            order.status = OrderStatus.INVALID
        self._handle_order_events([self._new_event(order, message)])

    def _handle_order_updated(self, order: Any) -> None:
        """Trailing-stop prices and stop-limit triggers the fill model changed reach the stored order."""
        stored = self._complete_orders.get(order.id)
        if stored is None or stored is order:
            return
        if order.type == OrderType.TRAILING_STOP:
            stored.stop_price_exact = order.stop_price_exact
        elif order.type == OrderType.STOP_LIMIT:
            stored.stop_triggered = order.stop_triggered

    # --- delistings --------------------------------------------------------------------------------------------
    def _liquidate_delisted(self, security: "Security") -> None:
        """Close a delisted holding with a market order filled at the last price."""
        from lean_local.orders.order import MarketOrder

        quantity = -security.holdings.quantity_exact
        if quantity == 0:
            return
        algorithm = self.algorithm
        tag = self.LIQUIDATE_FROM_DELISTING_TAG
        order = MarketOrder(security.symbol, quantity, algorithm.utc_time, tag)
        self._add_open_order(order, security)
        event = self._new_event(order)
        event.fill_price_exact = security.cache.price
        event.status = OrderStatus.FILLED
        event.fill_quantity_exact = order.quantity_exact
        event.message = tag
        self._handle_order_events([event])

    def _add_open_order(self, order: Any, security: "Security") -> None:
        """Register an order the brokerage created itself (LEAN's ``AddOpenOrder``)."""
        if order.status in (OrderStatus.NEW, OrderStatus.NONE):
            order.status = OrderStatus.SUBMITTED
        order.id = self.algorithm.transactions.get_increment_order_id()
        request = SubmitOrderRequest(
            order.type, security.type, order.symbol, order.quantity_exact, 0, 0, order.time, order.tag or ""
        )
        request.set_order_id(order.id)
        request.set_response(OrderResponse.success(request))
        ticket = OrderTicket(self.algorithm.transactions, request)
        ticket.set_order(order)
        self._set_price_adjustment_mode(order)
        self._open[order.id] = OpenOrder(order, ticket, security)
        self._complete_orders[order.id] = order
        self._tickets[order.id] = ticket
        self.total_order_count += 1

    # --- order events ----------------------------------------------------------------------------------------
    def _handle_order_events(self, events: list[Any]) -> None:
        """Apply events to the orders, fills to the portfolio and trade builder, then notify the algorithm."""
        algorithm = self.algorithm
        resolved: list[tuple[Any, OrderTicket, "Security"]] = []
        for event in events:
            if event.status.is_closed() and event.order_id in self._open:
                order, ticket, security = self._open.pop(event.order_id)
                self._complete_orders[event.order_id] = order
                self._tickets[event.order_id] = ticket
            else:
                order, found_ticket, found_security = self._try_get_order(event.order_id)
                if order is None or found_ticket is None:
                    return
                ticket, security = found_ticket, found_security  # type: ignore[assignment]
            if security is None or security.symbol != event.symbol:
                security = algorithm.securities[event.symbol]
            resolved.append((order, ticket, security))
            event.ticket = ticket
        fills = []
        for event, (order, ticket, _) in zip(events, resolved):
            self._update_cancel_pending(order.id, event.status)
            if not (order.status in (OrderStatus.FILLED, OrderStatus.CANCELED) and event.status == OrderStatus.INVALID):
                order.status = event.status
            event.id = order.get_new_id()
            if event.status == OrderStatus.CANCELED:
                order.canceled_time = event.utc_time
            elif event.status in (OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED):
                order.last_fill_time = event.utc_time
            elif event.status in (OrderStatus.UPDATE_SUBMITTED, OrderStatus.SUBMITTED) and ticket.update_requests:
                order.last_update_time = event.utc_time
            _copy_order_fields(order, event)
            if event.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                fills.append(event)
        try:
            algorithm.portfolio.process_fills(fills)
        except Exception as err:  # noqa: BLE001 - LEAN logs fill accounting errors and continues
            algorithm.error(f"Fill error: error in TradeBuilder.ProcessFill: {err}")
        for event, (_, ticket, security) in zip(events, resolved):
            if event.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
                algorithm.trade_builder_process_fill(event, security, event.order_fee.value.amount_exact)
            ticket.add_order_event(event)
        for event in events:
            if event.status != OrderStatus.NONE:
                self.order_events.append(event)
                for listener in self.on_order_event_listeners:
                    listener(event)
                algorithm.dispatch_order_event(event)

    def _update_cancel_pending(self, order_id: int, status: OrderStatus) -> None:
        """Forget the pre-cancel status once the order closes; remember newer open statuses."""
        if order_id not in self._cancel_pending:
            return
        if status.is_closed():
            del self._cancel_pending[order_id]
        elif status != OrderStatus.CANCEL_PENDING:
            self._cancel_pending[order_id] = status


def ask_brokerage_model(check: Callable[..., Any], *args: Any) -> Any:
    from lean_local.brokerages import ask_brokerage_model as ask

    return ask(check, *args)


def _verdict(result: Any) -> tuple[bool, Any]:
    """A brokerage model's ``(accepted, message)``; Python models may answer with a bare bool."""
    if isinstance(result, tuple):
        return bool(result[0]), result[1] if len(result) > 1 else None
    return bool(result), None


def _copy_order_fields(order: Any, event: Any) -> None:
    """Every event carries the order's current quantity and the prices its type has."""
    event.quantity_exact = order.quantity_exact
    order_type = order.type
    if order_type in (OrderType.LIMIT, OrderType.COMBO_LEG_LIMIT):
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
