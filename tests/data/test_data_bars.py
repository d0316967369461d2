from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from lean_local.data import bars
from lean_local.data.bars import (
    QuoteBarArrays,
    TradeBarArrays,
    available_intraday_days,
    clear_cache,
    load_daily_or_hour,
    load_minute_day,
    raw_to_decimal,
    raw_to_float,
    read_all_entries,
    read_open_interest,
    read_quote_bars,
    read_trade_bars,
    require_daily_or_hour,
    require_intraday,
    scaled_price,
    scaled_volume,
    zip_entry_names,
)
from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.paths import DataFolder
from lean_local.enums import Resolution, TickType
from lean_local.timeutil import from_ns, to_ns

OCT7 = date(2013, 10, 7)


def _zip(path: Path, entry: str, text: str | bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(entry, text)
    return path


# ----- real sample data ----------------------------------------------------------------------------------------
def test_spy_minute_quotes_first_fill_price(data_folder: DataFolder) -> None:
    q = load_minute_day(data_folder, "SPY", OCT7, TickType.QUOTE)
    assert isinstance(q, QuoteBarArrays)
    assert len(q) == 908
    assert from_ns(q.time[0]) == datetime(2013, 10, 7, 4, 0)  # pre-market rows are in the file
    i = int(np.flatnonzero(q.time == to_ns(datetime(2013, 10, 7, 9, 30)))[0])
    assert q.ask_close[i] == 1674500 and q.bid_close[i] == 1674400
    assert q.ask_size[i] == 1400 and q.bid_size[i] == 4400
    assert q.has_bid.all() and q.has_ask.all()
    # BasicTemplateAlgorithm's fill: ask close of the 09:30 bar x SPY's price scale factor
    assert raw_to_decimal(q.ask_close[i]) == Decimal("167.45")
    assert str(raw_to_decimal(q.ask_close[i])) == "167.4500"
    assert scaled_price(q.ask_close[i], Decimal("0.8646266")) == Decimal("144.78172417")
    assert raw_to_float(q.ask_close[i]) == 167.45


def test_spy_minute_trades(data_folder: DataFolder) -> None:
    t = load_minute_day(data_folder, "SPY", OCT7)
    assert isinstance(t, TradeBarArrays)
    assert len(t) == 828  # last line has no trailing newline
    assert t.time.dtype == np.int64 and t.open.dtype == np.int64 and t.volume.dtype == np.int64
    regular = t.time >= to_ns(datetime(2013, 10, 7, 9, 30))
    first = int(np.flatnonzero(regular)[0])
    assert from_ns(t.time[first]) == datetime(2013, 10, 7, 9, 30)
    assert (t.open[first], t.close[first], t.volume[first]) == (1674300, 1674400, 816453)
    assert from_ns(t.time[-1]) == datetime(2013, 10, 7, 19, 59)
    assert np.all(np.diff(t.time) > 0)
    assert float(raw_to_float(t.close)[first]) == 167.44


def test_spy_hour_bars_per_day(data_folder: DataFolder) -> None:
    h = load_daily_or_hour(data_folder, "SPY", Resolution.HOUR)
    assert h is not None
    days = h.time // bars.NS_PER_DAY
    oct7 = h.time[days == to_ns(OCT7) // bars.NS_PER_DAY]
    assert [from_ns(x).hour for x in oct7] == [9, 10, 11, 12, 13, 14, 15]
    xmas_eve = h.time[days == to_ns(date(2015, 12, 24)) // bars.NS_PER_DAY]
    assert [from_ns(x).hour for x in xmas_eve] == [9, 10, 11, 12]  # early close at 13:00


def test_spy_daily(data_folder: DataFolder) -> None:
    d = require_daily_or_hour(data_folder, "SPY", Resolution.DAILY)
    assert from_ns(d.time[0]) == datetime(1998, 1, 2)
    assert from_ns(d.time[-1]) == datetime(2021, 3, 31)
    i = int(np.flatnonzero(d.time == to_ns(OCT7))[0])
    assert (d.open[i], d.high[i], d.low[i], d.close[i], d.volume[i]) == (1674300, 1684500, 1672500, 1674200, 81489219)


def test_missing_day_is_none_but_missing_ticker_raises(data_folder: DataFolder, tmp_path: Path) -> None:
    assert load_minute_day(data_folder, "SPY", date(2013, 11, 28)) is None  # Thanksgiving, no file
    assert load_daily_or_hour(data_folder, "NOPE", Resolution.DAILY) is None
    assert available_intraday_days(data_folder, "SPY")[:2] == [OCT7, date(2013, 10, 8)]
    assert require_intraday(data_folder, "IBM", TickType.QUOTE)[-1] == date(2013, 10, 11)
    with pytest.raises(MissingDataError) as err:
        require_intraday(data_folder, "NOPE")
    assert "minute/nope" in str(err.value) and "lean-local data synthetic" in str(err.value)
    with pytest.raises(MissingDataError) as err:
        require_daily_or_hour(data_folder, "NOPE", Resolution.HOUR)
    assert str(data_folder.equity_hour_zip("NOPE")) in str(err.value)
    with pytest.raises(MissingDataError) as err:
        read_trade_bars(tmp_path / "absent.zip")
    assert "absent.zip" in str(err.value)


def test_option_quotes_with_empty_bid(data_folder: DataFolder) -> None:
    path = data_folder.option_zip("GOOG", date(2015, 12, 24), TickType.QUOTE)
    entry = "20151224_goog_minute_quote_american_call_10000000_20151224.csv"
    q = read_quote_bars(path, day=date(2015, 12, 24), entry=entry)
    assert not q.has_bid[0] and q.has_ask[0]
    assert q.bid_close[0] == 0 and q.bid_size[0] == 0
    assert (q.ask_open[0], q.ask_close[0], q.ask_size[0]) == (21500, 5000, 19)
    everything = read_all_entries(path, TickType.QUOTE, day=date(2015, 12, 24))
    assert len(everything) == len(zip_entry_names(path)) == 2192
    one = everything[entry]
    assert isinstance(one, QuoteBarArrays)
    assert np.array_equal(one.ask_close, q.ask_close)
    oi = read_open_interest(
        data_folder.option_zip("GOOG", date(2015, 12, 24), TickType.OPEN_INTEREST),
        day=date(2015, 12, 24),
        entry="20151224_goog_minute_openinterest_american_call_10000000_20151224.csv",
    )
    assert len(oi) >= 1 and oi.value.dtype == np.int64


def test_parsers_agree_on_every_sample_file(data_folder: DataFolder) -> None:
    """The pandas path (big files) and the numpy path (small files) must give identical arrays."""
    root = data_folder.root / "equity" / "usa"
    for path in sorted(root.glob("*/*.zip")) + sorted(root.glob("minute/*/*.zip"))[:6]:
        with zipfile.ZipFile(path) as zf:
            data = zf.read(zf.namelist()[0])
        dt = bars._looks_like_datetime(data)
        ncols = 11 if "quote" in path.name else 6
        parsed = bars._parse_csv(data, ncols, path, "x", dt)
        width = ncols - (1 if dt else 0)
        fast, _ = bars._fast_numbers(data, ncols, 1 if dt else 0, parsed.values.shape[0])
        assert fast is not None and np.array_equal(fast, parsed.values), path
        slow = _slow_numbers(data, ncols, 1 if dt else 0)
        assert slow.shape == (parsed.values.shape[0], width) and np.array_equal(slow, parsed.values), path


def _slow_numbers(data: bytes, ncols: int, col0: int) -> np.ndarray:
    if not data.endswith(b"\n"):
        data += b"\n"
    arr = np.frombuffer(data, np.uint8)
    nl = np.flatnonzero(arr == 10)
    st = np.empty_like(nl)
    st[0] = 0
    st[1:] = nl[:-1] + 1
    commas = np.flatnonzero(arr == 44)
    seps = np.sort(np.concatenate([commas, nl])).reshape(len(nl), ncols)
    fs = np.empty((len(nl), ncols), np.int64)
    fs[:, 0] = st
    fs[:, 1:] = seps[:, :-1] + 1
    vals, _, err, _ = bars._parse_int_fields(arr, fs[:, col0:].ravel(), seps[:, col0:].ravel().astype(np.int64))
    assert err is None
    return vals.reshape(len(nl), ncols - col0)


# ----- generated files -----------------------------------------------------------------------------------------
def test_quote_sides_follow_lean_rules(tmp_path: Path) -> None:
    text = (
        "34200000,,,,,0,21500,21500,5000,5000,19\n"
        "34260000,100,110,90,105,7,,,,,0\n"
        "34320000,0,0,0,0,12,0,0,0,1,3\n"
    )
    q = read_quote_bars(_zip(tmp_path / "q.zip", "q.csv", text), day=date(2015, 12, 24))
    assert q.has_bid.tolist() == [False, True, False]
    assert q.has_ask.tolist() == [True, False, True]
    assert q.bid_size.tolist() == [0, 7, 0]  # an absent side has no size, even if the file has one
    assert q.ask_size.tolist() == [19, 0, 3]
    assert from_ns(q.time[1]) == datetime(2015, 12, 24, 9, 31)


def test_empty_trade_fields_read_as_zero_and_decimal_points(tmp_path: Path) -> None:
    text = "20131007 00:00,1674300,,1672500,1674200.00,81489219\n20131008 00:00,-5,1,1,1,0\n"
    t = read_trade_bars(_zip(tmp_path / "t.zip", "t.csv", text))
    assert t.high.tolist() == [0, 1]
    assert t.close.tolist() == [1674200, 1]
    assert t.open.tolist() == [1674300, -5]


def test_big_file_with_empty_fields_uses_pandas_path(tmp_path: Path) -> None:
    rows = [f"{34200000 + 60000 * i},,,,,0,{1000 + i},{1001 + i},{999 + i},{1000 + i},{i}" for i in range(2000)]
    rows[5] = "34500000,1,2,3,4,5,,,,,0"
    text = "\n".join(rows) + "\n"
    assert len(text) > bars._PANDAS_MIN_BYTES
    q = read_quote_bars(_zip(tmp_path / "big.zip", "big.csv", text), day=OCT7)
    assert len(q) == 2000
    assert q.has_bid.sum() == 1 and q.has_bid[5] and not q.has_ask[5]
    assert q.ask_close[10] == 1010 and q.ask_size[10] == 10


def test_crlf_and_blank_trailing_lines(tmp_path: Path) -> None:
    text = b"34200000,1,2,3,4,5\r\n34260000,6,7,8,9,10\r\n\r\n"
    t = read_trade_bars(_zip(tmp_path / "c.zip", "c.csv", text), day=OCT7)
    assert t.close.tolist() == [4, 9]


def test_wrong_column_count_names_file_and_line(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bad.zip", "bad.csv", "34200000,1,2,3,4,5\n34260000,1,2,3,4\n34320000,1,2,3,4,5\n")
    with pytest.raises(CorruptDataError) as err:
        read_trade_bars(path, day=OCT7)
    assert err.value.line == 2
    assert "bad.zip" in str(err.value) and "line 2" in str(err.value) and "6 comma-separated" in str(err.value)


def test_bad_number_names_line_and_column(tmp_path: Path) -> None:
    path = _zip(tmp_path / "n.zip", "n.csv", "34200000,1,2,3,4,5\n34260000,1,2,x3,4,5\n")
    with pytest.raises(CorruptDataError) as err:
        read_trade_bars(path, day=OCT7)
    assert err.value.line == 2 and "column 4" in str(err.value) and "'x3'" in str(err.value)
    path = _zip(tmp_path / "f.zip", "f.csv", "34200000,1,2,3,4.5,5\n")
    with pytest.raises(CorruptDataError, match="non-integer"):
        read_trade_bars(path, day=OCT7)


def test_bad_daily_time_is_corrupt(tmp_path: Path) -> None:
    path = _zip(tmp_path / "d.zip", "d.csv", "20131007 00:00,1,2,3,4,5\n20131307 00:00,1,2,3,4,5\n")
    with pytest.raises(CorruptDataError) as err:
        read_trade_bars(path)
    assert err.value.line == 2 and "20131307" in str(err.value)


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(CorruptDataError) as err:
        read_trade_bars(path, day=OCT7)
    assert "broken.zip" in str(err.value)


def test_missing_entry(tmp_path: Path) -> None:
    path = _zip(tmp_path / "e.zip", "a.csv", "34200000,1,2,3,4,5\n")
    with pytest.raises(MissingDataError, match="b.csv"):
        read_trade_bars(path, day=OCT7, entry="b.csv")


def test_minute_file_needs_its_date(tmp_path: Path) -> None:
    path = _zip(tmp_path / "m.zip", "m.csv", "34200000,1,2,3,4,5\n")
    with pytest.raises(ValueError, match="day="):
        read_trade_bars(path)


def test_cache_returns_same_arrays_until_file_changes(tmp_path: Path) -> None:
    clear_cache()
    path = _zip(tmp_path / "k.zip", "k.csv", "34200000,1,2,3,4,5\n")
    a = read_trade_bars(path, day=OCT7)
    assert read_trade_bars(path, day=OCT7) is a
    assert not a.close.flags.writeable
    _zip(path, "k.csv", "34200000,1,2,3,9,5\n34260000,1,2,3,4,5\n")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    b = read_trade_bars(path, day=OCT7)
    assert b is not a and b.close.tolist() == [9, 4]
    assert bars.cache_info()["hits"] >= 1


def test_time_zone_conversion(tmp_path: Path) -> None:
    path = _zip(tmp_path / "z.zip", "z.csv", "20131007 13:30,1,2,3,4,5\n")
    t = read_trade_bars(path, data_tz="UTC", exchange_tz="America/New_York")
    assert from_ns(t.time[0]) == datetime(2013, 10, 7, 9, 30)


def test_scaled_volume_rounds_half_even() -> None:
    assert scaled_volume(816453, Decimal("0.8646266")) == Decimal("944284")
    assert scaled_volume(5, Decimal("2")) == Decimal("2")  # 2.5 → 2
