"""RollingWindow, the event type and IndicatorDataPoint."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from lean_local.indicators import EventHandler, IndicatorDataPoint, RollingWindow

T0 = datetime(2013, 10, 7, 9, 31)


def test_newest_first_and_readiness() -> None:
    window = RollingWindow[float](3)
    assert (window.size, window.count, window.samples, window.is_ready) == (3, 0, 0, False)
    for value in (1.0, 2.0, 3.0):
        window.add(value)
    assert window.is_ready and list(window) == [3.0, 2.0, 1.0]
    assert window[0] == 3.0 and window[2] == 1.0 and window[-1] == 1.0
    window.add(4.0)
    assert list(window) == [4.0, 3.0, 2.0]
    assert window.most_recently_removed == 1.0
    assert (window.count, window.samples, len(window)) == (3, 4, 3)


def test_most_recently_removed_needs_an_overflow() -> None:
    window = RollingWindow[int](2)
    window.add(1)
    window.add(2)
    with pytest.raises(RuntimeError, match="No items have been removed yet"):
        _ = window.most_recently_removed


def test_reading_past_the_items_returns_none_and_past_the_size_grows_the_window() -> None:
    window = RollingWindow[int](2)
    window.add(7)
    assert window[1] is None  # inside the size, no item yet
    assert window[4] is None  # outside the size: LEAN resizes to 5
    assert window.size == 5
    assert window[-1] == 7
    with pytest.raises(IndexError):
        _ = window[-6]


def test_shrinking_drops_the_oldest_and_reset_clears() -> None:
    window = RollingWindow[int](4)
    for value in range(4):
        window.add(value)
    window.size = 2
    assert list(window) == [3, 2]
    window.reset()
    assert (window.count, window.samples, window.is_ready) == (0, 0, False)


def test_setting_past_the_items_fills_with_none() -> None:
    window = RollingWindow[int](3)
    window[2] = 9
    assert window.count == 3 and window[2] == 9 and window[0] is None


def test_event_handler_add_remove_and_order() -> None:
    calls: list[str] = []
    event = EventHandler()

    def first(sender: object, value: int) -> None:
        calls.append(f"first {value}")

    def second(sender: object, value: int) -> None:
        calls.append(f"second {value}")

    event += first
    event += second
    event(None, 1)
    event -= first
    event(None, 2)
    assert calls == ["first 1", "second 1", "second 2"]


def test_indicator_data_point_values_and_comparisons() -> None:
    point = IndicatorDataPoint(T0, 1.5)
    assert point.value == 1.5 and point.exact_value == Decimal("1.5")
    assert point.end_time == point.time == T0
    assert point.price == 1.5
    other = IndicatorDataPoint(None, T0, Decimal("2"))
    assert point < other and other >= point and point != other
    assert point == IndicatorDataPoint(T0, Decimal("1.50"))  # same time and value
    assert str(point) == "2013-10-07T09:31:00 - 1.5"
    empty = IndicatorDataPoint()
    assert empty.time == datetime.min and empty.value == 0.0


def test_data_point_from_python_float_keeps_15_significant_digits() -> None:
    # pythonnet hands Python floats to C# decimals through (decimal)double
    point = IndicatorDataPoint(T0, 0.1 + 0.2)
    assert point.exact_value == Decimal("0.3")
