"""The summary strings: C# decimal scale, "0%", fixed-point fees, rounded doubles, capacity digits."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest

from lean_local.statistics import AlgorithmPerformance, PortfolioStatistics, StatisticsInputs, json_rounded
from lean_local.statistics.builder import SUMMARY_KEYS, summary


def make_summary(
    stats: PortfolioStatistics | None = None,
    *,
    fees: D = D(0),
    capacity: D | None = None,
    lowest: str | None = None,
    orders: int = 0,
) -> dict[str, str]:
    inputs = StatisticsInputs(
        equity=[],
        performance=[],
        benchmark=[],
        portfolio_turnover=[],
        closed_trades=[],
        profit_loss={},
        starting_capital=D(100000),
        total_fees=fees,
        total_orders=orders,
        risk_free_rate=lambda _: D(0),
        capacity=capacity,
        lowest_capacity_asset=lowest,
    )
    return summary(AlgorithmPerformance(portfolio_statistics=stats or PortfolioStatistics()), inputs)


def test_keys_in_lean_order() -> None:
    assert list(make_summary()) == list(SUMMARY_KEYS)
    assert len(SUMMARY_KEYS) == 27


def test_zero_statistics() -> None:
    result = make_summary()
    assert result["Average Win"] == "0%"
    assert result["Compounding Annual Return"] == "0%"
    assert result["Drawdown"] == "0%"
    assert result["Win Rate"] == "0%"
    assert result["Expectancy"] == "0"
    assert result["Profit-Loss Ratio"] == "0"
    assert result["Sharpe Ratio"] == "0"
    assert result["Total Fees"] == "$0.00"
    assert result["Estimated Strategy Capacity"] == "$0"
    assert result["Lowest Capacity Asset"] == ""
    assert result["Portfolio Turnover"] == "0%"
    assert result["Drawdown Recovery"] == "0"
    assert result["Total Orders"] == "0"


def test_decimal_scale_is_kept() -> None:
    stats = PortfolioStatistics(
        drawdown=D("0.022"),
        start_equity=D(100000),
        end_equity=D("101655.3000"),
        total_net_profit=D("0.016553000"),
        portfolio_turnover=D("0.19926206"),
    )
    result = make_summary(stats)
    assert result["Drawdown"] == "2.200%"  # Math.Round(0.022m * 100m, 3) keeps the scale 3
    assert result["End Equity"] == "101655.30"
    assert result["Start Equity"] == "100000"
    assert result["Net Profit"] == "1.655%"
    assert result["Portfolio Turnover"] == "19.93%"
    assert make_summary(PortfolioStatistics(end_equity=D(99718)))["End Equity"] == "99718"


def test_rates_round_half_to_even() -> None:
    stats = PortfolioStatistics(
        win_rate=D("0.6666666666666666666666666667"),
        loss_rate=D("0.3333333333333333333333333333"),
        average_win_rate=D("0.0059950248756218905472636816"),
        average_loss_rate=D("-0.0049504950495049504950495050"),
        profit_loss_ratio=D("1.555"),
        expectancy=D("0.4739966832504145936981757878"),
        probabilistic_sharpe_ratio=D("0.674591346"),
    )
    result = make_summary(stats)
    assert result["Win Rate"] == "67%"
    assert result["Loss Rate"] == "33%"
    assert result["Average Win"] == "0.60%"
    assert result["Average Loss"] == "-0.50%"
    assert result["Profit-Loss Ratio"] == "1.56"
    assert result["Expectancy"] == "0.474"
    assert result["Probabilistic Sharpe Ratio"] == "67.459%"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("8.854283"), "8.854"),
        (D("-0.0999"), "-0.1"),
        (D("-18.99996"), "-19"),
        (D("1.97040"), "1.97"),
        (D("0.0201"), "0.02"),
        (D("-0.0004"), "-0"),  # .NET prints negative zero; LEAN's regression harness treats "-0" as "0"
        (D("0.0004"), "0"),
    ],
)
def test_ratios_are_rounded_doubles(value: D, text: str) -> None:
    result = make_summary(PortfolioStatistics(sharpe_ratio=value, alpha=value, treynor_ratio=value))
    assert result["Sharpe Ratio"] == text
    assert result["Alpha"] == text
    assert result["Treynor Ratio"] == text


@pytest.mark.parametrize(("fees", "text"), [(D("3.485"), "$3.49"), (D("3.44"), "$3.44"), (D(1), "$1.00"),
                                             (D("0.005"), "$0.01"), (D("12.3449"), "$12.34")])
def test_total_fees_fixed_point_away_from_zero(fees: D, text: str) -> None:
    assert make_summary(fees=fees)["Total Fees"] == text


@pytest.mark.parametrize(
    ("capacity", "text"),
    [
        (D("56123000.00"), "$56000000.00"),
        (D("55854000.00"), "$56000000.00"),
        (D("1171900000.00"), "$1200000000.00"),
        (D("0.00"), "$0"),
        (None, "$0"),
    ],
)
def test_capacity_two_significant_digits(capacity: D | None, text: str) -> None:
    assert make_summary(capacity=capacity)["Estimated Strategy Capacity"] == text


def test_lowest_capacity_asset_and_orders() -> None:
    result = make_summary(capacity=D("1000.00"), lowest="SPY R735QTJ8XC9X", orders=12)
    assert result["Lowest Capacity Asset"] == "SPY R735QTJ8XC9X"
    assert result["Total Orders"] == "12"


def test_account_currency_symbol() -> None:
    inputs = StatisticsInputs(
        equity=[(datetime(2020, 1, 1), D(1))], performance=[], benchmark=[], portfolio_turnover=[],
        closed_trades=[], profit_loss={}, starting_capital=D(1), total_fees=D("2.5"), total_orders=0,
        risk_free_rate=lambda _: D(0), account_currency_symbol="€",
    )
    assert summary(AlgorithmPerformance(), inputs)["Total Fees"] == "€2.50"


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("0.022"), "0.022"), (D("0.02200"), "0.0220"), (D("2.71453"), "2.7145"), (D("1.97045"), "1.9704"),
     (D("0.00005"), "0.0000"), (D(3), "3"), (3, "3"), (D("-0.00004"), "0.0000")],
)
def test_json_rounding_converter(value: D | int, text: str) -> None:
    assert json_rounded(value) == text
