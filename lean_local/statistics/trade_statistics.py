"""Statistics over closed trades (LEAN's ``TradeStatistics``): counts, profit/loss, durations, excursions."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    CS_ONE,
    CS_ZERO,
    ONE,
    TICKS_PER_SECOND,
    ZERO,
    CsDecimal,
    NotACsDecimal,
    cs_abs,
    cs_add,
    cs_div,
    cs_from_decimal,
    cs_from_double,
    cs_from_int,
    cs_mul,
    cs_sub,
    cs_to_decimal,
    cs_to_double,
    decimal_add,
    decimal_div,
    decimal_mul,
    decimal_sub,
    json_utc_datetime,
    round_decimal,
    decimal_to_string,
    timedelta_to_ticks,
    timespan_to_string,
    to_decimal,
    to_double,
)
from lean_local.statistics.mathnet import math_sqrt
from lean_local.statistics.trade import Trade

_TEN = Decimal(10)
_TICKS_PER_SECOND = float(TICKS_PER_SECOND)
JSON_FRACTIONAL_DIGITS = 4


def json_rounded(value: Decimal | int) -> str:
    """LEAN's ``JsonRoundingConverter`` for decimals: ``Math.Round(value, 4)`` written as a string."""
    return decimal_to_string(round_decimal(Decimal(value), JSON_FRACTIONAL_DIGITS))


def _median_ticks(values: list[int]) -> int:
    """LEAN's ``Median()`` extension: the element at index ``n / 2`` of the sorted list (upper median)."""
    return sorted(values)[len(values) // 2]


def _running_average_ticks(average: int, duration: int, count: int) -> int:
    """``avg += TimeSpan.FromSeconds((duration.TotalSeconds - avg.TotalSeconds) / count)`` (the expressions of
    ``ticks_total_seconds`` and ``ticks_from_seconds``, inlined)."""
    return average + int((duration / _TICKS_PER_SECOND - average / _TICKS_PER_SECOND) / count * _TICKS_PER_SECOND)


@dataclass
class TradeStatistics:
    """Trade statistics. Money in the account currency; durations in .NET ticks (100 ns); rates as fractions."""

    start_date_time: datetime | None = None
    end_date_time: datetime | None = None
    total_number_of_trades: int = 0
    number_of_winning_trades: int = 0
    number_of_losing_trades: int = 0
    total_profit_loss: Decimal = ZERO
    total_profit: Decimal = ZERO
    total_loss: Decimal = ZERO
    largest_profit: Decimal = ZERO
    largest_loss: Decimal = ZERO
    average_profit_loss: Decimal = ZERO
    average_profit: Decimal = ZERO
    average_loss: Decimal = ZERO
    average_trade_duration: int = 0
    average_winning_trade_duration: int = 0
    average_losing_trade_duration: int = 0
    median_trade_duration: int = 0
    median_winning_trade_duration: int = 0
    median_losing_trade_duration: int = 0
    max_consecutive_winning_trades: int = 0
    max_consecutive_losing_trades: int = 0
    profit_loss_ratio: Decimal = ZERO
    win_loss_ratio: Decimal = ZERO
    win_rate: Decimal = ZERO
    loss_rate: Decimal = ZERO
    average_mae: Decimal = ZERO
    average_mfe: Decimal = ZERO
    largest_mae: Decimal = ZERO
    largest_mfe: Decimal = ZERO
    maximum_closed_trade_drawdown: Decimal = ZERO
    maximum_intra_trade_drawdown: Decimal = ZERO
    profit_loss_standard_deviation: Decimal = ZERO
    profit_loss_downside_deviation: Decimal = ZERO
    profit_factor: Decimal = ZERO
    sharpe_ratio: Decimal = ZERO
    sortino_ratio: Decimal = ZERO
    profit_to_max_drawdown_ratio: Decimal = ZERO
    maximum_end_trade_drawdown: Decimal = ZERO
    average_end_trade_drawdown: Decimal = ZERO
    maximum_drawdown_duration: int = 0
    total_fees: Decimal = ZERO

    @classmethod
    def from_trades(cls, trades: Iterable[Trade]) -> TradeStatistics:
        """Compute the statistics over trades in closing order.

        A trade with ``profit_loss > 0`` is a winner; any other trade is a loser for the profit figures. A
        losing trade flagged ``is_win`` (an in-the-money option exercise) still moves one count from losers
        to winners and continues a winning streak.
        """
        trades = list(trades)
        try:
            return trade_statistics_of_prefixes(trade_facts(trades), [len(trades)])[0]
        except NotACsDecimal:  # a value C# could not hold as is: the Decimal functions know what to do
            return cls.from_trades_decimal(trades)

    @classmethod
    def from_trades_decimal(cls, trades: Iterable[Trade]) -> TradeStatistics:
        """:meth:`from_trades` computed step by step with the Decimal functions (the reference the integer
        implementation is checked against, and its fallback for decimals outside C#'s range)."""
        stats = cls()
        consecutive_wins = 0
        consecutive_losses = 0
        max_total_profit_loss = ZERO
        max_total_profit_loss_with_mfe = ZERO
        sum_for_variance = ZERO
        sum_for_downside_variance = ZERO
        last_peak_time: datetime | None = None
        in_drawdown = False
        all_durations: list[int] = []
        winning_durations: list[int] = []
        losing_durations: list[int] = []
        itm_option_wins = 0

        for trade in trades:
            assert trade.exit_time is not None, "only closed trades have statistics"
            duration = trade.duration_ticks
            if last_peak_time is None:
                last_peak_time = trade.entry_time
            if stats.start_date_time is None or trade.entry_time < stats.start_date_time:
                stats.start_date_time = trade.entry_time
            if stats.end_date_time is None or trade.exit_time > stats.end_date_time:
                stats.end_date_time = trade.exit_time

            stats.total_number_of_trades += 1

            with_mfe = decimal_add(stats.total_profit_loss, trade.mfe)
            if with_mfe > max_total_profit_loss_with_mfe:
                max_total_profit_loss_with_mfe = with_mfe
            intra_trade = decimal_sub(decimal_add(stats.total_profit_loss, trade.mae), max_total_profit_loss_with_mfe)
            if intra_trade < stats.maximum_intra_trade_drawdown:
                stats.maximum_intra_trade_drawdown = intra_trade

            if trade.profit_loss > 0:
                stats.number_of_winning_trades += 1
                stats.total_profit_loss = decimal_add(stats.total_profit_loss, trade.profit_loss)
                stats.total_profit = decimal_add(stats.total_profit, trade.profit_loss)
                stats.average_profit = decimal_add(
                    stats.average_profit,
                    decimal_div(
                        decimal_sub(trade.profit_loss, stats.average_profit), Decimal(stats.number_of_winning_trades)
                    ),
                )
                stats.average_winning_trade_duration = _running_average_ticks(
                    stats.average_winning_trade_duration, duration, stats.number_of_winning_trades
                )
                winning_durations.append(duration)
                if trade.profit_loss > stats.largest_profit:
                    stats.largest_profit = trade.profit_loss
                consecutive_wins += 1
                consecutive_losses = 0
                stats.max_consecutive_winning_trades = max(stats.max_consecutive_winning_trades, consecutive_wins)
                if stats.total_profit_loss > max_total_profit_loss:
                    max_total_profit_loss = stats.total_profit_loss
                    since_peak = timedelta_to_ticks(trade.exit_time - last_peak_time)
                    if in_drawdown and since_peak > stats.maximum_drawdown_duration:
                        stats.maximum_drawdown_duration = since_peak
                    last_peak_time = trade.exit_time
                    in_drawdown = False
            else:
                stats.number_of_losing_trades += 1
                stats.total_profit_loss = decimal_add(stats.total_profit_loss, trade.profit_loss)
                stats.total_loss = decimal_add(stats.total_loss, trade.profit_loss)
                previous_average_loss = stats.average_loss
                stats.average_loss = decimal_add(
                    stats.average_loss,
                    decimal_div(
                        decimal_sub(trade.profit_loss, stats.average_loss), Decimal(stats.number_of_losing_trades)
                    ),
                )
                sum_for_downside_variance = decimal_add(
                    sum_for_downside_variance,
                    decimal_mul(
                        decimal_sub(trade.profit_loss, previous_average_loss),
                        decimal_sub(trade.profit_loss, stats.average_loss),
                    ),
                )
                downside_variance = (
                    decimal_div(sum_for_downside_variance, Decimal(stats.number_of_losing_trades - 1))
                    if stats.number_of_losing_trades > 1
                    else ZERO
                )
                stats.profit_loss_downside_deviation = to_decimal(math_sqrt(to_double(downside_variance)))
                stats.average_losing_trade_duration = _running_average_ticks(
                    stats.average_losing_trade_duration, duration, stats.number_of_losing_trades
                )
                losing_durations.append(duration)
                if trade.profit_loss < stats.largest_loss:
                    stats.largest_loss = trade.profit_loss
                if trade.is_win:
                    itm_option_wins += 1
                    consecutive_losses = 0
                    consecutive_wins += 1
                    stats.max_consecutive_winning_trades = max(stats.max_consecutive_winning_trades, consecutive_wins)
                else:
                    consecutive_wins = 0
                    consecutive_losses += 1
                    stats.max_consecutive_losing_trades = max(stats.max_consecutive_losing_trades, consecutive_losses)
                closed_drawdown = decimal_sub(stats.total_profit_loss, max_total_profit_loss)
                if closed_drawdown < stats.maximum_closed_trade_drawdown:
                    stats.maximum_closed_trade_drawdown = closed_drawdown
                in_drawdown = True

            previous_average = stats.average_profit_loss
            count = Decimal(stats.total_number_of_trades)
            stats.average_profit_loss = decimal_add(
                stats.average_profit_loss, decimal_div(decimal_sub(trade.profit_loss, stats.average_profit_loss), count)
            )
            sum_for_variance = decimal_add(
                sum_for_variance,
                decimal_mul(
                    decimal_sub(trade.profit_loss, previous_average),
                    decimal_sub(trade.profit_loss, stats.average_profit_loss),
                ),
            )
            trade_variance = (
                decimal_div(sum_for_variance, Decimal(stats.total_number_of_trades - 1))
                if stats.total_number_of_trades > 1
                else ZERO
            )
            stats.profit_loss_standard_deviation = to_decimal(math_sqrt(to_double(trade_variance)))
            stats.average_trade_duration = _running_average_ticks(
                stats.average_trade_duration, duration, stats.total_number_of_trades
            )
            all_durations.append(duration)
            stats.average_mae = decimal_add(
                stats.average_mae, decimal_div(decimal_sub(trade.mae, stats.average_mae), count)
            )
            stats.average_mfe = decimal_add(
                stats.average_mfe, decimal_div(decimal_sub(trade.mfe, stats.average_mfe), count)
            )
            if trade.mae < stats.largest_mae:
                stats.largest_mae = trade.mae
            if trade.mfe > stats.largest_mfe:
                stats.largest_mfe = trade.mfe
            if trade.end_trade_drawdown > stats.maximum_end_trade_drawdown:
                stats.maximum_end_trade_drawdown = trade.end_trade_drawdown
            stats.total_fees = decimal_add(stats.total_fees, trade.total_fees)

        stats.number_of_winning_trades += itm_option_wins
        stats.number_of_losing_trades -= itm_option_wins
        total = stats.total_number_of_trades

        stats.profit_loss_ratio = (
            ZERO if stats.average_loss == 0 else decimal_div(stats.average_profit, stats.average_loss.copy_abs())
        )
        if total == 0:
            stats.win_loss_ratio = ZERO
        elif stats.number_of_losing_trades > 0:
            stats.win_loss_ratio = decimal_div(
                Decimal(stats.number_of_winning_trades), Decimal(stats.number_of_losing_trades)
            )
        else:
            stats.win_loss_ratio = _TEN
        stats.win_rate = decimal_div(Decimal(stats.number_of_winning_trades), Decimal(total)) if total > 0 else ZERO
        stats.loss_rate = decimal_sub(ONE, stats.win_rate) if total > 0 else ZERO
        if stats.total_profit == 0:
            stats.profit_factor = ZERO
        elif stats.total_loss < 0:
            stats.profit_factor = decimal_div(stats.total_profit, stats.total_loss.copy_abs())
        else:
            stats.profit_factor = _TEN
        stats.sharpe_ratio = (
            decimal_div(stats.average_profit_loss, stats.profit_loss_standard_deviation)
            if stats.profit_loss_standard_deviation > 0
            else ZERO
        )
        stats.sortino_ratio = (
            decimal_div(stats.average_profit_loss, stats.profit_loss_downside_deviation)
            if stats.profit_loss_downside_deviation > 0
            else ZERO
        )
        if stats.total_profit_loss == 0:
            stats.profit_to_max_drawdown_ratio = ZERO
        elif stats.maximum_closed_trade_drawdown < 0:
            stats.profit_to_max_drawdown_ratio = decimal_div(
                stats.total_profit_loss, stats.maximum_closed_trade_drawdown.copy_abs()
            )
        else:
            stats.profit_to_max_drawdown_ratio = _TEN
        stats.average_end_trade_drawdown = decimal_sub(stats.average_profit_loss, stats.average_mfe)
        if all_durations:
            stats.median_trade_duration = _median_ticks(all_durations)
        if winning_durations:
            stats.median_winning_trade_duration = _median_ticks(winning_durations)
        if losing_durations:
            stats.median_losing_trade_duration = _median_ticks(losing_durations)
        return stats

    def to_json(self) -> dict[str, Any]:
        """LEAN's ``tradeStatistics`` JSON object: decimals as 4-decimal strings, durations as "d.hh:mm:ss"."""
        return {
            "startDateTime": json_utc_datetime(self.start_date_time) if self.start_date_time else None,
            "endDateTime": json_utc_datetime(self.end_date_time) if self.end_date_time else None,
            "totalNumberOfTrades": self.total_number_of_trades,
            "numberOfWinningTrades": self.number_of_winning_trades,
            "numberOfLosingTrades": self.number_of_losing_trades,
            "totalProfitLoss": json_rounded(self.total_profit_loss),
            "totalProfit": json_rounded(self.total_profit),
            "totalLoss": json_rounded(self.total_loss),
            "largestProfit": json_rounded(self.largest_profit),
            "largestLoss": json_rounded(self.largest_loss),
            "averageProfitLoss": json_rounded(self.average_profit_loss),
            "averageProfit": json_rounded(self.average_profit),
            "averageLoss": json_rounded(self.average_loss),
            "averageTradeDuration": timespan_to_string(self.average_trade_duration),
            "averageWinningTradeDuration": timespan_to_string(self.average_winning_trade_duration),
            "averageLosingTradeDuration": timespan_to_string(self.average_losing_trade_duration),
            "medianTradeDuration": timespan_to_string(self.median_trade_duration),
            "medianWinningTradeDuration": timespan_to_string(self.median_winning_trade_duration),
            "medianLosingTradeDuration": timespan_to_string(self.median_losing_trade_duration),
            "maxConsecutiveWinningTrades": self.max_consecutive_winning_trades,
            "maxConsecutiveLosingTrades": self.max_consecutive_losing_trades,
            "profitLossRatio": json_rounded(self.profit_loss_ratio),
            "winLossRatio": json_rounded(self.win_loss_ratio),
            "winRate": json_rounded(self.win_rate),
            "lossRate": json_rounded(self.loss_rate),
            "averageMAE": json_rounded(self.average_mae),
            "averageMFE": json_rounded(self.average_mfe),
            "largestMAE": json_rounded(self.largest_mae),
            "largestMFE": json_rounded(self.largest_mfe),
            "maximumClosedTradeDrawdown": json_rounded(self.maximum_closed_trade_drawdown),
            "maximumIntraTradeDrawdown": json_rounded(self.maximum_intra_trade_drawdown),
            "profitLossStandardDeviation": json_rounded(self.profit_loss_standard_deviation),
            "profitLossDownsideDeviation": json_rounded(self.profit_loss_downside_deviation),
            "profitFactor": json_rounded(self.profit_factor),
            "sharpeRatio": json_rounded(self.sharpe_ratio),
            "sortinoRatio": json_rounded(self.sortino_ratio),
            "profitToMaxDrawdownRatio": json_rounded(self.profit_to_max_drawdown_ratio),
            "maximumEndTradeDrawdown": json_rounded(self.maximum_end_trade_drawdown),
            "averageEndTradeDrawdown": json_rounded(self.average_end_trade_drawdown),
            "maximumDrawdownDuration": timespan_to_string(self.maximum_drawdown_duration),
            "totalFees": json_rounded(self.total_fees),
        }


# --- the same computation on integers, for many prefixes of one trade sequence in a single pass ---------------

TradeFacts = tuple[datetime, datetime, int, CsDecimal, CsDecimal, CsDecimal, CsDecimal, CsDecimal, bool]
"""What the statistics read from a closed trade: entry and exit time, duration in ticks, profit/loss, MAE, MFE,
end-trade drawdown and fees (as :data:`CsDecimal`), and the ``is_win`` flag."""

_CS_TEN = cs_from_int(10)


def trade_facts(trades: Iterable[Trade]) -> list[TradeFacts]:
    """Convert closed trades once for :func:`trade_statistics_of_prefixes`; raises
    :class:`~lean_local.csharp.NotACsDecimal` for a value C# could not hold as it is."""
    facts: list[TradeFacts] = []
    for trade in trades:
        assert trade.exit_time is not None, "only closed trades have statistics"
        facts.append((
            trade.entry_time,
            trade.exit_time,
            timedelta_to_ticks(trade.exit_time - trade.entry_time),
            cs_from_decimal(trade.profit_loss),
            cs_from_decimal(trade.mae),
            cs_from_decimal(trade.mfe),
            cs_from_decimal(trade.end_trade_drawdown),
            cs_from_decimal(trade.total_fees),
            trade.is_win,
        ))
    return facts


def trade_statistics_of_prefixes(facts: Sequence[TradeFacts], counts: Sequence[int]) -> list[TradeStatistics]:
    """``[TradeStatistics.from_trades(trades[:n]) for n in counts]``, computed in one pass over the trades.

    Every statistic is a running quantity, so the statistics of a prefix are the state reached after its last
    trade, finished off. May raise :class:`~lean_local.csharp.NotACsDecimal` (then use
    :meth:`TradeStatistics.from_trades_decimal`).
    """
    add, sub, mul, div = cs_add, cs_sub, cs_mul, cs_div
    unit = CS_ONE[0]  # (n * unit, 0, False) is the integer n
    running_average = _running_average_ticks
    order = sorted(range(len(counts)), key=counts.__getitem__)
    results: list[TradeStatistics | None] = [None] * len(counts)
    position = 0

    start_time: datetime | None = None
    end_time: datetime | None = None
    last_peak_time: datetime | None = None
    total = wins = losses = itm_option_wins = 0
    consecutive_wins = consecutive_losses = max_consecutive_wins = max_consecutive_losses = 0
    total_profit_loss = total_profit = total_loss = CS_ZERO
    largest_profit = largest_loss = largest_mae = largest_mfe = CS_ZERO
    average_profit_loss = average_profit = average_loss = average_mae = average_mfe = CS_ZERO
    max_total_profit_loss = max_total_profit_loss_with_mfe = CS_ZERO
    max_closed_drawdown = max_intra_drawdown = max_end_trade_drawdown = CS_ZERO
    sum_for_variance = sum_for_downside_variance = CS_ZERO
    total_fees = CS_ZERO
    average_duration = average_winning_duration = average_losing_duration = max_drawdown_duration = 0
    in_drawdown = False
    all_durations: list[int] = []
    winning_durations: list[int] = []
    losing_durations: list[int] = []

    index = 0
    for index in range(len(facts) + 1):
        while position < len(order) and counts[order[position]] <= index:
            if counts[order[position]] < index:
                raise ValueError("counts must be between 0 and the number of trades")
            results[order[position]] = _finish(
                start_time, end_time, total, wins, losses, itm_option_wins, total_profit_loss, total_profit,
                total_loss, largest_profit, largest_loss, average_profit_loss, average_profit, average_loss,
                average_duration, average_winning_duration, average_losing_duration, all_durations,
                winning_durations, losing_durations, max_consecutive_wins, max_consecutive_losses, average_mae,
                average_mfe, largest_mae, largest_mfe, max_closed_drawdown, max_intra_drawdown, sum_for_variance,
                sum_for_downside_variance, max_end_trade_drawdown, max_drawdown_duration, total_fees,
            )
            position += 1
        if index == len(facts) or position == len(order):
            break
        entry_time, exit_time, duration, profit_loss, mae, mfe, end_trade_drawdown, fees, is_win = facts[index]
        if last_peak_time is None:
            last_peak_time = entry_time
        if start_time is None or entry_time < start_time:
            start_time = entry_time
        if end_time is None or exit_time > end_time:
            end_time = exit_time
        total += 1

        with_mfe = add(total_profit_loss, mfe)
        if with_mfe[0] > max_total_profit_loss_with_mfe[0]:
            max_total_profit_loss_with_mfe = with_mfe
        intra_trade = sub(add(total_profit_loss, mae), max_total_profit_loss_with_mfe)
        if intra_trade[0] < max_intra_drawdown[0]:
            max_intra_drawdown = intra_trade

        if profit_loss[0] > 0:
            wins += 1
            total_profit_loss = add(total_profit_loss, profit_loss)
            total_profit = add(total_profit, profit_loss)
            average_profit = add(average_profit, div(sub(profit_loss, average_profit), (wins * unit, 0, False)))
            average_winning_duration = running_average(average_winning_duration, duration, wins)
            winning_durations.append(duration)
            if profit_loss[0] > largest_profit[0]:
                largest_profit = profit_loss
            consecutive_wins += 1
            consecutive_losses = 0
            if consecutive_wins > max_consecutive_wins:
                max_consecutive_wins = consecutive_wins
            if total_profit_loss[0] > max_total_profit_loss[0]:
                max_total_profit_loss = total_profit_loss
                since_peak = timedelta_to_ticks(exit_time - last_peak_time)
                if in_drawdown and since_peak > max_drawdown_duration:
                    max_drawdown_duration = since_peak
                last_peak_time = exit_time
                in_drawdown = False
        else:
            losses += 1
            total_profit_loss = add(total_profit_loss, profit_loss)
            total_loss = add(total_loss, profit_loss)
            previous_average_loss = average_loss
            average_loss = add(average_loss, div(sub(profit_loss, average_loss), (losses * unit, 0, False)))
            sum_for_downside_variance = add(
                sum_for_downside_variance,
                mul(sub(profit_loss, previous_average_loss), sub(profit_loss, average_loss)),
            )
            if sum_for_downside_variance[0] < 0 and losses > 1:  # the deviation itself is computed when needed
                _check_variance(div(sum_for_downside_variance, ((losses - 1) * unit, 0, False)))
            average_losing_duration = running_average(average_losing_duration, duration, losses)
            losing_durations.append(duration)
            if profit_loss[0] < largest_loss[0]:
                largest_loss = profit_loss
            if is_win:
                itm_option_wins += 1
                consecutive_losses = 0
                consecutive_wins += 1
                if consecutive_wins > max_consecutive_wins:
                    max_consecutive_wins = consecutive_wins
            else:
                consecutive_wins = 0
                consecutive_losses += 1
                if consecutive_losses > max_consecutive_losses:
                    max_consecutive_losses = consecutive_losses
            closed_drawdown = sub(total_profit_loss, max_total_profit_loss)
            if closed_drawdown[0] < max_closed_drawdown[0]:
                max_closed_drawdown = closed_drawdown
            in_drawdown = True

        previous_average = average_profit_loss
        count = (total * unit, 0, False)
        average_profit_loss = add(average_profit_loss, div(sub(profit_loss, average_profit_loss), count))
        sum_for_variance = add(
            sum_for_variance, mul(sub(profit_loss, previous_average), sub(profit_loss, average_profit_loss))
        )
        if sum_for_variance[0] < 0 and total > 1:
            _check_variance(div(sum_for_variance, ((total - 1) * unit, 0, False)))
        average_duration = running_average(average_duration, duration, total)
        all_durations.append(duration)
        average_mae = add(average_mae, div(sub(mae, average_mae), count))
        average_mfe = add(average_mfe, div(sub(mfe, average_mfe), count))
        if mae[0] < largest_mae[0]:
            largest_mae = mae
        if mfe[0] > largest_mfe[0]:
            largest_mfe = mfe
        if end_trade_drawdown[0] > max_end_trade_drawdown[0]:
            max_end_trade_drawdown = end_trade_drawdown
        total_fees = add(total_fees, fees)

    if position < len(order):
        raise ValueError("counts must be between 0 and the number of trades")
    return [result for result in results if result is not None]


def _deviation(sum_of_squares: CsDecimal, count: int) -> CsDecimal:
    """``(decimal)Math.Sqrt((double)variance)`` of the running variance after ``count`` values (0 for none).

    LEAN recomputes it after every trade; only its latest value is ever read, and it depends on nothing but
    the running sum and count, so it is computed when read (:func:`_check_variance` keeps the one way an
    intermediate value could fail)."""
    variance = cs_div(sum_of_squares, cs_from_int(count - 1)) if count > 1 else CS_ZERO
    return cs_from_double(math_sqrt(cs_to_double(variance)))


def _check_variance(variance: CsDecimal) -> None:
    """A negative variance has a NaN square root, which ``(decimal)`` rejects."""
    if variance[0] < 0:
        raise OverflowError(f"cannot convert {math_sqrt(-1.0)!r} to decimal")


def _finish(
    start_time: datetime | None,
    end_time: datetime | None,
    total: int,
    wins: int,
    losses: int,
    itm_option_wins: int,
    total_profit_loss: CsDecimal,
    total_profit: CsDecimal,
    total_loss: CsDecimal,
    largest_profit: CsDecimal,
    largest_loss: CsDecimal,
    average_profit_loss: CsDecimal,
    average_profit: CsDecimal,
    average_loss: CsDecimal,
    average_duration: int,
    average_winning_duration: int,
    average_losing_duration: int,
    all_durations: list[int],
    winning_durations: list[int],
    losing_durations: list[int],
    max_consecutive_wins: int,
    max_consecutive_losses: int,
    average_mae: CsDecimal,
    average_mfe: CsDecimal,
    largest_mae: CsDecimal,
    largest_mfe: CsDecimal,
    max_closed_drawdown: CsDecimal,
    max_intra_drawdown: CsDecimal,
    sum_for_variance: CsDecimal,
    sum_for_downside_variance: CsDecimal,
    max_end_trade_drawdown: CsDecimal,
    max_drawdown_duration: int,
    total_fees: CsDecimal,
) -> TradeStatistics:
    """The statistics of the trades seen so far (the state is left as it is)."""
    standard_deviation = _deviation(sum_for_variance, total)
    downside_deviation = _deviation(sum_for_downside_variance, losses)
    wins += itm_option_wins
    losses -= itm_option_wins
    profit_loss_ratio = CS_ZERO if not average_loss[0] else cs_div(average_profit, cs_abs(average_loss))
    if total == 0:
        win_loss_ratio = CS_ZERO
    elif losses > 0:
        win_loss_ratio = cs_div(cs_from_int(wins), cs_from_int(losses))
    else:
        win_loss_ratio = _CS_TEN
    win_rate = cs_div(cs_from_int(wins), cs_from_int(total)) if total > 0 else CS_ZERO
    loss_rate = cs_sub(CS_ONE, win_rate) if total > 0 else CS_ZERO
    if not total_profit[0]:
        profit_factor = CS_ZERO
    elif total_loss[0] < 0:
        profit_factor = cs_div(total_profit, cs_abs(total_loss))
    else:
        profit_factor = _CS_TEN
    sharpe_ratio = cs_div(average_profit_loss, standard_deviation) if standard_deviation[0] > 0 else CS_ZERO
    sortino_ratio = cs_div(average_profit_loss, downside_deviation) if downside_deviation[0] > 0 else CS_ZERO
    if not total_profit_loss[0]:
        profit_to_max_drawdown_ratio = CS_ZERO
    elif max_closed_drawdown[0] < 0:
        profit_to_max_drawdown_ratio = cs_div(total_profit_loss, cs_abs(max_closed_drawdown))
    else:
        profit_to_max_drawdown_ratio = _CS_TEN
    decimal = cs_to_decimal
    return TradeStatistics(
        start_date_time=start_time,
        end_date_time=end_time,
        total_number_of_trades=total,
        number_of_winning_trades=wins,
        number_of_losing_trades=losses,
        total_profit_loss=decimal(total_profit_loss),
        total_profit=decimal(total_profit),
        total_loss=decimal(total_loss),
        largest_profit=decimal(largest_profit),
        largest_loss=decimal(largest_loss),
        average_profit_loss=decimal(average_profit_loss),
        average_profit=decimal(average_profit),
        average_loss=decimal(average_loss),
        average_trade_duration=average_duration,
        average_winning_trade_duration=average_winning_duration,
        average_losing_trade_duration=average_losing_duration,
        median_trade_duration=_median_ticks(all_durations) if all_durations else 0,
        median_winning_trade_duration=_median_ticks(winning_durations) if winning_durations else 0,
        median_losing_trade_duration=_median_ticks(losing_durations) if losing_durations else 0,
        max_consecutive_winning_trades=max_consecutive_wins,
        max_consecutive_losing_trades=max_consecutive_losses,
        profit_loss_ratio=decimal(profit_loss_ratio),
        win_loss_ratio=decimal(win_loss_ratio),
        win_rate=decimal(win_rate),
        loss_rate=decimal(loss_rate),
        average_mae=decimal(average_mae),
        average_mfe=decimal(average_mfe),
        largest_mae=decimal(largest_mae),
        largest_mfe=decimal(largest_mfe),
        maximum_closed_trade_drawdown=decimal(max_closed_drawdown),
        maximum_intra_trade_drawdown=decimal(max_intra_drawdown),
        profit_loss_standard_deviation=decimal(standard_deviation),
        profit_loss_downside_deviation=decimal(downside_deviation),
        profit_factor=decimal(profit_factor),
        sharpe_ratio=decimal(sharpe_ratio),
        sortino_ratio=decimal(sortino_ratio),
        profit_to_max_drawdown_ratio=decimal(profit_to_max_drawdown_ratio),
        maximum_end_trade_drawdown=decimal(max_end_trade_drawdown),
        average_end_trade_drawdown=decimal(cs_sub(average_profit_loss, average_mfe)),
        maximum_drawdown_duration=max_drawdown_duration,
        total_fees=decimal(total_fees),
    )
