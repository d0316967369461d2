from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from lean_local.data.errors import CorruptDataError, DataError, MissingDataError
from lean_local.data.market_hours import (
    ExchangeHours,
    LocalMarketHours,
    MarketHoursDatabase,
    MarketHoursSegment,
    adjust_for_special_days,
    parse_timespan,
)
from lean_local.data.paths import DataFolder
from lean_local.enums import MarketHoursState as S
from lean_local.enums import SecurityType

H = timedelta(hours=1)


def hm(h: int, m: int = 0) -> timedelta:
    return timedelta(hours=h, minutes=m)


@pytest.fixture(scope="module")
def db(data_folder: DataFolder) -> MarketHoursDatabase:
    return MarketHoursDatabase.load(data_folder.market_hours_database())


@pytest.fixture(scope="module")
def nyse(db: MarketHoursDatabase) -> ExchangeHours:
    return db.get_exchange_hours(SecurityType.EQUITY, "usa", "SPY")


def test_equity_entry(db: MarketHoursDatabase, nyse: ExchangeHours, data_folder: DataFolder) -> None:
    entry = db.get_entry(SecurityType.EQUITY, "usa", "SPY")
    assert entry.data_time_zone == "America/New_York" and entry.exchange_time_zone == "America/New_York"
    assert nyse.regular_market_duration == hm(6, 30)
    assert not nyse.is_market_always_open
    monday = nyse.market_hours_for(date(2013, 10, 7))
    assert [(s.state, s.start, s.end) for s in monday.segments] == [
        (S.PRE_MARKET, hm(4), hm(9, 30)),
        (S.MARKET, hm(9, 30), hm(16)),
        (S.POST_MARKET, hm(16), hm(20)),
    ]
    assert MarketHoursDatabase.load(data_folder.market_hours_database()) is db  # cached per process


def test_regular_day(nyse: ExchangeHours) -> None:
    d = date(2013, 10, 7)
    assert nyse.regular_open(d) == datetime(2013, 10, 7, 9, 30)
    assert nyse.regular_close(d) == datetime(2013, 10, 7, 16)
    assert not nyse.is_open_at(datetime(2013, 10, 7, 4, 0))
    assert nyse.is_open_at(datetime(2013, 10, 7, 4, 0), extended=True)
    assert nyse.is_open_at(datetime(2013, 10, 7, 9, 30)) and not nyse.is_open_at(datetime(2013, 10, 7, 16, 0))
    assert nyse.get_next_market_open(datetime(2013, 10, 7, 9, 29)) == datetime(2013, 10, 7, 9, 30)
    assert nyse.get_next_market_open(datetime(2013, 10, 7, 9, 30)) == datetime(2013, 10, 8, 9, 30)
    assert nyse.get_next_market_open(datetime(2013, 10, 7, 3), extended=True) == datetime(2013, 10, 7, 4)
    assert nyse.get_next_market_close(datetime(2013, 10, 7, 10)) == datetime(2013, 10, 7, 16)
    assert nyse.get_next_market_close(datetime(2013, 10, 7, 10), extended=True) == datetime(2013, 10, 7, 20)
    assert nyse.get_next_market_close(datetime(2013, 10, 11, 16)) == datetime(2013, 10, 14, 16)
    assert nyse.get_previous_market_open(datetime(2013, 10, 8, 3)) == datetime(2013, 10, 7, 9, 30)
    assert nyse.get_previous_market_open(datetime(2013, 10, 8, 10), extended=True) == datetime(2013, 10, 8, 4)
    assert nyse.get_previous_market_close(datetime(2013, 10, 8, 10)) == datetime(2013, 10, 7, 16)
    assert not nyse.is_open(datetime(2013, 10, 7, 16), datetime(2013, 10, 8, 9, 30))
    assert nyse.is_open(datetime(2013, 10, 7, 16), datetime(2013, 10, 8, 9, 31))
    assert nyse.is_open(datetime(2013, 10, 7, 15, 59), datetime(2013, 10, 7, 16))


def test_early_close_2015_12_24(nyse: ExchangeHours) -> None:
    d = date(2015, 12, 24)
    hours = nyse.market_hours_for(d)
    assert [(s.state, s.start, s.end) for s in hours.segments] == [(S.PRE_MARKET, hm(4), hm(9, 30)), (S.MARKET, hm(9, 30), hm(13))]
    assert nyse.regular_close(d) == datetime(2015, 12, 24, 13)
    assert nyse.is_open_at(datetime(2015, 12, 24, 12, 59))
    assert not nyse.is_open_at(datetime(2015, 12, 24, 13, 0))
    assert not nyse.is_open_at(datetime(2015, 12, 24, 14, 0), extended=True)  # no post-market either
    assert nyse.get_next_market_close(datetime(2015, 12, 24, 10)) == datetime(2015, 12, 24, 13)
    assert nyse.get_next_market_close(datetime(2015, 12, 24, 10), extended=True) == datetime(2015, 12, 24, 13)
    assert nyse.get_next_market_open(datetime(2015, 12, 24, 13)) == datetime(2015, 12, 28, 9, 30)
    assert nyse.daily_calendar(datetime(2015, 12, 25)) == (datetime(2015, 12, 24, 9, 30), datetime(2015, 12, 24, 13))
    assert nyse.is_date_open(d)


def test_holiday_2013_11_28(nyse: ExchangeHours) -> None:
    d = date(2013, 11, 28)
    assert d in nyse.holidays
    assert nyse.market_hours_for(d).is_closed_all_day
    assert not nyse.is_date_open(d) and not nyse.is_date_open(d, extended=True)
    assert nyse.regular_open(d) is None
    assert nyse.next_trading_day(date(2013, 11, 27)) == date(2013, 11, 29)
    assert nyse.previous_trading_day(date(2013, 11, 29)) == date(2013, 11, 27)
    assert nyse.get_next_market_open(datetime(2013, 11, 27, 17)) == datetime(2013, 11, 29, 9, 30)
    # 2013-11-29 closes early at 13:00
    assert nyse.regular_close(date(2013, 11, 29)) == datetime(2013, 11, 29, 13)
    assert nyse.trading_days(date(2013, 11, 25), date(2013, 12, 2)) == [
        date(2013, 11, 25), date(2013, 11, 26), date(2013, 11, 27), date(2013, 11, 29), date(2013, 12, 2)
    ]
    assert len(nyse.trading_days(date(2013, 1, 1), date(2013, 12, 31))) == 252


def test_daily_bar_calendar(nyse: ExchangeHours) -> None:
    # a daily file bar stamped 2013-10-07 00:00 ends at 10-08 00:00 → strict times 09:30-16:00 of 10-07
    assert nyse.daily_calendar(datetime(2013, 10, 8)) == (datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 16))
    assert nyse.get_first_daily_market_open(datetime(2013, 10, 7, 12)) == datetime(2013, 10, 7, 9, 30)
    assert nyse.get_last_daily_market_close(datetime(2013, 10, 7, 9, 30)) == datetime(2013, 10, 7, 16)


def test_option_inherits_equity_calendar(db: MarketHoursDatabase) -> None:
    opt = db.get_exchange_hours(SecurityType.OPTION, "usa", "GOOG")
    assert date(2013, 11, 28) in opt.holidays
    assert opt.regular_close(date(2015, 12, 24)) == datetime(2015, 12, 24, 13)
    assert [s.state for s in opt.market_hours_for(date(2015, 12, 23)).segments] == [S.MARKET]


def test_wildcard_and_unknown(db: MarketHoursDatabase) -> None:
    a = db.get_entry(SecurityType.EQUITY, "usa", "WHATEVER")
    b = db.get_entry(SecurityType.EQUITY, "USA", None)
    assert a is b
    spx = db.get_entry(SecurityType.INDEX, "usa", "SPX")
    assert spx is not db.get_entry(SecurityType.INDEX, "usa", "NOPE")
    assert db.try_get_entry(SecurityType.EQUITY, "nowhere", "SPY") is None
    with pytest.raises(DataError, match="nowhere"):
        db.get_entry(SecurityType.EQUITY, "nowhere", "SPY")


def test_forex_segments_cross_midnight(db: MarketHoursDatabase) -> None:
    fx = db.get_exchange_hours(SecurityType.FOREX, "oanda", "EURUSD")
    sunday = fx.market_hours_for(date(2015, 12, 27))
    assert sunday.segments[-1].end == timedelta(days=1)
    # Monday's close: segments run through midnight continuously, so the first close is Monday 16:58
    assert fx.get_next_market_close(datetime(2015, 12, 28, 10)) == datetime(2015, 12, 28, 16, 58)


def test_parse_timespan() -> None:
    assert parse_timespan("09:30:00") == hm(9, 30)
    assert parse_timespan("8:15:00") == hm(8, 15)
    assert parse_timespan("22:0:00") == hm(22)
    assert parse_timespan("1.00:00:00") == timedelta(days=1)
    assert parse_timespan("1:00:00:00") == timedelta(days=1)
    with pytest.raises(ValueError):
        parse_timespan("25:00:00")


def _regular() -> LocalMarketHours:
    return LocalMarketHours(
        0,
        [
            MarketHoursSegment(S.PRE_MARKET, hm(4), hm(9, 30)),
            MarketHoursSegment(S.MARKET, hm(9, 30), hm(16)),
            MarketHoursSegment(S.POST_MARKET, hm(16), hm(20)),
        ],
    )


def test_late_open_and_special_day_rules() -> None:
    late = adjust_for_special_days(_regular(), None, hm(10, 30))
    assert [(s.state, s.start, s.end) for s in late.segments] == [(S.MARKET, hm(10, 30), hm(16)), (S.POST_MARKET, hm(16), hm(20))]
    early_before_everything = adjust_for_special_days(_regular(), hm(3), None)
    assert early_before_everything.is_closed_all_day
    both = adjust_for_special_days(_regular(), hm(12), hm(10))
    assert [(s.start, s.end) for s in both.segments] == [(hm(10), hm(12))]
    hours = ExchangeHours(
        "America/New_York", [], {wd: _regular() for wd in range(5)}, {}, {date(2013, 10, 7): hm(10, 30)}
    )
    assert hours.regular_open(date(2013, 10, 7)) == datetime(2013, 10, 7, 10, 30)
    assert hours.get_next_market_open(datetime(2013, 10, 7, 9)) == datetime(2013, 10, 7, 10, 30)
    assert not hours.is_open_at(datetime(2013, 10, 7, 5), extended=True)
    always = ExchangeHours.always_open("UTC")
    assert always.is_market_always_open and always.is_open_at(datetime(2013, 10, 6, 3))


def test_database_errors(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError, match="market-hours-database.json"):
        MarketHoursDatabase.load(tmp_path / "market-hours-database.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CorruptDataError, match="bad.json"):
        MarketHoursDatabase.load(bad)
    entry = {"dataTimeZone": "UTC", "exchangeTimeZone": "UTC", "monday": [{"start": "xx", "end": "1", "state": "market"}]}
    weird = tmp_path / "weird.json"
    weird.write_text(json.dumps({"entries": {"Equity-usa-[*]": entry}}))
    with pytest.raises(CorruptDataError, match="EQUITY"):
        MarketHoursDatabase.load(weird).get_entry(SecurityType.EQUITY, "usa", "SPY")
