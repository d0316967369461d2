"""LEAN map files: which ticker a security traded under on each date, when it listed and when it delisted.

``equity/usa/map_files/<permtick>.csv`` has rows ``yyyyMMdd,ticker[,exchange[,mapping mode]]``; a row says
"up to and including this date the ticker was X". The first row's date is the listing date, the last row's
the delisting date (2050-12-31 = still trading). Mirrors ``MapFile``, ``MapFileRow``, ``MapFileResolver`` and
``LocalDiskMapFileProvider``.
"""
from __future__ import annotations

import bisect
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.paths import USA, DataFolder

BEGINNING_OF_TIME = date(1899, 12, 30)
"""``Time.BeginningOfTime`` / ``SecurityIdentifier.DefaultDate`` (OLE date 0)."""
END_OF_TIME = date(2050, 12, 31)
"""``Time.EndOfTime``: the delisting date of a map file without rows, and the usual 'still listed' row."""

_MAPPING_MODES = {
    "0": 0, "lasttradingday": 0,
    "1": 1, "firstdaymonth": 1,
    "2": 2, "openinterest": 2,
    "3": 3, "openinterestannual": 3,
}


@dataclass(frozen=True)
class MapFileRow:
    date: date
    mapped_symbol: str  # upper case, as LEAN stores it
    primary_exchange: str = ""  # raw exchange code from the file ("Q", "N", "P"...), "" if absent
    data_mapping_mode: int | None = None


@dataclass(frozen=True)
class TickerChange:
    """A rename: ``old`` was used up to and including ``last_old_date``; the feed emits the
    ``SymbolChangedEvent`` on the first tradable date after it."""

    last_old_date: date
    old: str
    new: str


def _parse_rows(lines: list[str], path: Path) -> list[MapFileRow]:
    rows: list[MapFileRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        csv = line.split(",")
        if len(csv) < 2:
            raise CorruptDataError(path, f"expected 'yyyyMMdd,ticker[,exchange]', got {line!r}", line=number)
        try:
            if len(csv[0]) != 8:
                raise ValueError
            day = datetime.strptime(csv[0], "%Y%m%d").date()
        except ValueError:
            raise CorruptDataError(path, f"bad date {csv[0]!r} (expected yyyyMMdd)", line=number) from None
        mode: int | None = None
        if len(csv) >= 4 and csv[3]:
            key = csv[3].lower()
            if key not in _MAPPING_MODES:
                continue  # LEAN skips rows with unknown mapping modes
            mode = _MAPPING_MODES[key]
        rows.append(MapFileRow(day, csv[1].upper(), csv[2] if len(csv) >= 3 else "", mode))
    return rows


class MapFile:
    """The rows of one permtick, sorted by date. ``missing`` marks the empty stand-in LEAN uses when no map
    file exists (data then always 'exists', no delisting)."""

    def __init__(self, permtick: str, rows: list[MapFileRow], path: Path | None = None, missing: bool = False) -> None:
        if not permtick:
            raise ValueError("a map file needs a permtick")
        self.permtick = permtick.upper()
        self.path = path
        self.missing = missing
        unique = list(dict.fromkeys(rows))  # Distinct() keeps first occurrences, then a stable sort by date
        self.rows: tuple[MapFileRow, ...] = tuple(sorted(unique, key=lambda r: r.date))
        self._dates = [r.date for r in self.rows]
        if self.rows:
            self.first_date = self.rows[0].date
            self.delisting_date = self.rows[-1].date
        else:
            self.first_date = BEGINNING_OF_TIME
            self.delisting_date = END_OF_TIME
        first = self.get_mapped_symbol(self.first_date, self.permtick)
        # 'AAA.1'-style names lose their numeric suffix
        if first and first[-1].isdigit():
            dot = first.rfind(".")
            if dot > 0 and first[dot + 1 :].isdigit():
                first = first[:dot]
        self.first_ticker = first

    def __repr__(self) -> str:
        return f"MapFile({self.permtick!r}, {self.first_date}..{self.delisting_date}, rows={len(self.rows)})"

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def load(cls, path: Path | str) -> MapFile:
        p = Path(path)
        if not p.exists():
            raise MissingDataError(p, f"map file for {p.stem.upper()}")
        return cls(p.stem, _parse_rows(p.read_text(encoding="utf-8-sig").splitlines(), p), p)

    @classmethod
    def empty(cls, permtick: str, path: Path | None = None) -> MapFile:
        return cls(permtick, [], path, missing=True)

    def get_mapped_symbol(self, day: date, default: str = "", data_mapping_mode: int | None = None) -> str:
        """``GetMappedSymbol``: ticker of the first row dated on or after ``day`` (rows of another mapping
        mode skipped), else ``default``."""
        i = bisect.bisect_left(self._dates, day)
        for row in self.rows[i:]:
            if row.data_mapping_mode is not None and row.data_mapping_mode != data_mapping_mode:
                continue
            return row.mapped_symbol
        return default

    def mapped_ticker(self, day: date) -> str:
        """Ticker to use for data paths on ``day`` (after delisting: the last ticker)."""
        default = self.rows[-1].mapped_symbol if self.rows else self.permtick
        return self.get_mapped_symbol(day, default)

    def has_data(self, day: date) -> bool:
        """``HasData``: the feed only reads dates between listing and delisting (all dates without rows)."""
        if not self.rows:
            return True
        return self.first_date <= day <= self.delisting_date

    def ticker_changes(self) -> list[TickerChange]:
        """Renames implied by consecutive rows with different tickers."""
        out: list[TickerChange] = []
        for prev, row in zip(self.rows, self.rows[1:]):
            if row.mapped_symbol != prev.mapped_symbol:
                out.append(TickerChange(prev.date, prev.mapped_symbol, row.mapped_symbol))
        return out

    def primary_exchange(self, day: date) -> str:
        i = bisect.bisect_left(self._dates, day)
        if i < len(self.rows):
            return self.rows[i].primary_exchange
        return self.rows[-1].primary_exchange if self.rows else ""


class MapFileResolver:
    """All map files of a market folder, indexed by permtick and by every ticker they ever used."""

    def __init__(self, map_files: list[MapFile]) -> None:
        self._by_permtick: dict[str, MapFile] = {}
        self._by_symbol: dict[str, tuple[list[date], list[str]]] = {}
        staged: dict[str, dict[date, str]] = {}
        for mf in map_files:
            self._by_permtick[mf.permtick] = mf
            for row in mf.rows:
                # on a date clash the first map file wins (LEAN loads in parallel, so its order is arbitrary)
                staged.setdefault(row.mapped_symbol, {}).setdefault(row.date, mf.permtick)
        for symbol, entries in staged.items():
            dates = sorted(entries)
            self._by_symbol[symbol] = (dates, [entries[d] for d in dates])

    @classmethod
    def load(cls, directory: Path | str) -> MapFileResolver:
        """Every ``*.csv`` of a ``map_files`` folder (cached per process until the folder changes)."""
        d = Path(directory)
        if not d.is_dir():
            raise MissingDataError(d / "<permtick>.csv", "map files folder")
        key = (os.path.abspath(d), os.stat(d).st_mtime_ns)
        with _LOCK:
            cached = _RESOLVERS.get(key)
        if cached is not None:
            return cached
        files = sorted(n for n in os.listdir(d) if n.endswith(".csv"))
        resolver = cls([MapFile.load(d / n) for n in files])
        with _LOCK:
            _RESOLVERS[key] = resolver
        return resolver

    @classmethod
    def for_data_folder(cls, folder: DataFolder, market: str = USA) -> MapFileResolver:
        return cls.load(folder.map_files_dir(market))

    def __len__(self) -> int:
        return len(self._by_permtick)

    def get_by_permtick(self, permtick: str) -> MapFile | None:
        return self._by_permtick.get(permtick.upper())

    def resolve(self, symbol: str, day: date) -> MapFile:
        """``ResolveMapFile(symbol, date)``: the map file whose row for ``symbol`` is the first dated on or
        after ``day`` (the last one past the end); else a file named ``symbol``; else an empty map file."""
        name = symbol.upper()
        found = self._by_symbol.get(name)
        if found is not None:
            dates, entities = found
            i = bisect.bisect_left(dates, day)
            name = entities[min(i, len(dates) - 1)]
        mf = self._by_permtick.get(name)
        if mf is None or (mf.first_date > day and day != BEGINNING_OF_TIME):
            return MapFile.empty(name)
        return mf

    def first_ticker_and_date(self, ticker: str, resolve_date: date | None = None) -> tuple[str, date]:
        """How LEAN builds an equity's identity from a ticker (``GetFirstTickerAndDate``): resolved as of
        ``resolve_date``, which LEAN sets to the machine's *today* for ``AddEquity``/``Symbol.Create``.
        Without a map file: the ticker itself and ``BEGINNING_OF_TIME``."""
        mf = self.resolve(ticker, resolve_date or date.today())
        if len(mf) == 0:
            return ticker.upper(), BEGINNING_OF_TIME
        return mf.first_ticker, mf.first_date

    def resolve_security(self, ticker: str, resolve_date: date | None = None) -> MapFile:
        """The map file the data feed uses for a ticker an algorithm adds: identity first (as of today),
        then ``resolve(first_ticker, first_date)``, as ``MappingExtensions.ResolveMapFile`` does."""
        first_ticker, first_date = self.first_ticker_and_date(ticker, resolve_date)
        return self.resolve(first_ticker, first_date)


_LOCK = threading.Lock()
_RESOLVERS: dict[tuple[str, int], MapFileResolver] = {}
