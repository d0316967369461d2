"""Time-zone conversions with LEAN's lenient rules, plus the few C# time formats scheduling needs.

LEAN converts local event times to UTC through NodaTime with a resolver that, for a wall-clock time
that occurs twice (autumn fall-back), picks the *later* instant and, for one that never occurs (spring
gap), picks the instant the gap ends. ``zoneinfo`` resolves both cases differently (``fold=0``), so
scheduled times on DST-change days would drift by an hour without this module.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from lean_local.timeutil import zone

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"})

#: ``DateTime.MaxValue``: what an exhausted event reports as its next time.
MAX_TIME = datetime.max
#: ``Time.EndOfTime``: scheduled date rules are enumerated up to this day.
END_OF_TIME = datetime(2050, 12, 31)


def tz_name(value: Any) -> str:
    """Accept a zone name, a ``ZoneInfo`` or any object with ``key``/``id``/``name`` and return the IANA name.

    Algorithms pass ``TimeZones.NEW_YORK``-style values whose concrete type depends on who built the
    ``AlgorithmImports`` facade, so be liberal in what is accepted.
    """
    if isinstance(value, str):
        return value
    for attr in ("key", "id", "name"):
        candidate = getattr(value, attr, None)
        if isinstance(candidate, str):
            return candidate
    raise TypeError(f"cannot interpret {value!r} as a time zone; pass an IANA name such as 'America/New_York'")


def to_utc(local: datetime, tz: str) -> datetime:
    """Naive local time in ``tz`` → naive UTC using LEAN's lenient resolver (see module docstring)."""
    if tz in UTC_NAMES:
        return local
    return _to_utc_cached(local, tz)


@lru_cache(maxsize=65536)
def _to_utc_cached(local: datetime, tz: str) -> datetime:
    zi = zone(tz)
    early = local.replace(tzinfo=zi, fold=0).astimezone(timezone.utc).replace(tzinfo=None)
    late = local.replace(tzinfo=zi, fold=1).astimezone(timezone.utc).replace(tzinfo=None)
    if early == late:
        return early
    lo, hi = min(early, late), max(early, late)
    if _local_of(lo, tz) == local and _local_of(hi, tz) == local:
        # ambiguous wall-clock time: the later instant wins
        return hi
    # skipped wall-clock time: the first instant after the gap, i.e. the transition itself
    target = hi.replace(tzinfo=timezone.utc).astimezone(zi).utcoffset()
    base = lo.replace(microsecond=0)
    lo_s, hi_s = 0, int((hi - base).total_seconds()) + 1
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        probe = (base + timedelta(seconds=mid)).replace(tzinfo=timezone.utc).astimezone(zi).utcoffset()
        if probe == target:
            hi_s = mid
        else:
            lo_s = mid + 1
    return base + timedelta(seconds=lo_s)


def _local_of(utc: datetime, tz: str) -> datetime:
    return utc.replace(tzinfo=timezone.utc).astimezone(zone(tz)).replace(tzinfo=None)


def from_utc(utc: datetime, tz: str) -> datetime:
    """Naive UTC → naive local time in ``tz`` (always unambiguous)."""
    if tz in UTC_NAMES:
        return utc
    return _local_of(utc, tz)


def as_date_time(value: datetime | date) -> datetime:
    """C# ``DateTime.Date``: midnight of the value's day, as a naive ``datetime``."""
    if isinstance(value, datetime):
        return datetime.combine(value.date(), time())
    return datetime.combine(value, time())


def each_day(start: datetime, end: datetime) -> Iterator[datetime]:
    """``Time.EachDay``: every midnight from ``start.Date`` through ``end.Date`` inclusive."""
    day = as_date_time(start)
    last = as_date_time(end)
    one = timedelta(days=1)
    while day <= last:
        yield day
        day += one


def format_0_hash(value: float) -> str:
    """C# ``ToString("0.##")``: at most two decimals, rounded half away from zero, no trailing zeros."""
    quantized = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = format(quantized, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def csharp_datetime(value: datetime) -> str:
    """Invariant-culture ``DateTime.ToString()`` (``MM/dd/yyyy HH:mm:ss``), used in error contexts."""
    return value.strftime("%m/%d/%Y %H:%M:%S")
