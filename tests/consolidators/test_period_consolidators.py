"""Period, count, calendar and identity consolidators: emission times and aggregated values."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from lean_local.consolidators import (
    BaseDataConsolidator,
    Calendar,
    CalendarInfo,
    IdentityDataConsolidator,
    QuoteBarConsolidator,
    TradeBarConsolidator,
    interface_event,
)
from lean_local.enums import Resolution
from lean_local.indicators import IndicatorDataPoint
from lean_local.market_data import RAW_EQUITY, Bar, QuoteBar, TradeBar

OPEN = datetime(2013, 10, 7, 9, 30)
MINUTE = timedelta(minutes=1)


def minute_bars(day: datetime = OPEN, count: int = 390, start_price: int = 1_000_000) -> list[TradeBar]:
    """One session of minute trade bars from 09:30 with raw deci-cent prices (exact decimals, scale 4)."""
    bars = []
    for i in range(count):
        base = start_price + 100 * ((i * 7) % 13) - 50 * (i % 5)
        raw = (base, base + 300, base - 200, base + 100)
        bars.append(TradeBar.from_raw(None, day + i * MINUTE, day + (i + 1) * MINUTE, raw, float(1000 + i), RAW_EQUITY))
    return bars


def drive(consolidator: Any, data: list[Any], scan: bool = True) -> list[tuple[datetime, Any]]:
    """What the engine does each slice: update with the data point, then scan at the slice time (its end time).
    Returns (slice time, consolidated bar) per emission."""
    emitted: list[tuple[datetime, Any]] = []
    clock = {"now": datetime.min}
    consolidator.data_consolidated += lambda sender, bar: emitted.append((clock["now"], bar))
    for point in data:
        clock["now"] = point.end_time
        consolidator.update(point)
        if scan:
            consolidator.scan(point.end_time)
    return emitted


def test_five_minute_bars_from_minute_bars() -> None:
    bars = minute_bars()
    emitted = drive(TradeBarConsolidator(timedelta(minutes=5)), bars)
    assert len(emitted) == 78
    when, first = emitted[0]
    assert when == datetime(2013, 10, 7, 9, 35)  # emitted by the scan at the end of the 09:34 bar
    assert (first.time, first.end_time, first.period) == (OPEN, datetime(2013, 10, 7, 9, 35), timedelta(minutes=5))
    source = bars[:5]
    assert first.open == source[0].open and first.close == source[-1].close
    assert first.high == max(b.high for b in source) and first.low == min(b.low for b in source)
    assert first.volume == sum(b.volume for b in source)
    assert first.exact_close == source[-1].exact_close and str(first.exact_close).count(".") == 1
    assert [w for w, _ in emitted][-1] == datetime(2013, 10, 7, 16, 0)


def test_without_scans_the_next_bar_past_the_boundary_emits() -> None:
    emitted = drive(TradeBarConsolidator(timedelta(minutes=5)), minute_bars(count=12), scan=False)
    assert [(w, b.time) for w, b in emitted] == [
        (datetime(2013, 10, 7, 9, 36), OPEN),  # the 09:35-09:36 bar closes the 09:30 bar, before aggregation
        (datetime(2013, 10, 7, 9, 41), datetime(2013, 10, 7, 9, 35)),
    ]


def test_bars_start_rounded_down_to_the_period() -> None:
    bars = minute_bars(day=datetime(2013, 10, 7, 9, 33), count=10)
    emitted = drive(TradeBarConsolidator(timedelta(minutes=5)), bars)
    assert [b.time for _, b in emitted] == [datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 9, 35)]
    assert emitted[0][1].open == bars[0].open  # the first bar holds only the 09:33 and 09:34 minutes


def test_resolution_and_from_resolution() -> None:
    assert TradeBarConsolidator(Resolution.HOUR).period == timedelta(hours=1)
    assert TradeBarConsolidator.from_resolution(Resolution.DAILY).period == timedelta(days=1)


def test_count_mode() -> None:
    bars = minute_bars(count=7)
    consolidator = TradeBarConsolidator(3)
    emitted = drive(consolidator, bars)
    assert [(w, b.time, b.end_time) for w, b in emitted] == [
        (bars[2].end_time, bars[0].time, bars[2].end_time),
        (bars[5].end_time, bars[3].time, bars[5].end_time),
    ]
    assert emitted[1][1].close == bars[5].close
    assert consolidator.working_data.time == bars[6].time


def test_mixed_mode_emits_on_count_or_period() -> None:
    emitted = drive(TradeBarConsolidator(100, timedelta(minutes=4)), minute_bars(count=9))
    assert [(b.time, b.end_time) for _, b in emitted] == [
        (OPEN, OPEN + timedelta(minutes=4)), (OPEN + timedelta(minutes=4), OPEN + timedelta(minutes=8))]


def test_period_must_not_be_shorter_than_the_data() -> None:
    with pytest.raises(ValueError, match="can not consolidate bars of period"):
        TradeBarConsolidator(timedelta(seconds=30)).update(minute_bars(count=1)[0])


def test_consolidator_window_consolidated_and_working_data() -> None:
    consolidator = TradeBarConsolidator(timedelta(minutes=2))
    seen: list[tuple[Any, Any]] = []
    consolidator.data_consolidated += lambda sender, bar: seen.append((consolidator.consolidated, consolidator[0]))
    emitted = drive(consolidator, minute_bars(count=5))
    assert len(emitted) == 2 and seen[1][0] is emitted[1][1] and seen[1][1] is emitted[1][1]
    assert consolidator.previous is emitted[0][1]
    working = consolidator.working_data
    assert working is not None and working.time == OPEN + timedelta(minutes=4)
    assert working is not consolidator.working_data  # a copy each time
    consolidator.reset()
    assert consolidator.consolidated is None and consolidator.working_data is None and consolidator[0] is None


def test_single_symbol_only() -> None:
    consolidator = TradeBarConsolidator(timedelta(minutes=5))
    first, second = minute_bars(count=2)
    first.symbol, second.symbol = "A", "B"
    consolidator.update(first)
    with pytest.raises(RuntimeError, match="single symbol"):
        consolidator.update(second)


def daily_bars(start: datetime, days: int) -> list[TradeBar]:
    """Weekday daily bars with LEAN's precise end times (09:30-16:00)."""
    bars: list[TradeBar] = []
    day = start
    price = 1_500_000
    while len(bars) < days:
        if day.weekday() < 5:
            time = day.replace(hour=9, minute=30)
            raw = (price, price + 1000, price - 1000, price + 500)
            bars.append(TradeBar.from_raw(None, time, day.replace(hour=16), raw, 1e6, RAW_EQUITY))
            price += 700 if len(bars) % 3 else -900
        day += timedelta(days=1)
    return bars


def test_weekly_calendar_bars() -> None:
    bars = daily_bars(datetime(2013, 10, 7), 15)  # Mon 7th .. Fri 25th
    emitted = drive(TradeBarConsolidator(Calendar.WEEKLY), bars)
    assert [(w, b.time, b.end_time) for w, b in emitted] == [
        (datetime(2013, 10, 14, 16), datetime(2013, 10, 7), datetime(2013, 10, 14)),
        (datetime(2013, 10, 21, 16), datetime(2013, 10, 14), datetime(2013, 10, 21)),
    ]
    week = bars[:5]
    assert emitted[0][1].close == week[-1].close and emitted[0][1].high == max(b.high for b in week)


def test_monthly_calendar_and_calendar_functions() -> None:
    bars = daily_bars(datetime(2013, 1, 30), 5)
    emitted = drive(TradeBarConsolidator(Calendar.MONTHLY), bars)
    assert [(b.time, b.end_time) for _, b in emitted] == [(datetime(2013, 1, 1), datetime(2013, 2, 1))]
    assert Calendar.WEEKLY(datetime(2013, 10, 13, 12)) == CalendarInfo(datetime(2013, 10, 7), timedelta(days=7))
    assert Calendar.MONTHLY(datetime(2013, 2, 15)).end == datetime(2013, 3, 1)
    assert Calendar.QUARTERLY(datetime(2013, 5, 15)) == CalendarInfo(datetime(2013, 4, 1), timedelta(days=91))
    assert Calendar.YEARLY(datetime(2012, 5, 1)).period == timedelta(days=366)


def test_custom_calendar_function_must_not_start_in_the_future() -> None:
    with pytest.raises(ValueError, match="Should never return a time later"):
        TradeBarConsolidator(lambda dt: CalendarInfo(dt + timedelta(days=1), timedelta(days=1)))
    hourly_from_9 = TradeBarConsolidator(lambda dt: CalendarInfo(dt.replace(minute=0), timedelta(hours=1)))
    emitted = drive(hourly_from_9, minute_bars(count=90))
    assert [(b.time, b.end_time) for _, b in emitted] == [
        (datetime(2013, 10, 7, 9), datetime(2013, 10, 7, 10)), (datetime(2013, 10, 7, 10), datetime(2013, 10, 7, 11))]


def quote(i: int, bid: float, ask: float) -> QuoteBar:
    return QuoteBar(OPEN + i * MINUTE, None, Bar(bid, bid + 0.02, bid - 0.03, bid + 0.01), 100 + i,
                    Bar(ask, ask + 0.02, ask - 0.03, ask + 0.01), 200 + i, MINUTE)


def test_quote_bar_consolidator_opens_at_the_previous_close() -> None:
    quotes = [quote(i, 10 + i * 0.1, 10.05 + i * 0.1) for i in range(4)]
    emitted = drive(QuoteBarConsolidator(timedelta(minutes=2)), quotes)
    first, second = emitted[0][1], emitted[1][1]
    assert first.bid is not None and first.ask is not None and second.bid is not None and second.ask is not None
    assert quotes[0].bid is not None and quotes[1].bid is not None and quotes[3].bid is not None
    assert quotes[3].ask is not None
    assert first.bid.open == quotes[0].bid.open and first.bid.close == quotes[1].bid.close
    assert first.ask.high == pytest.approx(max(q.ask.high for q in quotes[:2] if q.ask is not None))
    assert (first.last_bid_size, first.last_ask_size) == (101, 201)
    assert second.bid.open == first.bid.close and second.ask.open == first.ask.close
    assert second.close == pytest.approx((quotes[3].bid.close + quotes[3].ask.close) / 2)


def test_base_data_consolidator_uses_values() -> None:
    points = [IndicatorDataPoint(OPEN + i * MINUTE, value) for i, value in enumerate([5, 7, 3, 6, 9])]
    consolidator = BaseDataConsolidator(timedelta(minutes=3))
    emitted = drive(consolidator, points)
    bar = emitted[0][1]
    assert (bar.open, bar.high, bar.low, bar.close, bar.volume) == (5, 7, 3, 3, 0)
    assert bar.exact_close == Decimal("3") and (bar.time, bar.end_time) == (OPEN, OPEN + timedelta(minutes=3))


def test_identity_consolidator_passes_each_new_end_time_through() -> None:
    bars = minute_bars(count=3)
    consolidator = IdentityDataConsolidator[TradeBar]()  # type: ignore[misc]  # LEAN's generic syntax
    assert consolidator.input_type is TradeBar and consolidator.output_type is TradeBar
    emitted = drive(consolidator, [bars[0], bars[0], bars[1], bars[2]])
    assert [b for _, b in emitted] == bars
    with pytest.raises(TypeError, match="expected TradeBar"):
        consolidator.update(IndicatorDataPoint(OPEN, 1))


def test_typed_handlers_run_after_the_interface_event() -> None:
    """LEAN raises IDataConsolidator.DataConsolidated (indicator registrations, consolidate handlers) before the
    consolidator's own typed event that Python's ``data_consolidated +=`` subscribes to."""
    order: list[str] = []
    consolidator = TradeBarConsolidator(timedelta(minutes=1))
    consolidator.data_consolidated += lambda sender, bar: order.append("typed")
    interface_event(consolidator).__iadd__(lambda sender, bar: order.append("interface"))
    drive(consolidator, minute_bars(count=1))
    assert order == ["interface", "typed"]


def test_python_consolidator_base() -> None:
    from lean_local.consolidators import PythonConsolidator

    class EveryOther(PythonConsolidator):
        def __init__(self) -> None:  # like LEAN examples, without calling the base constructor
            self.consolidated = None
            self.working_data = None
            self.input_type = TradeBar
            self.output_type = TradeBar
            self.count = 0

        def update(self, data: Any) -> None:
            self.count += 1
            if self.count % 2 == 0:
                self.on_data_consolidated(self, data)
                self.consolidated = data

    consolidator = EveryOther()
    bars = minute_bars(count=4)
    emitted = drive(consolidator, bars)
    assert [b for _, b in emitted] == [bars[1], bars[3]]
    assert consolidator[0] is bars[3] and interface_event(consolidator) is consolidator.data_consolidated
