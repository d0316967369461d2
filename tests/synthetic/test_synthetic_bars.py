"""Bar consistency: daily = aggregate of hour = aggregate of regular-session minutes, OHLC sanity, calendar,
early closes, extended hours, quotes, intraday volume shape."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from synthetic_helpers import day_of, read_bars

from lean_local.synthetic import MarketManifest, calendar

OPEN_MS = (9 * 60 + 30) * 60_000
CLOSE_MS = 16 * 60 * 60_000
EARLY_CLOSE_MS = 13 * 60 * 60_000


def _aggregate(values: np.ndarray) -> np.ndarray:
    return np.array(
        [values[0, 0], values[:, 1].max(), values[:, 2].min(), values[-1, 3], values[:, 4].sum()], dtype=np.int64
    )


def _check_ohlc(values: np.ndarray) -> None:
    o, h, l, c = values[:, 0], values[:, 1], values[:, 2], values[:, 3]
    assert (h >= np.maximum(o, c)).all()
    assert (l <= np.minimum(o, c)).all()
    assert (l > 0).all()
    assert (values[:, :4] % 100 == 0).all()  # whole cents


def _equity(root: Path) -> Path:
    return root / "equity" / "usa"


def test_no_bars_on_holidays_or_weekends(small_market: MarketManifest, small_root: Path) -> None:
    sessions = calendar.trading_days(small_market.start, small_market.end)
    labels, _ = read_bars(_equity(small_root) / "daily" / "spy.zip")
    days = [day_of(l) for l in labels]
    assert days == sessions
    assert all(d.weekday() < 5 for d in days)
    for holiday in (date(2018, 1, 1), date(2018, 3, 30), date(2018, 7, 4), date(2018, 12, 5), date(2018, 12, 25),
                    date(2019, 1, 21), date(2019, 4, 19), date(2019, 5, 27), date(2019, 11, 28)):
        assert holiday not in days
    hour_days = {day_of(l) for l in read_bars(_equity(small_root) / "hour" / "spy.zip")[0]}
    assert hour_days == set(sessions)


def test_hours_aggregate_to_daily_and_early_closes_end_at_13(small_market: MarketManifest, small_root: Path) -> None:
    for record in small_market.tickers:
        for symbol in record.symbols:
            t = symbol.ticker.lower()
            d_labels, d_values = read_bars(_equity(small_root) / "daily" / f"{t}.zip")
            h_labels, h_values = read_bars(_equity(small_root) / "hour" / f"{t}.zip")
            _check_ohlc(d_values)
            _check_ohlc(h_values)
            assert (d_values[:, 4] > 0).all() and (h_values[:, 4] > 0).all()
            by_day: dict[date, list[int]] = {}
            for i, label in enumerate(h_labels):
                by_day.setdefault(day_of(label), []).append(i)
            assert list(by_day) == [day_of(l) for l in d_labels]
            for label, daily in zip(d_labels, d_values):
                day = day_of(label)
                rows = by_day[day]
                hours = [int(h_labels[i][9:11]) for i in rows]
                assert all(h_labels[i].endswith(":00") for i in rows)
                expected = [9, 10, 11, 12] if calendar.is_early_close(day) else [9, 10, 11, 12, 13, 14, 15]
                assert hours == expected, (t, day)
                assert (_aggregate(h_values[rows]) == daily).all(), (t, day)
                assert label.endswith(" 00:00")


def test_minute_bars_aggregate_to_hour_and_daily(small_market: MarketManifest, small_root: Path) -> None:
    assert date(2019, 12, 24) in small_market.minute_dates  # an early close among the minute days
    checked = 0
    for record in small_market.tickers:
        for day in small_market.minute_dates:
            if not record.first_date <= day <= record.last_date:
                continue
            t = record.ticker_on(day).lower()
            labels, minutes = read_bars(_equity(small_root) / "minute" / t / f"{day:%Y%m%d}_trade.zip")
            ms = np.array([int(l) for l in labels])
            assert (np.diff(ms) > 0).all() and (ms % 60_000 == 0).all()
            close_ms = EARLY_CLOSE_MS if calendar.is_early_close(day) else CLOSE_MS
            regular = (ms >= OPEN_MS) & (ms < close_ms)
            assert regular.sum() == (close_ms - OPEN_MS) // 60_000  # every regular minute has a bar
            _check_ohlc(minutes)
            assert (minutes[:, 4] > 0).all()
            daily = {day_of(l): v for l, v in zip(*read_bars(_equity(small_root) / "daily" / f"{t}.zip"))}
            assert (_aggregate(minutes[regular]) == daily[day]).all(), (t, day)
            h_labels, h_values = read_bars(_equity(small_root) / "hour" / f"{t}.zip")
            stamp = f"{day:%Y%m%d}"
            hour_rows = {int(l[9:11]): v for l, v in zip(h_labels, h_values) if l.startswith(stamp)}
            for hour, bar in hour_rows.items():
                start = max(hour * 3_600_000, OPEN_MS)
                in_hour = regular & (ms >= start) & (ms < (hour + 1) * 3_600_000)
                assert (_aggregate(minutes[in_hour]) == bar).all(), (t, day, hour)
            if calendar.is_early_close(day):
                assert ms.max() < EARLY_CLOSE_MS  # no rows after an early close
            checked += 1
    assert checked >= 50


def test_extended_hours_rows_are_present_and_thin(small_market: MarketManifest, small_root: Path) -> None:
    full_days = [d for d in small_market.minute_dates if not calendar.is_early_close(d)]
    labels, values = read_bars(_equity(small_root) / "minute" / "spy" / f"{full_days[0]:%Y%m%d}_trade.zip")
    ms = np.array([int(l) for l in labels])
    pre = ms < OPEN_MS
    post = ms >= CLOSE_MS
    regular = ~pre & ~post
    assert pre.sum() > 20 and post.sum() > 10
    assert ms.min() >= 4 * 3_600_000 and ms.max() < 20 * 3_600_000
    assert values[pre | post, 4].sum() < 0.05 * values[regular, 4].sum()
    assert np.median(values[pre, 4]) < 0.05 * np.median(values[regular, 4])


def test_quotes_bracket_trades(small_market: MarketManifest, small_root: Path) -> None:
    for record in small_market.tickers:
        day = small_market.minute_dates[-1]
        if not record.first_date <= day <= record.last_date:
            continue
        t = record.ticker_on(day).lower()
        folder = _equity(small_root) / "minute" / t
        q_labels, quotes = read_bars(folder / f"{day:%Y%m%d}_quote.zip")
        t_labels, trades = read_bars(folder / f"{day:%Y%m%d}_trade.zip")
        assert quotes.shape[1] == 10
        bid, ask = quotes[:, 0:4], quotes[:, 5:9]
        assert (bid > 0).all() and (ask > bid).all()
        for side in (bid, ask):
            assert (side[:, 1] >= np.maximum(side[:, 0], side[:, 3])).all()
            assert (side[:, 2] <= np.minimum(side[:, 0], side[:, 3])).all()
        assert (quotes[:, 4] > 0).all() and (quotes[:, 9] > 0).all() and (quotes[:, 4] % 100 == 0).all()
        quote_at = {int(l): q for l, q in zip(q_labels, quotes)}
        for label, trade in zip(t_labels, trades):
            q = quote_at[int(label)]  # every trade minute has a quote bar
            assert q[3] <= trade[3] <= q[8]
        spread = (ask[:, 3] - bid[:, 3]) / ((ask[:, 3] + bid[:, 3]) / 2)
        regular = np.array([OPEN_MS <= int(l) < CLOSE_MS for l in q_labels])
        assert np.median(spread[regular]) < 0.002  # under 20 bps in the regular session


def test_intraday_volume_is_u_shaped(small_market: MarketManifest, small_root: Path) -> None:
    profile = np.zeros(390)
    for day in small_market.minute_dates:
        if calendar.is_early_close(day):
            continue
        labels, values = read_bars(_equity(small_root) / "minute" / "spy" / f"{day:%Y%m%d}_trade.zip")
        ms = np.array([int(l) for l in labels])
        regular = (ms >= OPEN_MS) & (ms < CLOSE_MS)
        profile += values[regular, 4] / values[regular, 4].sum()
    first, middle, last = profile[:30].mean(), profile[150:240].mean(), profile[-30:].mean()
    assert first > 1.5 * middle and last > 1.5 * middle
