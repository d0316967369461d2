"""A finished backtest as pandas: the equity curve and benchmark the result handler sampled, and the insights the
algorithm's alpha models emitted (``lean_local.runner.run_backtest`` returns the engine with the result)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lean_local.timeutil import from_utc


def _engine(result: Any) -> Any:
    engine = getattr(result, "engine", None)
    if engine is None:
        raise ValueError(
            f"the backtest has no engine to read ({getattr(result, 'status', '?')}: "
            f"{getattr(result, 'runtime_error', '') or 'it failed before the engine started'})"
        )
    return engine


def equity_curve(result: Any) -> pd.DataFrame:
    """``equity`` (portfolio value, the close of each 'Strategy Equity' sample) and ``benchmark`` (the benchmark
    price) by local time of the algorithm."""
    engine = _engine(result)
    zone = engine.algorithm.time_zone
    columns = {}
    for name, (chart, series) in {"equity": ("Strategy Equity", "Equity"), "benchmark": ("Benchmark", "Benchmark")}.items():
        points = engine.results.series_points(chart, series)
        columns[name] = pd.Series([float(v) for _, v in points], index=pd.DatetimeIndex([from_utc(t, zone) for t, _ in points]),
                                  dtype=float)
    frame = pd.DataFrame(columns)
    frame.index.name = "time"
    return frame


def insights_frame(result: Any) -> pd.DataFrame:
    """Every insight the algorithm generated: symbol, local generation and close times, direction (+1/0/-1),
    magnitude, confidence, weight, source model and tag, in generation order."""
    engine = _engine(result)
    algorithm = engine.algorithm
    zone = algorithm.time_zone
    rows = []
    for insight in algorithm.insights.get_insights():
        rows.append({
            "symbol": str(insight.symbol),
            "generated_time": from_utc(insight.generated_time_utc, zone),
            "close_time": from_utc(insight.close_time_utc, zone),
            "direction": int(insight.direction),
            "magnitude": insight.magnitude,
            "confidence": insight.confidence,
            "weight": insight.weight,
            "source_model": insight.source_model,
            "tag": insight.tag,
        })
    columns = ["symbol", "generated_time", "close_time", "direction", "magnitude", "confidence", "weight", "source_model", "tag"]
    return pd.DataFrame(rows, columns=columns)
