"""Turns order fills into closed trades, with maximum adverse/favourable excursions (LEAN's ``TradeBuilder``).

How the engine drives it (the order matters for MAE/MFE):

* every time slice, after each security's prices were updated from the slice and before any user code
  runs, call :meth:`TradeBuilder.set_market_price` with the security's new ``Price`` (every security in the
  slice, traded or not);
* for every fill event (status Filled or PartiallyFilled), after the portfolio applied the fill, call
  :meth:`TradeBuilder.process_fill` with the fill, the quote currency's conversion rate to the account
  currency, the order fee converted to the account currency and the contract multiplier;
* for a split of an equity that is not price-adjusted (``DataNormalizationMode.Raw``), call
  :meth:`TradeBuilder.apply_split` when the split is applied to the portfolio.
"""
from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    ZERO,
    decimal_add,
    decimal_div,
    decimal_mul,
    decimal_sub,
    decimal_sum,
    round_decimal,
)
from lean_local.enums import OrderDirection
from lean_local.statistics.trade import FillGroupingMethod, FillMatchingMethod, Trade, TradeDirection

_MAX_ORDER_ID_CACHE = 1000


@dataclass
class FillRecord:
    """What the trade builder needs from one fill event.

    ``symbol_key`` identifies the security (any hashable, e.g. the engine's Symbol); ``symbol_json`` is the
    Symbol JSON object written into the trade's ``symbols``. ``utc_time`` is naive UTC. ``fill_price`` is in
    the quote currency; ``fill_quantity`` is signed (negative for sells).

    Option exercise/assignment fills may decide win or loss differently from the sign of the profit; for
    those set ``is_option_exercise`` and give ``is_in_the_money`` and ``in_the_money_amount`` (LEAN's
    ``Option.InTheMoneyAmount(fill quantity)`` in the account currency).
    """

    order_id: int
    symbol_key: Hashable
    symbol_json: Any
    utc_time: datetime
    fill_price: Decimal
    fill_quantity: Decimal
    direction: OrderDirection
    is_option_exercise: bool = False
    is_in_the_money: bool = False
    in_the_money_amount: Decimal = ZERO

    @property
    def absolute_fill_quantity(self) -> Decimal:
        return self.fill_quantity.copy_abs()

    def is_win(self, profit_loss: Decimal) -> bool:
        """Whether the trade this fill closes counts as a win (LEAN's ``OrderEvent.IsWin``)."""
        if not self.is_option_exercise:
            return profit_loss > 0
        if self.direction == OrderDirection.SELL:
            return self.is_in_the_money and profit_loss.copy_abs() < self.in_the_money_amount
        return not self.is_in_the_money or profit_loss.copy_abs() > self.in_the_money_amount


@dataclass
class _TradeState:
    trade: Trade
    max_profit: Decimal = ZERO
    max_drawdown: Decimal = ZERO

    def update_drawdown(self, current_profit: Decimal) -> None:
        if current_profit < self.max_profit:
            drawdown = decimal_sub(self.max_profit, current_profit)
            if drawdown > self.max_drawdown:
                self.max_drawdown = drawdown
        else:
            self.max_profit = current_profit


@dataclass
class _Position:
    pending_trades: list[_TradeState] = field(default_factory=list)
    pending_fills: list[FillRecord] = field(default_factory=list)
    total_fees: Decimal = ZERO
    max_price: Decimal = ZERO
    min_price: Decimal = ZERO


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def _direction_sign(direction: TradeDirection) -> Decimal:
    return Decimal(1) if direction == TradeDirection.LONG else Decimal(-1)


def _product(*factors: Decimal) -> Decimal:
    result = factors[0]
    for factor in factors[1:]:
        result = decimal_mul(result, factor)
    return result


class TradeBuilder:
    """Groups fills into trades per security and keeps the list of closed trades."""

    def __init__(
        self,
        grouping: FillGroupingMethod = FillGroupingMethod.FILL_TO_FILL,
        matching: FillMatchingMethod = FillMatchingMethod.FIFO,
        *,
        id_factory: Callable[[], str] | None = None,
    ) -> None:
        """LEAN's algorithms start with ``FillToFill`` + ``FIFO``. ``id_factory`` makes trade ids (a new
        GUID string by default)."""
        self.grouping = grouping
        self.matching = matching
        self._id_factory = id_factory or (lambda: str(uuid.uuid4()))
        self._closed_trades: list[Trade] = []
        self._positions: dict[Hashable, _Position] = {}
        self._fee_orders: set[int] = set()
        self._fee_order_queue: deque[int] = deque()

    @property
    def closed_trades(self) -> list[Trade]:
        """A copy of the closed trades, in closing order."""
        return list(self._closed_trades)

    def has_open_position(self, symbol_key: Hashable) -> bool:
        position = self._positions.get(symbol_key)
        if position is None:
            return False
        if self.grouping == FillGroupingMethod.FILL_TO_FILL:
            return len(position.pending_trades) > 0
        return len(position.pending_fills) > 0

    def set_market_price(self, symbol_key: Hashable, price: Decimal) -> None:
        """Track the price range and each open trade's drawdown while a position is open."""
        position = self._positions.get(symbol_key)
        if position is None:
            return
        if price > position.max_price:
            position.max_price = price
        elif price < position.min_price:
            position.min_price = price
        for state in position.pending_trades:
            trade = state.trade
            if trade.direction == TradeDirection.LONG:
                current_profit = decimal_sub(price, trade.entry_price)
            else:
                current_profit = decimal_sub(trade.entry_price, price)
            state.update_drawdown(current_profit)

    def apply_split(self, symbol_key: Hashable, split_factor: Decimal) -> None:
        """Adjust an open position for a split (only for equities in Raw mode, or live)."""
        position = self._positions.get(symbol_key)
        if position is None:
            return
        position.min_price = decimal_mul(position.min_price, split_factor)
        position.max_price = decimal_mul(position.max_price, split_factor)
        for state in position.pending_trades:
            trade = state.trade
            trade.quantity = decimal_div(trade.quantity, split_factor)
            trade.entry_price = decimal_mul(trade.entry_price, split_factor)
            trade.exit_price = decimal_mul(trade.exit_price, split_factor)
            state.max_profit = decimal_mul(state.max_profit, split_factor)
            state.max_drawdown = decimal_mul(state.max_drawdown, split_factor)
        for fill in position.pending_fills:
            fill.fill_quantity = decimal_div(fill.fill_quantity, split_factor)
            fill.fill_price = decimal_mul(fill.fill_price, split_factor)

    def process_fill(
        self,
        fill: FillRecord,
        conversion_rate: Decimal,
        fee_in_account_currency: Decimal,
        multiplier: Decimal = Decimal("1.0"),
    ) -> None:
        """Apply one fill. An order's fee is counted with its first fill only."""
        order_fee = ZERO
        if fill.order_id not in self._fee_orders:
            order_fee = fee_in_account_currency
            self._remember_fee_order(fill.order_id)
        fill = replace(fill)
        if self.grouping == FillGroupingMethod.FILL_TO_FILL:
            self._fill_to_fill(fill, order_fee, conversion_rate, multiplier)
        elif self.grouping == FillGroupingMethod.FLAT_TO_FLAT:
            self._flat_to_flat(fill, order_fee, conversion_rate, multiplier)
        else:
            self._flat_to_reduced(fill, order_fee, conversion_rate, multiplier)

    # --- grouping methods ---------------------------------------------------------------------------------

    def _new_trade(self, fill: FillRecord, quantity: Decimal, fees: Decimal) -> Trade:
        return Trade(
            symbol_key=fill.symbol_key,
            symbols=[fill.symbol_json],
            entry_time=fill.utc_time,
            entry_price=fill.fill_price,
            direction=TradeDirection.LONG if quantity > 0 else TradeDirection.SHORT,
            quantity=quantity.copy_abs(),
            total_fees=fees,
            order_ids=[fill.order_id],
        )

    def _fill_to_fill(self, fill: FillRecord, order_fee: Decimal, rate: Decimal, multiplier: Decimal) -> None:
        key = fill.symbol_key
        position = self._positions.get(key)
        if position is None or not position.pending_trades:
            self._positions[key] = _Position(
                pending_trades=[_TradeState(self._new_trade(fill, fill.fill_quantity, order_fee))],
                min_price=fill.fill_price,
                max_price=fill.fill_price,
            )
            return

        self.set_market_price(key, fill.fill_price)
        index = 0 if self.matching == FillMatchingMethod.FIFO else len(position.pending_trades) - 1
        open_direction = position.pending_trades[index].trade.direction
        if _sign(fill.fill_quantity) == (1 if open_direction == TradeDirection.LONG else -1):
            position.pending_trades.append(_TradeState(self._new_trade(fill, fill.fill_quantity, order_fee)))
            return

        absolute_fill = fill.absolute_fill_quantity
        executed = ZERO
        fee_assigned = False
        while position.pending_trades and executed.copy_abs() < absolute_fill:
            state = position.pending_trades[index]
            trade = state.trade
            direction = _direction_sign(trade.direction)
            unexecuted = decimal_sub(absolute_fill, executed.copy_abs())
            if trade.direction == TradeDirection.LONG:
                adverse = decimal_sub(position.min_price, trade.entry_price)
                favourable = decimal_sub(position.max_price, trade.entry_price)
            else:
                adverse = decimal_sub(trade.entry_price, position.max_price)
                favourable = decimal_sub(trade.entry_price, position.min_price)
            fee = ZERO if fee_assigned else order_fee
            if unexecuted >= trade.quantity:
                executed = decimal_sub(executed, decimal_mul(trade.quantity, direction))
                position.pending_trades.pop(index)
                trade.add_order_id(fill.order_id)
                if index > 0 and self.matching == FillMatchingMethod.LIFO:
                    index -= 1
                trade.exit_time = fill.utc_time
                trade.exit_price = fill.fill_price
                price_change = decimal_sub(trade.exit_price, trade.entry_price)
                trade.profit_loss = round_decimal(
                    _product(price_change, trade.quantity, direction, rate, multiplier), 2
                )
                trade.total_fees = decimal_add(trade.total_fees, fee)
                trade.mae = round_decimal(_product(adverse, trade.quantity, rate, multiplier), 2)
                trade.mfe = round_decimal(_product(favourable, trade.quantity, rate, multiplier), 2)
                trade.end_trade_drawdown = round_decimal(
                    _product(state.max_drawdown, trade.quantity, rate, multiplier), 2
                )
                self._add_closed_trade(trade, fill)
            else:
                executed = decimal_add(executed, decimal_mul(unexecuted, direction.copy_negate()))
                trade.quantity = decimal_sub(trade.quantity, unexecuted)
                price_change = decimal_sub(fill.fill_price, trade.entry_price)
                closed = Trade(
                    symbol_key=trade.symbol_key,
                    symbols=trade.symbols,
                    entry_time=trade.entry_time,
                    entry_price=trade.entry_price,
                    direction=trade.direction,
                    quantity=unexecuted,
                    exit_time=fill.utc_time,
                    exit_price=fill.fill_price,
                    profit_loss=round_decimal(_product(price_change, unexecuted, direction, rate, multiplier), 2),
                    total_fees=decimal_add(trade.total_fees, fee),
                    mae=round_decimal(_product(adverse, unexecuted, rate, multiplier), 2),
                    mfe=round_decimal(_product(favourable, unexecuted, rate, multiplier), 2),
                    end_trade_drawdown=round_decimal(_product(state.max_drawdown, unexecuted, rate, multiplier), 2),
                    order_ids=[*trade.order_ids],
                )
                closed.add_order_id(fill.order_id)
                self._add_closed_trade(closed, fill)
                trade.total_fees = ZERO
            fee_assigned = True

        if executed.copy_abs() == absolute_fill and not position.pending_trades:
            del self._positions[key]
        elif executed.copy_abs() < absolute_fill:
            # the fill reversed the position: what is left opens a trade the other way, without a fee
            fill.fill_quantity = decimal_sub(fill.fill_quantity, executed)
            position.pending_trades = [_TradeState(self._new_trade(fill, fill.fill_quantity, ZERO))]
            position.min_price = fill.fill_price
            position.max_price = fill.fill_price

    def _flat_to_flat(self, fill: FillRecord, order_fee: Decimal, rate: Decimal, multiplier: Decimal) -> None:
        key = fill.symbol_key
        position = self._positions.get(key)
        if position is None or not position.pending_fills:
            self._positions[key] = _Position(
                pending_fills=[fill], total_fees=order_fee, min_price=fill.fill_price, max_price=fill.fill_price
            )
            return

        self.set_market_price(key, fill.fill_price)
        if _sign(position.pending_fills[0].fill_quantity) == _sign(fill.fill_quantity):
            position.pending_fills.append(fill)
            position.total_fees = decimal_add(position.total_fees, order_fee)
            return

        open_quantity = decimal_sum(pending.fill_quantity for pending in position.pending_fills)
        if decimal_add(open_quantity, fill.fill_quantity) != 0 and fill.absolute_fill_quantity <= open_quantity.copy_abs():
            # the position is only reduced: the trade stays open
            position.pending_fills.append(fill)
            position.total_fees = decimal_add(position.total_fees, order_fee)
            return

        position.pending_fills.append(fill)
        position.total_fees = decimal_add(position.total_fees, order_fee)
        reverse_quantity = decimal_sum(pending.fill_quantity for pending in position.pending_fills)
        index = 0 if self.matching == FillMatchingMethod.FIFO else len(position.pending_fills) - 1
        entry_time = position.pending_fills[0].utc_time
        entry_quantity = exit_quantity = entry_average = exit_average = ZERO
        order_ids: list[int] = []
        while position.pending_fills:
            current = position.pending_fills[index]
            if _sign(current.fill_quantity) != _sign(fill.fill_quantity):
                entry_quantity = decimal_add(entry_quantity, current.fill_quantity)
                step = decimal_div(
                    decimal_mul(decimal_sub(current.fill_price, entry_average), current.fill_quantity), entry_quantity
                )
                entry_average = decimal_add(entry_average, step)
            else:
                exit_quantity = decimal_add(exit_quantity, current.fill_quantity)
                step = decimal_div(
                    decimal_mul(decimal_sub(current.fill_price, exit_average), current.fill_quantity), exit_quantity
                )
                exit_average = decimal_add(exit_average, step)
            if current.order_id not in order_ids:
                order_ids.append(current.order_id)
            position.pending_fills.pop(index)
            if self.matching == FillMatchingMethod.LIFO and index > 0:
                index -= 1

        price_change = decimal_sub(exit_average, entry_average)
        trade = Trade(
            symbol_key=key,
            symbols=[fill.symbol_json],
            entry_time=entry_time,
            entry_price=entry_average,
            direction=TradeDirection.LONG if _sign(fill.fill_quantity) < 0 else TradeDirection.SHORT,
            quantity=entry_quantity.copy_abs(),
            exit_time=fill.utc_time,
            exit_price=exit_average,
            profit_loss=round_decimal(
                _product(price_change, entry_quantity.copy_abs(), Decimal(_sign(entry_quantity)), rate, multiplier), 2
            ),
            total_fees=position.total_fees,
            order_ids=order_ids,
        )
        # MAE, MFE and end-trade drawdown stay 0 with this grouping, as in LEAN
        self._add_closed_trade(trade, fill)
        del self._positions[key]
        if reverse_quantity != 0:
            fill.fill_quantity = reverse_quantity
            self._positions[key] = _Position(
                pending_fills=[fill], total_fees=ZERO, min_price=fill.fill_price, max_price=fill.fill_price
            )

    def _flat_to_reduced(self, fill: FillRecord, order_fee: Decimal, rate: Decimal, multiplier: Decimal) -> None:
        key = fill.symbol_key
        position = self._positions.get(key)
        if position is None or not position.pending_fills:
            self._positions[key] = _Position(
                pending_fills=[fill], total_fees=order_fee, min_price=fill.fill_price, max_price=fill.fill_price
            )
            return

        self.set_market_price(key, fill.fill_price)
        index = 0 if self.matching == FillMatchingMethod.FIFO else len(position.pending_fills) - 1
        if _sign(fill.fill_quantity) == _sign(position.pending_fills[index].fill_quantity):
            position.pending_fills.append(fill)
            position.total_fees = decimal_add(position.total_fees, order_fee)
            return

        entry_time = position.pending_fills[index].utc_time
        executed = ZERO
        entry_price = ZERO
        position.total_fees = decimal_add(position.total_fees, order_fee)
        order_ids = [fill.order_id]
        absolute_fill = fill.absolute_fill_quantity
        while position.pending_fills and executed.copy_abs() < absolute_fill:
            current = position.pending_fills[index]
            unexecuted = decimal_sub(absolute_fill, executed.copy_abs())
            if unexecuted >= current.fill_quantity.copy_abs():
                if self.matching == FillMatchingMethod.LIFO:
                    entry_time = current.utc_time
                executed = decimal_sub(executed, current.fill_quantity)
                step = decimal_div(
                    decimal_mul(decimal_sub(current.fill_price, entry_price), current.fill_quantity), executed
                )
                entry_price = decimal_sub(entry_price, step)
                position.pending_fills.pop(index)
                if self.matching == FillMatchingMethod.LIFO and index > 0:
                    index -= 1
            else:
                executed_now = decimal_mul(unexecuted, Decimal(_sign(fill.fill_quantity)))
                executed = decimal_add(executed, executed_now)
                step = decimal_div(decimal_mul(decimal_sub(current.fill_price, entry_price), executed_now), executed)
                entry_price = decimal_add(entry_price, step)
                current.fill_quantity = decimal_add(current.fill_quantity, executed_now)
            if current.order_id not in order_ids:
                order_ids.append(current.order_id)

        price_change = decimal_sub(fill.fill_price, entry_price)
        trade = Trade(
            symbol_key=key,
            symbols=[fill.symbol_json],
            entry_time=entry_time,
            entry_price=entry_price,
            direction=TradeDirection.LONG if executed < 0 else TradeDirection.SHORT,
            quantity=executed.copy_abs(),
            exit_time=fill.utc_time,
            exit_price=fill.fill_price,
            profit_loss=round_decimal(
                _product(price_change, executed.copy_abs(), Decimal(-_sign(executed)), rate, multiplier), 2
            ),
            total_fees=position.total_fees,
            order_ids=order_ids,
        )
        self._add_closed_trade(trade, fill)

        if executed.copy_abs() < absolute_fill:
            fill.fill_quantity = decimal_sub(fill.fill_quantity, executed)
            position.pending_fills = [fill]
            position.total_fees = ZERO
            position.min_price = fill.fill_price
            position.max_price = fill.fill_price
        elif executed.copy_abs() == absolute_fill:
            if not position.pending_fills:
                del self._positions[key]
            else:
                position.total_fees = ZERO

    # --- bookkeeping --------------------------------------------------------------------------------------

    def _add_closed_trade(self, trade: Trade, fill: FillRecord) -> None:
        trade.is_win = fill.is_win(trade.profit_loss)
        trade.id = self._id_factory()
        self._closed_trades.append(trade)

    def _remember_fee_order(self, order_id: int) -> None:
        self._fee_orders.add(order_id)
        self._fee_order_queue.append(order_id)
        if len(self._fee_order_queue) > _MAX_ORDER_ID_CACHE:
            self._fee_orders.discard(self._fee_order_queue.popleft())
