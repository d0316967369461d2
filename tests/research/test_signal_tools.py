"""lean_local.research.signals on small hand-checked frames."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lean_local.research import signals

TIMES = pd.date_range("2020-01-01 16:00", periods=5, freq="D")


def test_wide_and_forward_returns() -> None:
    index = pd.MultiIndex.from_product([["A", "B"], TIMES], names=["symbol", "time"])
    history = pd.DataFrame({"close": [10, 11, 12, 11, 10, 20, 20, 22, 22, 24.0],
                            "open": [9, 10, 11, 12, 11, 19, 20, 21, 22, 23.0]}, index=index)
    close, open_ = signals.wide(history), signals.wide(history, "open")
    assert list(close.columns) == ["A", "B"] and list(close.index) == list(TIMES)
    forward = signals.forward_returns(close, [1, 2])
    assert forward[1]["A"].iloc[0] == pytest.approx(0.1)
    assert forward[2]["B"].iloc[1] == pytest.approx(0.1)
    assert math.isnan(forward[1]["A"].iloc[-1])
    next_open = signals.forward_returns(close, [1], open_, entry="next_open")
    assert next_open[1]["A"].iloc[0] == pytest.approx(11 / 10 - 1)  # open of the 2nd bar to its close
    assert signals.forward_returns(close, [2], open_, entry="next_open")[2]["B"].iloc[0] == pytest.approx(22 / 20 - 1)
    with pytest.raises(ValueError, match="needs the open"):
        signals.forward_returns(close, [1], entry="next_open")
    with pytest.raises(ValueError, match="empty"):
        signals.wide(history.iloc[:0])
    with pytest.raises(KeyError, match="no 'vwap' column"):
        signals.wide(history, "vwap")


def test_ic_hit_rate_buckets_and_decay() -> None:
    rng = np.random.default_rng(0)
    times = pd.date_range("2020-01-01", periods=400, freq="D")
    signal = pd.DataFrame(rng.normal(size=(400, 2)), index=times, columns=["A", "B"])
    noise = pd.DataFrame(rng.normal(size=(400, 2)), index=times, columns=["A", "B"])
    forward = {1: 0.01 * signal + 0.001 * noise, 5: -0.01 * signal}
    ic = signals.information_coefficients(signal, forward)
    assert ic[1] > 0.95 and ic[5] == pytest.approx(-1.0)
    direction = np.sign(signal).astype(int)
    assert signals.hit_rate(direction, forward[1]) > 0.95
    assert signals.hit_rate(direction, forward[5]) == 0.0
    assert math.isnan(signals.hit_rate(direction * 0, forward[1]))
    buckets = signals.bucket_means(signal, forward[5], [-1, 0, 1])
    assert list(buckets["count"]) == [int((signal <= -1).sum().sum()), int(((signal > -1) & (signal <= 0)).sum().sum()),
                                      int(((signal > 0) & (signal <= 1)).sum().sum()), int((signal > 1).sum().sum())]
    assert list(buckets["mean"]) == sorted(buckets["mean"], reverse=True)
    decay = signals.signed_decay(direction, forward)
    assert decay.loc[1, "hit_rate"] > 0.95 and decay.loc[5, "mean"] < 0 and decay.loc[5, "count"] == 800
