"""The simulated brokerage of a backtest (LEAN's ``BacktestingBrokerage``).

It keeps the working orders, acknowledges placements, updates and cancellations with order events, and on every
:meth:`BacktestingBrokerage.scan` asks each order's fill model whether it fills now. Orders other than market
orders never fill in the time step they were placed or updated in (their ``time`` equals the algorithm's time).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from lean_local.csharp import ZERO, decimal_to_string, smart_rounding
from lean_local.enums import DelistingType, OrderStatus, OrderType
from lean_local.orders.fees import OrderFee, OrderFeeParameters
from lean_local.orders.fill_model import FillModelParameters
from lean_local.timeutil import from_utc

if TYPE_CHECKING:
    from lean_local.algorithm import QCAlgorithm
    from lean_local.securities.security import Security

EventSink = Callable[[list[Any]], None]

_IMMEDIATE_TYPES = (OrderType.MARKET, OrderType.COMBO_MARKET, OrderType.OPTION_EXERCISE)


def zero_fee() -> OrderFee:
    return OrderFee(OrderFee.ZERO.value)  # type: ignore[attr-defined]


def insufficient_buying_power_message(order: Any, security: "Security", reason: str) -> str:
    """LEAN's message for orders refused for lack of buying power (ids and smart-rounded order values)."""
    value = decimal_to_string(smart_rounding(order.get_value_exact(security)))
    return (f"Order Error: ids: [{order.id}], Insufficient buying power to complete orders (Value:[{value}]), "
            f"Reason: {reason}.")


def add_broker_id(order: Any) -> None:
    order_id = str(order.id)
    if order_id not in order.broker_id:
        order.broker_id.append(order_id)


class BacktestingBrokerage:
    """Working orders and the fill simulation. Events go to ``on_order_events`` (the transaction handler)."""

    def __init__(self, algorithm: "QCAlgorithm", on_order_events: EventSink,
                 on_order_updated: Callable[[Any], None] = lambda order: None) -> None:
        self.algorithm = algorithm
        self._on_order_events = on_order_events
        self._on_order_updated = on_order_updated
        self._pending: dict[int, Any] = {}
        self._needs_scan = False

    @property
    def pending_orders(self) -> dict[int, Any]:
        return dict(self._pending)

    def _event(self, order: Any, status: OrderStatus, message: str = "") -> Any:
        from lean_local.orders.order_event import OrderEvent

        event = OrderEvent(order, self.algorithm.utc_time, zero_fee(), message)
        event.status = status
        return event

    # --- requests from the transaction handler ---------------------------------------------------------------
    def place_order(self, order: Any) -> bool:
        if order.status != OrderStatus.NEW:
            return False
        self._needs_scan = True
        self._pending[order.id] = order
        add_broker_id(order)
        self._on_order_events([self._event(order, OrderStatus.SUBMITTED)])
        return True

    def update_order(self, order: Any) -> bool:
        if order.id not in self._pending:
            return False
        self._needs_scan = True
        self._pending[order.id] = order
        add_broker_id(order)
        self._on_order_events([self._event(order, OrderStatus.UPDATE_SUBMITTED)])
        return True

    def cancel_order(self, order: Any) -> bool:
        """Drop the order and report it canceled; False when it was not working (the event is still sent)."""
        was_pending = self._pending.pop(order.id, None) is not None
        add_broker_id(order)
        self._on_order_events([self._event(order, OrderStatus.CANCELED)])
        return was_pending

    # --- fills ----------------------------------------------------------------------------------------------
    def scan(self) -> None:
        """Try to fill every working order against the current data, in order id order."""
        if not self._needs_scan:
            return
        algorithm = self.algorithm
        still_needs_scan = False
        for order_id in sorted(self._pending):
            order = self._pending.get(order_id)
            if order is None:
                continue
            if order.status.is_closed():
                self._pending.pop(order_id, None)
                continue
            if order.time == algorithm.utc_time and order.type not in _IMMEDIATE_TYPES:
                still_needs_scan = True
                continue
            security = algorithm.securities.get(order.symbol)
            if security is None:
                self._remove_orders([order], OrderStatus.INVALID)
                continue
            ready, still_needs_scan = self._pre_checks(order, security)
            if not ready:
                continue
            fills = self._try_fill(order, security)
            if fills is None:
                continue
            events = []
            for fill in fills:
                if order.status != fill.status or fill.fill_quantity_exact != 0:
                    # set here too so a re-entrant scan (from on_order_event) does not process it again
                    order.status = fill.status
                    events.append(fill)
            self._on_order_events(events)
            if all(fill.status.is_closed() for fill in fills):
                self._pending.pop(order.id, None)
            else:
                still_needs_scan = True
        self._needs_scan = still_needs_scan or bool(self._pending)

    def _pre_checks(self, order: Any, security: "Security") -> tuple[bool, bool]:
        """(may fill now, keep scanning): MOO waits for a bar after the order; expired orders are canceled."""
        if order.type == OrderType.MARKET_ON_OPEN:
            current = security.get_last_data()
            if current is None or from_utc(order.time, security.exchange.time_zone) >= current.end_time:
                return False, True
        if order.time_in_force.is_order_expired(security, order):
            self._remove_orders([order], OrderStatus.CANCELED, "The order has expired.")
            return False, False
        if not self.algorithm.brokerage_model.can_execute_order(security, order):
            return False, False
        return True, False

    def _try_fill(self, order: Any, security: "Security") -> list[Any] | None:
        """The fill events for ``order`` (possibly empty), or None when the order was removed or must wait."""
        algorithm = self.algorithm
        ticket = algorithm.transactions.get_order_ticket(order.id)
        filled = ticket.quantity_filled_exact if ticket is not None else ZERO
        try:
            sufficient = security.buying_power_model.has_sufficient_buying_power_for_order(
                algorithm.portfolio, security, order, filled
            )
        except Exception as err:  # noqa: BLE001 - LEAN turns margin-model errors into invalid orders
            self._remove_orders([order], OrderStatus.INVALID, str(err))
            algorithm.error(f"Order Error: ids: [{order.id}], Error executing margin models: {err}")
            return None
        if not sufficient.is_sufficient:
            if order.status == OrderStatus.CANCEL_PENDING:
                return None
            message = insufficient_buying_power_message(order, security, sufficient.reason)
            self._remove_orders([order], OrderStatus.INVALID, message)
            algorithm.error(message)
            return None
        fills: list[Any] = []
        try:
            if order.type == OrderType.OPTION_EXERCISE:
                fills.extend(getattr(security, "option_exercise_model").option_exercise(security, order))
            else:
                parameters = FillModelParameters(
                    security, order, algorithm.subscription_manager, algorithm.settings.stale_price_time_span,
                    {order: security}, self._on_order_updated,
                )
                fill = security.fill_model.fill(parameters)
                if all(order.time_in_force.is_fill_valid(security, order, event) for event in fill):
                    fills.extend(fill)
            for event in fills:
                if event.status == OrderStatus.FILLED and event.order_fee.value.amount_exact == 0:
                    event.order_fee = security.fee_model.get_order_fee(OrderFeeParameters(security, order))
        except Exception as err:  # noqa: BLE001 - LEAN reports fill-model errors and keeps the order working
            algorithm.error(f"Order Error: id: {order.id}, Transaction model failed to fill for order type: "
                            f"{_pascal(order.type)} with error: {err}")
        return fills or None

    def _remove_orders(self, orders: list[Any], status: OrderStatus, message: str = "") -> None:
        events = []
        for order in orders:
            events.append(self._event(order, status, message))
            self._pending.pop(order.id, None)
        self._on_order_events(events)

    # --- delistings -------------------------------------------------------------------------------------------
    def process_delistings(self, delistings: Any, liquidate: Callable[["Security"], None]) -> None:
        """Liquidate delisted holdings at the last price and cancel the symbol's open orders."""
        algorithm = self.algorithm
        for delisting in list(delistings.values()):
            if delisting.type == DelistingType.WARNING:
                continue
            security = algorithm.securities.get(delisting.symbol)
            if security is None:
                continue
            liquidate(security)
            algorithm.on_security_delisted(security)
            if not algorithm.is_warming_up:
                algorithm.transactions.cancel_open_orders(security.symbol)


def _pascal(order_type: OrderType) -> str:
    return "".join(part.capitalize() for part in order_type.name.split("_"))
