"""SPY daily bars from LEAN's sample data (raw file prices x 0.0001) for checking indicators against independent
numpy computations."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from lean_local.data.bars import load_daily_or_hour
from lean_local.data.paths import DataFolder
from lean_local.enums import Resolution
from lean_local.market_data import RAW_EQUITY, TradeBar


@dataclass
class SpyDaily:
    bars: list[TradeBar]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray

    def __len__(self) -> int:
        return len(self.bars)


@pytest.fixture(scope="session")
def spy_daily(lean_data: Path) -> SpyDaily:
    """SPY daily trade bars 2009-2013: exact decimals (scale 4, as LEAN parses them) and float arrays."""
    arrays = load_daily_or_hour(DataFolder(lean_data), "spy", Resolution.DAILY)
    assert arrays is not None
    bars: list[TradeBar] = []
    rows = []
    for i in range(len(arrays)):
        start = datetime(1970, 1, 1) + timedelta(microseconds=int(arrays.time[i]) // 1000)
        if not datetime(2009, 1, 1) <= start < datetime(2014, 1, 1):
            continue
        raw = (int(arrays.open[i]), int(arrays.high[i]), int(arrays.low[i]), int(arrays.close[i]))
        bars.append(TradeBar.from_raw(None, start, start + timedelta(days=1), raw, float(arrays.volume[i]), RAW_EQUITY))
        rows.append([r / 10000 for r in raw])
    table = np.array(rows, dtype=float)
    return SpyDaily(bars, table[:, 0], table[:, 1], table[:, 2], table[:, 3])
