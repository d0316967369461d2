"""LEAN's statistics for two regression algorithms, rebuilt from the sample data and compared as exact strings
with the expected statistics of LEAN 24863901 (``cases.json``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest

from _stat_samples import CASES, LEAN_DATA, Bar, SampledSeries, basic_template, basic_template_daily, sample
from lean_local.csharp import decimal_mul, round_to_significant_digits
from lean_local.data.interest_rate import InterestRateProvider
from lean_local.enums import OrderStatus, SecurityType
from lean_local.statistics import (
    CapacityEstimate,
    StatisticsInputs,
    benchmark_returns,
    build_statistics,
    performance_returns,
)

pytestmark = pytest.mark.skipif(not LEAN_DATA.exists() or not CASES.exists(), reason="LEAN sample data not available")

SPY_SID = "SPY R735QTJ8XC9X"


@cache
def expected(name: str) -> dict[str, str]:
    cases = json.loads(CASES.read_text())["cases"]
    statistics = next(case for case in cases if case["name"] == name)["expected_statistics"]
    return {key: value for key, value in statistics.items() if key != "OrderListHash"}


@cache
def risk_free() -> InterestRateProvider:
    return InterestRateProvider(LEAN_DATA / "alternative/interest-rate/usa/interest-rate.csv")


def inputs(series: SampledSeries, fee: Decimal, capacity: Decimal | None) -> StatisticsInputs:
    return StatisticsInputs(
        equity=series.equity,
        performance=series.performance,
        benchmark=series.benchmark,
        portfolio_turnover=series.portfolio_turnover,
        closed_trades=[],
        profit_loss={},
        starting_capital=Decimal(100000),
        total_fees=fee,
        total_orders=1,
        risk_free_rate=risk_free().get_interest_rate,
        capacity=capacity,
        lowest_capacity_asset=SPY_SID if capacity is not None else None,
    )


# --- capacity estimator fed like the engine feeds it ----------------------------------------------------------


@dataclass
class _SpySecurity:
    quantity: Decimal
    price: Decimal = Decimal(0)
    symbol_id: str = SPY_SID
    security_type: SecurityType = SecurityType.EQUITY
    conversion_rate: Decimal = Decimal(1)
    contract_multiplier: Decimal = Decimal(1)
    leverage: Decimal = Decimal(2)
    invested: bool = True
    internal_feed_only: bool = False

    def used_buying_power(self) -> Decimal:
        # equity maintenance margin: |holdings value| x 1/leverage
        return decimal_mul(decimal_mul(self.quantity, self.price), Decimal("0.5"))

    def cached_trade_bar(self, utc_time: datetime) -> None:
        return None


@dataclass
class _Slice:
    bar: Bar | None

    def trade_bar(self, symbol_key: object) -> _TradeBar | None:
        return _TradeBar(self.bar) if self.bar is not None else None

    def quote_bar(self, symbol_key: object) -> None:
        return None


@dataclass
class _TradeBar:
    bar: Bar

    @property
    def exact_close(self) -> Decimal:
        return self.bar.close

    @property
    def exact_volume(self) -> Decimal:
        return self.bar.volume

    @property
    def period(self) -> timedelta:
        return self.bar.period


def run_capacity(
    start: datetime, end: datetime, slices: list[tuple[datetime, Decimal, Bar | None]], fill_time: datetime,
    fill_price: Decimal, quantity: Decimal, portfolio_value: object,
) -> CapacityEstimate:
    estimate = CapacityEstimate(start, end)
    security = _SpySecurity(quantity)
    for utc, price, bar in slices:
        security.price = price
        if utc == fill_time:  # the fill happens inside the slice, before the result handler's update
            estimate.on_order_event(
                symbol_key="SPY", security=security, status=OrderStatus.FILLED, utc_time=utc,
                fill_price=fill_price, fill_quantity=quantity,
            )
        estimate.update_market_capacity(utc, _Slice(bar), portfolio_value(utc, price))  # type: ignore[operator]
    utc, price, bar = slices[-1]
    for _ in range(2):  # after OnEndOfAlgorithm and again when the result handler exits
        estimate.update_market_capacity(utc, _Slice(bar), portfolio_value(utc, price), force=True)  # type: ignore[operator]
    return estimate


# --- BasicTemplateAlgorithm ------------------------------------------------------------------------------------


@cache
def basic() -> tuple[SampledSeries, CapacityEstimate]:
    strategy, bars = basic_template()
    series = sample(strategy)
    capacity = run_capacity(
        datetime(2013, 10, 7), datetime(2013, 10, 12) - timedelta(microseconds=1),
        [(bar.end_utc, bar.close, bar) for bar in bars], strategy.fill_time_utc, strategy.fill_price,
        strategy.quantity, strategy.portfolio_value,
    )
    return series, capacity


def test_basic_template_summary_matches_lean() -> None:
    series, capacity = basic()
    results = build_statistics(inputs(series, Decimal("3.44"), capacity.capacity))
    assert results.error is None
    assert results.summary == expected("BasicTemplateAlgorithm")


def test_basic_template_series_alignment() -> None:
    series, _ = basic()
    # daily samples at New York midnight (04:00 UTC) of 10/07..10/11 plus the final one at 10/11 16:00 New York
    times = [t for t, _ in series.performance]
    assert times == [datetime(2013, 10, day, 4) for day in range(7, 12)] + [datetime(2013, 10, 11, 20)]
    assert [t for t, _ in series.benchmark] == times
    assert series.performance[0][1] == 0
    # performance drops the start-date sample and day 1; the benchmark drops its first change
    assert performance_returns(series.performance) == pytest.approx([-0.0115428, 0.000541744, 0.02207916, 0.006239327])
    assert len(benchmark_returns(series.benchmark)) == 4
    assert series.equity[0] == (datetime(2013, 10, 7, 4), Decimal(100000))
    assert series.equity[-1] == (datetime(2013, 10, 11, 20), Decimal("101691.9198"))
    assert risk_free().get_interest_rate(datetime(2013, 10, 7, 4)) == Decimal("0.0075")


def test_basic_template_json() -> None:
    series, capacity = basic()
    results = build_statistics(inputs(series, Decimal("3.44"), capacity.capacity))
    portfolio = results.total_performance["portfolioStatistics"]
    assert portfolio["sharpeRatio"] == "8.8543"
    assert portfolio["probabilisticSharpeRatio"] == "0.6746"
    assert portfolio["compoundingAnnualReturn"] == "2.7145"
    assert portfolio["drawdown"] == "0.022"
    assert portfolio["totalNetProfit"] == "0.0169"
    assert portfolio["endEquity"] == "101691.9198"
    assert portfolio["startEquity"] == "100000"
    assert portfolio["portfolioTurnover"] == "0.1993"
    assert portfolio["drawdownRecovery"] == "3"
    assert results.total_performance["closedTrades"] == []
    assert results.total_performance["tradeStatistics"]["averageTradeDuration"] == "00:00:00"
    assert results.total_performance["tradeStatistics"]["startDateTime"] is None
    # one month of data: every rolling window is the whole backtest, with its trades cleared
    assert list(results.rolling_window) == ["M1_20131011", "M3_20131011", "M6_20131011", "M12_20131011"]
    assert results.rolling_window["M1_20131011"]["portfolioStatistics"] == portfolio


def test_basic_template_capacity() -> None:
    _, capacity = basic()
    # two minute bars after the 09:31 fill, x 0.20 (minute), then blended with the holdings share at the end
    assert capacity.capacity == Decimal("55854000.00")
    assert str(round_to_significant_digits(capacity.capacity, 2)) == "56000000.00"
    assert capacity.lowest_capacity_asset == SPY_SID


def test_sampling_rules_matter() -> None:
    """One sample fewer changes the ratios: without the start-date sample another day is dropped."""
    series, capacity = basic()
    shifted = replace(series, performance=series.performance[1:], benchmark=series.benchmark[1:])
    results = build_statistics(inputs(shifted, Decimal("3.44"), capacity.capacity))
    assert results.summary["Sharpe Ratio"] != expected("BasicTemplateAlgorithm")["Sharpe Ratio"]


# --- BasicTemplateDailyAlgorithm -------------------------------------------------------------------------------


@cache
def basic_daily() -> tuple[SampledSeries, CapacityEstimate]:
    strategy, hours, daily = basic_template_daily()
    series = sample(strategy)
    daily_by_end = {bar.end_utc: bar for bar in daily.values()}
    # the algorithm's slice only carries the daily bars; the internal hourly benchmark bars are not in it
    slices = [(bar.end_utc, bar.close, daily_by_end.get(bar.end_utc)) for bar in hours]
    capacity = run_capacity(
        datetime(2013, 10, 8), datetime(2013, 10, 18) - timedelta(microseconds=1), slices,
        strategy.fill_time_utc, strategy.fill_price, strategy.quantity, strategy.portfolio_value,
    )
    return series, capacity


def test_basic_template_daily_summary_matches_lean() -> None:
    series, capacity = basic_daily()
    results = build_statistics(inputs(series, Decimal("3.485"), capacity.capacity))
    assert results.error is None
    assert results.summary == expected("BasicTemplateDailyAlgorithm")


def test_basic_template_daily_capacity_treats_daily_bars_as_hourly() -> None:
    """Daily bars span 09:30-16:00 (6.5 h), so the estimator sees hour resolution: only the fill's own bar
    counts, scaled by 0.05. (With a 1-day period it would take 0.02 of two daily bars and print $990000000.00.)"""
    _, capacity = basic_daily()
    assert capacity.capacity == Decimal("1171900000.00")
    assert str(round_to_significant_digits(capacity.capacity, 2)) == "1200000000.00"


def test_basic_template_daily_needs_weekend_samples() -> None:
    series, capacity = basic_daily()
    weekend = {date(2013, 10, 12), date(2013, 10, 13)}

    def trading_days(points: list[tuple[datetime, Decimal]]) -> list[tuple[datetime, Decimal]]:
        return [(t, v) for t, v in points if t.date() not in weekend]

    weekdays_only = replace(series, performance=trading_days(series.performance),
                            benchmark=trading_days(series.benchmark))
    results = build_statistics(inputs(weekdays_only, Decimal("3.485"), capacity.capacity))
    assert results.summary["Sharpe Ratio"] != "17.304"
