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

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    DECIMAL_MAX,
    ZERO,
    CsDecimal,
    NotACsDecimal,
    cs_div,
    cs_from_decimal,
    cs_from_int,
    cs_sum,
    cs_to_decimal,
    decimal_average,
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
from lean_local.statistics.drawdown import DrawdownMetrics, drawdown_metrics, drawdown_metrics_of_prefixes
from lean_local.statistics.portfolio_statistics import PortfolioStatistics, RiskFreeRate
from lean_local.statistics.trade import Trade
from lean_local.statistics.trade_statistics import (
    TradeFacts,
    TradeStatistics,
    trade_facts,
    trade_statistics_of_prefixes,
)

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
    windows = [
        (f"M{months}_{end:%Y%m%d}", start, end)
        for months in ROLLING_WINDOW_MONTHS
        for start, end in period_ranges(months, first_date, last_date)
    ]
    periods = _Periods(inputs, equity, [(first_date, last_date)] + [(start, end) for _, start, end in windows])
    total = periods.performance(0)
    rolling: dict[str, AlgorithmPerformance] = {}
    for index, (key, _, _) in enumerate(windows, start=1):
        rolling[key] = periods.performance(index)
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
    return benchmark_changes(benchmark)[1:]


def benchmark_changes(benchmark: Sequence[SeriesPoint]) -> list[float]:
    """Decimal percentage change from each sample to the next as doubles (0 after a zero sample)."""
    changes: list[float] = []
    previous: Decimal | None = None
    for _, value in benchmark:
        if previous is not None:
            changes.append(0.0 if previous == 0 else to_double(decimal_div(decimal_sub(value, previous), previous)))
        previous = value
    return changes


def performance_returns(performance: Sequence[SeriesPoint]) -> list[float]:
    """The daily "Return" percentages divided by 100 as doubles, without the first two samples."""
    return [to_double(decimal_div(value, _HUNDRED)) for _, value in performance[2:]]


class _Series:
    """A sampled series and its per-period maps (``_to_map`` restricted to a period).

    Samples in time order (the charts record them so) make every period's map a slice of the whole backtest's
    map, so per-sample values can be computed once; otherwise each period maps the raw samples itself.
    """

    def __init__(self, raw: Sequence[SeriesPoint], first: date, last: date) -> None:
        self.raw = raw
        self.ordered = all(raw[index][0] <= raw[index + 1][0] for index in range(len(raw) - 1))
        self.points = _to_map(raw, first, last) if self.ordered else []
        self.dates = [time.date() for time, _ in self.points]
        self._values_cs: list[CsDecimal] | None = None

    def window(self, start: date, end: date) -> tuple[list[SeriesPoint], int | None]:
        """The period's map and where it starts in :attr:`points` (None if it is not a slice of them)."""
        if not self.ordered:
            return _to_map(self.raw, start, end), None
        low = bisect_left(self.dates, start)
        return self.points[low:bisect_right(self.dates, end)], low

    def values_cs(self) -> list[CsDecimal]:
        """The values of :attr:`points` as integers (raises ``NotACsDecimal``)."""
        if self._values_cs is None:
            self._values_cs = [cs_from_decimal(value) for _, value in self.points]
        return self._values_cs


def _cs_average(values: Sequence[CsDecimal]) -> Decimal:
    """:func:`~lean_local.csharp.decimal_average` on integers."""
    return cs_to_decimal(cs_div(cs_sum(values), cs_from_int(len(values))))


class _Periods:
    """The performance of the whole backtest and of every rolling window.

    Each period comes out exactly as if computed on its own (LEAN recomputes everything per window); what is
    shared is what does not depend on the period: per-sample values (benchmark changes, daily returns, risk-free
    rates, integer conversions) and, for periods that begin with the same trade or equity sample, the running
    trade-statistics and drawdown state (a prefix of a longer period's). Work is done at the point the
    standalone computation would do it, so the same error surfaces first when something cannot be computed.
    """

    def __init__(self, inputs: StatisticsInputs, equity: list[SeriesPoint], periods: list[tuple[date, date]]):
        self.inputs = inputs
        self.equity = equity
        self.periods = periods
        equity_dates = [time.date() for time, _ in equity]
        self.equity_ranges = [(bisect_left(equity_dates, start), bisect_right(equity_dates, end))
                              for start, end in periods]
        first, last = periods[0]
        self.benchmark = _Series(inputs.benchmark, first, last)
        self.performance_series = _Series(inputs.performance, first, last)
        self.turnover = _Series(inputs.portfolio_turnover, first, last)
        self._benchmark_changes: list[float] | None = None
        self._daily_returns: list[float] | None = None
        self._rates: list[Decimal | None] = [None] * len(equity)
        self._rates_cs: list[CsDecimal | None] | None = [None] * len(equity)

        self.closed = [trade for trade in inputs.closed_trades if trade.exit_time is not None]
        exit_dates = [trade.exit_time.date() for trade in self.closed if trade.exit_time is not None]
        self.trades_ordered = all(exit_dates[index] <= exit_dates[index + 1] for index in range(len(exit_dates) - 1))
        self.trade_ranges = [(bisect_left(exit_dates, start), bisect_right(exit_dates, end))
                             for start, end in periods] if self.trades_ordered else []
        self._trade_statistics: dict[int, TradeStatistics] | None = None
        self._drawdowns: dict[int, DrawdownMetrics] | None = None

        self.profit_loss = sorted(inputs.profit_loss.items())
        self.profit_loss_dates = [time.date() for time, _ in self.profit_loss]
        self._wins_before: list[int] | None = None
        self._wins_offset = 0
        self.winning_dates = sorted(time.date() for time in inputs.winning_transactions or ())
        self.losing_dates = sorted(time.date() for time in inputs.losing_transactions or ())

    # --- one period, in the order of the standalone computation ------------------------------------------------
    def performance(self, index: int) -> AlgorithmPerformance:
        inputs = self.inputs
        start, end = self.periods[index]
        equity_low, equity_high = self.equity_ranges[index]
        period_equity = self.equity[equity_low:equity_high]
        if not period_equity:
            return AlgorithmPerformance()

        if self.trades_ordered:
            trade_low, trade_high = self.trade_ranges[index]
            trades = self.closed[trade_low:trade_high]
        else:
            trades = [trade for trade in self.closed if trade.exit_time is not None
                      and start <= trade.exit_time.date() <= end]
        profit_low = bisect_left(self.profit_loss_dates, start)
        profit_high = bisect_right(self.profit_loss_dates, end)
        profit_loss = self.profit_loss[profit_low:profit_high]
        wins, losses = self._transaction_counts(start, end, profit_low, profit_high)

        benchmark, benchmark_low = self.benchmark.window(start, end)
        performance, performance_low = self.performance_series.window(start, end)
        turnover, turnover_low = self.turnover.window(start, end)
        if len(benchmark) != len(performance):
            raise MisalignedSeriesError(
                f"Benchmark and performance series has {abs(len(benchmark) - len(performance))} misaligned values."
            )

        running_capital = inputs.starting_capital if len(self.equity) == len(period_equity) else period_equity[0][1]
        portfolio = PortfolioStatistics.compute(
            profit_loss=profit_loss,
            equity=period_equity,
            portfolio_turnover=[value for _, value in turnover],
            performance=self._performance_returns(performance, performance_low),
            benchmark=self._benchmark_returns(benchmark, benchmark_low),
            starting_capital=running_capital,
            risk_free_rate=inputs.risk_free_rate,
            trading_days_per_year=inputs.trading_days_per_year,
            win_count=wins,
            loss_count=losses,
            turnover_average=self._turnover_average(turnover_low, len(turnover)),
            average_risk_free=lambda: self._average_risk_free(equity_low, equity_high),
            drawdown=lambda: self._drawdown(index, period_equity),
        )
        return AlgorithmPerformance(self._trade_statistics_of(index, trades), portfolio, trades)

    # --- shared pieces -------------------------------------------------------------------------------------------
    def _transaction_counts(self, start: date, end: date, profit_low: int, profit_high: int) -> tuple[int, int]:
        inputs = self.inputs
        if inputs.winning_transactions is None or inputs.losing_transactions is None:
            if self._wins_before is None:
                # winning records before each record of the whole backtest (the first period: the others are
                # inside it, and it is computed first)
                first, last = self.periods[0]
                self._wins_offset = bisect_left(self.profit_loss_dates, first)
                self._wins_before = [0]
                for _, value in self.profit_loss[self._wins_offset:bisect_right(self.profit_loss_dates, last)]:
                    self._wins_before.append(self._wins_before[-1] + (value > 0))
            offset = self._wins_offset
            wins = self._wins_before[profit_high - offset] - self._wins_before[profit_low - offset]
            return wins, profit_high - profit_low - wins
        return (
            bisect_right(self.winning_dates, end) - bisect_left(self.winning_dates, start),
            bisect_right(self.losing_dates, end) - bisect_left(self.losing_dates, start),
        )

    def _benchmark_returns(self, benchmark: list[SeriesPoint], low: int | None) -> list[float]:
        if low is None:
            return benchmark_returns(benchmark)
        if self._benchmark_changes is None:
            self._benchmark_changes = [0.0, *benchmark_changes(self.benchmark.points)]
        return self._benchmark_changes[low + 2:low + len(benchmark)]

    def _performance_returns(self, performance: list[SeriesPoint], low: int | None) -> list[float]:
        if low is None:
            return performance_returns(performance)
        if self._daily_returns is None:
            self._daily_returns = [0.0, 0.0, *performance_returns(self.performance_series.points)]
        return self._daily_returns[low + 2:low + len(performance)]

    def _turnover_average(self, low: int | None, count: int) -> Callable[[], Decimal] | None:
        if low is None:
            return None

        def average() -> Decimal:
            try:
                values = self.turnover.values_cs()
            except NotACsDecimal:
                return decimal_average(value for _, value in self.turnover.points[low:low + count])
            return _cs_average(values[low:low + count])

        return average

    def _average_risk_free(self, low: int, high: int) -> Decimal:
        """``average_risk_free_rate`` over the period's equity sample times (each rate looked up once)."""
        rates = self._rates
        if None in rates[low:high]:
            for position in range(low, high):
                if rates[position] is None:
                    rate = self.inputs.risk_free_rate(self.equity[position][0])
                    rates[position] = rate
                    if self._rates_cs is not None:
                        try:
                            self._rates_cs[position] = cs_from_decimal(rate)
                        except NotACsDecimal:
                            self._rates_cs = None
        if high == low:
            return ZERO
        if self._rates_cs is None:
            return decimal_average(rate for rate in rates[low:high] if rate is not None)
        return _cs_average([rate for rate in self._rates_cs[low:high] if rate is not None])

    def _drawdown(self, index: int, period_equity: list[SeriesPoint]) -> DrawdownMetrics:
        if self._drawdowns is None:
            self._drawdowns = {}
            try:
                equity_cs = [(time, cs_from_decimal(value)) for time, value in self.equity]
                for low, members in _group_by_start(self.equity_ranges).items():
                    counts = [self.equity_ranges[member][1] - low for member in members]
                    self._drawdowns.update(zip(members, drawdown_metrics_of_prefixes(equity_cs[low:], counts, 3)))
            except NotACsDecimal:
                self._drawdowns = {}
        shared = self._drawdowns.pop(index, None)
        return shared if shared is not None else drawdown_metrics(period_equity, 3)

    def _trade_statistics_of(self, index: int, trades: list[Trade]) -> TradeStatistics:
        if self._trade_statistics is None:
            self._trade_statistics = {}
            facts: list[TradeFacts] | None = None
            if self.trades_ordered:
                try:
                    facts = trade_facts(self.closed)
                except NotACsDecimal:
                    pass
            for low, members in _group_by_start(self.trade_ranges).items():
                if facts is None:
                    break
                counts = [self.trade_ranges[member][1] - low for member in members]
                try:
                    self._trade_statistics.update(zip(members, trade_statistics_of_prefixes(facts[low:], counts)))
                except (ArithmeticError, ValueError, NotACsDecimal):
                    continue  # these periods compute (and fail) on their own, in their turn
        shared = self._trade_statistics.pop(index, None)
        return shared if shared is not None else TradeStatistics.from_trades(trades)


def _group_by_start(ranges: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    """Period indexes grouped by the index their range starts at."""
    groups: dict[int, list[int]] = {}
    for index, (low, _) in enumerate(ranges):
        groups.setdefault(low, []).append(index)
    return groups


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
