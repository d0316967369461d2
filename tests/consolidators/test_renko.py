"""Renko consolidators on a hand-worked price path."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from lean_local.consolidators import BarDirection, ClassicRenkoConsolidator, RenkoBar, RenkoConsolidator, RenkoType
from lean_local.consolidators.renko import get_closest_multiple
from lean_local.indicators import IndicatorDataPoint
from lean_local.market_data import TradeBar

T0 = datetime(2013, 10, 7, 9, 30)
PATH = ["10.2", "10.9", "11.5", "12.3", "11.8", "9.7", "10.5"]


def points(values: list[str]) -> list[IndicatorDataPoint]:
    return [IndicatorDataPoint(T0 + timedelta(minutes=i), Decimal(v)) for i, v in enumerate(values)]


def collect(consolidator: Any, data: list[Any]) -> list[RenkoBar]:
    bricks: list[RenkoBar] = []
    consolidator.data_consolidated += lambda sender, brick: bricks.append(brick)
    for item in data:
        consolidator.update(item)
    return bricks


def ohlc(brick: RenkoBar) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return brick.exact_open, brick.exact_high, brick.exact_low, brick.exact_close


def test_wicked_renko_bricks() -> None:
    consolidator = RenkoConsolidator(1)
    bricks = collect(consolidator, points(PATH))
    # first price rounds to 10; up 11, 12; the fall below 10 (one brick under the last brick's open) reverses
    assert [ohlc(b) for b in bricks] == [
        (10, 11, 10, 11), (11, 12, 11, 12), (11, Decimal("12.3"), 10, 10)]
    assert [b.direction for b in bricks] == [BarDirection.RISING, BarDirection.RISING, BarDirection.FALLING]
    assert [(b.time, b.end_time) for b in bricks] == [
        (T0, T0 + timedelta(minutes=2)), (T0 + timedelta(minutes=2), T0 + timedelta(minutes=3)),
        (T0 + timedelta(minutes=3), T0 + timedelta(minutes=5))]
    assert all(b.type == RenkoType.WICKED and b.brick_size == 1.0 for b in bricks)
    assert consolidator.working_data.exact_close == 10 and consolidator.output_type is RenkoBar


def test_wicked_renko_emits_several_bricks_for_a_big_move() -> None:
    bricks = collect(RenkoConsolidator(Decimal("0.5")), points(["100.1", "101.7"]))
    assert [b.exact_close for b in bricks] == [Decimal("100.5"), Decimal("101.0"), Decimal("101.5")]
    assert bricks[0].exact_open == Decimal("100.0")


def test_classic_renko_bricks() -> None:
    consolidator = ClassicRenkoConsolidator(1)
    bricks = collect(consolidator, points(PATH))
    # even bars: the first open is 10.2 rounded up to 11; a brick closes when the value moves 1 from its open
    assert [ohlc(b) for b in bricks] == [(11, 12, Decimal("10.9"), 12), (12, 12, 11, 11)]
    assert [b.is_closed for b in bricks] == [True, True]
    assert bricks[0].time == T0 and bricks[0].end_time == T0 + timedelta(minutes=3)
    assert bricks[1].time == T0 + timedelta(minutes=3)
    working = consolidator.working_data
    assert working.exact_open == 11 and working.exact_close == Decimal("10.5") and not working.is_closed


def test_classic_renko_without_even_bars_and_with_selectors() -> None:
    bars = [TradeBar(T0 + timedelta(days=i), None, v, v + 1, v - 1, v, 10 * (i + 1), timedelta(days=1))
            for i, v in enumerate([10.2, 10.7, 11.3, 13.4])]
    plain = collect(ClassicRenkoConsolidator(1, False), bars)
    assert [ohlc(b) for b in plain] == [
        (Decimal("10.2"), Decimal("11.2"), Decimal("10.2"), Decimal("11.2")),
        (Decimal("11.2"), Decimal("12.2"), Decimal("11.2"), Decimal("12.2"))]
    # trade bar volume by default; the bar that closes a brick also opens the next one, so it counts in both
    assert [b.volume for b in plain] == [60.0, 70.0]
    highs = collect(ClassicRenkoConsolidator(1, lambda bar: bar.high, lambda bar: 1), bars)
    # highs 11.2, 11.7, 12.3, 14.4: the first open is 12 (even bars), the 14.4 high closes it at 13
    assert [ohlc(b) for b in highs] == [(12, 13, Decimal("11.7"), 13)]
    assert highs[0].volume == 4.0


def test_closest_multiple() -> None:
    assert get_closest_multiple(Decimal("10.2"), Decimal(1)) == 10
    # the remainder over the brick size is rounded half to even (Math.Round)
    assert get_closest_multiple(Decimal("10.5"), Decimal(1)) == 10
    assert get_closest_multiple(Decimal("11.5"), Decimal(1)) == 11
    assert get_closest_multiple(Decimal("11.6"), Decimal(1)) == 12
    assert get_closest_multiple(Decimal("7.3"), Decimal("2.5")) == Decimal("7.5")
    with pytest.raises(ValueError):
        RenkoConsolidator(0)
