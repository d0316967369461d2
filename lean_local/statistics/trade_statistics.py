"""Statistics over closed trades (LEAN's ``TradeStatistics``): counts, profit/loss, durations, excursions."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    ONE,
    ZERO,
    decimal_add,
    decimal_div,
    decimal_mul,
    decimal_sub,
    json_utc_datetime,
    round_decimal,
    decimal_to_string,
    ticks_from_seconds,
    ticks_total_seconds,
    timedelta_to_ticks,
    timespan_to_string,
    to_decimal,
    to_double,
)
from lean_local.statistics.mathnet import math_sqrt
from lean_local.statistics.trade import Trade

_TEN = Decimal(10)
JSON_FRACTIONAL_DIGITS = 4


def json_rounded(value: Decimal | int) -> str:
    """LEAN's ``JsonRoundingConverter`` for decimals: ``Math.Round(value, 4)`` written as a string."""
    return decimal_to_string(round_decimal(Decimal(value), JSON_FRACTIONAL_DIGITS))


def _median_ticks(values: list[int]) -> int:
    """LEAN's ``Median()`` extension: the element at index ``n / 2`` of the sorted list (upper median)."""
    return sorted(values)[len(values) // 2]


def _running_average_ticks(average: int, duration: int, count: int) -> int:
    """``avg += TimeSpan.FromSeconds((duration.TotalSeconds - avg.TotalSeconds) / count)``."""
    return average + ticks_from_seconds((ticks_total_seconds(duration) - ticks_total_seconds(average)) / count)


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
