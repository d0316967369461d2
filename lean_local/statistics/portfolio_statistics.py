"""Portfolio statistics from the sampled equity, daily returns and benchmark (LEAN's ``PortfolioStatistics``
and the formulas of ``Statistics.Statistics``).

Types follow LEAN: the statistics are C# decimals, but most are computed in doubles from the ``List<double>``
return series and cast back with ``SafeDecimalCast`` (15 significant digits). The casts happen at the same
places as in LEAN, which is what makes the printed values agree.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lean_local.csharp import (
    CS_ZERO,
    ONE,
    ZERO,
    NotACsDecimal,
    cs_add,
    cs_div,
    cs_from_decimal,
    cs_to_decimal,
    decimal_add,
    decimal_average,
    decimal_div,
    decimal_mul,
    decimal_sub,
    round_decimal,
    safe_decimal_cast,
    ticks_total_days,
    timedelta_to_ticks,
    to_decimal,
    to_double,
)
from lean_local.statistics.drawdown import DrawdownMetrics, drawdown_metrics
from lean_local.statistics.mathnet import (
    RunningMoments,
    covariance,
    ieee_divide,
    is_nan_or_zero,
    linq_average,
    math_pow,
    math_sqrt,
    normal_cdf,
    normal_inv_cdf,
    standard_deviation,
    streaming_mean,
    variance,
)
from lean_local.statistics.trade_statistics import json_rounded

_DAYS_PER_YEAR = Decimal(365)

RiskFreeRate = Callable[[datetime], Decimal]
"""Annual risk-free rate as a fraction (0.0075 = 0.75 %) for a UTC sample time (LEAN's
``IRiskFreeInterestRateModel.GetInterestRate``; the default model looks up the calendar date)."""


# --- Statistics.cs formulas ------------------------------------------------------------------------------------


def compounding_annual_performance(starting_capital: Decimal, final_capital: Decimal, years: Decimal) -> Decimal:
    """CAR as a fraction: ``(final / start) ** (1 / years) - 1``, computed in doubles; 0 when undefined."""
    if years == 0 or starting_capital == 0:
        return ZERO
    power = 1 / to_double(years)
    base = to_double(final_capital) / to_double(starting_capital)
    result = math_pow(base, power) - 1
    if math.isnan(result) or math.isinf(result):
        return ZERO
    return safe_decimal_cast(result)


def annual_performance(performance: Sequence[float], trading_days_per_year: float) -> float:
    """``(mean daily return + 1) ** trading days - 1`` (mean by LINQ ``Average``)."""
    return math_pow(linq_average(performance) + 1, trading_days_per_year) - 1


def annual_variance(performance: Sequence[float], trading_days_per_year: float) -> float:
    """Sample variance of daily returns times trading days; 0 when the variance is NaN or 0."""
    value = variance(performance)
    return 0.0 if is_nan_or_zero(value) else value * trading_days_per_year


def annual_downside_standard_deviation(performance: Sequence[float], trading_days_per_year: float) -> float:
    """Annualised sample standard deviation of the negative daily returns only."""
    downside = [value for value in performance if value < 0]
    return math_sqrt(annual_variance(downside, trading_days_per_year))


def tracking_error(algorithm: Sequence[float], benchmark: Sequence[float], trading_days_per_year: float) -> float:
    """Annualised standard deviation of the daily return differences (0 if the lengths differ)."""
    if len(algorithm) != len(benchmark):
        return 0.0
    differences = [a - b for a, b in zip(algorithm, benchmark)]
    return math_sqrt(annual_variance(differences, trading_days_per_year))


def sharpe_ratio(average_performance: float, standard_deviation_: float, risk_free_rate: float) -> float:
    """``(performance - risk free) / standard deviation``, 0 when the deviation is 0."""
    if standard_deviation_ == 0:
        return 0.0
    return ieee_divide(average_performance - risk_free_rate, standard_deviation_)


def decimal_sharpe_ratio(average_performance: Decimal, standard_deviation_: Decimal, risk_free_rate: Decimal) -> Decimal:
    """The decimal overload: arguments cast to double, the result cast back with ``SafeDecimalCast``."""
    return safe_decimal_cast(
        sharpe_ratio(to_double(average_performance), to_double(standard_deviation_), to_double(risk_free_rate))
    )


def observed_sharpe_ratio(performance: Sequence[float], risk_free_rate: float = 0.0) -> float:
    """Non-annualised Sharpe ratio of the daily returns: ``(mean - rf) / sample std``, 0 if the std is 0/NaN."""
    average = linq_average(performance) - risk_free_rate
    deviation = standard_deviation(performance)
    return 0.0 if is_nan_or_zero(deviation) else ieee_divide(average, deviation)


def probabilistic_sharpe_ratio(
    performance: Sequence[float], benchmark_sharpe_ratio: float, risk_free_rate: float = 0.0
) -> float:
    """LEAN's PSR: ``Φ((SR - SR*) / sqrt((1 - skew·SR + (kurt - 1)/4·SR²) / (n - 1)))`` with the observed SR of
    the excess daily returns and MathNet's unbiased skewness and *excess* kurtosis. 0 when undefined
    (fewer than four returns, or a negative variance estimate)."""
    observed = observed_sharpe_ratio(performance, risk_free_rate)
    moments = RunningMoments(performance)  # MathNet's Skewness() and Kurtosis() each run these same updates
    skew = moments.skewness
    kurt = moments.kurtosis
    operand_a = skew * observed
    operand_b = ((kurt - 1) / 4) * math_pow(observed, 2)
    estimate_deviation = math_pow(ieee_divide(1 - operand_a + operand_b, len(performance) - 1), 0.5)
    if math.isnan(estimate_deviation):
        return 0.0
    value = 0.0 if is_nan_or_zero(estimate_deviation) else (observed - benchmark_sharpe_ratio) / estimate_deviation
    return normal_cdf(value)


def value_at_risk(
    performance: Sequence[float], lookback_days: int, confidence_level: float, rounding: int = 3
) -> Decimal:
    """One-day variance-covariance VaR of the last ``lookback_days`` returns, rounded to ``rounding`` decimals."""
    window = list(performance[-lookback_days:]) if lookback_days > 0 else []
    mean = streaming_mean(window)
    deviation = standard_deviation(window)
    return round_decimal(to_decimal(normal_inv_cdf(mean, deviation, 1 - confidence_level)), rounding)


def _safe_division(numerator: Decimal, denominator: Decimal) -> Decimal:
    """LEAN's ``SafeDivision``: 0 for a zero denominator or an overflowing quotient."""
    if denominator == 0:
        return ZERO
    try:
        return decimal_div(numerator, denominator)
    except ArithmeticError:
        return ZERO


def _returns_of_trades(
    profit_loss: Sequence[tuple[datetime, Decimal]], starting_capital: Decimal
) -> tuple[Decimal, Decimal, int, int]:
    """Sums of the winning and of the losing transactions' returns on the running capital, and their counts."""
    try:
        return _returns_of_trades_cs(profit_loss, starting_capital)
    except NotACsDecimal:
        pass
    running_capital = starting_capital
    total_profit = ZERO
    total_loss = ZERO
    total_wins = 0
    total_losses = 0
    for _, trade_profit_loss in profit_loss:
        if trade_profit_loss > 0:
            total_profit = decimal_add(total_profit, decimal_div(trade_profit_loss, running_capital))
            total_wins += 1
        else:
            total_loss = decimal_add(total_loss, decimal_div(trade_profit_loss, running_capital))
            total_losses += 1
        running_capital = decimal_add(running_capital, trade_profit_loss)
    return total_profit, total_loss, total_wins, total_losses


def _returns_of_trades_cs(
    profit_loss: Sequence[tuple[datetime, Decimal]], starting_capital: Decimal
) -> tuple[Decimal, Decimal, int, int]:
    """:func:`_returns_of_trades` on integers."""
    running_capital = cs_from_decimal(starting_capital)
    total_profit = CS_ZERO
    total_loss = CS_ZERO
    total_wins = 0
    total_losses = 0
    for _, value in profit_loss:
        trade_profit_loss = cs_from_decimal(value)
        if trade_profit_loss[0] > 0:
            total_profit = cs_add(total_profit, cs_div(trade_profit_loss, running_capital))
            total_wins += 1
        else:
            total_loss = cs_add(total_loss, cs_div(trade_profit_loss, running_capital))
            total_losses += 1
        running_capital = cs_add(running_capital, trade_profit_loss)
    return cs_to_decimal(total_profit), cs_to_decimal(total_loss), total_wins, total_losses


def average_risk_free_rate(rate_for: RiskFreeRate, times: Sequence[datetime]) -> Decimal:
    """LEAN's ``GetAverageRiskFreeRate``: decimal mean of the rate at every time (0 for no times)."""
    if not times:
        return ZERO
    return decimal_average(rate_for(time) for time in times)


# --- PortfolioStatistics ----------------------------------------------------------------------------------------


@dataclass
class PortfolioStatistics:
    """Portfolio-level statistics. Returns, rates, drawdown and turnover are fractions (0.022 = 2.2 %);
    ``start_equity``/``end_equity`` are in the account currency; ``drawdown_recovery`` is in days."""

    average_win_rate: Decimal = ZERO
    average_loss_rate: Decimal = ZERO
    profit_loss_ratio: Decimal = ZERO
    win_rate: Decimal = ZERO
    loss_rate: Decimal = ZERO
    expectancy: Decimal = ZERO
    start_equity: Decimal = ZERO
    end_equity: Decimal = ZERO
    compounding_annual_return: Decimal = ZERO
    drawdown: Decimal = ZERO
    total_net_profit: Decimal = ZERO
    sharpe_ratio: Decimal = ZERO
    probabilistic_sharpe_ratio: Decimal = ZERO
    sortino_ratio: Decimal = ZERO
    alpha: Decimal = ZERO
    beta: Decimal = ZERO
    annual_standard_deviation: Decimal = ZERO
    annual_variance: Decimal = ZERO
    information_ratio: Decimal = ZERO
    tracking_error: Decimal = ZERO
    treynor_ratio: Decimal = ZERO
    portfolio_turnover: Decimal = ZERO
    value_at_risk_99: Decimal = ZERO
    value_at_risk_95: Decimal = ZERO
    drawdown_recovery: int = 0

    @classmethod
    def compute(
        cls,
        *,
        profit_loss: Sequence[tuple[datetime, Decimal]],
        equity: Sequence[tuple[datetime, Decimal]],
        portfolio_turnover: Sequence[Decimal],
        performance: Sequence[float],
        benchmark: Sequence[float],
        starting_capital: Decimal,
        risk_free_rate: RiskFreeRate,
        trading_days_per_year: int,
        win_count: int | None = None,
        loss_count: int | None = None,
        turnover_average: Callable[[], Decimal] | None = None,
        average_risk_free: Callable[[], Decimal] | None = None,
        drawdown: Callable[[], DrawdownMetrics] | None = None,
    ) -> PortfolioStatistics:
        """LEAN's ``PortfolioStatistics`` constructor.

        ``profit_loss`` is the time-sorted transaction record (profit of each closing fill, account currency);
        ``equity`` the time-sorted equity samples; ``performance``/``benchmark`` the aligned daily return
        fractions (see :mod:`lean_local.statistics.builder`). Only start/end equity and turnover are set when
        the starting capital is 0 or either return list has fewer than 2 values.

        ``turnover_average``, ``average_risk_free`` and ``drawdown`` may supply, when they are needed, the average
        of ``portfolio_turnover``, the average risk-free rate over the equity sample times and
        ``drawdown_metrics(equity, 3)`` from values already computed (the rolling windows share them).
        """
        stats = cls(start_equity=starting_capital, end_equity=equity[-1][1] if equity else ZERO)
        if portfolio_turnover:
            stats.portfolio_turnover = (
                turnover_average() if turnover_average is not None else decimal_average(portfolio_turnover)
            )
        if starting_capital == 0 or len(benchmark) < 2 or len(performance) < 2:
            return stats

        total_profit, total_loss, total_wins, total_losses = _returns_of_trades(profit_loss, starting_capital)

        stats.average_win_rate = ZERO if total_wins == 0 else decimal_div(total_profit, Decimal(total_wins))
        stats.average_loss_rate = ZERO if total_losses == 0 else decimal_div(total_loss, Decimal(total_losses))
        stats.profit_loss_ratio = (
            ZERO
            if stats.average_loss_rate == 0
            else decimal_div(stats.average_win_rate, stats.average_loss_rate.copy_abs())
        )
        if win_count is not None and loss_count is not None:
            total_wins = win_count
            total_losses = loss_count
        total_trades = total_wins + total_losses
        if total_trades:
            stats.win_rate = decimal_div(Decimal(total_wins), Decimal(total_trades))
            stats.loss_rate = decimal_div(Decimal(total_losses), Decimal(total_trades))
        stats.expectancy = decimal_sub(decimal_mul(stats.win_rate, stats.profit_loss_ratio), stats.loss_rate)

        final_equity = equity[-1][1]
        stats.total_net_profit = decimal_sub(decimal_div(final_equity, starting_capital), ONE)
        span_days = ticks_total_days(timedelta_to_ticks(equity[-1][0] - equity[0][0]))
        fraction_of_years = decimal_div(to_decimal(span_days), _DAYS_PER_YEAR)
        stats.compounding_annual_return = compounding_annual_performance(
            starting_capital, final_equity, fraction_of_years
        )

        days = float(trading_days_per_year)
        stats.annual_variance = safe_decimal_cast(annual_variance(performance, days))
        stats.annual_standard_deviation = to_decimal(math_sqrt(to_double(stats.annual_variance)))

        benchmark_annual_performance = safe_decimal_cast(annual_performance(benchmark, days))
        annual_perf = safe_decimal_cast(annual_performance(performance, days))

        risk_free = (
            average_risk_free()
            if average_risk_free is not None
            else average_risk_free_rate(risk_free_rate, [time for time, _ in equity])
        )
        if stats.annual_standard_deviation != 0:
            stats.sharpe_ratio = decimal_sharpe_ratio(annual_perf, stats.annual_standard_deviation, risk_free)

        downside_deviation = safe_decimal_cast(annual_downside_standard_deviation(performance, days))
        if downside_deviation != 0:
            stats.sortino_ratio = decimal_sharpe_ratio(annual_perf, downside_deviation, risk_free)

        benchmark_variance = variance(benchmark)
        if not is_nan_or_zero(benchmark_variance):
            stats.beta = to_decimal(covariance(performance, benchmark) / benchmark_variance)
        if stats.beta != 0:
            excess_benchmark = decimal_sub(benchmark_annual_performance, risk_free)
            stats.alpha = decimal_sub(annual_perf, decimal_add(risk_free, decimal_mul(stats.beta, excess_benchmark)))

        stats.tracking_error = to_decimal(tracking_error(performance, benchmark, days))
        if stats.tracking_error != 0:
            active_return = safe_decimal_cast(to_double(annual_perf) - to_double(benchmark_annual_performance))
            stats.information_ratio = _safe_division(active_return, stats.tracking_error)
        if stats.beta != 0:
            excess_return = safe_decimal_cast(to_double(annual_perf) - to_double(risk_free))
            stats.treynor_ratio = _safe_division(excess_return, stats.beta)

        benchmark_sharpe = 1.0 / math.sqrt(trading_days_per_year)
        stats.probabilistic_sharpe_ratio = safe_decimal_cast(
            probabilistic_sharpe_ratio(performance, benchmark_sharpe, to_double(risk_free) / trading_days_per_year)
        )
        stats.value_at_risk_99 = value_at_risk(performance, trading_days_per_year, 0.99)
        stats.value_at_risk_95 = value_at_risk(performance, trading_days_per_year, 0.95)

        metrics = drawdown() if drawdown is not None else drawdown_metrics(equity, 3)
        stats.drawdown = metrics.drawdown
        stats.drawdown_recovery = metrics.recovery_days
        return stats

    def to_json(self) -> dict[str, Any]:
        """LEAN's ``portfolioStatistics`` JSON object: every value a 4-decimal string."""
        return {
            "averageWinRate": json_rounded(self.average_win_rate),
            "averageLossRate": json_rounded(self.average_loss_rate),
            "profitLossRatio": json_rounded(self.profit_loss_ratio),
            "winRate": json_rounded(self.win_rate),
            "lossRate": json_rounded(self.loss_rate),
            "expectancy": json_rounded(self.expectancy),
            "startEquity": json_rounded(self.start_equity),
            "endEquity": json_rounded(self.end_equity),
            "compoundingAnnualReturn": json_rounded(self.compounding_annual_return),
            "drawdown": json_rounded(self.drawdown),
            "totalNetProfit": json_rounded(self.total_net_profit),
            "sharpeRatio": json_rounded(self.sharpe_ratio),
            "probabilisticSharpeRatio": json_rounded(self.probabilistic_sharpe_ratio),
            "sortinoRatio": json_rounded(self.sortino_ratio),
            "alpha": json_rounded(self.alpha),
            "beta": json_rounded(self.beta),
            "annualStandardDeviation": json_rounded(self.annual_standard_deviation),
            "annualVariance": json_rounded(self.annual_variance),
            "informationRatio": json_rounded(self.information_ratio),
            "trackingError": json_rounded(self.tracking_error),
            "treynorRatio": json_rounded(self.treynor_ratio),
            "portfolioTurnover": json_rounded(self.portfolio_turnover),
            "valueAtRisk99": json_rounded(self.value_at_risk_99),
            "valueAtRisk95": json_rounded(self.value_at_risk_95),
            "drawdownRecovery": json_rounded(self.drawdown_recovery),
        }
