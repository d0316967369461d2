"""Small, plain-pandas tools to judge a trading signal against what prices did next.

They work on *wide* frames (one column per symbol, one row per bar end time), which :func:`wide` makes from a
LEAN history frame. A signal at row ``t`` is known at the close of bar ``t``; forward returns start either at
that close (``entry="close"``) or at the next bar's open (``entry="next_open"``, what an order placed on a daily
bar gets in a backtest) and end at the close ``h`` bars later.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def wide(history: pd.DataFrame, column: str = "close") -> pd.DataFrame:
    """A LEAN history frame's ``column`` as time x symbol (column names are the tickers)."""
    if history.empty:
        raise ValueError("the history frame is empty: nothing to study (check the dates and the research clock)")
    if column not in history.columns:
        raise KeyError(f"the history frame has no '{column}' column (it has {', '.join(history.columns)})")
    frame = history[column].unstack(level=0)
    frame.columns = [str(c) for c in frame.columns]
    frame.columns.name = None
    return frame.sort_index()


def forward_returns(close: pd.DataFrame, horizons: Iterable[int], open_: pd.DataFrame | None = None,
                    entry: str = "close") -> dict[int, pd.DataFrame]:
    """``{h: return from the entry to the close h bars later}`` for every row and symbol (NaN near the end).

    ``entry="close"`` starts at the row's close; ``entry="next_open"`` at the next row's open (needs ``open_``).
    """
    if entry == "close":
        start = close
    elif entry == "next_open":
        if open_ is None:
            raise ValueError("entry='next_open' needs the open prices (open_)")
        start = open_.shift(-1)
    else:
        raise ValueError(f"entry must be 'close' or 'next_open', not {entry!r}")
    result: dict[int, pd.DataFrame] = {}
    for h in horizons:
        if h < 1:
            raise ValueError(f"horizons are bar counts >= 1, got {h}")
        result[int(h)] = close.shift(-h) / start - 1.0
    return result


def pooled(signal: pd.DataFrame, forward: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """One row per (time, symbol) with the signal and each horizon's forward return (``fwd_<h>``); rows without
    a signal are dropped."""
    columns = {"signal": signal.stack()}
    for h, frame in forward.items():
        columns[f"fwd_{h}"] = frame.reindex_like(signal).stack()
    table = pd.DataFrame(columns)
    table.index.names = ["time", "symbol"]
    return table.dropna(subset=["signal"])


def information_coefficients(signal: pd.DataFrame, forward: dict[int, pd.DataFrame], method: str = "spearman") -> pd.Series:
    """Correlation (rank by default) between the signal and the forward return, pooled over symbols and times,
    per horizon."""
    table = pooled(signal, forward)
    values = {}
    for h in forward:
        both = table[["signal", f"fwd_{h}"]].dropna()
        values[h] = both["signal"].corr(both[f"fwd_{h}"], method=method) if len(both) > 2 else np.nan
    return pd.Series(values, name=f"{method} IC").rename_axis("horizon")


def hit_rate(direction: pd.DataFrame, forward: pd.DataFrame) -> float:
    """Share of non-zero ``direction`` entries (+1 long, -1 short) whose forward return has the same sign."""
    both = pd.DataFrame({"direction": direction.stack(), "forward": forward.reindex_like(direction).stack()}).dropna()
    both = both[both["direction"] != 0]
    if both.empty:
        return float("nan")
    return float((np.sign(both["forward"]) == np.sign(both["direction"])).mean())


def bucket_means(signal: pd.DataFrame, forward: pd.DataFrame, edges: Sequence[float]) -> pd.DataFrame:
    """Mean forward return, its standard error and the count per signal bucket (``edges`` are the inner edges;
    the outer buckets are open)."""
    table = pd.DataFrame({"signal": signal.stack(), "forward": forward.reindex_like(signal).stack()}).dropna()
    bins = [-np.inf, *edges, np.inf]
    table["bucket"] = pd.cut(table["signal"], bins)
    grouped = table.groupby("bucket", observed=False)["forward"]
    result = pd.DataFrame({"mean": grouped.mean(), "count": grouped.count()})
    result["stderr"] = grouped.std() / np.sqrt(result["count"].where(result["count"] > 0))
    return result


def signed_decay(direction: pd.DataFrame, forward: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Mean of ``direction x forward return`` over non-zero directions per horizon (the average gain of following
    the signal for h bars), with the hit rate and the number of signals."""
    rows = {}
    for h, frame in forward.items():
        both = pd.DataFrame({"direction": direction.stack(), "forward": frame.reindex_like(direction).stack()}).dropna()
        both = both[both["direction"] != 0]
        signed = both["direction"] * both["forward"]
        rows[h] = {"mean": signed.mean(), "hit_rate": float((signed > 0).mean()) if len(signed) else np.nan,
                   "count": len(signed)}
    return pd.DataFrame(rows).T.rename_axis("horizon")
