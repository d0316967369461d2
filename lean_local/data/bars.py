"""Readers for LEAN's zipped bar files, returning numpy arrays in raw file units.

Parsing is vectorised over the csv bytes (no per-row Python), and parsed files are cached per process in a
bounded LRU keyed by (path, entry, mtime, size), because optimisations and the MCP server run many backtests
over the same files in one process. Cached arrays are read-only: copy before modifying.

LEAN semantics reproduced (``TradeBar``/``QuoteBar`` stream readers, which backtests use):
* an empty numeric field reads as 0;
* a quote side (bid or ask) exists only if one of its open/high/low/close is non-zero; a missing side has
  its size forced to 0 (LEAN only sets ``LastBidSize``/``LastAskSize`` for a present side);
* equity and equity-option prices are deci-cents: price = raw × 0.0001 (a C# decimal with scale 4).
"""
from __future__ import annotations

import io
import os
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from lean_local.csharp import DECIMAL_CONTEXT, round_decimal
from lean_local.enums import Resolution, TickType
from lean_local.data import _decimal as cs
from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.paths import USA, DataFolder, is_hour_or_daily, resolution_name, tick_type_name

I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]

PRICE_SCALE = Decimal("0.0001")
"""LEAN's ``1 / 10000m``: multiplying a raw integer by it gives a decimal with scale 4 (167.4500)."""

NS_PER_MS = 1_000_000
NS_PER_MINUTE = 60_000_000_000
NS_PER_DAY = 86_400_000_000_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


# ----- arrays ---------------------------------------------------------------------------------------------------
class _Columns:
    """Row count and memory of a file's column arrays (every column has one entry per row, ``time`` first)."""

    time: I64

    def __len__(self) -> int:
        return int(self.time.shape[0])

    @property
    def nbytes(self) -> int:
        return sum(int(column.nbytes) for column in vars(self).values())


@dataclass(frozen=True, eq=False)
class TradeBarArrays(_Columns):
    """Trade bars of one file: ``time`` is the bar START (naive exchange-local ns); prices raw ints."""

    time: I64
    open: I64
    high: I64
    low: I64
    close: I64
    volume: I64


@dataclass(frozen=True, eq=False)
class QuoteBarArrays(_Columns):
    """Quote bars of one file; ``has_bid``/``has_ask`` say whether LEAN would build that side at all."""

    time: I64
    bid_open: I64
    bid_high: I64
    bid_low: I64
    bid_close: I64
    bid_size: I64
    ask_open: I64
    ask_high: I64
    ask_low: I64
    ask_close: I64
    ask_size: I64
    has_bid: BOOL
    has_ask: BOOL


@dataclass(frozen=True, eq=False)
class OpenInterestArrays(_Columns):
    """Open interest rows (``ms,open_interest`` for minute files): time and value."""

    time: I64
    value: I64



# ----- price helpers ----------------------------------------------------------------------------------------------
def raw_to_decimal(raw: int | np.integer[Any]) -> Decimal:
    """Exact decimal LEAN builds from a raw deci-cent integer: ``raw * 0.0001m`` (1674500 → 167.4500)."""
    with localcontext(DECIMAL_CONTEXT):
        return Decimal(int(raw)) * PRICE_SCALE


def raw_to_float(raw: int | np.integer[Any] | I64) -> Any:
    """``(double)(raw * 0.0001m)``: the double nearest the exact price (raw / 10000 is correctly rounded)."""
    if isinstance(raw, np.ndarray):
        return raw.astype(np.float64) / 10000.0
    return int(raw) / 10000.0


def scaled_price(raw: int | np.integer[Any], factor: Decimal, sum_of_dividends: Decimal = Decimal(0)) -> Decimal:
    """Price after LEAN's normalisation ``(raw * 0.0001m) * factor + sumOfDividends`` (factor from factor file).

    Adjusted/SplitAdjusted/ScaledRaw use ``sum_of_dividends = 0``; TotalReturn passes the running dividend sum.
    Example: SPY ask close 1674500 with factor 0.8646266 → 144.78172417000 (== 144.78172417).
    """
    return cs.add(cs.mul(cs.mul(Decimal(int(raw)), PRICE_SCALE), factor), sum_of_dividends)


def scaled_volume(volume: int | np.integer[Any], factor: Decimal) -> Decimal:
    """Volume after normalisation: ``Math.Round(volume * (1 / factor))`` (banker's rounding, integer)."""
    return round_decimal(cs.mul(Decimal(int(volume)), cs.div(Decimal(1), factor)), 0)


# ----- cache -------------------------------------------------------------------------------------------------------
_T = TypeVar("_T")


class _LruCache:
    """Thread-safe LRU bounded by entry count and by total array bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: tuple[Any, ...], value: Any, nbytes: int) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, (_, size) = self._items.popitem(last=False)
                self._bytes -= size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


_CACHE = _LruCache(max_entries=4096, max_bytes=1 << 30)


def clear_cache() -> None:
    """Forget every parsed file (tests, or after regenerating data in place with the same mtime)."""
    _CACHE.clear()


def set_cache_limits(max_entries: int | None = None, max_bytes: int | None = None) -> None:
    if max_entries is not None:
        _CACHE.max_entries = max_entries
    if max_bytes is not None:
        _CACHE.max_bytes = max_bytes


def cache_info() -> dict[str, int]:
    return {"entries": len(_CACHE), "bytes": _CACHE._bytes, "hits": _CACHE.hits, "misses": _CACHE.misses}


def _cached(key_parts: tuple[Any, ...], path: Path, build: Callable[[], _T]) -> _T:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise MissingDataError(path, "data file") from None
    key = (os.path.abspath(path), st.st_mtime_ns, st.st_size) + key_parts
    hit = _CACHE.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    value = build()
    nbytes = int(getattr(value, "nbytes", 0)) if not isinstance(value, dict) else sum(
        int(v.nbytes) for v in value.values()
    )
    _CACHE.put(key, value, nbytes)
    return value


# ----- file access -------------------------------------------------------------------------------------------------
def zip_entry_names(path: Path | str) -> list[str]:
    """Entry names of a LEAN zip in archive order (option zips hold one csv per contract)."""
    p = Path(path)
    if not p.exists():
        raise MissingDataError(p, "zip file")
    try:
        with zipfile.ZipFile(p) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise CorruptDataError(p, f"not a readable zip archive ({err})") from None


def _read_bytes(path: Path, entry: str | None) -> tuple[bytes, str]:
    """Bytes of a csv (plain or inside a zip). Without ``entry`` LEAN reads the zip's first entry."""
    if not path.exists():
        raise MissingDataError(path, "data file")
    if path.suffix.lower() != ".zip":
        return path.read_bytes(), path.name
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if entry is None:
                if not names:
                    raise CorruptDataError(path, "zip archive has no entries")
                entry = names[0]
            elif entry not in names:
                raise MissingDataError(f"{path}#{entry}", "zip entry", f"the archive holds {names[:5]}")
            return zf.read(entry), entry
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as err:
        raise CorruptDataError(path, f"not a readable zip archive ({err})") from None


# ----- vectorised csv parsing ----------------------------------------------------------------------------------------
_DIGIT_LO, _DIGIT_HI, _COMMA, _NEWLINE, _MINUS, _DOT, _SPACE, _COLON = 48, 57, 44, 10, 45, 46, 32, 58


@dataclass
class _Parsed:
    values: I64  # (rows, numeric columns) raw integers, 0 where empty
    empty: BOOL  # (rows, numeric columns) field was empty
    first: I64 | None  # datetime column as naive ns, when requested
    line_numbers: I64  # physical 1-based line number of each row


def _parse_csv(data: bytes, ncols: int, path: Path, entry: str, datetime_first: bool) -> _Parsed:
    """Split LEAN csv bytes into integer columns; raise ``CorruptDataError`` with the line on any problem.

    When ``datetime_first`` the first column must be ``yyyyMMdd HH:mm`` and is returned as ns.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == _NEWLINE)
    starts = np.empty_like(newlines)
    starts[0] = 0
    starts[1:] = newlines[:-1] + 1
    line_no = np.arange(1, newlines.shape[0] + 1, dtype=np.int64)
    keep = newlines > starts  # zero-length lines are skipped (e.g. a trailing blank line)
    if not keep.all():
        newlines, starts, line_no = newlines[keep], starts[keep], line_no[keep]
    nrows = int(newlines.shape[0])
    width = ncols - (1 if datetime_first else 0)
    if nrows == 0:
        return _Parsed(
            np.zeros((0, width), np.int64), np.zeros((0, width), bool), np.zeros(0, np.int64) if datetime_first else None,
            line_no,
        )

    def fail(row: int, detail: str) -> CorruptDataError:
        return CorruptDataError(path, f"entry {entry}: {detail}", line=int(line_no[row]))

    commas = np.flatnonzero(arr == _COMMA)
    counts = np.searchsorted(commas, newlines) - np.searchsorted(commas, starts)
    bad = np.flatnonzero(counts != ncols - 1)
    if bad.size:
        row = int(bad[0])
        raise fail(row, f"expected {ncols} comma-separated fields, found {int(counts[row]) + 1}")

    first: I64 | None = None
    col0 = 0
    if datetime_first:
        first_comma = commas[np.searchsorted(commas, starts)].astype(np.int64)
        first = _parse_datetime_column(arr, starts.astype(np.int64), first_comma, fail)
        col0 = 1

    values: I64 | None = None
    empty: BOOL
    if len(data) >= _PANDAS_MIN_BYTES:
        values, empty = _fast_numbers(data, ncols, col0, nrows)
    if values is None:
        # small files (pandas' fixed cost dominates there), and files pandas rejects: exact LEAN rules
        # and the failing line
        seps = np.sort(np.concatenate([commas, newlines])).reshape(nrows, ncols)
        fstart = np.empty((nrows, ncols), dtype=np.int64)
        fstart[:, 0] = starts
        fstart[:, 1:] = seps[:, :-1] + 1
        fend = seps.astype(np.int64)
        flat, flat_empty, err_field, err_detail = _parse_int_fields(arr, fstart[:, col0:].ravel(), fend[:, col0:].ravel())
        if err_field is not None:
            raise fail(err_field // width, f"column {err_field % width + col0 + 1}: {err_detail}")
        values, empty = flat.reshape(nrows, width), flat_empty.reshape(nrows, width)
    return _Parsed(values, empty, first, line_no)


def _fast_numbers(data: bytes, ncols: int, col0: int, nrows: int) -> tuple[I64 | None, BOOL]:
    """Numeric columns through pandas' C parser; None when a field is not a plain integer (or empty)."""
    cols = list(range(col0, ncols))
    common: dict[str, Any] = dict(
        header=None, names=list(range(ncols)), usecols=cols, engine="c", keep_default_na=False, na_values=[""]
    )
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=np.int64, **common)
        values = frame.to_numpy(dtype=np.int64)
        if values.shape[0] != nrows:
            return None, np.zeros(0, dtype=bool)
        return values, np.zeros(values.shape, dtype=bool)
    except (ValueError, OverflowError, pd.errors.ParserError):
        pass
    try:
        floats = pd.read_csv(io.BytesIO(data), dtype=np.float64, **common).to_numpy(dtype=np.float64)
    except (ValueError, OverflowError, pd.errors.ParserError):
        return None, np.zeros(0, dtype=bool)
    if floats.shape[0] != nrows:
        return None, np.zeros(0, dtype=bool)
    empty = np.isnan(floats)
    filled = np.where(empty, 0.0, floats)
    if (filled != np.trunc(filled)).any() or (np.abs(filled) >= 2.0**53).any():
        return None, np.zeros(0, dtype=bool)
    return filled.astype(np.int64), empty


def _parse_int_fields(arr: npt.NDArray[np.uint8], fstart: I64, fend: I64) -> tuple[I64, BOOL, int | None, str]:
    """Parse fields holding LEAN decimals (digits, optional leading '-', optional '.') into raw integers.

    Returns (values, empty, index of first bad field or None, why). A field whose value is not an integer
    (e.g. ``12.5``) is rejected: raw units in equity files are integers and the arrays are int64.
    """
    nfields = int(fstart.shape[0])
    lengths = fend - fstart
    empty = lengths == 0
    total = int(lengths.sum())
    values = np.zeros(nfields, dtype=np.int64)
    if total == 0:
        return values, empty, None, ""
    field_of_char = np.repeat(np.arange(nfields, dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths  # position of each field's first char in the char stream
    pos_in_field = np.arange(total, dtype=np.int64) - offsets[field_of_char]
    chars = arr[fstart[field_of_char] + pos_in_field]

    is_digit = (chars >= _DIGIT_LO) & (chars <= _DIGIT_HI)
    is_minus = chars == _MINUS
    is_dot = chars == _DOT
    bad_char = ~(is_digit | is_dot | (is_minus & (pos_in_field == 0)))
    if bad_char.any():
        i = int(np.flatnonzero(bad_char)[0])
        f = int(field_of_char[i])
        text = bytes(arr[fstart[f]:fend[f]]).decode("latin-1")
        return values, empty, f, f"not a number: {text!r}"
    dots_per_field = np.bincount(field_of_char[is_dot], minlength=nfields)
    digits_per_field = np.bincount(field_of_char[is_digit], minlength=nfields)
    bad_field = (dots_per_field > 1) | ((digits_per_field == 0) & ~empty) | (digits_per_field > 18)
    if bad_field.any():
        f = int(np.flatnonzero(bad_field)[0])
        text = bytes(arr[fstart[f]:fend[f]]).decode("latin-1")
        return values, empty, f, f"not a number: {text!r}"

    # digits after each digit char within its field → its power of ten
    digit_cum = np.cumsum(is_digit)
    field_digit_end = np.cumsum(digits_per_field)  # inclusive running count at each field's end
    power = field_digit_end[field_of_char] - digit_cum
    dig = chars.astype(np.int64) - _DIGIT_LO
    contrib = np.where(is_digit, dig * _POW10[np.clip(power, 0, 18)], 0)
    csum = np.cumsum(contrib)  # int64 wraparound cancels in the differences below
    end_idx = offsets + lengths - 1
    seg = np.where(lengths > 0, csum[np.maximum(end_idx, 0)] - np.where(offsets > 0, csum[offsets - 1], 0), 0)

    if is_dot.any():
        # decimal places = digits after the dot; the value must be integral
        dot_field = field_of_char[is_dot]
        digits_before_dot = digit_cum[is_dot] - np.where(
            dot_field > 0, field_digit_end[np.maximum(dot_field - 1, 0)], 0
        )
        scale = np.zeros(nfields, dtype=np.int64)
        scale[dot_field] = digits_per_field[dot_field] - digits_before_dot
        div = _POW10[np.clip(scale, 0, 18)]
        frac = seg % div
        if (frac != 0).any():
            f = int(np.flatnonzero(frac != 0)[0])
            text = bytes(arr[fstart[f]:fend[f]]).decode("latin-1")
            return values, empty, f, f"non-integer raw value {text!r} (raw units must be integers)"
        seg = seg // div
    negative = np.zeros(nfields, dtype=bool)
    negative[field_of_char[is_minus]] = True
    values = np.where(negative, -seg, seg)
    return values, empty, None, ""


# below this size the numpy parser beats pandas' read_csv (its fixed cost is about 1 ms)
_PANDAS_MIN_BYTES = 24_000
_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)
_DT_DIGITS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13], dtype=np.int64)
_CUM_DAYS = np.array([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334], dtype=np.int64)
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _parse_datetime_column(
    arr: npt.NDArray[np.uint8], fstart: I64, fend: I64, fail: Callable[[int, str], CorruptDataError]
) -> I64:
    """``yyyyMMdd HH:mm`` fields → naive ns (exact ``DateTime.ParseExact`` format, vectorised)."""
    bad = np.flatnonzero(fend - fstart != 14)
    if bad.size:
        row = int(bad[0])
        text = bytes(arr[fstart[row]:fend[row]]).decode("latin-1")
        raise fail(row, f"expected a 'yyyyMMdd HH:mm' time, found {text!r}")
    grid = arr[fstart[:, None] + np.arange(14, dtype=np.int64)[None, :]].astype(np.int64)
    digits = grid[:, _DT_DIGITS] - _DIGIT_LO
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1) & (grid[:, 8] == _SPACE) & (grid[:, 11] == _COLON)
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    hour = digits[:, 8] * 10 + digits[:, 9]
    minute = digits[:, 10] * 10 + digits[:, 11]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    mi = np.clip(month - 1, 0, 11)
    dim = _MONTH_DAYS[mi] + ((mi == 1) & leap)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= dim) & (hour < 24) & (minute < 60) & (year >= 1)
    if not ok.all():
        row = int(np.flatnonzero(~ok)[0])
        text = bytes(arr[fstart[row]:fend[row]]).decode("latin-1")
        raise fail(row, f"expected a 'yyyyMMdd HH:mm' time, found {text!r}")
    y = year - 1
    days = y * 365 + y // 4 - y // 100 + y // 400 + _CUM_DAYS[mi] + ((mi > 1) & leap) + day  # ordinal
    days -= _EPOCH_ORDINAL
    return days * NS_PER_DAY + hour * 3_600_000_000_000 + minute * NS_PER_MINUTE  # type: ignore[no-any-return]


def _day_ns(day: date) -> int:
    return (day.toordinal() - _EPOCH_ORDINAL) * NS_PER_DAY


def _convert_tz(times: I64, data_tz: str | None, exchange_tz: str | None) -> I64:
    """LEAN's ``ConvertTo(dataTimeZone, exchangeTimeZone)`` with NodaTime's lenient rules."""
    if not data_tz or not exchange_tz or data_tz == exchange_tz or times.size == 0:
        return times
    idx = pd.DatetimeIndex(times.view("datetime64[ns]"))
    # lenient: ambiguous → earlier instant (the DST one), skipped → shifted forward by the gap
    local = idx.tz_localize(data_tz, ambiguous=np.ones(len(idx), dtype=bool), nonexistent=pd.Timedelta(hours=1))
    out = local.tz_convert(exchange_tz).tz_localize(None)
    return np.asarray(out.asi8, dtype=np.int64)


def _times(parsed: _Parsed, day: date | None, path: Path, entry: str) -> I64:
    if parsed.first is not None:
        return parsed.first
    if day is None:
        raise ValueError(f"{path}#{entry} holds millisecond times: pass the file's date (day=...)")
    return _day_ns(day) + parsed.values[:, 0] * NS_PER_MS


def _looks_like_datetime(data: bytes) -> bool:
    """True if the first row starts with ``yyyyMMdd HH:mm`` (daily/hour files) rather than milliseconds."""
    head = data[:32].lstrip(b"\r\n")
    comma = head.find(b",")
    return b" " in (head[:comma] if comma >= 0 else head)


def _readonly(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


# ----- public readers ----------------------------------------------------------------------------------------------
def _build_trade(data: bytes, path: Path, entry: str, day: date | None, tzs: tuple[str | None, str | None]) -> TradeBarArrays:
    dt = _looks_like_datetime(data)
    parsed = _parse_csv(data, 6, path, entry, datetime_first=dt)
    v = parsed.values
    c = 0 if dt else 1
    times = _convert_tz(_times(parsed, day, path, entry), *tzs)
    return TradeBarArrays(
        time=_readonly(times),
        open=_readonly(v[:, c]),
        high=_readonly(v[:, c + 1]),
        low=_readonly(v[:, c + 2]),
        close=_readonly(v[:, c + 3]),
        volume=_readonly(v[:, c + 4]),
    )


def _build_quote(data: bytes, path: Path, entry: str, day: date | None, tzs: tuple[str | None, str | None]) -> QuoteBarArrays:
    dt = _looks_like_datetime(data)
    parsed = _parse_csv(data, 11, path, entry, datetime_first=dt)
    v = parsed.values
    c = 0 if dt else 1
    bid = v[:, c : c + 5]
    ask = v[:, c + 5 : c + 10]
    has_bid = (bid[:, :4] != 0).any(axis=1)
    has_ask = (ask[:, :4] != 0).any(axis=1)
    times = _convert_tz(_times(parsed, day, path, entry), *tzs)
    return QuoteBarArrays(
        time=_readonly(times),
        bid_open=_readonly(bid[:, 0]),
        bid_high=_readonly(bid[:, 1]),
        bid_low=_readonly(bid[:, 2]),
        bid_close=_readonly(bid[:, 3]),
        bid_size=_readonly(np.where(has_bid, bid[:, 4], 0)),
        ask_open=_readonly(ask[:, 0]),
        ask_high=_readonly(ask[:, 1]),
        ask_low=_readonly(ask[:, 2]),
        ask_close=_readonly(ask[:, 3]),
        ask_size=_readonly(np.where(has_ask, ask[:, 4], 0)),
        has_bid=_readonly(has_bid),
        has_ask=_readonly(has_ask),
    )


def _build_open_interest(
    data: bytes, path: Path, entry: str, day: date | None, tzs: tuple[str | None, str | None]
) -> OpenInterestArrays:
    dt = _looks_like_datetime(data)
    parsed = _parse_csv(data, 2, path, entry, datetime_first=dt)
    c = 0 if dt else 1
    times = _convert_tz(_times(parsed, day, path, entry), *tzs)
    return OpenInterestArrays(time=_readonly(times), value=_readonly(parsed.values[:, c]))


_Builder = Callable[[bytes, Path, str, date | None, tuple[str | None, str | None]], Any]


def _read(
    kind: str,
    builder: _Builder,
    path: Path | str,
    day: date | None,
    entry: str | None,
    data_tz: str | None,
    exchange_tz: str | None,
) -> Any:
    p = Path(path)
    tzs = (data_tz, exchange_tz)

    def build() -> Any:
        data, name = _read_bytes(p, entry)
        return builder(data, p, name, day, tzs)

    return _cached((kind, entry, day, tzs), p, build)


def read_trade_bars(
    path: Path | str,
    day: date | None = None,
    entry: str | None = None,
    data_tz: str | None = None,
    exchange_tz: str | None = None,
) -> TradeBarArrays:
    """Read a trade-bar csv/zip (``time,o,h,l,c,v``).

    Daily/hour rows start with ``yyyyMMdd HH:mm``; minute/second rows with milliseconds since midnight of
    ``day`` (required then). ``entry`` picks a zip entry (default: the first, as LEAN does). Give both time
    zones to convert data-zone times to the exchange zone (US equities: same zone, nothing to do).
    """
    return _read("trade", _build_trade, path, day, entry, data_tz, exchange_tz)  # type: ignore[no-any-return]


def read_quote_bars(
    path: Path | str,
    day: date | None = None,
    entry: str | None = None,
    data_tz: str | None = None,
    exchange_tz: str | None = None,
) -> QuoteBarArrays:
    """Read a quote-bar csv/zip (``time,bidO,bidH,bidL,bidC,bidSize,askO,askH,askL,askC,askSize``)."""
    return _read("quote", _build_quote, path, day, entry, data_tz, exchange_tz)  # type: ignore[no-any-return]


def read_open_interest(
    path: Path | str,
    day: date | None = None,
    entry: str | None = None,
    data_tz: str | None = None,
    exchange_tz: str | None = None,
) -> OpenInterestArrays:
    """Read an open-interest csv/zip (``ms,open_interest``)."""
    return _read("oi", _build_open_interest, path, day, entry, data_tz, exchange_tz)  # type: ignore[no-any-return]


def read_all_entries(
    path: Path | str, tick_type: TickType, day: date | None = None
) -> dict[str, TradeBarArrays | QuoteBarArrays | OpenInterestArrays]:
    """Every entry of a multi-entry zip (option chains: one csv per contract), opening the archive once."""
    p = Path(path)
    kinds: dict[TickType, tuple[str, _Builder]] = {
        TickType.TRADE: ("trade", _build_trade),
        TickType.QUOTE: ("quote", _build_quote),
        TickType.OPEN_INTEREST: ("oi", _build_open_interest),
    }
    kind, builder = kinds[TickType(tick_type)]

    def build() -> dict[str, Any]:
        if not p.exists():
            raise MissingDataError(p, "zip file")
        out: dict[str, Any] = {}
        try:
            with zipfile.ZipFile(p) as zf:
                for name in zf.namelist():
                    out[name] = builder(zf.read(name), p, name, day, (None, None))
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise CorruptDataError(p, f"not a readable zip archive ({err})") from None
        return out

    return _cached(("all", kind, day), p, build)


# ----- equity conveniences -----------------------------------------------------------------------------------------
def load_daily_or_hour(
    folder: DataFolder, ticker: str, resolution: Resolution, market: str = USA
) -> TradeBarArrays | None:
    """The whole daily/hour trade file of a (mapped) ticker, or None if the folder has none."""
    if not is_hour_or_daily(resolution):
        raise ValueError(f"load_daily_or_hour needs Resolution.DAILY or HOUR, not {Resolution(resolution).name}")
    path = folder.equity_zip(ticker, resolution, market=market)
    if not path.exists():
        return None
    return read_trade_bars(path)  # like LEAN, equities read the zip's first entry whatever its name


def load_minute_day(
    folder: DataFolder,
    ticker: str,
    day: date,
    tick_type: TickType = TickType.TRADE,
    resolution: Resolution = Resolution.MINUTE,
    market: str = USA,
) -> TradeBarArrays | QuoteBarArrays | None:
    """One day of minute (or second) bars of a (mapped) ticker; None when that day's file is absent
    (holidays, days before listing): a missing day is normal, a missing ticker is not (``require_intraday``)."""
    if is_hour_or_daily(resolution):
        raise ValueError("use load_daily_or_hour for daily/hour data")
    path = folder.equity_zip(ticker, resolution, day, tick_type, market)
    if not path.exists():
        return None
    if TickType(tick_type) == TickType.QUOTE:
        return read_quote_bars(path, day=day)
    if TickType(tick_type) == TickType.TRADE:
        return read_trade_bars(path, day=day)
    raise ValueError(f"equity {resolution_name(resolution)} data has no {tick_type_name(tick_type)} files")


def require_daily_or_hour(
    folder: DataFolder, ticker: str, resolution: Resolution, market: str = USA
) -> TradeBarArrays:
    """Like ``load_daily_or_hour`` but a missing file is an error naming the expected path."""
    bars = load_daily_or_hour(folder, ticker, resolution, market)
    if bars is None:
        raise MissingDataError(
            folder.equity_zip(ticker, resolution, market=market),
            f"{resolution_name(resolution)} data for {ticker.upper()}",
        )
    return bars


def available_intraday_days(
    folder: DataFolder,
    ticker: str,
    tick_type: TickType = TickType.TRADE,
    resolution: Resolution = Resolution.MINUTE,
    market: str = USA,
) -> list[date]:
    """Dates that have a day file for this (mapped) ticker and tick type, sorted."""
    directory = folder.equity_ticker_dir(ticker, resolution, market)
    if not directory.is_dir():
        return []
    suffix = f"_{tick_type_name(tick_type)}.zip"
    days: list[date] = []
    for name in os.listdir(directory):
        if name.endswith(suffix) and len(name) == 8 + len(suffix):
            try:
                days.append(datetime.strptime(name[:8], "%Y%m%d").date())
            except ValueError:
                continue
    days.sort()
    return days


def require_intraday(
    folder: DataFolder,
    ticker: str,
    tick_type: TickType = TickType.TRADE,
    resolution: Resolution = Resolution.MINUTE,
    market: str = USA,
) -> list[date]:
    """Available day files of a ticker; raises ``MissingDataError`` if there are none at all."""
    days = available_intraday_days(folder, ticker, tick_type, resolution, market)
    if not days:
        directory = folder.equity_ticker_dir(ticker, resolution, market)
        raise MissingDataError(
            directory / f"<yyyyMMdd>_{tick_type_name(tick_type)}.zip",
            f"{resolution_name(resolution)} {tick_type_name(tick_type)} data for {ticker.upper()}",
        )
    return days
