"""Portfolio statistics: win/loss from the transaction record, drawdown, rolling windows, failure modes."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D

from lean_local.statistics import (
    PortfolioStatistics,
    StatisticsInputs,
    build_statistics,
    drawdown_metrics,
    drawdown_percent,
    period_ranges,
)

DAY0 = datetime(2014, 6, 2, 4)


def daily(values: list[str]) -> list[tuple[datetime, D]]:
    return [(DAY0 + timedelta(days=i), D(v)) for i, v in enumerate(values)]


EQUITY = daily(["100000", "101000", "100500", "102000", "101500", "102700"])
PERFORMANCE = daily(["0", "1", "-0.4950495", "1.492537", "-0.4901961", "1.182266"])
BENCHMARK = daily(["180", "181", "180.5", "182", "181", "183"])
PROFIT_LOSS = {DAY0 + timedelta(days=1): D(1000), DAY0 + timedelta(days=2): D(-500),
               DAY0 + timedelta(days=4, hours=1): D(200)}


def inputs(**changes: object) -> StatisticsInputs:
    values: dict[str, object] = dict(
        equity=EQUITY, performance=PERFORMANCE, benchmark=BENCHMARK, portfolio_turnover=[], closed_trades=[],
        profit_loss=PROFIT_LOSS, starting_capital=D(100000), total_fees=D(0), total_orders=3,
        risk_free_rate=lambda _: D("0.0075"),
    )
    values.update(changes)
    return StatisticsInputs(**values)  # type: ignore[arg-type]


def test_win_loss_and_expectancy_from_the_transaction_record() -> None:
    summary = build_statistics(inputs()).summary
    # +1000 on 100000, -500 on 101000, +200 on 100500 (running capital grows with each record)
    assert summary["Average Win"] == "0.60%"
    assert summary["Average Loss"] == "-0.50%"
    assert summary["Profit-Loss Ratio"] == "1.21"
    assert summary["Win Rate"] == "67%"
    assert summary["Loss Rate"] == "33%"
    assert summary["Expectancy"] == "0.474"


def test_win_and_loss_counts_can_come_from_the_transaction_flags() -> None:
    times = sorted(PROFIT_LOSS)
    # an in-the-money option assignment: a negative record flagged as a win
    stats = build_statistics(inputs(winning_transactions=times, losing_transactions=[])).total.portfolio_statistics
    assert (stats.win_rate, stats.loss_rate) == (D(1), D(0))
    assert stats.average_loss_rate < 0  # the averages still follow the sign of each record


def test_statistics_need_two_aligned_returns() -> None:
    stats = PortfolioStatistics.compute(
        profit_loss=sorted(PROFIT_LOSS.items()), equity=EQUITY, portfolio_turnover=[D("0.5"), D(0)],
        performance=[0.01], benchmark=[0.01, 0.02], starting_capital=D(100000),
        risk_free_rate=lambda _: D(0), trading_days_per_year=252,
    )
    assert (stats.start_equity, stats.end_equity, stats.portfolio_turnover) == (D(100000), D(102700), D("0.25"))
    assert stats.win_rate == 0 and stats.sharpe_ratio == 0 and stats.compounding_annual_return == 0


def test_misaligned_series_give_no_statistics() -> None:
    results = build_statistics(inputs(benchmark=BENCHMARK[:-1], custom_summary={"My Stat": "1"}))
    assert results.error is not None and "misaligned" in results.error
    assert results.summary == {"My Stat": "1"}
    assert results.rolling == {}


def test_no_equity_gives_empty_statistics() -> None:
    assert build_statistics(inputs(equity=[])).summary == {}


def test_custom_summary_never_replaces_lean_keys() -> None:
    summary = build_statistics(inputs(custom_summary={"Total Orders": "99", "Extra": "x"})).summary
    assert summary["Total Orders"] == "3"
    assert list(summary)[-1] == "Extra"


def test_risk_free_rate_is_averaged_over_equity_sample_times() -> None:
    seen: list[datetime] = []

    def rate(moment: datetime) -> D:
        seen.append(moment)
        return D("0.01") if moment.day % 2 else D("0.02")

    build_statistics(inputs(risk_free_rate=rate))
    assert seen[: len(EQUITY)] == [time for time, _ in EQUITY]


def test_drawdown_metrics() -> None:
    equity = daily(["100", "110", "99", "105", "111", "90"])
    metrics = drawdown_metrics(equity, 3)
    assert metrics.drawdown == D("0.189")  # 90 / 111 - 1
    assert metrics.recovery_days == 3  # peak 110 on day 1, back above it on day 4; the last fall never recovers
    assert drawdown_metrics(equity[:1]).drawdown == 0
    assert str(drawdown_metrics(daily(["100000", "99000", "100000"]), 3).drawdown) == "0.01"
    assert drawdown_metrics(daily(["0", "1"])).drawdown == 0  # a zero peak: LEAN logs and reports nothing
    assert drawdown_percent(D("97750"), D("100000")) == D("-2.25")


def test_drawdown_recovery_truncates_to_whole_days() -> None:
    equity = [(DAY0, D(100)), (DAY0 + timedelta(hours=1), D(90)), (DAY0 + timedelta(days=1, hours=23), D(100))]
    assert drawdown_metrics(equity).recovery_days == 1


def test_rolling_period_ranges() -> None:
    first, last = date(2013, 10, 7), date(2014, 1, 15)
    assert period_ranges(1, first, last) == [
        (date(2013, 10, 7), date(2013, 10, 31)),
        (date(2013, 11, 1), date(2013, 11, 30)),
        (date(2013, 12, 1), date(2013, 12, 31)),
        (date(2014, 1, 1), date(2014, 1, 15)),
    ]
    assert period_ranges(3, first, last) == [
        (date(2013, 10, 7), date(2013, 10, 31)),
        (date(2013, 10, 7), date(2013, 11, 30)),
        (date(2013, 10, 7), date(2013, 12, 31)),
        (date(2013, 11, 1), date(2014, 1, 15)),
    ]
    assert period_ranges(12, date(2013, 10, 7), date(2013, 10, 11)) == [(date(2013, 10, 7), date(2013, 10, 11))]


def test_rolling_windows_use_the_period_equity() -> None:
    equity = [(datetime(2014, 5, 29, 4), D(100000)), (datetime(2014, 5, 30, 4), D(100500)), *EQUITY]
    performance = [(datetime(2014, 5, 29, 4), D(0)), (datetime(2014, 5, 30, 4), D("0.5")),
                   (DAY0, D("-0.4975124")), *PERFORMANCE[1:]]
    benchmark = [(datetime(2014, 5, 29, 4), D(179)), (datetime(2014, 5, 30, 4), D(179.5)), *BENCHMARK]
    results = build_statistics(
        inputs(equity=equity, performance=performance, benchmark=benchmark, starting_capital=D(99000))
    )
    assert list(results.rolling) == ["M1_20140531", "M1_20140607", "M3_20140531", "M3_20140607",
                                     "M6_20140531", "M6_20140607", "M12_20140531", "M12_20140607"]
    june = results.rolling["M1_20140607"].portfolio_statistics
    # a window that starts later runs on the period's first equity sample, not the starting capital
    assert june.start_equity == EQUITY[0][1] == D(100000)
    assert results.total.portfolio_statistics.start_equity == D(99000)
    assert june.end_equity == D(102700)
    may = results.rolling["M1_20140531"].portfolio_statistics
    assert may.end_equity == D(100500) and may.sharpe_ratio == 0  # too few returns in two days
    assert results.rolling["M3_20140607"].portfolio_statistics == results.total.portfolio_statistics
    assert results.rolling_window["M3_20140607"]["closedTrades"] == []
