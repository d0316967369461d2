"""Spread-aware limit execution: passive or mid-spread limit orders, cancel/replace on timeout, market fallback."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from AlgorithmImports import *

LIMIT = "limit"
REPLACE = "replace"
MARKET = "market"


@dataclass
class SpreadOrderRecord:
    """One order the model placed: ``action`` is ``"limit"``, ``"replace"`` or ``"market"``; ``reason`` says why a
    market order was used."""

    time: datetime
    symbol: Symbol
    action: str
    order_id: int
    quantity: float
    limit_price: float
    bid: float
    ask: float
    reason: str = ""


@dataclass
class _Working:
    target_quantity: float
    decision_utc: datetime
    ticket: Optional[OrderTicket] = None
    placed_utc: Optional[datetime] = None
    replacements: int = 0


def limit_price(quantity: float, bid: float, ask: float, aggressiveness: float, tick: float) -> float:
    """The limit price for a buy (``quantity > 0``) or sell: ``aggressiveness`` of the way from the near side of the
    quote toward the far side (0 joins the bid/ask, 0.5 is the mid, 1 takes the far side), rounded to the tick in the
    passive direction (down for buys, up for sells)."""
    spread = ask - bid
    if quantity > 0:
        price = bid + aggressiveness * spread
        return round(math.floor(price / tick + 1e-9) * tick, 10) if tick > 0 else price
    price = ask - aggressiveness * spread
    return round(math.ceil(price / tick - 1e-9) * tick, 10) if tick > 0 else price


def spread_is_acceptable(bid: float, ask: float, max_spread_percent: float) -> bool:
    """Both sides quoted, not crossed, and ``(ask - bid) / mid`` at most ``max_spread_percent``."""
    if bid <= 0 or ask <= 0 or ask < bid:
        return False
    return (ask - bid) / ((ask + bid) / 2.0) <= max_spread_percent


class SpreadAwareLimitExecutionModel(ExecutionModel):
    """Works targets with limit orders inside the quote when the spread is tight, and falls back to market orders.

    Why: crossing the spread on every trade is a steady cost. Resting a limit order at (or inside) the quote often
    fills at a better price; when the spread is wide the quote is unreliable, and when the limit order is not filled
    in time the position still has to be reached, so the model re-prices a few times and then pays the spread.

    For each target with unordered quantity:

    * no working order, acceptable spread (both sides quoted, ``(ask - bid) / mid <= max_spread_percent``, exchange
      open): a limit order for the whole unordered quantity at :func:`limit_price` (``aggressiveness`` of the way
      across the spread, rounded to the tick in the passive direction);
    * no working order, spread too wide: wait; once ``timeout`` has passed since the target arrived, send a market
      order (if ``market_fallback``);
    * a working limit order older than ``timeout``: cancel it; re-price it at the current quote (a replacement) up to
      ``max_replacements`` times, then send a market order for what is left (if ``market_fallback``; otherwise it
      keeps re-pricing).

    A new target quantity for a symbol cancels its working order and restarts the count.

    Args:
        max_spread_percent: widest acceptable spread as a fraction of the mid price (default 0.001 = 10 bps).
        aggressiveness: where in the spread to place the limit, 0 (near side) to 1 (far side) (default 0.5, mid).
        timeout: how long a limit order may rest, and how long to wait for an acceptable spread (default 5 minutes).
        max_replacements: cancel/replace rounds before the market fallback (default 2).
        market_fallback: send a market order when time runs out (default ``True``).
        asynchronous: passed on to ``market_order`` and ``limit_order`` (default ``True``).

    ``orders`` lists every :class:`SpreadOrderRecord`.
    """

    def __init__(
        self, max_spread_percent: float = 0.001, aggressiveness: float = 0.5, timeout: timedelta = timedelta(minutes=5),
        max_replacements: int = 2, market_fallback: bool = True, asynchronous: bool = True,
    ) -> None:
        super().__init__(asynchronous)
        if max_spread_percent < 0 or not 0 <= aggressiveness <= 1:
            raise ValueError("SpreadAwareLimitExecutionModel: max_spread_percent must be >= 0 and aggressiveness in [0, 1]")
        if timeout <= timedelta(0) or max_replacements < 0:
            raise ValueError("SpreadAwareLimitExecutionModel: timeout must be positive and max_replacements >= 0")
        self.max_spread_percent = max_spread_percent
        self.aggressiveness = aggressiveness
        self.timeout = timeout
        self.max_replacements = max_replacements
        self.market_fallback = market_fallback
        self.targets_collection = PortfolioTargetCollection()
        self.orders: List[SpreadOrderRecord] = []
        self._working: Dict[Symbol, _Working] = {}

    def execute(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> None:
        now = algorithm.utc_time
        for target in targets:
            state = self._working.get(target.symbol)
            if state is None or state.target_quantity != target.quantity:
                if state is not None and state.ticket is not None and self._is_working(state.ticket):
                    state.ticket.cancel("SpreadAwareLimitExecutionModel: target changed")
                self._working[target.symbol] = _Working(target.quantity, now)
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        # working limit orders: the targets they cover are not in order_by_margin_impact (open orders count as held)
        handled = set()
        for symbol, state in list(self._working.items()):
            ticket = state.ticket
            if ticket is None:
                continue
            if not self._is_working(ticket):
                state.ticket = None
                continue
            handled.add(symbol)
            if state.placed_utc is not None and now - state.placed_utc < self.timeout:
                continue
            ticket.cancel("SpreadAwareLimitExecutionModel: limit order timed out")
            state.ticket = None
            if not self.targets_collection.contains_key(symbol):
                continue
            target = self.targets_collection[symbol]
            security = algorithm.securities[symbol]
            quantity = self._unordered_quantity(algorithm, target, ticket)
            if quantity == 0:
                continue
            if state.replacements >= self.max_replacements and self.market_fallback:
                self._market(algorithm, security, quantity, target.tag, "limit order not filled in time")
                continue
            state.replacements += 1
            if self._spread_ok(security):
                self._limit(algorithm, security, state, quantity, target.tag, REPLACE)
            elif self.market_fallback:
                self._market(algorithm, security, quantity, target.tag, "spread too wide to re-price")
        # targets without a working order
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            symbol = target.symbol
            if symbol in handled:
                continue
            state = self._working.get(symbol)
            if state is None:
                state = _Working(target.quantity, now)
                self._working[symbol] = state
            security = algorithm.securities[symbol]
            quantity = OrderSizing.get_unordered_quantity(algorithm, target)
            if quantity == 0:
                continue
            if self._spread_ok(security):
                self._limit(algorithm, security, state, quantity, target.tag, LIMIT)
            elif self.market_fallback and now - state.decision_utc >= self.timeout:
                self._market(algorithm, security, quantity, target.tag, "spread too wide until timeout")
        self.targets_collection.clear_fulfilled(algorithm)
        for symbol in list(self._working):
            state = self._working[symbol]
            if not self.targets_collection.contains_key(symbol) and (state.ticket is None or not self._is_working(state.ticket)):
                del self._working[symbol]

    def _spread_ok(self, security: Security) -> bool:
        return bool(security.exchange.exchange_open) and spread_is_acceptable(
            float(security.bid_price), float(security.ask_price), self.max_spread_percent
        )

    def _limit(self, algorithm: QCAlgorithm, security: Security, state: _Working, quantity: float, tag: str, action: str) -> None:
        bid = float(security.bid_price)
        ask = float(security.ask_price)
        price = limit_price(quantity, bid, ask, self.aggressiveness, float(security.symbol_properties.minimum_price_variation))
        ticket = algorithm.limit_order(security.symbol, quantity, price, self.asynchronous, tag)
        state.ticket = ticket
        state.placed_utc = algorithm.utc_time
        self.orders.append(SpreadOrderRecord(algorithm.time, security.symbol, action, ticket.order_id, quantity, price, bid, ask))

    def _market(self, algorithm: QCAlgorithm, security: Security, quantity: float, tag: str, reason: str) -> None:
        ticket = algorithm.market_order(security.symbol, quantity, self.asynchronous, tag)
        self.orders.append(
            SpreadOrderRecord(
                algorithm.time, security.symbol, MARKET, ticket.order_id, quantity, 0.0,
                float(security.bid_price), float(security.ask_price), reason,
            )
        )

    @staticmethod
    def _is_working(ticket: OrderTicket) -> bool:
        return ticket.status not in (
            OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.INVALID, OrderStatus.CANCEL_PENDING
        )

    @staticmethod
    def _unordered_quantity(algorithm: QCAlgorithm, target: IPortfolioTarget, cancelled: OrderTicket) -> float:
        """Target minus holdings minus the open orders other than the one just cancelled (its cancel may still be
        pending), in whole lots."""
        security = algorithm.securities[target.symbol]
        open_quantity = sum(
            float(ticket.quantity_remaining) for ticket in algorithm.transactions.get_open_order_tickets(target.symbol)
            if ticket.order_id != cancelled.order_id
        )
        quantity = float(target.quantity) - float(security.holdings.quantity) - open_quantity
        return float(OrderSizing.adjust_by_lot_size(security, quantity))
