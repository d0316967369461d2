"""Point-in-time market data for paper trading, read from a LEAN data folder with ``lean_local.data``.

Every lookup takes an explicit ``at`` (naive New York exchange time, like LEAN's equity data) and only
returns what was known then: a bar is visible once it has *ended* (minute bar ``t`` ends at ``t + 1 min``;
a daily bar at the day's regular close from the market-hours database). Prices are LEAN's raw file prices
(unadjusted, as traded), so fills match what a LEAN backtest in raw mode would see.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

import numpy as np

from lean_local.data import bars as lb
from lean_local.data.errors import DataError
from lean_local.data.market_hours import ExchangeHours, MarketHoursDatabase
from lean_local.data.paths import DataFolder
from lean_local.enums import Resolution, SecurityType, TickType

MARKET = "usa"
MINUTE = timedelta(minutes=1)
NS_PER_SECOND = 1_000_000_000
TICKER_RE = re.compile(r"^[A-Z][A-Z0-9.]{0,9}$")
ResolutionName = Literal["minute", "hour", "daily"]
_RESOLUTIONS = {"minute": Resolution.MINUTE, "hour": Resolution.HOUR, "daily": Resolution.DAILY}


class MarketDataError(ValueError):
    """A request the data folder cannot answer (unknown symbol, no data at that time, bad arguments)."""


@dataclass(frozen=True)
class Bar:
    symbol: str
    resolution: str
    start: datetime
    end: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: int

    def to_json(self) -> dict[str, object]:
        return {
            "symbol": self.symbol,
            "resolution": self.resolution,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "open": float(self.open),
            "high": float(self.high),
            "low": float(self.low),
            "close": float(self.close),
            "volume": self.volume,
        }


@dataclass(frozen=True)
class Quote:
    symbol: str
    time: datetime
    bid: Decimal | None
    ask: Decimal | None
    bid_size: int
    ask_size: int
    last: Decimal
    source: str  # "quote bars" or "trade bars" (no quote data: bid = ask = last trade)


@dataclass(frozen=True)
class SymbolInfo:
    symbol: str
    resolutions: tuple[str, ...]
    first_date: date | None
    last_date: date | None
    minute_days: int


def normalize_symbol(symbol: object) -> str:
    if not isinstance(symbol, str):
        raise MarketDataError("symbol must be a string such as 'SPY'")
    s = symbol.strip().upper()
    if not TICKER_RE.match(s):
        raise MarketDataError(f"{symbol!r} is not a ticker (1-10 letters, digits or '.', starting with a letter)")
    return s


def _ns_to_datetime(ns: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(microseconds=int(ns) // 1000)


class MarketData:
    """Read-only, point-in-time view of one LEAN data folder (US equities)."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._hours: dict[str, ExchangeHours] = {}
        self._db: MarketHoursDatabase | None = None

    # ----- calendar ------------------------------------------------------------------------------------------
    def exchange_hours(self, symbol: str) -> ExchangeHours:
        with self._lock:
            hours = self._hours.get(symbol)
            if hours is None:
                if self._db is None:
                    self._db = MarketHoursDatabase.load(self.folder.market_hours_database())
                hours = self._db.get_exchange_hours(SecurityType.EQUITY, MARKET, symbol)
                self._hours[symbol] = hours
            return hours

    def is_market_open(self, symbol: str, at: datetime, extended: bool = False) -> bool:
        return bool(self.exchange_hours(symbol).is_open_at(at, extended))

    def regular_close(self, symbol: str, day: date) -> datetime | None:
        return self.exchange_hours(symbol).regular_close(day)

    # ----- inventory -------------------------------------------------------------------------------------------
    def symbols(self) -> list[SymbolInfo]:
        names: set[str] = set()
        for res in ("daily", "hour"):
            d = self.folder.equity_dir(_RESOLUTIONS[res])
            if d.is_dir():
                names.update(n[:-4].upper() for n in os.listdir(d) if n.endswith(".zip"))
        minute_dir = self.folder.equity_dir(Resolution.MINUTE)
        if minute_dir.is_dir():
            names.update(n.upper() for n in os.listdir(minute_dir) if (minute_dir / n).is_dir())
        out = []
        for name in sorted(n for n in names if TICKER_RE.match(n)):
            out.append(self.symbol_info(name))
        return out

    def symbol_info(self, symbol: str) -> SymbolInfo:
        resolutions: list[str] = []
        first: date | None = None
        last: date | None = None
        for res in ("daily", "hour"):
            arrays = lb.load_daily_or_hour(self.folder, symbol, _RESOLUTIONS[res])
            if arrays is not None and len(arrays):
                resolutions.append(res)
                f, lst = _ns_to_datetime(arrays.time[0]).date(), _ns_to_datetime(arrays.time[-1]).date()
                first = f if first is None else min(first, f)
                last = lst if last is None else max(last, lst)
        days = lb.available_intraday_days(self.folder, symbol)
        if days:
            resolutions.insert(0, "minute")
            first = days[0] if first is None else min(first, days[0])
            last = days[-1] if last is None else max(last, days[-1])
        return SymbolInfo(symbol, tuple(resolutions), first, last, len(days))

    def has_symbol(self, symbol: str) -> bool:
        return bool(self.symbol_info(symbol).resolutions)

    # ----- bars ---------------------------------------------------------------------------------------------------
    def _bar(self, symbol: str, resolution: str, arrays: lb.TradeBarArrays, i: int, end: datetime) -> Bar:
        return Bar(
            symbol=symbol,
            resolution=resolution,
            start=_ns_to_datetime(arrays.time[i]),
            end=end,
            open=lb.raw_to_decimal(arrays.open[i]),
            high=lb.raw_to_decimal(arrays.high[i]),
            low=lb.raw_to_decimal(arrays.low[i]),
            close=lb.raw_to_decimal(arrays.close[i]),
            volume=int(arrays.volume[i]),
        )

    def _daily_end(self, symbol: str, start: datetime) -> datetime:
        close = self.regular_close(symbol, start.date())
        return close if close is not None else datetime.combine(start.date(), time(16, 0))

    def bars_between(
        self, symbol: str, resolution: str, after: datetime | None, until: datetime, last: int | None = None
    ) -> list[Bar]:
        """Bars that ended in ``(after, until]`` in time order (``after=None``: from the first bar); with
        ``last``, only the last ``last`` of them."""
        if resolution not in _RESOLUTIONS:
            raise MarketDataError(f"resolution must be one of {sorted(_RESOLUTIONS)}, not {resolution!r}")
        out: list[Bar] = []
        if resolution == "minute":
            for day in lb.available_intraday_days(self.folder, symbol):
                if (after is not None and day < after.date()) or day > until.date():
                    continue
                arrays = lb.load_minute_day(self.folder, symbol, day)
                assert isinstance(arrays, lb.TradeBarArrays)
                for i in range(len(arrays)):
                    start = _ns_to_datetime(arrays.time[i])
                    end = start + MINUTE
                    if end <= until and (after is None or end > after):
                        out.append(self._bar(symbol, "minute", arrays, i, end))
            return out[-last:] if last is not None else out
        arrays_or_none = lb.load_daily_or_hour(self.folder, symbol, _RESOLUTIONS[resolution])
        if arrays_or_none is None:
            return out
        arrays = arrays_or_none
        # a bar starts before it ends, so only starts <= until can qualify; walk back from there
        hi = int(np.searchsorted(arrays.time, np.int64(_ns(until)), "right"))
        for i in range(hi - 1, -1, -1):
            start = _ns_to_datetime(arrays.time[i])
            end = self._daily_end(symbol, start) if resolution == "daily" else start + timedelta(hours=1)
            if after is not None and end <= after:
                break
            if end <= until:
                out.append(self._bar(symbol, resolution, arrays, i, end))
                if last is not None and len(out) >= last:
                    break
        out.reverse()
        return out

    def latest_bar(self, symbol: str, at: datetime, resolution: str | None = None) -> Bar:
        """The last bar that ended at or before ``at``: minute data of that day first, else daily."""
        order = [resolution] if resolution else ["minute", "daily"]
        for res in order:
            if res == "minute":
                candidates = self.bars_between(symbol, "minute", datetime.combine(at.date(), time(0)), at, last=1)
            elif res in ("daily", "hour"):
                candidates = self.bars_between(symbol, res, None, at, last=1)
            else:
                raise MarketDataError(f"resolution must be one of {sorted(_RESOLUTIONS)}, not {res!r}")
            if candidates:
                return candidates[-1]
        raise MarketDataError(f"no {resolution or 'minute or daily'} bar of {symbol} ended at or before {at.isoformat()}")

    def latest_price(self, symbol: str, at: datetime) -> Decimal:
        return self.latest_bar(symbol, at).close

    def latest_quote(self, symbol: str, at: datetime) -> Quote:
        bar = self.latest_bar(symbol, at)
        path = self.folder.equity_minute_zip(symbol, at.date(), TickType.QUOTE)
        if bar.resolution == "minute" and path.exists():
            quotes = lb.read_quote_bars(path, day=at.date())
            idx = int(np.searchsorted(quotes.time, np.int64(_ns(at - MINUTE)), "right")) - 1
            if idx >= 0:
                has_bid, has_ask = bool(quotes.has_bid[idx]), bool(quotes.has_ask[idx])
                return Quote(
                    symbol=symbol,
                    time=_ns_to_datetime(quotes.time[idx]) + MINUTE,
                    bid=lb.raw_to_decimal(quotes.bid_close[idx]) if has_bid else None,
                    ask=lb.raw_to_decimal(quotes.ask_close[idx]) if has_ask else None,
                    bid_size=int(quotes.bid_size[idx]),
                    ask_size=int(quotes.ask_size[idx]),
                    last=bar.close,
                    source="quote bars",
                )
        return Quote(symbol, bar.end, bar.close, bar.close, 0, 0, bar.close, "trade bars")

    def execution_quote(self, symbol: str, side: str, at: datetime) -> tuple[Decimal, datetime]:
        """What a marketable order would pay at ``at`` and when that price was set: the ask for a buy, the bid
        for a sell (minute quote data), else the last trade price. The risk checks value the order at it."""
        quote = self.latest_quote(symbol, at)
        price = quote.ask if side == "buy" else quote.bid
        return (price if price is not None and price > 0 else quote.last), quote.time

    def execution_price(self, symbol: str, side: str, at: datetime) -> Decimal:
        return self.execution_quote(symbol, side, at)[0]

def _ns(t: datetime) -> int:
    delta = t - datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * NS_PER_SECOND + delta.microseconds * 1000


__all__ = [
    "Bar",
    "DataError",
    "MarketData",
    "MarketDataError",
    "Quote",
    "SymbolInfo",
    "normalize_symbol",
]
