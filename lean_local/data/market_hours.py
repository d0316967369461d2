"""LEAN's market-hours database and exchange calendar (``MarketHoursDatabase``, ``SecurityExchangeHours``,
``LocalMarketHours``, ``MarketHoursSegment``), with their exact semantics.

Times are naive ``datetime`` in the exchange time zone. Segment boundaries are ``timedelta`` since midnight;
a segment contains ``start <= t < end``. Holidays close the whole day; an early close truncates the day at
the given time (dropping later segments, e.g. post-market); a late open drops earlier segments. The daily
schedule is precomputed per weekday and the adjusted schedule cached per date, so per-day calls are cheap.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Iterable

from lean_local.data.errors import CorruptDataError, DataError, MissingDataError
from lean_local.enums import MarketHoursState, SecurityType

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)  # LEAN steps back one 100 ns tick; our clock's tick is 1 µs
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday()
_STATES = {
    "closed": MarketHoursState.CLOSED,
    "premarket": MarketHoursState.PRE_MARKET,
    "market": MarketHoursState.MARKET,
    "postmarket": MarketHoursState.POST_MARKET,
}
WILDCARD = "[*]"

# C# SecurityType enum names (the database keys' first part), matched case-insensitively
_SECURITY_TYPE_NAMES = {
    "base": SecurityType.BASE,
    "equity": SecurityType.EQUITY,
    "option": SecurityType.OPTION,
    "commodity": SecurityType.COMMODITY,
    "forex": SecurityType.FOREX,
    "future": SecurityType.FUTURE,
    "cfd": SecurityType.CFD,
    "crypto": SecurityType.CRYPTO,
    "futureoption": SecurityType.FUTURE_OPTION,
    "index": SecurityType.INDEX,
    "indexoption": SecurityType.INDEX_OPTION,
    "cryptofuture": SecurityType.CRYPTO_FUTURE,
}
_OPTION_UNDERLYING = {
    SecurityType.OPTION: SecurityType.EQUITY,
    SecurityType.INDEX_OPTION: SecurityType.INDEX,
    SecurityType.FUTURE_OPTION: SecurityType.FUTURE,
}
# IndexOptionSymbol.MapToUnderlying
_INDEX_OPTION_UNDERLYING = {"RUTW": "RUT", "SPXW": "SPX", "VIXW": "VIX", "NDXP": "NDX", "NQX": "NDX"}


def parse_security_type(name: str) -> SecurityType | None:
    return _SECURITY_TYPE_NAMES.get(name.lower())


def parse_timespan(text: str) -> timedelta:
    """.NET ``TimeSpan.Parse`` forms used by the database: ``hh:mm[:ss[.fff]]``, ``d.hh:mm:ss``, ``d:hh:mm:ss``."""
    s = text.strip()
    days = 0
    parts = s.split(":")
    if "." in parts[0]:
        d, parts[0] = parts[0].split(".", 1)
        days = int(d)
    elif len(parts) == 4:
        days = int(parts.pop(0))
    if len(parts) not in (2, 3):
        raise ValueError(f"not a TimeSpan: {text!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    seconds = float(parts[2]) if len(parts) == 3 else 0.0
    if not (0 <= hours < 24 and 0 <= minutes < 60 and 0 <= seconds < 60):
        raise ValueError(f"not a TimeSpan: {text!r}")
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _parse_mdy(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


# ----- segments and one day's hours -------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketHoursSegment:
    state: MarketHoursState
    start: timedelta
    end: timedelta

    def contains(self, t: timedelta) -> bool:
        return self.start <= t < self.end

    def overlaps(self, start: timedelta, end: timedelta) -> bool:
        return self.start < end and self.end > start


def _is_continuous(prev_end: timedelta | None, next_start: timedelta | None, prev_from_prev_day: bool = True) -> bool:
    """``LocalMarketHours.IsContinuousMarketOpen``."""
    if prev_end is not None and next_start is not None:
        if prev_from_prev_day:
            return prev_end == ONE_DAY and next_start == ZERO
        return prev_end == next_start
    return False


class LocalMarketHours:
    """The segments of one day (closed segments dropped, as LEAN does)."""

    __slots__ = ("weekday", "segments", "is_closed_all_day", "is_open_all_day", "market_duration", "_open_between")

    def __init__(self, weekday: int, segments: Iterable[MarketHoursSegment]) -> None:
        self.weekday = weekday  # date.weekday(): Monday = 0
        self.segments: tuple[MarketHoursSegment, ...] = tuple(
            s for s in segments if s.state != MarketHoursState.CLOSED
        )
        self.is_closed_all_day = not self.segments
        self.is_open_all_day = (
            len(self.segments) == 1
            and self.segments[0].start == ZERO
            and self.segments[0].end == ONE_DAY
            and self.segments[0].state == MarketHoursState.MARKET
        )
        self.market_duration = sum(
            (s.end - s.start for s in self.segments if s.state == MarketHoursState.MARKET), ZERO
        )
        # is_open_between answers by (start, end, extended) time of day: bars repeat the same few hundred intervals
        self._open_between: dict[tuple[time, time, bool], bool] = {}

    def __repr__(self) -> str:
        segs = ", ".join(f"{s.state.name}:{s.start}-{s.end}" for s in self.segments)
        return f"LocalMarketHours({_DAY_NAMES[self.weekday]}: {segs or 'closed'})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LocalMarketHours) and other.weekday == self.weekday and other.segments == self.segments

    def __hash__(self) -> int:
        return hash((self.weekday, self.segments))

    def is_open(self, t: timedelta, extended: bool) -> bool:
        for s in self.segments:
            if s.contains(t):
                return extended or s.state == MarketHoursState.MARKET
        return False

    def is_open_between(self, start: timedelta, end: timedelta, extended: bool) -> bool:
        if start == end:
            return self.is_open(start, extended)
        for s in self.segments:
            if (extended or s.state == MarketHoursState.MARKET) and s.overlaps(start, end):
                return True
        return False

    def is_open_between_times(self, start: time, end: time, extended: bool) -> bool:
        """``is_open_between`` for times of day (memoised)."""
        key = (start, end, extended)
        found = self._open_between.get(key)
        if found is None:
            found = self._open_between[key] = self.is_open_between(_time_of_day(start), _time_of_day(end), extended)
        return found

    def get_market_open(
        self, t: timedelta, extended: bool, previous_day_last_segment_end: timedelta | None = None
    ) -> timedelta | None:
        """Start of the first usable segment not ending by ``t`` that does not continue the previous one
        (note: it can be a segment already under way at ``t``)."""
        previous = previous_day_last_segment_end
        prev_from_prev_day = True
        for s in self.segments:
            usable = s.state == MarketHoursState.MARKET or extended
            if s.end <= t:
                if usable:
                    previous, prev_from_prev_day = s.end, False
                continue
            if usable:
                if not _is_continuous(previous, s.start, prev_from_prev_day):
                    return s.start
                previous, prev_from_prev_day = s.end, False
        return None

    def get_market_close(
        self, t: timedelta, extended: bool, last_close: bool = False, next_day_segment_start: timedelta | None = None
    ) -> timedelta | None:
        """End of the first usable segment after ``t`` that is not continued by the next one (or, with
        ``last_close``, the end of the day's last usable segment)."""
        potential: timedelta | None = None
        next_from_next_day = False
        n = len(self.segments)
        for i, s in enumerate(self.segments):
            if s.end <= t:
                continue
            if i != n - 1:
                following = self.segments[i + 1]
                next_start = (
                    None if following.state != MarketHoursState.MARKET and not extended else following.start
                )
            else:
                next_start = next_day_segment_start
                next_from_next_day = True
            if s.state == MarketHoursState.MARKET or extended:
                if last_close:
                    potential = s.end
                elif not _is_continuous(s.end, next_start, next_from_next_day):
                    return s.end
        return potential


def _take(segments: tuple[MarketHoursSegment, ...], count: int) -> list[MarketHoursSegment]:
    """LINQ ``Take``: a non-positive count yields nothing."""
    return list(segments[: max(count, 0)])


def adjust_for_special_days(
    regular: LocalMarketHours, early_close: timedelta | None, late_open: timedelta | None
) -> LocalMarketHours:
    """``SecurityExchangeHours.GetMarketHours`` for a day with an early close and/or a late open."""
    segments = regular.segments
    early: list[MarketHoursSegment] | None = None
    if early_close is not None:
        index = len(segments)
        new_segment: MarketHoursSegment | None = None
        for i, s in enumerate(segments):
            if s.start <= early_close <= s.end:
                new_segment = MarketHoursSegment(s.state, s.start, early_close)
                index = i
                break
            if early_close < s.start:
                index = i - 1  # LEAN also drops the segment before the gap
                break
        early = _take(segments, index)
        if new_segment is not None:
            early.append(new_segment)
    if early is not None and (late_open is None or early_close >= late_open):  # type: ignore[operator]
        segments = tuple(early)
    late: list[MarketHoursSegment] | None = None
    if late_open is not None:
        index = 0
        late = []
        for i, s in enumerate(segments):
            if s.start <= late_open <= s.end:
                late.append(MarketHoursSegment(s.state, late_open, s.end))
                index = i + 1
                break
            if late_open < s.start:
                index = i
                break
        late.extend(segments[index:] if len(segments) - index > 0 else ())
        segments = tuple(late)
    if early is not None and late is not None and early_close <= late_open:  # type: ignore[operator]
        segments = tuple(early + late)
    return LocalMarketHours(regular.weekday, segments)


# ----- an exchange's calendar -------------------------------------------------------------------------------------
def _split(t: datetime) -> tuple[date, timedelta]:
    return t.date(), timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _time_of_day(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _at(day: date, tod: timedelta) -> datetime:
    return datetime.combine(day, time()) + tod


class ExchangeHours:
    """An exchange's weekly schedule plus holidays, early closes and late opens (``SecurityExchangeHours``)."""

    def __init__(
        self,
        time_zone: str,
        holidays: Iterable[date],
        hours_by_weekday: dict[int, LocalMarketHours],
        early_closes: dict[date, timedelta],
        late_opens: dict[date, timedelta],
        bank_holidays: Iterable[date] = (),
    ) -> None:
        self.time_zone = time_zone
        self.holidays: frozenset[date] = frozenset(holidays)
        self.bank_holidays: frozenset[date] = frozenset(bank_holidays)
        self.early_closes: dict[date, timedelta] = dict(early_closes)
        self.late_opens: dict[date, timedelta] = dict(late_opens)
        self.regular_hours: dict[int, LocalMarketHours] = {
            wd: hours_by_weekday.get(wd) or LocalMarketHours(wd, ()) for wd in range(7)
        }
        durations = [h.market_duration for h in self.regular_hours.values()]
        # most common weekday market duration, ties to the longer one
        self.regular_market_duration: timedelta = max(set(durations), key=lambda d: (durations.count(d), d))
        self.is_market_always_open = all(h.is_open_all_day for h in self.regular_hours.values())
        self._closed = {wd: LocalMarketHours(wd, ()) for wd in range(7)}
        self._by_date: dict[date, LocalMarketHours] = {}
        self._daily_calendars: dict[tuple[datetime, bool], tuple[datetime, datetime]] = {}
        self._lock = threading.Lock()

    @classmethod
    def always_open(cls, time_zone: str) -> ExchangeHours:
        full = {wd: LocalMarketHours(wd, [MarketHoursSegment(MarketHoursState.MARKET, ZERO, ONE_DAY)]) for wd in range(7)}
        return cls(time_zone, (), full, {}, {})

    def __repr__(self) -> str:
        return f"ExchangeHours({self.time_zone!r}, holidays={len(self.holidays)}, early_closes={len(self.early_closes)})"

    # ----- one date -----------------------------------------------------------------------------------------
    def market_hours_for(self, day: date | datetime) -> LocalMarketHours:
        """The day's segments after holidays, early closes and late opens (``GetMarketHours``)."""
        if isinstance(day, datetime):
            day = day.date()
        cached = self._by_date.get(day)
        if cached is not None:
            return cached
        if day in self.holidays:
            result = self._closed[day.weekday()]
        else:
            regular = self.regular_hours[day.weekday()]
            early, late = self.early_closes.get(day), self.late_opens.get(day)
            result = regular if early is None and late is None else adjust_for_special_days(regular, early, late)
        with self._lock:
            if len(self._by_date) > 100_000:
                self._by_date.clear()
            self._by_date[day] = result
        return result

    def is_date_open(self, day: date | datetime, extended: bool = False) -> bool:
        """Open at all that day; a day with only extended hours counts only when ``extended``."""
        hours = self.market_hours_for(day)
        if hours.is_closed_all_day:
            return False
        if hours.market_duration == ZERO:
            return extended
        return True

    def regular_open(self, day: date) -> datetime | None:
        """Start of the day's first regular (market-state) segment, None if it has none."""
        for s in self.market_hours_for(day).segments:
            if s.state == MarketHoursState.MARKET:
                return _at(day, s.start)
        return None

    def regular_close(self, day: date) -> datetime | None:
        """End of the day's last regular segment (13:00 on an early-close day), None if it has none."""
        for s in reversed(self.market_hours_for(day).segments):
            if s.state == MarketHoursState.MARKET:
                return _at(day, s.end)
        return None

    # ----- instants and intervals ---------------------------------------------------------------------------
    def is_open_at(self, t: datetime, extended: bool = False) -> bool:
        day, tod = _split(t)
        return self.market_hours_for(day).is_open(tod, extended)

    def is_open(self, start: datetime, end: datetime, extended: bool = False) -> bool:
        """Open at any moment of ``[start, end)`` (``IsOpen(start, end, extended)``), across days."""
        if start == end:
            return self.is_open_at(start, extended)
        day = start.date()
        if end.date() == day:  # within one day (every intraday bar): one lookup of that day's hours
            return self.market_hours_for(day).is_open_between_times(start.time(), end.time(), extended)
        cur = start
        day_end = datetime.combine(cur.date(), time()) + ONE_DAY - _TICK
        stop = min(end, day_end)
        while True:
            day, tod = _split(cur)
            if self.market_hours_for(day).is_open_between(tod, _split(stop)[1], extended):
                return True
            cur = datetime.combine(cur.date(), time()) + ONE_DAY
            stop = min(end, stop + ONE_DAY)
            if not stop > cur:
                return False

    def _next_or_previous_first_last(self, day: date, next_day: bool) -> MarketHoursSegment | None:
        other = day + (ONE_DAY if next_day else -ONE_DAY)
        if other in self.early_closes:
            return None
        segs = self.market_hours_for(other).segments
        if not segs:
            return None
        return segs[0] if next_day else segs[-1]

    def get_next_market_open(self, t: datetime, extended: bool = False) -> datetime:
        """First market open strictly after ``t`` (``GetNextMarketOpen``); searches 15 days."""
        day, tod = _split(t)
        limit = day + timedelta(days=15)
        last_segs = self.market_hours_for(day - ONE_DAY).segments
        last_end: timedelta | None = last_segs[-1].end if last_segs else None
        while True:
            hours = self.market_hours_for(day)
            if not hours.is_closed_all_day and day not in self.holidays:
                open_tod = hours.get_market_open(tod, extended, last_end)
                if open_tod is not None:
                    opened = _at(day, open_tod)
                    if t < opened:
                        return opened
                if day in self.early_closes:
                    last_end = None
                else:
                    last_end = hours.segments[-1].end if hours.segments else None
            else:
                last_end = None
            day += ONE_DAY
            tod = ZERO
            if not day < limit:
                raise DataError(f"no market open within 15 days after {t} ({self.time_zone})")

    def get_next_market_close(self, t: datetime, extended: bool = False, last_close: bool = False) -> datetime:
        """First market close strictly after ``t`` (``GetNextMarketClose``); ``last_close`` takes the day's
        last close instead of the first."""
        day, tod = _split(t)
        limit = day + timedelta(days=15)
        while True:
            hours = self.market_hours_for(day)
            if not hours.is_closed_all_day and day not in self.holidays:
                nxt = self._next_or_previous_first_last(day, next_day=True)
                close_tod = hours.get_market_close(tod, extended, last_close, nxt.start if nxt else None)
                if close_tod is not None:
                    closed = _at(day, close_tod)
                    if t < closed:
                        return closed
            day += ONE_DAY
            tod = ZERO
            if not day < limit:
                raise DataError(f"no market close within 15 days after {t} ({self.time_zone})")

    def get_last_daily_market_close(self, t: datetime, extended: bool = False) -> datetime:
        return self.get_next_market_close(t, extended, last_close=True)

    def get_previous_market_open(self, t: datetime, extended: bool = False, first_open: bool = False) -> datetime:
        """Latest market open at or before ``t`` (``GetPreviousMarketOpen``); ``first_open`` returns the
        first open of that trading day instead. Searches 9 days back."""
        day = t.date()
        for _ in range(9):
            potential: datetime | None = None
            for s in reversed(self.market_hours_for(day).segments):
                opened = _at(day, s.start)
                if opened <= t and (s.state == MarketHoursState.MARKET or extended):
                    if first_open:
                        potential = opened
                    elif self.get_next_market_open(opened - _TICK, extended) == opened:
                        return opened
            if potential is not None:
                return potential
            day -= ONE_DAY
        raise DataError(f"no market open within 9 days before {t} ({self.time_zone})")

    def get_first_daily_market_open(self, t: datetime, extended: bool = False) -> datetime:
        return self.get_previous_market_open(t, extended, first_open=True)

    def get_previous_market_close(self, t: datetime, extended: bool = False) -> datetime:
        """Latest regular (or extended) segment end strictly before ``t`` that closes the market (no LEAN
        counterpart; a convenience built on ``get_next_market_close``)."""
        day = t.date()
        for _ in range(15):
            for s in reversed(self.market_hours_for(day).segments):
                closed = _at(day, s.end)
                if closed < t and (s.state == MarketHoursState.MARKET or extended):
                    if self.get_next_market_close(closed - _TICK, extended) == closed:
                        return closed
            day -= ONE_DAY
        raise DataError(f"no market close within 15 days before {t} ({self.time_zone})")

    # ----- daily bars and trading days ----------------------------------------------------------------------
    def daily_calendar(self, t: datetime, extended: bool = False) -> tuple[datetime, datetime]:
        """``LeanData.GetDailyCalendar``: (first open, last close) of the trading day a daily bar ending at
        ``t`` belongs to. A daily file bar stamped D 00:00 ends at D+1 00:00, so with strict end times
        (LEAN's default ``DailyPreciseEndTime``) it spans D 09:30 → D 16:00 (13:00 on early closes)."""
        key = (t, extended)
        cached = self._daily_calendars.get(key)
        if cached is None:
            start = self.get_first_daily_market_open(t, extended)
            cached = self._daily_calendars[key] = (start, self.get_last_daily_market_close(start, extended))
        return cached

    def next_trading_day(self, day: date) -> date:
        """First date after ``day`` with regular hours (``GetNextTradingDay``)."""
        d = day + ONE_DAY
        while not self.is_date_open(d):
            d += ONE_DAY
        return d

    def previous_trading_day(self, day: date) -> date:
        d = day - ONE_DAY
        while not self.is_date_open(d):
            d -= ONE_DAY
        return d

    def trading_days(self, start: date, end: date, extended: bool = False) -> list[date]:
        """Dates in ``[start, end]`` that are open (``Time.EachTradeableDay``)."""
        out: list[date] = []
        d = start
        while d <= end:
            if self.is_date_open(d, extended):
                out.append(d)
            d += ONE_DAY
        return out


# ----- the database --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketHoursEntry:
    data_time_zone: str
    exchange_hours: ExchangeHours

    @property
    def exchange_time_zone(self) -> str:
        return self.exchange_hours.time_zone


@dataclass(frozen=True)
class _Key:
    security_type: SecurityType
    market: str  # lower case
    symbol: str  # upper case, WILDCARD for the common entry


def _key(security_type: SecurityType, market: str | None, symbol: str | None) -> _Key:
    return _Key(SecurityType(security_type), (market or WILDCARD).lower(), (symbol or WILDCARD).upper())


class MarketHoursDatabase:
    """``market-hours/market-hours-database.json``; entries are converted lazily and cached."""

    def __init__(self, raw_entries: dict[str, Any], path: Path | None = None) -> None:
        self.path = path
        self._raw: dict[_Key, dict[str, Any]] = {}
        self._order: dict[_Key, int] = {}
        for index, (text, value) in enumerate(raw_entries.items()):
            parts = text.split("-")
            if len(parts) != 3 or parts[0] == WILDCARD:
                raise CorruptDataError(path or "market-hours-database.json", f"bad entry key {text!r}")
            st = parse_security_type(parts[0])
            if st is None:
                continue  # LEAN logs and skips unknown security types
            key = _key(st, parts[1], parts[2])
            self._raw[key] = value
            self._order[key] = index
        self._entries: dict[_Key, MarketHoursEntry] = {}
        self._lock = threading.RLock()

    @classmethod
    def load(cls, path: Path | str) -> MarketHoursDatabase:
        """Parse the database (cached per process until the file changes)."""
        p = Path(path)
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise MissingDataError(p, "market hours database") from None
        key = (os.path.abspath(p), st.st_mtime_ns, st.st_size)
        with _DB_LOCK:
            cached = _DATABASES.get(key)
        if cached is not None:
            return cached
        try:
            payload = json.loads(p.read_bytes())
            entries = payload["entries"]
            if not isinstance(entries, dict):
                raise TypeError("'entries' is not an object")
        except (ValueError, KeyError, TypeError) as err:
            raise CorruptDataError(p, f"not a LEAN market hours database ({err})") from None
        db = cls(entries, p)
        with _DB_LOCK:
            _DATABASES[key] = db
        return db

    def keys(self) -> list[tuple[SecurityType, str, str]]:
        return [(k.security_type, k.market, k.symbol) for k in self._raw]

    def _convert(self, key: _Key) -> MarketHoursEntry:
        with self._lock:
            done = self._entries.get(key)
            if done is not None:
                return done
            raw = self._raw[key]
            where = self.path or "market-hours-database.json"
            is_option = key.security_type in _OPTION_UNDERLYING
            # LEAN converts non-option entries first, then options, each in file order; an entry merges in
            # the common ([*]) entry of its market only if that one was converted before it
            market_entry: MarketHoursEntry | None = None
            common = _Key(key.security_type, key.market, WILDCARD)
            if common != key and common in self._raw and self._order[common] < self._order[key]:
                market_entry = self._convert(common)
            underlying_entry: MarketHoursEntry | None = None
            if is_option:
                underlying_type = _OPTION_UNDERLYING[key.security_type]
                symbol = key.symbol
                if key.security_type == SecurityType.INDEX_OPTION:
                    symbol = _INDEX_OPTION_UNDERLYING.get(symbol, symbol)
                ukey = _Key(underlying_type, key.market, symbol)
                if ukey not in self._raw and symbol != WILDCARD:
                    ukey = _Key(underlying_type, key.market, WILDCARD)
                if ukey in self._raw:
                    underlying_entry = self._convert(ukey)
            try:
                entry = _convert_entry(raw, underlying_entry, market_entry)
            except (ValueError, KeyError, TypeError) as err:
                raise CorruptDataError(where, f"entry {key.security_type.name}-{key.market}-{key.symbol}: {err}") from None
            self._entries[key] = entry
            return entry

    def try_get_entry(self, security_type: SecurityType, market: str, symbol: str | None) -> MarketHoursEntry | None:
        """LEAN's lookup: the exact ``type-market-symbol`` key, else the market's ``[*]`` entry."""
        key = _key(security_type, market, symbol)
        if key in self._raw:
            return self._convert(key)
        common = _Key(key.security_type, key.market, WILDCARD)
        if common in self._raw:
            return self._convert(common)
        return None

    def get_entry(self, security_type: SecurityType, market: str, symbol: str | None = None) -> MarketHoursEntry:
        """Like ``try_get_entry`` but an unknown key raises ``DataError`` naming the database. For options
        pass the underlying ticker (LEAN keys option entries by it)."""
        entry = self.try_get_entry(security_type, market, symbol)
        if entry is None:
            raise DataError(
                f"no market hours for {SecurityType(security_type).name} {market}/{symbol} in "
                f"{self.path or 'the market hours database'}; add an entry or use a supported market"
            )
        return entry

    def get_exchange_hours(self, security_type: SecurityType, market: str, symbol: str | None = None) -> ExchangeHours:
        return self.get_entry(security_type, market, symbol).exchange_hours


def _convert_entry(
    raw: dict[str, Any], underlying: MarketHoursEntry | None, market: MarketHoursEntry | None
) -> MarketHoursEntry:
    hours: dict[int, LocalMarketHours] = {}
    for wd, name in enumerate(_DAY_NAMES):
        segments = [
            MarketHoursSegment(_STATES[str(s["state"]).lower()], parse_timespan(s["start"]), parse_timespan(s["end"]))
            for s in (raw.get(name) or [])
        ]
        hours[wd] = LocalMarketHours(wd, segments)
    holidays = {_parse_mdy(x) for x in raw.get("holidays") or []}
    bank_holidays = {_parse_mdy(x) for x in raw.get("bankHolidays") or []}
    early = {_parse_mdy(k): parse_timespan(v) for k, v in (raw.get("earlyCloses") or {}).items()}
    late = {_parse_mdy(k): parse_timespan(v) for k, v in (raw.get("lateOpens") or {}).items()}
    if underlying is not None:
        # an option without its own special days inherits its underlying's
        u = underlying.exchange_hours
        holidays = holidays or set(u.holidays)
        bank_holidays = bank_holidays or set(u.bank_holidays)
        early = early or dict(u.early_closes)
        late = late or dict(u.late_opens)
    if market is not None:
        m = market.exchange_hours
        holidays |= m.holidays
        bank_holidays |= m.bank_holidays
        if m.early_closes:
            early = {**m.early_closes, **early}
        if m.late_opens:
            late = {**m.late_opens, **late}
    tz = str(raw["exchangeTimeZone"])
    data_tz = str(raw["dataTimeZone"])
    return MarketHoursEntry(data_tz, ExchangeHours(tz, holidays, hours, early, late, bank_holidays))


_DB_LOCK = threading.Lock()
_DATABASES: dict[tuple[str, int, int], MarketHoursDatabase] = {}
