"""LEAN's backtest statistics, reproduced exactly: trades from fills, trade and portfolio statistics, the
summary strings, rolling windows and the strategy-capacity estimate.

Entry point: :func:`build_statistics` with a :class:`StatisticsInputs`.
"""
from lean_local.statistics.builder import (
    ROLLING_WINDOW_MONTHS,
    SUMMARY_KEYS,
    AlgorithmPerformance,
    MisalignedSeriesError,
    SeriesPoint,
    StatisticsInputs,
    StatisticsResults,
    benchmark_returns,
    build_statistics,
    performance_returns,
    period_ranges,
)
from lean_local.statistics.capacity import (
    CapacityEstimate,
    CapacityQuoteBar,
    CapacitySecurity,
    CapacitySlice,
    CapacityTradeBar,
)
from lean_local.statistics.drawdown import DrawdownMetrics, drawdown_metrics, drawdown_percent
from lean_local.statistics.portfolio_statistics import PortfolioStatistics, RiskFreeRate
from lean_local.statistics.trade import FillGroupingMethod, FillMatchingMethod, Trade, TradeDirection
from lean_local.statistics.trade_builder import FillRecord, TradeBuilder
from lean_local.statistics.trade_statistics import TradeStatistics, json_rounded

__all__ = [
    "ROLLING_WINDOW_MONTHS",
    "SUMMARY_KEYS",
    "AlgorithmPerformance",
    "CapacityEstimate",
    "CapacityQuoteBar",
    "CapacitySecurity",
    "CapacitySlice",
    "CapacityTradeBar",
    "DrawdownMetrics",
    "FillGroupingMethod",
    "FillMatchingMethod",
    "FillRecord",
    "MisalignedSeriesError",
    "PortfolioStatistics",
    "RiskFreeRate",
    "SeriesPoint",
    "StatisticsInputs",
    "StatisticsResults",
    "Trade",
    "TradeBuilder",
    "TradeDirection",
    "TradeStatistics",
    "benchmark_returns",
    "build_statistics",
    "drawdown_metrics",
    "drawdown_percent",
    "json_rounded",
    "performance_returns",
    "period_ranges",
]
