"""``algorithm.transactions`` (LEAN's ``SecurityTransactionManager``) and the names of the order pipeline.

The manager numbers orders and forwards requests to the backtest's transaction handler
(:mod:`lean_local.orders.transaction_handler`), which works with the simulated brokerage
(:mod:`lean_local.orders.backtesting_brokerage`); tickets are :class:`lean_local.orders.ticket.OrderTicket`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_add
from lean_local.orders.requests import CancelOrderRequest, OrderRequest, OrderResponse, SubmitOrderRequest
from lean_local.orders.ticket import OrderTicket
from lean_local.orders.transaction_handler import BacktestingTransactionHandler

if TYPE_CHECKING:
    from lean_local.algorithm import QCAlgorithm

__all__ = ["BacktestingTransactionHandler", "OrderTicket", "SecurityTransactionManager"]

WARM_UP_CANCEL_MESSAGE = ("This operation is not allowed in initialize or during warm up: cancel_open_orders. "
                          "Please move this code to the on_warmup_finished() method.")


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

    # --- requests -----------------------------------------------------------------------------------------
    def process_request(self, request: OrderRequest) -> OrderTicket:
        if self._algorithm.is_warming_up:
            raise RuntimeError(str(OrderResponse.warming_up(request)))
        assert self.handler is not None
        if isinstance(request, SubmitOrderRequest) and request.order_id < 1:
            request.set_order_id(self.get_increment_order_id())
        return self.handler.process(request)

    def add_order(self, request: SubmitOrderRequest) -> OrderTicket:
        return self.process_request(request)

    def update_order(self, request: Any) -> OrderTicket:
        return self.process_request(request)

    def cancel_order(self, order_id: int, order_tag: str | None = None) -> OrderTicket:
        return self.remove_order(order_id, order_tag)

    def remove_order(self, order_id: int, tag: str | None = None) -> OrderTicket:
        """Cancel by id; the order's tag becomes ``tag`` (an empty tag when none is given, as in LEAN)."""
        return self.process_request(CancelOrderRequest(self.utc_time, order_id, tag if tag is not None else ""))

    def cancel_open_orders(self, symbol: Any = None, tag: str | None = None) -> list[OrderTicket]:
        """Cancel every open order (of ``symbol`` when given). Without a symbol LEAN tags them with the time."""
        if self._algorithm.is_warming_up:
            raise RuntimeError(WARM_UP_CANCEL_MESSAGE)
        reason: str | None
        if symbol is None:
            reason = f"Canceled by CancelOpenOrders() at {self.utc_time:%Y-%m-%dT%H:%M:%S}.0000000Z"
            tickets = self.get_open_order_tickets()
        else:
            reason = tag
            resolved = self._algorithm.resolve_symbol(symbol)
            tickets = self.get_open_order_tickets(lambda ticket: ticket.symbol == resolved)
        for ticket in tickets:
            ticket.cancel(reason)
        return tickets

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
        total = ZERO
        for ticket in self.get_open_order_tickets(filter):
            total = decimal_add(total, ticket.quantity_remaining_exact)
        return float(total)

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
        """Backtests fill synchronously, so this only reports whether the order is closed."""
        ticket = self.get_order_ticket(order_id)
        return ticket is not None and ticket.status.is_closed()

    @property
    def winning_transactions(self) -> dict[datetime, float]:
        return {t: float(v) for t, (v, win) in self._algorithm.portfolio.transaction_record.records.items() if win}

    @property
    def losing_transactions(self) -> dict[datetime, float]:
        return {t: float(v) for t, (v, win) in self._algorithm.portfolio.transaction_record.records.items() if not win}

    @property
    def transaction_record(self) -> dict[datetime, float]:
        return {t: float(v) for t, v in self._algorithm.portfolio.transaction_record.profit_loss.items()}
