"""Market-hour aware daily consolidation and LEAN's scan of past consolidators."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from lean_local.consolidators import (
    Calendar,
    ConsolidatorScanner,
    MarketHourAwareConsolidator,
    TradeBarConsolidator,
    scan_past_consolidators,
    select_subscription,
)
from lean_local.enums import Resolution, TickType
from lean_local.market_data import RAW_EQUITY, QuoteBar, TradeBar
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.timeutil import from_utc, to_utc

MINUTE = timedelta(minutes=1)
NY = "America/New_York"


def session(day: datetime, start: time, end: time, price: int = 1_500_000) -> list[TradeBar]:
    bars = []
    moment = datetime.combine(day.date(), start)
    stop = datetime.combine(day.date(), end)
    i = 0
    while moment < stop:
        base = price + 100 * (i % 17)
        bars.append(TradeBar.from_raw(None, moment, moment + MINUTE, (base, base + 50, base - 50, base + 10),
                                      100.0, RAW_EQUITY))
        moment += MINUTE
        i += 1
    return bars


def drive(consolidator: Any, bars: list[TradeBar]) -> list[tuple[datetime, TradeBar]]:
    emitted: list[tuple[datetime, TradeBar]] = []
    now = {"t": datetime.min}
    consolidator.data_consolidated += lambda sender, bar: emitted.append((now["t"], bar))
    for bar in bars:
        now["t"] = bar.end_time
        consolidator.update(bar)
        consolidator.scan(bar.end_time)
    return emitted


def daily(hours: Any, extended: bool = False) -> MarketHourAwareConsolidator:
    return MarketHourAwareConsolidator(True, Resolution.DAILY, TradeBar, TickType.TRADE, extended, hours)


def test_daily_bars_span_the_regular_session(equity_hours: Any) -> None:
    bars = (session(datetime(2013, 10, 7), time(8, 0), time(17, 0))
            + session(datetime(2013, 10, 8), time(9, 30), time(16, 0)))
    emitted = drive(daily(equity_hours), bars)
    assert [(w, b.time, b.end_time) for w, b in emitted] == [
        (datetime(2013, 10, 7, 16), datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 16)),
        (datetime(2013, 10, 8, 16), datetime(2013, 10, 8, 9, 30), datetime(2013, 10, 8, 16)),
    ]
    regular = [b for b in bars if b.time.date() == datetime(2013, 10, 7).date() and time(9, 30) <= b.time.time() < time(16)]
    first = emitted[0][1]
    assert first.open == regular[0].open and first.close == regular[-1].close
    assert first.volume == sum(b.volume for b in regular)  # pre- and post-market minutes are left out


def test_daily_bar_on_an_early_close(equity_hours: Any) -> None:
    emitted = drive(daily(equity_hours), session(datetime(2013, 11, 29), time(9, 30), time(13, 0)))
    assert [(w, b.time, b.end_time) for w, b in emitted] == [
        (datetime(2013, 11, 29, 13), datetime(2013, 11, 29, 9, 30), datetime(2013, 11, 29, 13))]


def test_extended_hours_daily_bars(equity_hours: Any) -> None:
    bars = session(datetime(2013, 10, 7), time(4, 0), time(20, 0))
    emitted = drive(daily(equity_hours, extended=True), bars)
    assert [(b.time, b.end_time) for _, b in emitted] == [(datetime(2013, 10, 7, 4), datetime(2013, 10, 7, 20))]


def test_intraday_periods_are_anchored_at_the_open(equity_hours: Any) -> None:
    consolidator = MarketHourAwareConsolidator(True, timedelta(minutes=45), TradeBar, TickType.TRADE, False,
                                               equity_hours)
    emitted = drive(consolidator, session(datetime(2013, 10, 7), time(9, 30), time(16, 0)))
    spans = [(b.time.time(), b.end_time.time()) for _, b in emitted]
    assert spans[0] == (time(9, 30), time(10, 15)) and spans[-1] == (time(14, 45), time(15, 30)) and len(spans) == 8
    # the last bar is cut at the close; at 16:00 the calendar still maps to it, so a later scan emits it
    consolidator.scan(datetime(2013, 10, 7, 16, 30))
    last = emitted[-1][1]
    assert (last.time, last.end_time) == (datetime(2013, 10, 7, 15, 30), datetime(2013, 10, 7, 16))


class FakeAlgorithm:
    """The parts of QCAlgorithm the scanner uses."""

    def __init__(self, configs: list[SubscriptionDataConfig], start_utc: datetime) -> None:
        from lean_local.engine import SubscriptionManager

        self.subscription_manager = SubscriptionManager()
        for config in configs:
            self.subscription_manager.add(config)
        self.utc_time = start_utc

    def set_date_time(self, utc: datetime) -> None:
        self.utc_time = utc

    @property
    def time(self) -> datetime:
        return from_utc(self.utc_time, NY)


def daily_config() -> SubscriptionDataConfig:
    return SubscriptionDataConfig("SPY", TradeBar, Resolution.DAILY, NY, NY)


def run_slices(algorithm: FakeAlgorithm, config: SubscriptionDataConfig, bars: list[TradeBar]) -> None:
    """The engine's order: scan past consolidators, move the clock, update and scan the slice's consolidators."""
    for bar in bars:
        utc = to_utc(bar.end_time, NY)
        scan_past_consolidators(algorithm, utc)
        algorithm.utc_time = utc
        for consolidator in list(config.consolidators):
            consolidator.update(bar)
            consolidator.scan(bar.end_time)


def weekday_bars(start: datetime, count: int) -> list[TradeBar]:
    bars: list[TradeBar] = []
    day = start
    while len(bars) < count:
        if day.weekday() < 5:
            bars.append(TradeBar.from_raw(None, day.replace(hour=9, minute=30), day.replace(hour=16),
                                          (10000, 10100, 9900, 10050), 1.0, RAW_EQUITY))
        day += timedelta(days=1)
    return bars


def test_weekly_bar_is_emitted_at_monday_midnight_by_the_past_scan() -> None:
    config = daily_config()
    algorithm = FakeAlgorithm([config], to_utc(datetime(2013, 10, 7), NY))
    weekly = TradeBarConsolidator(Calendar.WEEKLY)
    seen: list[tuple[datetime, datetime]] = []
    weekly.data_consolidated += lambda sender, bar: seen.append((algorithm.time, bar.end_time))
    algorithm.subscription_manager.add_consolidator("SPY", weekly)
    run_slices(algorithm, config, weekday_bars(datetime(2013, 10, 7), 12))
    # without the past scan the bars would only come with Monday's 16:00 daily bar
    assert seen == [(datetime(2013, 10, 14), datetime(2013, 10, 14)), (datetime(2013, 10, 21), datetime(2013, 10, 21))]


def test_removed_consolidators_are_no_longer_scanned() -> None:
    config = daily_config()
    algorithm = FakeAlgorithm([config], to_utc(datetime(2013, 10, 7), NY))
    weekly = TradeBarConsolidator(Calendar.WEEKLY)
    seen: list[datetime] = []
    weekly.data_consolidated += lambda sender, bar: seen.append(algorithm.time)
    algorithm.subscription_manager.add_consolidator("SPY", weekly)
    bars = weekday_bars(datetime(2013, 10, 7), 6)
    run_slices(algorithm, config, bars[:5])
    algorithm.subscription_manager.remove_consolidator("SPY", weekly)
    scan_past_consolidators(algorithm, to_utc(bars[5].end_time, NY))
    assert seen == []


def test_scanner_tracks_registered_consolidators_explicitly() -> None:
    config = daily_config()
    algorithm = FakeAlgorithm([config], to_utc(datetime(2013, 10, 7), NY))
    scanner = ConsolidatorScanner()
    consolidator = TradeBarConsolidator(timedelta(days=2))
    scanner.add(config, consolidator, algorithm)
    bars = weekday_bars(datetime(2013, 10, 7), 2)
    emitted: list[datetime] = []
    consolidator.data_consolidated += lambda sender, bar: emitted.append(algorithm.time)
    for bar in bars:
        utc = to_utc(bar.end_time, NY)
        scanner.scan_past(algorithm, utc)
        algorithm.utc_time = utc
        consolidator.update(bar)
        consolidator.scan(bar.end_time)
    scanner.scan_past(algorithm, to_utc(datetime(2013, 10, 10, 16), NY))
    # periods over a day are not rounded: the bar runs from the first data (Oct 7 09:30) for two days
    assert emitted == [datetime(2013, 10, 9, 9, 30)]


def test_subscription_selection_follows_lean() -> None:
    trade = SubscriptionDataConfig("SPY", TradeBar, Resolution.MINUTE, NY, NY)
    quote = SubscriptionDataConfig("SPY", QuoteBar, Resolution.MINUTE, NY, NY, tick_type=TickType.QUOTE)
    from lean_local.consolidators import QuoteBarConsolidator, RenkoConsolidator

    assert select_subscription([trade, quote], TradeBarConsolidator(MINUTE)) is trade
    assert select_subscription([trade, quote], QuoteBarConsolidator(MINUTE)) is quote
    assert select_subscription([trade, quote], RenkoConsolidator(1)) is trade
    try:
        select_subscription([trade], QuoteBarConsolidator(MINUTE))
    except ValueError as error:
        assert "Type mismatch" in str(error)
    else:
        raise AssertionError("a quote bar consolidator on trade data must be refused")
