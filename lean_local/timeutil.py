"""Conversions between the engine's naive exchange-local clock, UTC and integer nanoseconds."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

NEW_YORK = "America/New_York"
_EPOCH = datetime(1970, 1, 1)
NS_PER_SECOND = 1_000_000_000
NS_PER_MINUTE = 60 * NS_PER_SECOND
NS_PER_HOUR = 60 * NS_PER_MINUTE
NS_PER_DAY = 24 * NS_PER_HOUR


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(local: datetime, tz_name: str = NEW_YORK) -> datetime:
    """Naive local time in ``tz_name`` → naive UTC time."""
    aware = local.replace(tzinfo=zone(tz_name))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def from_utc(utc: datetime, tz_name: str = NEW_YORK) -> datetime:
    """Naive UTC time → naive local time in ``tz_name``."""
    return utc.replace(tzinfo=timezone.utc).astimezone(zone(tz_name)).replace(tzinfo=None)


def convert(local: datetime, from_tz: str, to_tz: str) -> datetime:
    if from_tz == to_tz:
        return local
    return from_utc(to_utc(local, from_tz), to_tz)


def unix_seconds(utc: datetime) -> float:
    return (utc - _EPOCH).total_seconds()


def to_ns(moment: datetime | date) -> int:
    """Naive datetime (or date at midnight) → int64 nanoseconds on the same naive clock."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * NS_PER_SECOND + delta.microseconds * 1000


def from_ns(ns: int | np.integer) -> datetime:
    value = int(ns)
    return _EPOCH + timedelta(microseconds=value // 1000)


def iso_utc(utc: datetime) -> str:
    """``yyyy-MM-ddTHH:mm:ssZ`` as LEAN writes state and configuration dates."""
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
