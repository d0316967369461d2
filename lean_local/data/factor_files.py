"""LEAN factor files: price scale factors and the split/dividend events derived from them.

A factor file ``equity/usa/factor_files/<permtick>.csv`` has rows ``yyyyMMdd,price_factor,split_factor
[,reference_price]``. A row's factors apply to every day *up to and including* its date back to the previous
row; the last row (usually 2050-12-31, factors 1) covers the present. A row dated D whose factors differ from
the next row's marks a corporate action effective on the trading day after D; its reference price is D's
raw close. Everything mirrors ``CorporateFactorProvider``/``CorporateFactorRow`` and the feed's
``SplitEventProvider``/``DividendEventProvider``.
"""
from __future__ import annotations

import bisect
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol

from lean_local.csharp import round_decimal
from lean_local.data import _decimal as cs
from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.paths import USA, DataFolder
from lean_local.enums import DataNormalizationMode, SplitType

ONE = Decimal(1)
ZERO = Decimal(0)


class TradingCalendar(Protocol):
    """What event dating needs from exchange hours (``market_hours.ExchangeHours`` satisfies it)."""

    def next_trading_day(self, day: date) -> date: ...


@dataclass(frozen=True)
class FactorRow:
    """One factor-file row, decimals exactly as written."""

    date: date
    price_factor: Decimal
    split_factor: Decimal
    reference_price: Decimal = ZERO

    @cached_property
    def price_scale_factor(self) -> Decimal:
        """``PriceFactor * SplitFactor`` (what Adjusted mode multiplies prices by); computed once per row."""
        return cs.mul(self.price_factor, self.split_factor)


@dataclass(frozen=True)
class SplitEvent:
    """A split as LEAN's data emits it: ``time`` is the effective (ex) date, i.e. the trading day after
    ``row_date``; ``split_factor`` is e.g. 0.142857 for a 7:1 split; ``reference_price`` is the raw close
    of ``row_date``. ``type`` is SPLIT_OCCURRED here (the feed also emits a WARNING on ``row_date``)."""

    time: date
    split_factor: Decimal
    reference_price: Decimal
    row_date: date
    type: SplitType = SplitType.SPLIT_OCCURRED


@dataclass(frozen=True)
class DividendEvent:
    """A dividend on its ex date ``time`` (trading day after ``row_date``); ``distribution`` is
    ``Math.Round(ref - ref * price_factor_ratio, 2)`` with ``price_factor_ratio = pf(row) / pf(next row)``."""

    time: date
    distribution: Decimal
    reference_price: Decimal
    price_factor_ratio: Decimal
    row_date: date


def compute_distribution(reference_price: Decimal, price_factor_ratio: Decimal, decimal_places: int = 2) -> Decimal:
    """LEAN's ``Dividend.ComputeDistribution``: ``Math.Round(close - close * ratio, places)`` (half-even)."""
    return round_decimal(cs.sub(reference_price, cs.mul(reference_price, price_factor_ratio)), decimal_places)


def _parse_decimal(text: str, path: Path, line: int) -> Decimal:
    # decimal.Parse(InvariantCulture): optional sign, digits, one '.', surrounding spaces; no exponent
    stripped = text.strip()
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if not body or body.count(".") > 1 or not body.replace(".", "").isdigit():
        raise CorruptDataError(path, f"not a decimal number: {text!r}", line=line)
    try:
        return Decimal(stripped)
    except InvalidOperation:
        raise CorruptDataError(path, f"not a decimal number: {text!r}", line=line) from None


def parse_factor_rows(lines: list[str], path: Path) -> list[FactorRow]:
    """Rows as ``CorporateFactorRow.Parse`` keeps them: duplicate lines dropped, ``inf``/``e+`` lines and
    rows whose price scale factor is not positive skipped (LEAN treats them as numerically unusable)."""
    rows: list[FactorRow] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if line in seen:
            continue
        seen.add(line)
        if not line.strip():
            if number == len(lines):
                continue
            raise CorruptDataError(path, "blank line inside a factor file", line=number)
        if "inf" in line or "e+" in line:
            continue
        csv = line.split(",")
        if len(csv) < 3:
            raise CorruptDataError(path, f"expected 'yyyyMMdd,price_factor,split_factor[,reference_price]', got {line!r}", line=number)
        try:
            day = datetime.strptime(csv[0], "%Y%m%d").date()
        except ValueError:
            raise CorruptDataError(path, f"bad date {csv[0]!r} (expected yyyyMMdd)", line=number) from None
        if len(csv[0]) != 8:
            raise CorruptDataError(path, f"bad date {csv[0]!r} (expected yyyyMMdd)", line=number)
        row = FactorRow(
            day,
            _parse_decimal(csv[1], path, number),
            _parse_decimal(csv[2], path, number),
            _parse_decimal(csv[3], path, number) if len(csv) > 3 else ZERO,
        )
        if row.price_scale_factor > 0:
            rows.append(row)
    return rows


class FactorFile:
    """Parsed factor file of one permtick. ``missing`` is True when no file existed: LEAN then applies no
    adjustment (every factor 1, no events), and so do we, but callers can see and report it."""

    def __init__(self, permtick: str, rows: list[FactorRow], path: Path | None = None, missing: bool = False) -> None:
        self.permtick = permtick.upper()
        self.path = path
        self.missing = missing
        by_date: dict[date, FactorRow] = {}
        for row in rows:  # LEAN groups rows by date and always uses the first one of a date
            by_date.setdefault(row.date, row)
        self.rows: tuple[FactorRow, ...] = tuple(by_date[d] for d in sorted(by_date))
        self._dates: list[date] = [r.date for r in self.rows]
        # LEAN moves a backtest's start to the day before the first row (FactorFileMinimumDate)
        self.minimum_date: date | None = (min(r.date for r in rows) - timedelta(days=1)) if rows else None

    def __repr__(self) -> str:
        return f"FactorFile({self.permtick!r}, rows={len(self.rows)}, missing={self.missing})"

    # ----- construction --------------------------------------------------------------------------------------
    @classmethod
    def empty(cls, permtick: str, path: Path | None = None) -> FactorFile:
        return cls(permtick, [], path, missing=True)

    @classmethod
    def load(cls, path: Path | str, permtick: str | None = None) -> FactorFile:
        """Parse a factor file; raises ``MissingDataError`` if it does not exist (see ``for_permtick``)."""
        p = Path(path)
        name = permtick or p.stem
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise MissingDataError(p, f"factor file for {name.upper()}") from None
        key = (os.path.abspath(p), st.st_mtime_ns, st.st_size, name.upper())
        with _LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            return cached
        text = p.read_text(encoding="utf-8-sig")
        lines = text.splitlines()
        result = cls(name, parse_factor_rows(lines, p), p)
        with _LOCK:
            if len(_CACHE) > 4096:
                _CACHE.clear()
            _CACHE[key] = result
        return result

    @classmethod
    def for_permtick(cls, folder: DataFolder, permtick: str, market: str = USA, required: bool = False) -> FactorFile:
        """The factor file named by a map file's permtick; absent → ``empty`` (LEAN) unless ``required``."""
        path = folder.factor_file(permtick, market)
        if not path.exists():
            if required:
                raise MissingDataError(path, f"factor file for {permtick.upper()}")
            return cls.empty(permtick, path)
        return cls.load(path, permtick)

    # ----- factors -------------------------------------------------------------------------------------------
    def _row_on_or_after(self, day: date) -> FactorRow | None:
        i = bisect.bisect_left(self._dates, day)
        return self.rows[i] if i < len(self.rows) else None

    def scaling_factors(self, day: date) -> FactorRow:
        """``GetScalingFactors``: the first row dated on or after ``day``; past the last row, factors 1."""
        row = self._row_on_or_after(day)
        return row if row is not None else FactorRow(day, ONE, ONE, ZERO)

    def price_factor(self, day: date, mode: DataNormalizationMode) -> Decimal:
        """``GetPriceFactor``: price scale (Adjusted/ScaledRaw) or split factor (SplitAdjusted/TotalReturn) of
        the first row dated on or after ``day`` (a row's own date still uses that row), else 1."""
        mode = DataNormalizationMode(mode)
        if mode == DataNormalizationMode.RAW:
            return ONE  # LEAN returns 0 here, but raw data is never scaled
        row = self._row_on_or_after(day)
        if row is None:
            return ONE
        if mode in (DataNormalizationMode.ADJUSTED, DataNormalizationMode.SCALED_RAW):
            return row.price_scale_factor
        if mode in (DataNormalizationMode.SPLIT_ADJUSTED, DataNormalizationMode.TOTAL_RETURN):
            return row.split_factor
        raise ValueError(f"{mode.name} does not apply to equity factor files")

    def price_scale_factor(
        self, day: date, mode: DataNormalizationMode = DataNormalizationMode.ADJUSTED, end_date: date | None = None
    ) -> Decimal:
        """The factor the feed multiplies the day's prices by (``PriceScalingExtensions.GetPriceScale``).

        The feed looks it up with the bar's start date (its end date when a bar crosses midnight) and
        refreshes it once per day. ScaledRaw divides by the factor at ``end_date`` (required then).
        """
        mode = DataNormalizationMode(mode)
        factor = self.price_factor(day, mode)
        if mode == DataNormalizationMode.SCALED_RAW:
            if end_date is None:
                raise ValueError("ScaledRaw needs the end date of the request")
            return cs.div(factor, self.price_factor(end_date, mode))
        return factor

    @property
    def most_recent_factor_change(self) -> date | None:
        """Date of the last row that is not 2050-12-31 (LEAN's ``MostRecentFactorChange``)."""
        for row in reversed(self.rows):
            if row.date != date(2050, 12, 31):
                return row.date
        return None

    # ----- corporate events ----------------------------------------------------------------------------------
    def _next_rows(self, day: date) -> tuple[FactorRow, FactorRow] | None:
        i = bisect.bisect_left(self._dates, day)
        if i < len(self.rows) - 1 and self._dates[i] == day:
            return self.rows[i], self.rows[i + 1]
        return None

    def split_on_next_trading_day(self, day: date) -> tuple[Decimal, Decimal] | None:
        """``HasSplitEventOnNextTradingDay``: if a row is dated exactly ``day`` and the next row's split factor
        differs, ``(split_factor, reference_price)``; the feed emits a split WARNING on ``day`` and the split
        on its next tradable date. A row dated on a non-trading day is therefore never seen by the feed."""
        pair = self._next_rows(day)
        if pair is None or pair[0].split_factor == pair[1].split_factor:
            return None
        return cs.div(pair[0].split_factor, pair[1].split_factor), pair[0].reference_price

    def dividend_on_next_trading_day(self, day: date) -> tuple[Decimal, Decimal] | None:
        """``HasDividendEventOnNextTradingDay``: ``(price_factor_ratio, reference_price)`` when the row dated
        ``day`` and the next row have different price factors; the dividend is emitted on the next tradable
        date with ``compute_distribution(reference_price, ratio)``."""
        pair = self._next_rows(day)
        if pair is None or pair[0].price_factor == pair[1].price_factor:
            return None
        return cs.div(pair[0].price_factor, pair[1].price_factor), pair[0].reference_price

    def splits_and_dividends(
        self, calendar: TradingCalendar, decimal_places: int = 2
    ) -> list[SplitEvent | DividendEvent]:
        """``GetSplitsAndDividends``: every event the rows imply, dated the trading day after the row,
        sorted by date (for one date the dividend comes before the split)."""
        events: list[tuple[date, int, SplitEvent | DividendEvent]] = []
        order = 0
        rows = self.rows
        for i in range(len(rows) - 2, -1, -1):
            row, nxt = rows[i], rows[i + 1]
            when = calendar.next_trading_day(row.date)
            if nxt.price_factor == 0:
                raise CorruptDataError(self.path or self.permtick, f"zero price factor on {nxt.date}")
            ratio = cs.div(row.price_factor, nxt.price_factor)
            distribution = compute_distribution(row.reference_price, ratio, decimal_places)
            if distribution != 0:
                events.append((when, order, DividendEvent(when, distribution, row.reference_price, ratio, row.date)))
                order += 1
            if nxt.split_factor == 0:
                raise CorruptDataError(self.path or self.permtick, f"zero split factor on {nxt.date}")
            split = cs.div(row.split_factor, nxt.split_factor)
            if split != 1:
                events.append((when, order, SplitEvent(when, split, row.reference_price, row.date)))
                order += 1
        events.sort(key=lambda e: (e[0], e[1]))
        return [e[2] for e in events]


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, int, str], FactorFile] = {}
