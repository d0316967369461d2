"""RSI, MACD, Bollinger Bands and the window statistics against independent numpy computations on SPY daily data."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from lean_local.indicators import (
    BollingerBands,
    Delay,
    Identity,
    LogReturn,
    Maximum,
    Minimum,
    Momentum,
    MomentumPercent,
    MovingAverageConvergenceDivergence,
    MovingAverageType,
    RateOfChange,
    RateOfChangePercent,
    RelativeStrengthIndex,
    StandardDeviation,
    Variance,
)

T0 = datetime(2013, 1, 2, 16)


def feed(indicator: Any, bars: list[Any], *readers: Any) -> tuple[np.ndarray, ...]:
    """Update with each bar; per reader an array of its value after each update, plus the ready flags."""
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


def ema_reference(x: np.ndarray, period: int) -> np.ndarray:
    k = 2.0 / (period + 1)
    out = np.zeros(len(x))
    for i in range(len(x)):
        if i + 1 == period:
            out[i] = x[:period].mean()
        elif i + 1 > period:
            out[i] = x[i] * k + out[i - 1] * (1 - k)
    return out


def test_rsi_wilder(spy_daily: Any) -> None:
    period = 14
    closes = spy_daily.close
    values, ready = feed(RelativeStrengthIndex(period), spy_daily.bars, value)
    diffs = np.diff(closes)
    gains, losses = np.where(diffs >= 0, diffs, 0.0), np.where(diffs < 0, -diffs, 0.0)
    avg_gain = np.zeros(len(diffs))
    avg_loss = np.zeros(len(diffs))
    for i in range(len(diffs)):
        if i < period:
            avg_gain[i], avg_loss[i] = gains[: i + 1].mean(), losses[: i + 1].mean()
        else:
            avg_gain[i] = (avg_gain[i - 1] * (period - 1) + gains[i]) / period
            avg_loss[i] = (avg_loss[i - 1] * (period - 1) + losses[i]) / period
    expected = np.where(avg_loss == 0, 100.0, 100 - 100 / (1 + avg_gain / np.where(avg_loss == 0, 1, avg_loss)))
    np.testing.assert_allclose(values[1:], expected, rtol=1e-10)
    assert values[0] == 100.0  # no loss yet
    assert ready.tolist().index(True) == period  # warm-up period + 1 samples
    assert RelativeStrengthIndex(period).warm_up_period == period + 1


def test_rsi_with_simple_averages(spy_daily: Any) -> None:
    period = 10
    closes = spy_daily.close
    values, ready = feed(RelativeStrengthIndex(period, MovingAverageType.SIMPLE), spy_daily.bars, value)
    diffs = np.diff(closes)
    gains, losses = np.where(diffs >= 0, diffs, 0.0), np.where(diffs < 0, -diffs, 0.0)
    for i in range(period, len(closes)):
        window = slice(i - period, i)
        gain, loss = gains[window].mean(), losses[window].mean()
        assert values[i] == pytest.approx(100.0 if loss == 0 else 100 - 100 / (1 + gain / loss), rel=1e-10)
    assert ready.tolist().index(True) == period


def test_macd_signal_and_histogram(spy_daily: Any) -> None:
    fast, slow, signal = 12, 26, 9
    closes = spy_daily.close
    macd = MovingAverageConvergenceDivergence(fast, slow, signal)
    values, signals, histograms, ready = feed(
        macd, spy_daily.bars, value, lambda m: m.signal.current.value, lambda m: m.histogram.current.value)
    fast_ema, slow_ema = ema_reference(closes, fast), ema_reference(closes, slow)
    np.testing.assert_allclose(values, fast_ema - slow_ema, rtol=1e-10, atol=1e-10)
    difference = (fast_ema - slow_ema)[slow - 1:]
    expected_signal = ema_reference(difference, signal)
    first = slow + signal - 2
    np.testing.assert_allclose(signals[first:], expected_signal[signal - 1:], rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(histograms[first:], (difference - expected_signal)[signal - 1:], rtol=1e-9, atol=1e-10)
    assert ready.tolist().index(True) == first and macd.warm_up_period == slow + signal - 1
    with pytest.raises(ValueError):
        MovingAverageConvergenceDivergence(26, 12, 9)


def test_bollinger_bands(spy_daily: Any) -> None:
    period, k = 20, 2
    closes = spy_daily.close
    bands = BollingerBands(period, k)
    middle, upper, lower, width, percent_b, ready = feed(
        bands, spy_daily.bars,
        lambda b: b.middle_band.current.value, lambda b: b.upper_band.current.value,
        lambda b: b.lower_band.current.value, lambda b: b.band_width.current.value,
        lambda b: b.percent_b.current.value)
    for i in range(period - 1, len(closes)):
        window = closes[i - period + 1: i + 1]
        mean, std = window.mean(), window.std(ddof=0)
        assert middle[i] == pytest.approx(mean, rel=1e-12)
        assert upper[i] == pytest.approx(mean + k * std, rel=1e-10)
        assert lower[i] == pytest.approx(mean - k * std, rel=1e-10)
        assert width[i] == pytest.approx(2 * k * std / mean * 100, rel=1e-8)
        assert percent_b[i] == pytest.approx((closes[i] - (mean - k * std)) / (2 * k * std), rel=1e-8)
    assert ready.tolist().index(True) == period - 1
    assert bands.current.value == closes[-1]  # the indicator's own value is the price
    assert bands.name == "BB(20,2)"


def test_bollinger_bands_do_not_publish_while_the_deviation_is_zero() -> None:
    bands = BollingerBands(3, 2)
    updates: list[float] = []
    bands.updated += lambda sender, point: updates.append(point.value)
    for i in range(5):
        bands.update(T0 + timedelta(days=i), 10)
    assert bands.is_ready and updates == [10.0, 10.0]  # the 3rd sample onwards has std 0 once ready


@pytest.mark.parametrize("period", [2, 20])
def test_standard_deviation_and_variance(spy_daily: Any, period: int) -> None:
    closes = spy_daily.close
    std, std_ready = feed(StandardDeviation(period), spy_daily.bars, value)
    var, _ = feed(Variance(period), spy_daily.bars, value)
    for i in range(1, len(closes)):
        window = closes[max(0, i - period + 1): i + 1]
        assert var[i] == pytest.approx(window.var(ddof=0), rel=1e-9, abs=1e-12)
        assert std[i] == pytest.approx(window.std(ddof=0), rel=1e-9, abs=1e-12)
    assert std[0] == 0.0 and std_ready.tolist().index(True) == period - 1


def test_standard_deviation_takes_the_root_in_double_precision() -> None:
    std = StandardDeviation(2)
    std.update(T0, 1)
    std.update(T0 + timedelta(days=1), 2)
    assert std.current.exact_value == Decimal("0.5")  # variance 0.25 (decimal), sqrt in double, back to decimal
    std3 = StandardDeviation(3)
    for i, x in enumerate((1, 2, 4)):
        std3.update(T0 + timedelta(days=i), x)
    root = math.sqrt(14 / 9)
    # (decimal)double keeps 15 significant digits
    assert std3.current.exact_value == Decimal(f"{root:.15g}")


def test_momentum_rate_of_change_and_log_return(spy_daily: Any) -> None:
    period = 10
    closes = spy_daily.close
    mom, mom_ready = feed(Momentum(period), spy_daily.bars, value)
    roc, roc_ready = feed(RateOfChange(period), spy_daily.bars, value)
    rocp, _ = feed(RateOfChangePercent(period), spy_daily.bars, value)
    momp, _ = feed(MomentumPercent(period), spy_daily.bars, value)
    logr, logr_ready = feed(LogReturn(period), spy_daily.bars, value)
    reference = np.array([closes[max(0, i - period)] for i in range(len(closes))])
    np.testing.assert_allclose(mom, closes - reference, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(roc, (closes - reference) / reference, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(rocp, 100 * (closes - reference) / reference, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(momp, rocp, rtol=0)
    # until the window overflows the reference is the first input
    log_reference = np.array([closes[0] if i < period else closes[i - period] for i in range(len(closes))])
    np.testing.assert_allclose(logr, np.log(closes / log_reference), rtol=1e-12, atol=1e-14)
    assert mom_ready.tolist().index(True) == period and roc_ready.tolist().index(True) == period
    assert logr_ready.tolist().index(True) == period - 1
    assert Momentum(period).warm_up_period == period + 1 and LogReturn(period).warm_up_period == period


def test_maximum_minimum_delay_identity(spy_daily: Any) -> None:
    period = 5
    closes = spy_daily.close
    maximum, since_max, max_ready = feed(Maximum(period), spy_daily.bars, value, lambda m: m.periods_since_maximum)
    minimum, since_min, _ = feed(Minimum(period), spy_daily.bars, value, lambda m: m.periods_since_minimum)
    delay, delay_ready = feed(Delay(period), spy_daily.bars, value)
    identity, identity_ready = feed(Identity("close"), spy_daily.bars, value)
    for i in range(len(closes)):
        window = closes[max(0, i - period + 1): i + 1]
        newest_first = window[::-1]
        assert maximum[i] == window.max() and minimum[i] == window.min()
        # bars since the extreme; ties resolve to the most recent one
        assert since_max[i] == int(np.argmax(newest_first == window.max()))
        assert since_min[i] == int(np.argmax(newest_first == window.min()))
        assert delay[i] == (closes[i - period] if i >= period else closes[0])
    np.testing.assert_array_equal(identity, closes)
    assert max_ready.tolist().index(True) == period - 1 and identity_ready.all()
    assert delay_ready.tolist().index(True) == period and Delay(period).warm_up_period == period + 1
