"""Fills to trades: FIFO/LIFO partial closes, reversals, fees, MAE/MFE, and the flat-to-flat/reduced groupings."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal as D
from itertools import count

from lean_local.enums import OrderDirection
from lean_local.statistics import (
    FillGroupingMethod,
    FillMatchingMethod,
    FillRecord,
    Trade,
    TradeBuilder,
    TradeDirection,
)

T0 = datetime(2013, 10, 7, 13, 31)
SYMBOL = {"value": "SPY", "id": "SPY R735QTJ8XC9X", "permtick": "SPY"}


def fill(order_id: int, quantity: int, price: str, minutes: int) -> FillRecord:
    qty = D(quantity)
    return FillRecord(
        order_id=order_id,
        symbol_key="SPY",
        symbol_json=SYMBOL,
        utc_time=T0 + timedelta(minutes=minutes),
        fill_price=D(price),
        fill_quantity=qty,
        direction=OrderDirection.BUY if qty > 0 else OrderDirection.SELL,
    )


def builder(grouping: FillGroupingMethod = FillGroupingMethod.FILL_TO_FILL,
            matching: FillMatchingMethod = FillMatchingMethod.FIFO) -> TradeBuilder:
    ids = count(1)
    return TradeBuilder(grouping, matching, id_factory=lambda: f"trade-{next(ids)}")


def summary(trade: Trade) -> tuple[object, ...]:
    return (trade.direction, trade.quantity, trade.entry_price, trade.exit_price, trade.profit_loss,
            trade.total_fees, trade.mae, trade.mfe, trade.end_trade_drawdown, trade.order_ids, trade.is_win)


def test_fill_to_fill_fifo_partial_close_and_reversal() -> None:
    tb = builder()
    tb.process_fill(fill(1, 10, "100", 0), D(1), D("1.00"))
    tb.process_fill(fill(2, 10, "110", 1), D(1), D("1.00"))
    tb.set_market_price("SPY", D(90))
    tb.set_market_price("SPY", D(120))
    tb.process_fill(fill(3, -15, "115", 5), D(1), D("1.50"))

    first, second = tb.closed_trades
    # the older trade closes completely, carrying both its own fee and the closing order's fee
    assert summary(first) == (TradeDirection.LONG, D(10), D(100), D(115), D("150.00"), D("2.50"),
                              D("-100.00"), D("200.00"), D("200.00"), [1, 3], True)
    # 5 of the second trade close; the closing fee was already assigned, the open trade's fee moves along
    assert summary(second) == (TradeDirection.LONG, D(5), D(110), D(115), D("25.00"), D("1.00"),
                               D("-100.00"), D("50.00"), D("100.00"), [2, 3], True)
    assert first.entry_time == T0 and first.exit_time == T0 + timedelta(minutes=5)
    assert first.duration_ticks == 5 * 60 * 10_000_000
    assert tb.has_open_position("SPY")

    tb.process_fill(fill(4, -10, "100", 10), D(1), D("2.00"))  # closes the last 5 and goes short 5
    third = tb.closed_trades[2]
    assert summary(third) == (TradeDirection.LONG, D(5), D(110), D(100), D("-50.00"), D("2.00"),
                              D("-100.00"), D("50.00"), D("100.00"), [2, 4], False)
    assert tb.has_open_position("SPY")

    tb.process_fill(fill(5, 5, "95", 20), D(1), D("1.00"))
    fourth = tb.closed_trades[3]
    # the reversal opened without a fee; the short's price range restarted at 100
    assert summary(fourth) == (TradeDirection.SHORT, D(5), D(100), D(95), D("25.00"), D("1.00"),
                               D("0.00"), D("25.00"), D("0.00"), [4, 5], True)
    assert fourth.entry_time == T0 + timedelta(minutes=10)
    assert not tb.has_open_position("SPY")
    assert [trade.id for trade in tb.closed_trades] == ["trade-1", "trade-2", "trade-3", "trade-4"]


def test_fill_to_fill_lifo() -> None:
    tb = builder(matching=FillMatchingMethod.LIFO)
    tb.process_fill(fill(1, 10, "100", 0), D(1), D(1))
    tb.process_fill(fill(2, 10, "110", 1), D(1), D(1))
    tb.process_fill(fill(3, -15, "115", 2), D(1), D(1))
    newest, older = tb.closed_trades
    assert (newest.entry_price, newest.quantity, newest.profit_loss, newest.total_fees) == (D(110), D(10), D("50.00"), D(2))
    assert (older.entry_price, older.quantity, older.profit_loss, older.total_fees) == (D(100), D(5), D("75.00"), D(1))


def test_fee_counted_once_per_order_and_conversion_and_multiplier() -> None:
    tb = builder()
    tb.process_fill(fill(1, 2, "1.50", 0), D("1.25"), D("0.65"), D(100))
    tb.process_fill(fill(2, -1, "2.00", 1), D("1.25"), D("0.65"), D(100))
    tb.process_fill(fill(2, -1, "2.10", 2), D("1.25"), D("0.65"), D(100))  # second fill of order 2: no fee
    first, second = tb.closed_trades
    assert (first.profit_loss, first.total_fees) == (D("62.50"), D("1.30"))  # (2 - 1.5) x 1 x 1.25 x 100
    assert (second.profit_loss, second.total_fees) == (D("75.00"), D("0"))
    assert second.mfe == D("75.00")  # max price 2.10 seen with the second fill


def test_short_trade_mae_mfe() -> None:
    tb = builder()
    tb.process_fill(fill(1, -10, "50", 0), D(1), D(1))
    for price in ("55", "48", "45", "52"):
        tb.set_market_price("SPY", D(price))
    tb.process_fill(fill(2, 10, "49", 5), D(1), D(1))
    (trade,) = tb.closed_trades
    assert trade.direction == TradeDirection.SHORT
    assert trade.profit_loss == D("10.00")
    assert trade.mae == D("-50.00")  # (entry - highest) x qty
    assert trade.mfe == D("50.00")  # (entry - lowest) x qty
    # largest give-back from a peak profit: peak +5 at 45, down to -2 at 52
    assert trade.end_trade_drawdown == D("70.00")


def test_set_market_price_ignores_unknown_symbols() -> None:
    tb = builder()
    tb.set_market_price("AAPL", D(1))
    assert not tb.has_open_position("AAPL")
    assert tb.closed_trades == []


def test_flat_to_flat() -> None:
    tb = builder(FillGroupingMethod.FLAT_TO_FLAT)
    tb.process_fill(fill(1, 10, "100", 0), D(1), D(1))
    tb.process_fill(fill(2, 10, "110", 1), D(1), D(1))
    tb.process_fill(fill(3, -5, "120", 2), D(1), D(1))
    assert tb.has_open_position("SPY") and tb.closed_trades == []
    tb.process_fill(fill(4, -15, "130", 3), D(1), D(1))
    (trade,) = tb.closed_trades
    assert trade.direction == TradeDirection.LONG
    assert (trade.quantity, trade.entry_price, trade.exit_price) == (D(20), D(105), D("127.5"))
    assert (trade.profit_loss, trade.total_fees, trade.order_ids) == (D("450.00"), D(4), [1, 2, 3, 4])
    assert (trade.mae, trade.mfe, trade.end_trade_drawdown) == (D(0), D(0), D(0))
    assert trade.entry_time == T0 and trade.exit_time == T0 + timedelta(minutes=3)
    assert not tb.has_open_position("SPY")


def test_flat_to_flat_reversal_keeps_the_rest_open() -> None:
    tb = builder(FillGroupingMethod.FLAT_TO_FLAT)
    tb.process_fill(fill(1, 10, "100", 0), D(1), D(1))
    tb.process_fill(fill(2, -15, "90", 1), D(1), D(1))
    (trade,) = tb.closed_trades
    # LEAN counts the whole reversing fill as the exit: exit price 90, quantity 10 from the entries
    assert (trade.quantity, trade.profit_loss, trade.total_fees) == (D(10), D("-100.00"), D(2))
    assert tb.has_open_position("SPY")
    tb.process_fill(fill(3, 5, "80", 2), D(1), D(1))
    short = tb.closed_trades[1]
    assert (short.direction, short.quantity, short.profit_loss, short.total_fees) == (TradeDirection.SHORT, D(5), D("50.00"), D(1))


def test_flat_to_reduced() -> None:
    tb = builder(FillGroupingMethod.FLAT_TO_REDUCED)
    tb.process_fill(fill(1, 10, "100", 0), D(1), D(1))
    tb.process_fill(fill(2, -4, "110", 1), D(1), D(1))
    first = tb.closed_trades[0]
    assert (first.direction, first.quantity, first.entry_price, first.profit_loss) == (TradeDirection.LONG, D(4), D(100), D("40.00"))
    assert (first.total_fees, first.order_ids) == (D(2), [2, 1])
    tb.process_fill(fill(3, -6, "90", 2), D(1), D(1))
    second = tb.closed_trades[1]
    assert (second.quantity, second.entry_price, second.profit_loss, second.total_fees) == (D(6), D(100), D("-60.00"), D(1))
    assert not tb.has_open_position("SPY")


def test_trade_json_shape() -> None:
    tb = builder()
    tb.process_fill(fill(1, 688, "144.78172417000", 0), D(1), D("3.44"))
    tb.process_fill(fill(2, -688, "147.24590998000", 24 * 60 + 29), D(1), D("3.44"))
    (trade,) = tb.closed_trades
    assert trade.to_json() == {
        "id": "trade-1",
        "symbols": [SYMBOL],
        "entryTime": "2013-10-07T13:31:00Z",
        "entryPrice": D("144.78172417000"),
        "direction": 0,
        "quantity": D(688),
        "exitTime": "2013-10-08T14:00:00Z",
        "exitPrice": D("147.24590998000"),
        "profitLoss": D("1695.36"),
        "totalFees": D("6.88"),
        "mae": D("0.00"),
        "mfe": D("1695.36"),
        "duration": "1.00:29:00",
        "endTradeDrawdown": D("0.00"),
        "isWin": True,
        "orderIds": [1, 2],
    }


def test_option_exercise_win_rule() -> None:
    exercise = FillRecord(
        order_id=1, symbol_key="GOOG 151224C00750000", symbol_json={}, utc_time=T0, fill_price=D(0),
        fill_quantity=D(-1), direction=OrderDirection.SELL, is_option_exercise=True, is_in_the_money=True,
        in_the_money_amount=D("500"),
    )
    assert exercise.is_win(D("-300"))  # bought the option, lost less than what exercising saved
    assert not exercise.is_win(D("-700"))
