"""Moving averages against independent numpy computations on SPY daily closes, plus LEAN's exact decimal results."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from lean_local.indicators import (
    DoubleExponentialMovingAverage,
    ExponentialMovingAverage,
    IndicatorBase,
    LinearWeightedMovingAverage,
    MovingAverageType,
    SimpleMovingAverage,
    Sum,
    TriangularMovingAverage,
    TripleExponentialMovingAverage,
    WilderMovingAverage,
)
from lean_local.indicators.moving_averages import as_indicator
from lean_local.market_data import TradeBar

T0 = datetime(2013, 1, 2, 16)


def run(indicator: IndicatorBase, closes: Any) -> tuple[np.ndarray, np.ndarray]:
    """Feed trade bars (their exact close) or numbers; (values, ready flags) after each update."""
    values, ready = [], []
    for i, close in enumerate(closes):
        if isinstance(close, TradeBar):
            indicator.update(close)
        else:
            indicator.update(T0 + timedelta(days=i), float(close))
        values.append(indicator.current.value)
        ready.append(indicator.is_ready)
    return np.array(values), np.array(ready)


def ema_reference(x: np.ndarray, period: int, k: float | None = None) -> np.ndarray:
    k = 2.0 / (period + 1) if k is None else k
    out = np.zeros(len(x))
    for i in range(len(x)):
        if i + 1 < period:
            out[i] = 0.0
        elif i + 1 == period:
            out[i] = x[:period].mean()
        else:
            out[i] = x[i] * k + out[i - 1] * (1 - k)
    return out


def wilder_reference(x: np.ndarray, period: int) -> np.ndarray:
    out = np.zeros(len(x))
    for i in range(len(x)):
        if i < period:
            out[i] = x[: i + 1].mean()
        else:
            out[i] = x[i] / period + out[i - 1] * (1 - 1.0 / period)
    return out


@pytest.mark.parametrize("period", [1, 10, 50])
def test_sma_matches_rolling_mean(spy_daily: Any, period: int) -> None:
    values, ready = run(SimpleMovingAverage(period), spy_daily.bars)
    closes = spy_daily.close
    expected = np.array([closes[max(0, i - period + 1): i + 1].mean() for i in range(len(closes))])
    np.testing.assert_allclose(values, expected, rtol=1e-12)
    assert not ready[: period - 1].any() and ready[period - 1:].all()


@pytest.mark.parametrize("period", [10, 26])
def test_ema_is_seeded_with_the_sma_and_zero_before(spy_daily: Any, period: int) -> None:
    values, ready = run(ExponentialMovingAverage(period), spy_daily.bars)
    np.testing.assert_allclose(values, ema_reference(spy_daily.close, period), rtol=1e-12, atol=1e-12)
    assert not ready[: period - 1].any() and ready[period - 1:].all()
    assert ExponentialMovingAverage(period).warm_up_period == period


def test_ema_with_custom_smoothing_factor(spy_daily: Any) -> None:
    ema = ExponentialMovingAverage(20, 0.05)
    assert ema.name == "EMA(20,0.05)"
    values, _ = run(ema, spy_daily.bars)
    np.testing.assert_allclose(values, ema_reference(spy_daily.close, 20, 0.05), rtol=1e-12, atol=1e-12)


def test_wilder_runs_the_sma_until_ready(spy_daily: Any) -> None:
    values, ready = run(WilderMovingAverage(14), spy_daily.bars)
    np.testing.assert_allclose(values, wilder_reference(spy_daily.close, 14), rtol=1e-12)
    assert ready.tolist().index(True) == 13


def test_lwma_dema_tema_trima(spy_daily: Any) -> None:
    closes = spy_daily.close
    bars = spy_daily.bars
    period = 5
    weights = np.arange(1, period + 1, dtype=float)
    lwma, lwma_ready = run(LinearWeightedMovingAverage(period), bars)
    expected = [np.dot(closes[i - period + 1: i + 1], weights) / weights.sum() if i >= period - 1 else 0.0
                for i in range(len(closes))]
    np.testing.assert_allclose(lwma, expected, rtol=1e-12)
    assert lwma_ready.tolist().index(True) == period - 1

    ema1 = ema_reference(closes, period)
    ema2 = np.zeros(len(closes))
    ema2[period - 1:] = ema_reference(ema1[period - 1:], period)
    dema, dema_ready = run(DoubleExponentialMovingAverage(period), bars)
    start = 2 * (period - 1)
    np.testing.assert_allclose(dema[start:], 2 * ema1[start:] - ema2[start:], rtol=1e-12)
    assert dema_ready.tolist().index(True) == start

    ema3 = np.zeros(len(closes))
    ema3[start:] = ema_reference(ema2[start:], period)
    tema, tema_ready = run(TripleExponentialMovingAverage(period), bars)
    first = 3 * (period - 1)
    np.testing.assert_allclose(tema[first:], 3 * ema1[first:] - 3 * ema2[first:] + ema3[first:], rtol=1e-12)
    assert tema_ready.tolist().index(True) == first and not tema[:first].any()

    trima, _ = run(TriangularMovingAverage(period), bars)
    sma3 = np.array([closes[max(0, i - 2): i + 1].mean() for i in range(len(closes))])
    expected_trima = np.array([sma3[max(0, i - 2): i + 1].mean() for i in range(len(closes))])
    np.testing.assert_allclose(trima, expected_trima, rtol=1e-12)


def test_exact_decimal_results_follow_csharp() -> None:
    sma = SimpleMovingAverage(3)
    for i, value in enumerate((1, 2, 2)):
        sma.update(T0 + timedelta(days=i), value)
    # C# 5m / 3m keeps 28 decimals
    assert sma.current.exact_value == Decimal("1.6666666666666666666666666667")
    assert ExponentialMovingAverage.smoothing_factor_default(10) == Decimal("0.1818181818181818181818181818")
    assert ExponentialMovingAverage.smoothing_factor_default(3) == Decimal("0.5")  # 2.0m / 4
    ema = ExponentialMovingAverage(3)
    for i, value in enumerate((1, 2, 3, 4)):
        ema.update(T0 + timedelta(days=i), value)
    assert ema.current.exact_value == Decimal("3.0")  # 4 * 0.5 + 2 * 0.5 with C# scales


def test_sum_window_and_reset() -> None:
    total = Sum(3)
    for i, value in enumerate((1, 2, 3, 4)):
        total.update(T0 + timedelta(days=i), value)
    assert total.current.value == 9.0 and total.is_ready
    total.reset()
    assert total.samples == 0 and not total.is_ready and total.current.value == 0.0


@pytest.mark.parametrize("kind, cls", [
    (MovingAverageType.SIMPLE, SimpleMovingAverage),
    (MovingAverageType.EXPONENTIAL, ExponentialMovingAverage),
    (MovingAverageType.WILDERS, WilderMovingAverage),
    (MovingAverageType.LINEAR_WEIGHTED_MOVING_AVERAGE, LinearWeightedMovingAverage),
    (MovingAverageType.DOUBLE_EXPONENTIAL, DoubleExponentialMovingAverage),
    (MovingAverageType.TRIPLE_EXPONENTIAL, TripleExponentialMovingAverage),
    (MovingAverageType.TRIANGULAR, TriangularMovingAverage),
])
def test_moving_average_type_factory(kind: MovingAverageType, cls: type) -> None:
    indicator = as_indicator(kind, "x", 4)
    assert isinstance(indicator, cls) and indicator.name == "x"


def test_unsupported_moving_average_type_says_so() -> None:
    with pytest.raises(NotImplementedError, match="KAMA"):
        as_indicator(MovingAverageType.KAMA, 10)
    assert str(MovingAverageType.WILDERS) == "Wilders"
