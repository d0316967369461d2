"""The risk-free rate LEAN's statistics use (``InterestRateProvider`` and ``RiskFreeInterestRateModelExtensions``).

``alternative/interest-rate/usa/interest-rate.csv`` lists the Fed primary credit rate in percent on the dates
it changed (header ``DATE,PCREDIT8``, rows ``yyyy-MM-dd,2.25``). The rate of a date is the latest row on or
before it, divided by 100 as a C# decimal (2.25 → 0.0225, 0.75 → 0.0075). LEAN fills every calendar day from
1998-01-01; days before the first row take the *first row's* rate (0.0225 in LEAN's file), not the 1% default,
which only applies when the file has no usable row. Statistics average the rate over the equity-curve sample
times (``GetAverageRiskFreeRate``), a decimal mean.
"""
from __future__ import annotations

import bisect
import os
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

from lean_local.data import _decimal as cs
from lean_local.data.errors import MissingDataError
from lean_local.data.paths import DataFolder

DEFAULT_RISK_FREE_RATE = Decimal("0.01")
"""``InterestRateProvider.DefaultRiskFreeRate``: used only when the file yields no rate at all."""

_HUNDRED = Decimal(100)


def _parse_rate(text: str) -> Decimal | None:
    # decimal.TryParse(NumberStyles.Any): sign, blanks, thousands separators, exponent, currency symbol
    s = text.strip().replace(",", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal(1)) if exponent > 0 else value


class InterestRateProvider:
    """Step function of the primary credit rate as a fraction (``GetInterestRate``)."""

    def __init__(self, path: Path | str | None, required: bool = True) -> None:
        """Read ``path``. A missing file raises ``MissingDataError`` unless ``required`` is False, in which
        case every date gets LEAN's 1% default and ``is_default`` is True."""
        self.path = Path(path) if path is not None else None
        self._dates: list[date] = []
        self._rates: list[Decimal] = []
        self.first_rate = DEFAULT_RISK_FREE_RATE
        if self.path is None or not self.path.exists():
            if required:
                raise MissingDataError(self.path or "interest-rate.csv", "interest rate file")
            self.is_default = True
            return
        rows: dict[date, Decimal] = {}
        first: Decimal | None = None
        lines = self.path.read_text(encoding="utf-8-sig").splitlines()
        for line in lines[1:]:  # the first line is a header
            if not line.strip():
                continue
            csv = line.split(",")
            try:
                day = datetime.strptime(csv[0], "%Y-%m-%d").date()
            except ValueError:
                continue  # LEAN logs and skips unparsable dates
            if len(csv) < 2:
                continue
            percent = _parse_rate(csv[1])
            if percent is None:
                continue
            rate = cs.div(percent, _HUNDRED)
            if first is None:
                first = rate
            rows[day] = rate
        self.is_default = not rows
        if first is not None:
            self.first_rate = first
        self._dates = sorted(rows)
        self._rates = [rows[d] for d in self._dates]

    @classmethod
    def from_data_folder(cls, folder: DataFolder, required: bool = True) -> InterestRateProvider:
        """Shared per process for an unchanged file."""
        path = folder.interest_rate()
        try:
            st = os.stat(path)
            key: tuple[str, int, int] | None = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            key = None
        if key is not None:
            with _LOCK:
                cached = _PROVIDERS.get(key)
            if cached is not None:
                return cached
        provider = cls(path, required=required)
        if key is not None:
            with _LOCK:
                _PROVIDERS[key] = provider
        return provider

    def get_interest_rate(self, day: date | datetime) -> Decimal:
        """Rate of the latest row on or before the date (time of day ignored); before the first row, the
        first row's rate."""
        if isinstance(day, datetime):
            day = day.date()
        i = bisect.bisect_right(self._dates, day)
        if i == 0:
            return self.first_rate
        return self._rates[i - 1]

    def average_risk_free_rate(self, times: Iterable[date | datetime]) -> Decimal:
        """``GetAverageRiskFreeRate``: decimal mean of the rates of ``times`` (0 when empty), as statistics
        use it over the equity-curve sample times."""
        total = Decimal(0)
        count = 0
        for t in times:
            total = cs.add(total, self.get_interest_rate(t))
            count += 1
        if count == 0:
            return Decimal(0)
        return cs.div(total, Decimal(count))

    def risk_free_rate_for(self, times: Iterable[date | datetime]) -> Decimal:
        """Alias of ``average_risk_free_rate``: what the summary statistics use as rf."""
        return self.average_risk_free_rate(times)

    def risk_free_rate(self, start: date, end: date) -> Decimal:
        """``GetRiskFreeRate(start, end)``: the mean over every calendar day from start to end inclusive."""
        days = (end - start).days
        return self.average_risk_free_rate(start + timedelta(days=i) for i in range(days + 1))


_LOCK = threading.Lock()
_PROVIDERS: dict[tuple[str, int, int], InterestRateProvider] = {}
