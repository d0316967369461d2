"""True range, ATR, Keltner and Donchian channels and ADX against independent computations on SPY daily bars."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest

from lean_local.indicators import (
    AverageDirectionalIndex,
    AverageTrueRange,
    DonchianChannel,
    KeltnerChannels,
    MovingAverageType,
    SimpleMovingAverage,
    TrueRange,
)
from lean_local.market_data import TradeBar

T0 = datetime(2013, 1, 2, 16)


def feed(indicator: Any, bars: list[Any], *readers: Any) -> tuple[np.ndarray, ...]:
    columns: list[list[float]] = [[] for _ in readers]
    ready = []
    for bar in bars:
        indicator.update(bar)
        for column, reader in zip(columns, readers):
            column.append(reader(indicator))
        ready.append(indicator.is_ready)
    return (*[np.array(c) for c in columns], np.array(ready))


def value(indicator: Any) -> float:
    return float(indicator.current.value)


def true_ranges(high: np.ndarray, low: np.ndarray, close: np.ndarray) -> np.ndarray:
    previous = np.concatenate([[np.nan], close[:-1]])
    ranges = np.maximum.reduce([high - low, np.abs(high - previous), np.abs(low - previous)])
    ranges[0] = high[0] - low[0]
    return ranges


def test_true_range(spy_daily: Any) -> None:
    values, ready = feed(TrueRange(), spy_daily.bars, value)
    np.testing.assert_allclose(values, true_ranges(spy_daily.high, spy_daily.low, spy_daily.close), rtol=1e-12)
    assert not ready[0] and ready[1:].all()


def test_atr_wilder_and_simple(spy_daily: Any) -> None:
    period = 14
    ranges = true_ranges(spy_daily.high, spy_daily.low, spy_daily.close)
    wilder, ready = feed(AverageTrueRange(period), spy_daily.bars, value)
    expected = np.zeros(len(ranges))
    for i in range(len(ranges)):
        expected[i] = ranges[: i + 1].mean() if i < period else (expected[i - 1] * (period - 1) + ranges[i]) / period
    np.testing.assert_allclose(wilder, expected, rtol=1e-10)
    assert ready.tolist().index(True) == period - 1
    simple, _ = feed(AverageTrueRange(period, MovingAverageType.SIMPLE), spy_daily.bars, value)
    expected_simple = [ranges[max(0, i - period + 1): i + 1].mean() for i in range(len(ranges))]
    np.testing.assert_allclose(simple, expected_simple, rtol=1e-10)


def test_keltner_channels(spy_daily: Any) -> None:
    period, k = 20, 1.5
    high, low, close = spy_daily.high, spy_daily.low, spy_daily.close
    channels = KeltnerChannels(period, k)
    middle, upper, lower, ready = feed(
        channels, spy_daily.bars, value, lambda c: c.upper_band.current.value, lambda c: c.lower_band.current.value)
    typical = (high + low + close) / 3
    ranges = true_ranges(high, low, close)
    for i in range(period - 1, len(close)):
        mean = typical[i - period + 1: i + 1].mean()
        atr = ranges[i - period + 1: i + 1].mean()
        assert middle[i] == pytest.approx(mean, rel=1e-10)
        assert upper[i] == pytest.approx(mean + k * atr, rel=1e-10)
        assert lower[i] == pytest.approx(mean - k * atr, rel=1e-10)
    assert ready.tolist().index(True) == period - 1 and not upper[: period - 1].any()
    assert channels.name == "KC(20,1.5)"


def test_donchian_channel(spy_daily: Any) -> None:
    upper_period, lower_period = 20, 10
    high, low = spy_daily.high, spy_daily.low
    channel = DonchianChannel(upper_period, lower_period)
    mean, upper, lower, ready = feed(
        channel, spy_daily.bars, value, lambda c: c.upper_band.current.value, lambda c: c.lower_band.current.value)
    for i in range(len(high)):
        top = high[max(0, i - upper_period + 1): i + 1].max()
        bottom = low[max(0, i - lower_period + 1): i + 1].min()
        assert (upper[i], lower[i]) == (top, bottom)
        assert mean[i] == pytest.approx((top + bottom) / 2, rel=1e-14)
    assert ready.tolist().index(True) == upper_period - 1
    assert channel.name == "DCH(10,10)"  # LEAN names it after the lower period twice
    assert channel.warm_up_period == 20


def adx_reference(high: np.ndarray, low: np.ndarray, close: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
    """Wilder's ADX: sums of the first n true ranges / movements, then Wilder smoothing; ADX is Wilder's average
    of DX (the running mean until n DX values exist). Before +DI/-DI exist the value is 50."""
    length = len(close)
    smoothed_tr = smoothed_plus = smoothed_minus = 0.0
    adx_values, plus_di, minus_di = np.zeros(length), np.zeros(length), np.zeros(length)
    dx_values: list[float] = []
    adx = 0.0
    for t in range(length):
        if t == 0:
            tr = plus = minus = 0.0
        else:
            tr = max(high[t] - low[t], abs(high[t] - close[t - 1]), abs(low[t] - close[t - 1]))
            up, down = high[t] - high[t - 1], low[t - 1] - low[t]
            plus = up if high[t] > high[t - 1] and up >= down else 0.0
            minus = down if low[t - 1] > low[t] and down > up else 0.0
        decay = t + 1 > n + 1
        smoothed_tr += tr - (smoothed_tr / n if decay else 0.0)
        smoothed_plus += plus - (smoothed_plus / n if decay else 0.0)
        smoothed_minus += minus - (smoothed_minus / n if decay else 0.0)
        if t + 1 > n and smoothed_tr != 0:
            plus_di[t], minus_di[t] = 100 * smoothed_plus / smoothed_tr, 100 * smoothed_minus / smoothed_tr
        total = plus_di[t] + minus_di[t]
        if total == 0:
            adx_values[t] = 50.0
            continue
        dx_values.append(100 * abs(plus_di[t] - minus_di[t]) / total)
        if len(dx_values) <= n:
            adx = float(np.mean(dx_values))
        else:
            adx = (adx * (n - 1) + dx_values[-1]) / n
        adx_values[t] = adx
    return adx_values, plus_di, minus_di


def test_average_directional_index(spy_daily: Any) -> None:
    period = 14
    adx = AverageDirectionalIndex(period)
    values, plus, minus, ready = feed(
        adx, spy_daily.bars, value, lambda a: a.positive_directional_index.current.value,
        lambda a: a.negative_directional_index.current.value)
    expected, expected_plus, expected_minus = adx_reference(spy_daily.high, spy_daily.low, spy_daily.close, period)
    np.testing.assert_allclose(plus, expected_plus, rtol=1e-9)
    np.testing.assert_allclose(minus, expected_minus, rtol=1e-9)
    np.testing.assert_allclose(values, expected, rtol=1e-9)
    assert ready.tolist().index(True) == 2 * period - 1 and adx.warm_up_period == 2 * period


def test_bar_indicators_reject_data_points_and_time_value_updates() -> None:
    with pytest.raises(NotImplementedError, match="Update\\(DateTime, decimal\\)"):
        AverageTrueRange(3).update(T0, 1.0)
    from lean_local.indicators import IndicatorDataPoint

    with pytest.raises(TypeError, match="IBaseDataBar"):
        AverageTrueRange(3).update(IndicatorDataPoint(T0, 1.0))
    # data-point indicators take a bar's value
    sma = SimpleMovingAverage(1)
    sma.update(TradeBar(T0, None, 1, 3, 0.5, 2, 10, timedelta(days=1)))
    assert sma.current.value == 2.0 and sma.current.time == T0 + timedelta(days=1)
