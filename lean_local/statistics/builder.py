"""Entry point: the backtest's statistics, summary strings and rolling windows from its sampled series
(LEAN's ``StatisticsBuilder`` as driven by ``BaseResultsHandler.GenerateStatisticsResults``).

Series alignment (verified against LEAN 24863901, ``StatisticsBuilder.GetAlgorithmPerformance``):

* Each series is turned into a time-keyed map (a later point with the same time replaces the earlier one)
  restricted to the period's UTC dates ``[from, to]``.
* The benchmark and performance maps must have the same number of points, otherwise no statistics are
  produced at all (LEAN throws and the result handler reports empty statistics).
* Benchmark returns are the decimal percentage changes between consecutive benchmark samples, cast to
  double, **without the first change** (n samples give n - 2 returns; a zero previous value gives 0).
* Performance returns are the sampled daily "Return" percentages divided by 100, cast to double,
  **without the first two samples** (the start-date sample, always 0, and the first day).
* CAR, net profit, drawdown and the risk-free rate use the equity samples of the period (every candle
  close); the risk-free rate is the mean of ``risk_free_rate(t)`` over those sample times.
* The summary is built from the whole-backtest performance; rolling windows (M1/M3/M6/M12) are the same
  computation over calendar-month ranges, keyed ``M<months>_<yyyyMMdd of the range end>``.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    DECIMAL_MAX,
    ZERO,
    decimal_div,
    decimal_mul,
    decimal_sub,
    decimal_to_fixed,
    decimal_to_string,
    double_to_string,
    round_decimal,
    round_double,
    round_to_significant_digits,
    to_double,
)
from lean_local.statistics.portfolio_statistics import PortfolioStatistics, RiskFreeRate
from lean_local.statistics.trade import Trade
from lean_local.statistics.trade_statistics import TradeStatistics

SeriesPoint = tuple[datetime, Decimal]
"""A chart sample: (naive UTC time, value)."""

_HUNDRED = Decimal(100)
ROLLING_WINDOW_MONTHS = (1, 3, 6, 12)

SUMMARY_KEYS = (
    "Total Orders",
    "Average Win",
    "Average Loss",
    "Compounding Annual Return",
    "Drawdown",
    "Expectancy",
    "Start Equity",
    "End Equity",
    "Net Profit",
    "Sharpe Ratio",
    "Sortino Ratio",
    "Probabilistic Sharpe Ratio",
    "Loss Rate",
    "Win Rate",
    "Profit-Loss Ratio",
    "Alpha",
    "Beta",
    "Annual Standard Deviation",
    "Annual Variance",
    "Information Ratio",
    "Tracking Error",
    "Treynor Ratio",
    "Total Fees",
    "Estimated Strategy Capacity",
    "Lowest Capacity Asset",
    "Portfolio Turnover",
    "Drawdown Recovery",
)


@dataclass(frozen=True)
class StatisticsInputs:
    """Everything the statistics are computed from. All times are naive UTC; money is in the account currency.

    * ``equity``: the "Strategy Equity" candle closes (SmartRounded, as the chart stores them), one per
      equity sample: every ``ResamplePeriod`` and at every daily sample, strictly increasing times.
    * ``performance``: the "Return" series (daily % change of the portfolio value, SmartRounded), one per
      daily sample, starting with the start-date sample (0).
    * ``benchmark``: the "Benchmark" series (benchmark value, SmartRounded), same sample times as
      ``performance``.
    * ``portfolio_turnover``: the "Portfolio Turnover" samples (fractions, SmartRounded; no start-date sample).
    * ``closed_trades``: the trade builder's closed trades.
    * ``profit_loss``: the transaction record, closing-fill time -> profit (LEAN's ``TransactionRecord``).
    * ``winning_transactions``/``losing_transactions``: the transaction-record times flagged win/loss; when
      omitted a record is a win when its profit is > 0.
    * ``capacity``: :attr:`CapacityEstimate.capacity` (None when no estimator ran: printed "$0");
      ``lowest_capacity_asset``: its security identifier string ("" when none).
    """

    equity: Sequence[SeriesPoint]
    performance: Sequence[SeriesPoint]
    benchmark: Sequence[SeriesPoint]
    portfolio_turnover: Sequence[SeriesPoint]
    closed_trades: Sequence[Trade]
    profit_loss: Mapping[datetime, Decimal]
    starting_capital: Decimal
    total_fees: Decimal
    total_orders: int
    risk_free_rate: RiskFreeRate
    winning_transactions: Collection[datetime] | None = None
    losing_transactions: Collection[datetime] | None = None
    trading_days_per_year: int = 252
    capacity: Decimal | None = None
    lowest_capacity_asset: str | None = None
    account_currency_symbol: str = "$"
    custom_summary: Mapping[str, str] = field(default_factory=dict)


@dataclass
class AlgorithmPerformance:
    """Trade and portfolio statistics of one period and the trades closed in it."""

    trade_statistics: TradeStatistics = field(default_factory=TradeStatistics)
    portfolio_statistics: PortfolioStatistics = field(default_factory=PortfolioStatistics)
    closed_trades: list[Trade] = field(default_factory=list)

    def to_json(self, *, include_trades: bool = True) -> dict[str, Any]:
        """``{"tradeStatistics", "portfolioStatistics", "closedTrades"}`` as LEAN writes it. Trade decimals
        stay ``Decimal`` (see :meth:`Trade.to_json`)."""
        return {
            "tradeStatistics": self.trade_statistics.to_json(),
            "portfolioStatistics": self.portfolio_statistics.to_json(),
            "closedTrades": [trade.to_json() for trade in self.closed_trades] if include_trades else [],
        }


@dataclass
class StatisticsResults:
    """``summary``: the 27 result statistics in LEAN's order (plus custom entries); ``total`` and ``rolling``:
    the performance objects; ``error``: why nothing could be computed (LEAN logs it and writes empty
    statistics)."""

    total: AlgorithmPerformance = field(default_factory=AlgorithmPerformance)
    rolling: dict[str, AlgorithmPerformance] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def total_performance(self) -> dict[str, Any]:
        """The result JSON's ``totalPerformance`` object."""
        return self.total.to_json()

    @property
    def rolling_window(self) -> dict[str, Any]:
        """The result JSON's ``rollingWindow`` object (LEAN clears the closed trades of every window)."""
        return {key: performance.to_json(include_trades=False) for key, performance in self.rolling.items()}


class MisalignedSeriesError(ValueError):
    """The benchmark and performance series of a period have different lengths."""


def build_statistics(inputs: StatisticsInputs) -> StatisticsResults:
    """Compute LEAN's statistics. Without equity samples the summary holds only the custom entries."""
    if not inputs.equity:
        return _with_custom(StatisticsResults(), inputs.custom_summary)
    try:
        results = _generate(inputs)
    except (ArithmeticError, ValueError) as error:  # LEAN catches, logs and reports empty statistics
        return _with_custom(StatisticsResults(error=f"{type(error).__name__}: {error}"), inputs.custom_summary)
    return _with_custom(results, inputs.custom_summary)


def _with_custom(results: StatisticsResults, custom: Mapping[str, str]) -> StatisticsResults:
    for key, value in custom.items():
        results.summary.setdefault(key, value)
    return results


def _generate(inputs: StatisticsInputs) -> StatisticsResults:
    equity = _to_map(inputs.equity)
    first_date = equity[0][0].date()
    last_date = equity[-1][0].date()
    total = _period_performance(inputs, equity, first_date, last_date)
    rolling: dict[str, AlgorithmPerformance] = {}
    for months in ROLLING_WINDOW_MONTHS:
        for start, end in period_ranges(months, first_date, last_date):
            rolling[f"M{months}_{end:%Y%m%d}"] = _period_performance(inputs, equity, start, end)
    return StatisticsResults(total=total, rolling=rolling, summary=summary(total, inputs))


def _to_map(points: Iterable[SeriesPoint], start: date | None = None, end: date | None = None) -> list[SeriesPoint]:
    """LEAN's ``ChartPointToDictionary``: keep points with start <= UTC date <= end (stopping at the first one
    past ``end``), one value per time (the last wins), sorted by time."""
    values: dict[datetime, Decimal] = {}
    for time, value in points:
        if start is not None and time.date() < start:
            continue
        if end is not None and time.date() > end:
            break
        values[time] = value
    return sorted(values.items())


def benchmark_returns(benchmark: Sequence[SeriesPoint]) -> list[float]:
    """Decimal percentage changes between consecutive samples as doubles, without the first change."""
    returns: list[float] = []
    previous: Decimal | None = None
    skipped_first = False
    for _, value in benchmark:
        if previous is not None:
            change = 0.0 if previous == 0 else to_double(decimal_div(decimal_sub(value, previous), previous))
            if skipped_first:
                returns.append(change)
            else:
                skipped_first = True
        previous = value
    return returns


def performance_returns(performance: Sequence[SeriesPoint]) -> list[float]:
    """The daily "Return" percentages divided by 100 as doubles, without the first two samples."""
    return [to_double(decimal_div(value, _HUNDRED)) for _, value in performance[2:]]


def _period_performance(
    inputs: StatisticsInputs, equity: list[SeriesPoint], start: date, end: date
) -> AlgorithmPerformance:
    period_equity = [(time, value) for time, value in equity if start <= time.date() <= end]
    if not period_equity:
        return AlgorithmPerformance()

    def in_period(time: datetime) -> bool:
        return start <= time.date() <= end

    trades = [trade for trade in inputs.closed_trades if trade.exit_time is not None and in_period(trade.exit_time)]
    profit_loss = sorted((time, value) for time, value in inputs.profit_loss.items() if in_period(time))
    wins, losses = _transaction_counts(inputs, in_period)

    benchmark = _to_map(inputs.benchmark, start, end)
    performance = _to_map(inputs.performance, start, end)
    turnover = _to_map(inputs.portfolio_turnover, start, end)
    if len(benchmark) != len(performance):
        raise MisalignedSeriesError(
            f"Benchmark and performance series has {abs(len(benchmark) - len(performance))} misaligned values."
        )

    running_capital = inputs.starting_capital if len(equity) == len(period_equity) else period_equity[0][1]
    portfolio = PortfolioStatistics.compute(
        profit_loss=profit_loss,
        equity=period_equity,
        portfolio_turnover=[value for _, value in turnover],
        performance=performance_returns(performance),
        benchmark=benchmark_returns(benchmark),
        starting_capital=running_capital,
        risk_free_rate=inputs.risk_free_rate,
        trading_days_per_year=inputs.trading_days_per_year,
        win_count=wins,
        loss_count=losses,
    )
    return AlgorithmPerformance(TradeStatistics.from_trades(trades), portfolio, trades)


def _transaction_counts(inputs: StatisticsInputs, in_period: Callable[[datetime], bool]) -> tuple[int, int]:
    if inputs.winning_transactions is None or inputs.losing_transactions is None:
        wins = sum(1 for time, value in inputs.profit_loss.items() if in_period(time) and value > 0)
        losses = sum(1 for time, value in inputs.profit_loss.items() if in_period(time) and not value > 0)
        return wins, losses
    return (
        sum(1 for time in inputs.winning_transactions if in_period(time)),
        sum(1 for time in inputs.losing_transactions if in_period(time)),
    )


def period_ranges(months: int, first_date: date, last_date: date) -> list[tuple[date, date]]:
    """Rolling-window ranges of ``months`` calendar months ending at each month end and at ``last_date``; the
    first and last ranges are partial."""
    end_dates: list[date] = []
    current = last_date
    while True:
        end_dates.append(current)
        current = current.replace(day=1) - timedelta(days=1)
        if current < first_date:
            break
    ranges = [(first_date, end_dates[-1])]
    for end in reversed(end_dates[:-1]):
        start = _add_months(ranges[-1][1] + timedelta(days=1), 1 - months)
        ranges.append((max(start, first_date), end))
    return ranges


def _add_months(day: date, months: int) -> date:
    """``DateTime.AddMonths``: same day of month, clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


# --- summary ---------------------------------------------------------------------------------------------------


def _percent(value: Decimal, decimals: int) -> str:
    """``Math.Round(value.SafeMultiply100(), decimals).ToStringInvariant() + "%"``."""
    return decimal_to_string(round_decimal(safe_multiply_100(value), decimals)) + "%"


def _ratio(value: Decimal) -> str:
    """``Math.Round((double)value, 3).ToStringInvariant()``."""
    return double_to_string(round_double(to_double(value), 3))


def safe_multiply_100(value: Decimal) -> Decimal:
    """LEAN's ``SafeMultiply100``: ``value * 100`` capped at ``decimal.MaxValue``."""
    if value >= decimal_div(DECIMAL_MAX, _HUNDRED):
        return DECIMAL_MAX
    return decimal_mul(value, _HUNDRED)


def summary(total: AlgorithmPerformance, inputs: StatisticsInputs) -> dict[str, str]:
    """The result's "statistics" dictionary, formatted as ``StatisticsBuilder.GetSummary`` does."""
    stats = total.portfolio_statistics
    symbol = inputs.account_currency_symbol
    capacity = inputs.capacity if inputs.capacity is not None else ZERO
    values = [
        str(inputs.total_orders),
        _percent(stats.average_win_rate, 2),
        _percent(stats.average_loss_rate, 2),
        _percent(stats.compounding_annual_return, 3),
        _percent(stats.drawdown, 3),
        decimal_to_string(round_decimal(stats.expectancy, 3)),
        decimal_to_string(round_decimal(stats.start_equity, 2)),
        decimal_to_string(round_decimal(stats.end_equity, 2)),
        _percent(stats.total_net_profit, 3),
        _ratio(stats.sharpe_ratio),
        _ratio(stats.sortino_ratio),
        _percent(stats.probabilistic_sharpe_ratio, 3),
        _percent(stats.loss_rate, 0),
        _percent(stats.win_rate, 0),
        decimal_to_string(round_decimal(stats.profit_loss_ratio, 2)),
        _ratio(stats.alpha),
        _ratio(stats.beta),
        _ratio(stats.annual_standard_deviation),
        _ratio(stats.annual_variance),
        _ratio(stats.information_ratio),
        _ratio(stats.tracking_error),
        _ratio(stats.treynor_ratio),
        symbol + decimal_to_fixed(inputs.total_fees, 2),
        symbol + decimal_to_string(round_to_significant_digits(capacity, 2)),
        inputs.lowest_capacity_asset or "",
        _percent(stats.portfolio_turnover, 2),
        str(stats.drawdown_recovery),
    ]
    return dict(zip(SUMMARY_KEYS, values))
