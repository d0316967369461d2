"""The integer fast paths of the statistics against the straightforward Decimal computation.

``build_statistics`` shares work between the whole backtest and its rolling windows and computes on integers
(:data:`~lean_local.csharp.CsDecimal`); the reference below is the plain computation it replaced: every period
on its own, step by step with the Decimal functions. Both must agree on every output string and on every raw
Decimal (digits, scale and sign), on random inputs that include the awkward cases (negative zero, equal values
with different scales, samples out of order, duplicate times, zero and negative equity, option wins).
"""
from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lean_local.csharp import NotACsDecimal, cs_from_decimal
from lean_local.statistics import (
    ROLLING_WINDOW_MONTHS,
    AlgorithmPerformance,
    MisalignedSeriesError,
    PortfolioStatistics,
    StatisticsInputs,
    StatisticsResults,
    Trade,
    TradeDirection,
    TradeStatistics,
    benchmark_returns,
    build_statistics,
    drawdown_metrics,
    performance_returns,
    period_ranges,
)
from lean_local.statistics import builder, portfolio_statistics
from lean_local.statistics.drawdown import drawdown_metrics_of_prefixes
from lean_local.statistics.trade_statistics import trade_facts, trade_statistics_of_prefixes

# --- the reference: each period on its own, Decimal arithmetic throughout ------------------------------------


def _reference_to_map(points: Any, start: date | None = None, end: date | None = None) -> list[Any]:
    values: dict[datetime, D] = {}
    for time, value in points:
        if start is not None and time.date() < start:
            continue
        if end is not None and time.date() > end:
            break
        values[time] = value
    return sorted(values.items())


def _reference_period(inputs: StatisticsInputs, equity: list[Any], start: date, end: date) -> AlgorithmPerformance:
    period_equity = [(time, value) for time, value in equity if start <= time.date() <= end]
    if not period_equity:
        return AlgorithmPerformance()

    def in_period(time: datetime) -> bool:
        return start <= time.date() <= end

    trades = [trade for trade in inputs.closed_trades if trade.exit_time is not None and in_period(trade.exit_time)]
    profit_loss = sorted((time, value) for time, value in inputs.profit_loss.items() if in_period(time))
    if inputs.winning_transactions is None or inputs.losing_transactions is None:
        wins = sum(1 for time, value in inputs.profit_loss.items() if in_period(time) and value > 0)
        losses = sum(1 for time, value in inputs.profit_loss.items() if in_period(time) and not value > 0)
    else:
        wins = sum(1 for time in inputs.winning_transactions if in_period(time))
        losses = sum(1 for time in inputs.losing_transactions if in_period(time))
    benchmark = _reference_to_map(inputs.benchmark, start, end)
    performance = _reference_to_map(inputs.performance, start, end)
    turnover = _reference_to_map(inputs.portfolio_turnover, start, end)
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
    return AlgorithmPerformance(TradeStatistics.from_trades_decimal(trades), portfolio, trades)


def _decimal_only(*_: object) -> Any:
    raise NotACsDecimal("reference computation")


def reference_statistics(inputs: StatisticsInputs) -> StatisticsResults:
    """``build_statistics`` as it was: no shared work, no integer arithmetic."""
    if not inputs.equity:
        return StatisticsResults()
    with mock.patch.object(portfolio_statistics, "_returns_of_trades_cs", _decimal_only):
        try:
            equity = _reference_to_map(inputs.equity)
            first, last = equity[0][0].date(), equity[-1][0].date()
            total = _reference_period(inputs, equity, first, last)
            rolling = {
                f"M{months}_{end:%Y%m%d}": _reference_period(inputs, equity, start, end)
                for months in ROLLING_WINDOW_MONTHS
                for start, end in period_ranges(months, first, last)
            }
        except (ArithmeticError, ValueError) as error:
            return StatisticsResults(error=f"{type(error).__name__}: {error}")
    return StatisticsResults(total=total, rolling=rolling, summary=builder.summary(total, inputs))


def digest(results: StatisticsResults) -> dict[str, Any]:
    """Every output as exact strings: ``str(Decimal)`` keeps digits, scale and the sign of zero."""

    def raw(performance: AlgorithmPerformance) -> dict[str, str]:
        fields = {**dataclasses.asdict(performance.trade_statistics),
                  **{f"portfolio.{key}": value
                     for key, value in dataclasses.asdict(performance.portfolio_statistics).items()}}
        return {key: str(value) for key, value in fields.items()}

    document = {
        "error": results.error,
        "summary": results.summary,
        "total": results.total_performance,
        "rolling": results.rolling_window,
        "raw": {"total": raw(results.total), **{key: raw(value) for key, value in results.rolling.items()}},
        "trades": {key: [id(trade) for trade in value.closed_trades] for key, value in results.rolling.items()},
    }
    exact: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return exact


# --- random backtests ----------------------------------------------------------------------------------------


def _money(rng: random.Random, low: float, high: float, places: int = 2) -> D:
    value = D(repr(round(rng.uniform(low, high), places))).quantize(D(1).scaleb(-places))
    if rng.random() < 0.05:
        value = -value if value == 0 else value.quantize(D(1).scaleb(-rng.randint(0, 4)))  # other scales, -0
    return value


def random_trade(rng: random.Random, entry: datetime, exit_: datetime) -> Trade:
    profit = _money(rng, -400, 500)
    if rng.random() < 0.05:
        profit = D("-0.00") if rng.random() < 0.5 else D("0.00")
    return Trade(
        symbol_key="SPY", symbols=[], entry_time=entry, entry_price=D(100), direction=TradeDirection.LONG,
        quantity=D(10), exit_time=exit_, profit_loss=profit, total_fees=_money(rng, 0, 5),
        mae=-_money(rng, 0, 600).copy_abs(), mfe=_money(rng, 0, 700).copy_abs(),
        end_trade_drawdown=_money(rng, -300, 300), is_win=profit > 0 or rng.random() < 0.05,
    )


def random_inputs(seed: int) -> StatisticsInputs:
    rng = random.Random(seed)
    start = datetime(2015, 1, 1) + timedelta(days=rng.randint(0, 700), hours=4)
    days = rng.choice([5, 40, 120, 400, 550])
    daily_times = [start + timedelta(days=day) for day in range(days)]
    equity: list[tuple[datetime, D]] = []
    value = D(100000)
    for time in daily_times:
        for minute in sorted(rng.sample(range(60 * 20), rng.choice([0, 0, 0, 1, 3]))):
            equity.append((time + timedelta(minutes=minute), value + _money(rng, -500, 500)))
        value += _money(rng, -1500, 1600, rng.choice([0, 2, 2, 4]))
        if seed % 17 == 3 and rng.random() < 0.01:
            value = D(0)  # zero equity: drawdown and returns on a zero capital fail as in LEAN
        equity.append((time + timedelta(hours=20), value))
    equity.sort()
    performance = [(time, D(0) if index == 0 else _money(rng, -3, 3, rng.choice([2, 7, 10])))
                   for index, time in enumerate(daily_times)]
    benchmark = [(time, _money(rng, 180, 190, rng.choice([1, 2, 4]))) for time in daily_times]
    turnover = [(time, _money(rng, 0, 0.3, rng.choice([3, 7]))) for time in daily_times[1:]]
    if seed % 5 == 1 and len(benchmark) > 4:  # a duplicated time (the later value wins) and a zero benchmark
        benchmark.insert(3, (benchmark[2][0], D("185.5")))
        performance.insert(3, (performance[2][0], D("0.5")))
        benchmark[5] = (benchmark[5][0], D(0))
    if seed % 7 == 2:  # samples out of time order: each period maps the raw samples itself
        rng.shuffle(turnover)
        index = rng.randrange(len(benchmark))
        benchmark.append(benchmark.pop(index))
        performance.append(performance.pop(index))
    if seed % 11 == 4 and len(benchmark) > 10:  # misaligned in some windows only
        del benchmark[rng.randrange(2, len(benchmark))]
        del performance[rng.randrange(2, len(performance))]

    trades: list[Trade] = []
    profit_loss: dict[datetime, D] = {}
    for _ in range(rng.choice([0, 3, 60, 250])):
        exit_ = start + timedelta(days=rng.uniform(0, days), minutes=rng.randint(0, 30))
        trade = random_trade(rng, exit_ - timedelta(days=rng.uniform(0, 30)), exit_)
        trades.append(trade)
        profit_loss[exit_ + timedelta(microseconds=len(trades))] = trade.profit_loss
    trades.sort(key=lambda trade: trade.exit_time or start)
    if seed % 6 == 5 and len(trades) > 2:  # trades not in exit order
        trades[0], trades[-1] = trades[-1], trades[0]
    wins: list[datetime] | None = None
    losses: list[datetime] | None = None
    if seed % 2:
        wins = [time for time, profit in profit_loss.items() if profit > 0 or rng.random() < 0.05]
        losses = [time for time in profit_loss if time not in wins]
    rates = {time.date(): D(rng.choice(["0.0175", "0.02", "0.0225", "0.05", "0"])) for time, _ in equity}

    def risk_free(time: datetime) -> D:
        return rates[time.date()]

    return StatisticsInputs(
        equity=equity, performance=performance, benchmark=benchmark, portfolio_turnover=turnover,
        closed_trades=trades, profit_loss=profit_loss, starting_capital=D(100000) if seed % 13 else D(0),
        total_fees=D("123.45"), total_orders=2 * len(trades), risk_free_rate=risk_free,
        winning_transactions=wins, losing_transactions=losses,
    )


@pytest.mark.parametrize("seed", range(40))
def test_build_statistics_matches_the_plain_computation(seed: int) -> None:
    inputs = random_inputs(seed)
    assert digest(build_statistics(inputs)) == digest(reference_statistics(inputs))


def test_risk_free_rate_is_looked_up_for_each_sample_time_only() -> None:
    inputs = random_inputs(8)
    seen: list[datetime] = []

    def recording(time: datetime) -> D:
        seen.append(time)
        return inputs.risk_free_rate(time)

    build_statistics(dataclasses.replace(inputs, risk_free_rate=recording))
    assert seen and set(seen) <= {time for time, _ in inputs.equity}
    assert len(seen) == len(set(seen))  # once each, whatever the number of windows


# --- the integer trade statistics and drawdown against the Decimal ones --------------------------------------

_PROFITS = st.one_of(
    st.decimals(-10**6, 10**6, places=2),
    st.sampled_from([D("0.00"), D("-0.00"), D(0), D("0.5"), D("-0.5"), D("1E-28"),
                     D("79228162514264.337593543950335")]),
    st.integers(-10**9, 10**9).map(D),
    st.decimals(-1000, 1000, places=6),
    st.decimals(-1, 1, places=28),
)


@st.composite
def trade_lists(draw: st.DrawFn) -> list[Trade]:
    count = draw(st.integers(0, 25))
    start = datetime(2020, 1, 1)
    offsets = sorted(draw(st.lists(st.integers(0, 10**6), min_size=count, max_size=count)))
    trades = []
    for offset in offsets:
        exit_ = start + timedelta(minutes=offset)
        entry = exit_ - timedelta(minutes=draw(st.integers(0, 5000)))
        profit = draw(_PROFITS)
        trades.append(Trade(
            symbol_key="X", symbols=[], entry_time=entry, entry_price=D(1), direction=TradeDirection.SHORT,
            quantity=D(1), exit_time=exit_, profit_loss=profit, total_fees=draw(_PROFITS).copy_abs(),
            mae=draw(_PROFITS), mfe=draw(_PROFITS), end_trade_drawdown=draw(_PROFITS),
            is_win=draw(st.booleans()),
        ))
    return trades


def _outcome(function: Callable[[], Any]) -> Any:
    try:
        return {key: str(value) for key, value in dataclasses.asdict(function()).items()}
    except (ArithmeticError, ValueError) as error:
        return type(error), str(error)


@settings(max_examples=200, deadline=None)
@given(trade_lists())
def test_trade_statistics_on_integers(trades: list[Trade]) -> None:
    assert _outcome(lambda: TradeStatistics.from_trades(trades)) == _outcome(
        lambda: TradeStatistics.from_trades_decimal(trades))


@settings(max_examples=100, deadline=None)
@given(trade_lists(), st.data())
def test_trade_statistics_of_prefixes(trades: list[Trade], data: st.DataObject) -> None:
    counts = data.draw(st.lists(st.integers(0, len(trades)), min_size=1, max_size=6))
    try:
        prefixes = trade_statistics_of_prefixes(trade_facts(trades), counts)
    except (ArithmeticError, ValueError):
        return  # some prefix fails; the builder then computes each period on its own
    for count, statistics in zip(counts, prefixes, strict=True):
        assert _outcome(lambda: statistics) == _outcome(lambda: TradeStatistics.from_trades_decimal(trades[:count]))


def test_trade_statistics_fall_back_for_decimals_csharp_cannot_hold() -> None:
    trade = Trade(symbol_key="X", symbols=[], entry_time=datetime(2020, 1, 1), entry_price=D(1),
                  direction=TradeDirection.LONG, quantity=D(1), exit_time=datetime(2020, 1, 2),
                  profit_loss=D("1E+3"), mae=D("-0.00000000000000000000000000001"), mfe=D(5))
    assert _outcome(lambda: TradeStatistics.from_trades([trade])) == _outcome(
        lambda: TradeStatistics.from_trades_decimal([trade]))


_EQUITY_VALUES = st.one_of(
    st.decimals(-100, 10**6, places=2),
    st.decimals(90000, 110000, places=4),
    st.sampled_from([D(0), D("-0"), D("100000"), D("100000.00"), D("99999.9999"), D("1E-20")]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), _EQUITY_VALUES), max_size=40), st.data())
def test_drawdown_of_prefixes(samples: list[tuple[int, D]], data: st.DataObject) -> None:
    equity = sorted((datetime(2020, 1, 1) + timedelta(minutes=minute), value) for minute, value in samples)
    counts = data.draw(st.lists(st.integers(0, len(equity)), min_size=1, max_size=6))
    converted = [(time, cs_from_decimal(value)) for time, value in equity]
    for count, metrics in zip(counts, drawdown_metrics_of_prefixes(converted, counts, 3), strict=True):
        expected = drawdown_metrics(equity[:count], 3)
        assert (str(metrics.drawdown), metrics.recovery_days) == (str(expected.drawdown), expected.recovery_days)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), _EQUITY_VALUES), max_size=30), _EQUITY_VALUES)
def test_returns_of_trades_on_integers(records: list[tuple[int, D]], capital: D) -> None:
    profit_loss = sorted((datetime(2020, 1, 1) + timedelta(minutes=minute), value) for minute, value in records)

    def outcome(function: Callable[..., Any]) -> Any:
        try:
            return [str(value) for value in function(profit_loss, capital)]
        except (ArithmeticError, ValueError) as error:
            return type(error), str(error)

    with mock.patch.object(portfolio_statistics, "_returns_of_trades_cs", _decimal_only):
        expected = outcome(portfolio_statistics._returns_of_trades)
    assert outcome(portfolio_statistics._returns_of_trades) == expected
