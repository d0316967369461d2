"""IndicatorBase behaviour: update forms, forward-only inputs, events, window, reset, comparisons, composites,
Python indicators and Field selectors."""
from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from lean_local.indicators import (
    CompositeIndicator,
    Field,
    Identity,
    IndicatorDataPoint,
    IndicatorExtensions,
    IndicatorResult,
    IndicatorStatus,
    PythonIndicator,
    SimpleMovingAverage,
)
from lean_local.market_data import Bar, QuoteBar, TradeBar

T0 = datetime(2013, 10, 7, 9, 31)


def minute(i: int) -> datetime:
    return T0 + timedelta(minutes=i)


def test_initial_state() -> None:
    sma = SimpleMovingAverage(2)
    assert sma.name == "SMA(2)" and sma.samples == 0 and not sma.is_ready
    assert sma.current.time == datetime.min and sma.current.value == 0.0
    assert sma.previous.value == 0.0 and sma.previous.time == datetime.min
    assert sma.window.count == 1  # LEAN puts the initial zero point in the window
    assert str(sma) == "0.0"


def test_updates_publish_points_at_the_input_end_time() -> None:
    sma = SimpleMovingAverage(2)
    seen: list[tuple[object, IndicatorDataPoint]] = []
    sma.updated += lambda sender, point: seen.append((sender, point))
    assert sma.update(minute(0), 10) is False
    assert sma.update(IndicatorDataPoint(minute(1), 20)) is True
    assert [p.value for _, p in seen] == [10.0, 15.0] and seen[0][0] is sma
    assert sma.current.time == minute(1) and sma.previous.value == 10.0
    assert sma[0].value == 15.0 and sma[1].value == 10.0 and sma[2] is None
    assert sma.samples == 2 and str(sma) == "15.0"


def test_forward_only_and_same_object() -> None:
    sma = SimpleMovingAverage(3)
    point = IndicatorDataPoint(minute(5), 1)
    sma.update(point)
    sma.update(point)  # the very same object again: ignored
    sma.update(minute(4), 100)  # older than the previous input: ignored (logged once)
    assert sma.samples == 1 and sma.current.value == 1.0


def test_reset() -> None:
    sma = SimpleMovingAverage(2)
    sma.update(minute(0), 1)
    sma.update(minute(1), 2)
    sma.reset()
    assert sma.samples == 0 and not sma.is_ready and sma.current.value == 0.0 and sma.window.count == 1
    sma.update(minute(0), 5)  # the forward-only memory is cleared too
    assert sma.current.value == 5.0


def test_comparisons_with_numbers_and_indicators() -> None:
    fast, slow = Identity("fast"), Identity("slow")
    fast.update(minute(0), 2)
    slow.update(minute(0), 1.5)
    assert fast > slow and slow < fast and fast >= 2 and fast <= 2.0 and fast == 2 and fast != 3
    assert 3 > fast and 1 < fast
    assert fast != slow and fast == fast  # indicators compare by reference
    assert fast.compare_to(slow) == 1 and slow.compare_to(fast) == -1
    assert {fast: 1}[fast] == 1  # hashable


def test_indicator_string_format() -> None:
    identity = Identity("x")
    identity.update(minute(0), Decimal("1.23456789"))
    assert str(identity) == "1.23457" and identity.to_detailed_string() == "x - 1.23457"
    identity.update(minute(1), 7)
    assert str(identity) == "7.0"


def test_extensions_compose_and_chain() -> None:
    left, right = Identity("l"), Identity("r")
    plus = IndicatorExtensions.plus(left, right)
    minus = IndicatorExtensions.minus(left, right, "diff")
    over = IndicatorExtensions.over(left, right)
    times = IndicatorExtensions.times(left, 2)
    assert plus.name == "COMPOSE(l,r)" and minus.name == "diff"
    left.update(minute(0), 6)
    assert times.current.value == 12.0  # constants make the composite update on one side
    assert plus.samples == 0  # waits for the right side
    right.update(minute(0), 4)
    assert (plus.current.value, minus.current.value, over.current.value) == (10.0, 2.0, 1.5)
    assert plus.is_ready and plus.current.time == minute(0)
    right.update(minute(1), 0)
    left.update(minute(1), 1)
    assert over.current.value == 1.5 and over.samples == 2  # division by zero is not published

    source = Identity("src")
    sma = IndicatorExtensions.of(SimpleMovingAverage(2), source)
    source.update(minute(0), 1)
    source.update(minute(1), 3)
    assert sma.current.value == 2.0
    smoothed = IndicatorExtensions.sma(source, 2)
    source.update(minute(2), 5)
    assert smoothed.name == "SMA2_Of_src" and smoothed.current.value == 5.0


def test_weighted_by() -> None:
    price, volume = Identity("p"), Identity("v")
    vwap = IndicatorExtensions.weighted_by(price, volume, 2)
    for i, (p, v) in enumerate([(10, 1), (20, 3), (30, 1)]):
        price.update(minute(i), p)
        volume.update(minute(i), v)
    assert vwap.current.value == pytest.approx((20 * 3 + 30 * 1) / 4)


def test_composite_with_python_composer() -> None:
    left, right = Identity("a"), Identity("b")
    ratio = CompositeIndicator("ratio", left, right, lambda l, r: l.current.value / r.current.value)
    error = CompositeIndicator(left, right, lambda l, r: IndicatorResult(0, IndicatorStatus.MATH_ERROR))
    left.update(minute(0), 1)
    right.update(minute(0), 4)
    assert ratio.current.value == 0.25 and error.samples == 1 and error.current.time == datetime.min


class CustomSma(PythonIndicator):
    def __init__(self, name: str, period: int) -> None:
        self.name = name
        self.value = 0
        self.warm_up_period = period
        self._queue: deque[float] = deque(maxlen=period)

    def update(self, input: Any) -> bool:  # type: ignore[override]  # LEAN's Python indicator protocol
        self._queue.appendleft(input.value)
        self.value = sum(self._queue) / len(self._queue)
        return len(self._queue) == self._queue.maxlen


def test_python_indicator_runs_the_lean_bookkeeping() -> None:
    custom = CustomSma("custom", 2)
    updates: list[float] = []
    custom.updated += lambda sender, point: updates.append(point.value)
    assert custom.name == "custom" and custom.warm_up_period == 2 and not custom.is_ready
    custom.update(IndicatorDataPoint(minute(0), 1))
    custom.update(TradeBar(minute(1), None, 3, 3, 3, 3, 0, timedelta(minutes=1)))
    assert custom.is_ready and custom.value == 2.0 and custom.current.value == 2.0
    assert custom.samples == 2 and updates == [1.0, 2.0]
    chained = IndicatorExtensions.of(CustomSma("chained", 2), custom)
    custom.update(IndicatorDataPoint(minute(2), 5))
    assert chained.current.value == 4.0  # fed with custom's own points


def test_duck_typed_python_indicator_is_wrapped() -> None:
    class Last:
        def __init__(self) -> None:
            self.name, self.value, self.is_ready = "last", 0.0, False

        def update(self, input: Any) -> None:
            self.value, self.is_ready = input.value, True

    last = Last()
    difference = IndicatorExtensions.minus(last, 1.0)
    wrapper = IndicatorExtensions.of(last, Identity("src"))
    assert wrapper is not last and wrapper.name == "last"
    wrapper.update(IndicatorDataPoint(minute(0), 3))
    assert last.value == 3.0 and difference.current.value == 2.0


def test_field_selectors_return_exact_decimals() -> None:
    bar = TradeBar(minute(0), None, 1.0, 4.0, 0.5, 2.5, 100, timedelta(minutes=1))
    assert Field.CLOSE(bar) == Decimal("2.5") and Field.HIGH(bar) == Decimal("4")
    assert Field.VOLUME(bar) == Decimal("100")
    assert Field.TYPICAL(bar) == Decimal("2.3333333333333333333333333333")  # 7.0m / 3m
    assert Field.MEDIAN(bar) == Decimal("2.25")
    assert Field.AVERAGE(bar) == Decimal("2")
    assert Field.SEVEN_BAR(bar) == (2 * Decimal(1) + 4 + Decimal("0.5") + 3 * Decimal("2.5")) / 7
    quote = QuoteBar(minute(0), None, Bar(1, 2, 0.5, 1.5), 10, Bar(1.1, 2.1, 0.6, 1.6), 20, timedelta(minutes=1))
    assert Field.BID_CLOSE(quote) == Decimal("1.5") and Field.ASK_HIGH(quote) == Decimal("2.1")
    assert Field.ASK_PRICE(quote) == Decimal("1.6")
    assert Field.BID_CLOSE(bar) == Decimal("2.5")  # not a quote bar: the value
