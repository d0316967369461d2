"""Coarse fundamental data: LEAN's daily ``equity/<market>/fundamental/coarse/YYYYMMDD.csv`` files.

Each row is ``sid,ticker,close,volume,dollar volume[,has fundamental data[,price factor,split factor]]``. A file for
date D describes the close of D and is delivered to universe selection at midnight starting D+1, never on D itself.
Fine fundamentals (valuation ratios, sectors, ...) are not part of LEAN's sample data; asking for them raises a
clear error instead of returning made-up numbers.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lean_local.data.paths import DataFolder
from lean_local.enums import MarketDataType
from lean_local.market_data import BaseData
from lean_local.securities.identifier import SecurityIdentifier
from lean_local.securities.symbol import Symbol


class CoarseFundamental(BaseData):
    """One security's daily summary from a coarse file (price, volume, dollar volume, adjustment factors)."""

    __slots__ = ("_value", "volume", "dollar_volume", "has_fundamental_data", "price_factor", "split_factor")
    data_type = MarketDataType.BASE

    def __init__(
        self,
        symbol: Any = None,
        time: datetime | None = None,
        value: float = 0.0,
        volume: int = 0,
        dollar_volume: float = 0.0,
        has_fundamental_data: bool = False,
        price_factor: float = 1.0,
        split_factor: float = 1.0,
    ) -> None:
        start = time if time is not None else datetime.min
        super().__init__(symbol, start, start + timedelta(days=1) if time is not None else start)
        self._value = value
        self.volume = volume
        self.dollar_volume = dollar_volume
        self.has_fundamental_data = has_fundamental_data
        self.price_factor = price_factor
        self.split_factor = split_factor

    @property
    def value(self) -> float:
        return self._value

    @property
    def price(self) -> float:
        return self._value

    @property
    def adjusted_price(self) -> float:
        return self._value * self.price_factor

    @property
    def market(self) -> str:
        return str(self.symbol.id.market)

    def __repr__(self) -> str:
        return f"{self.symbol.value}: {self._value} (dollar volume {self.dollar_volume:.0f}) on {self.time:%Y-%m-%d}"


class FineFundamentalUnavailable(AttributeError):
    pass


class Fundamental(CoarseFundamental):
    """The object ``add_universe(selector)`` hands to the selector.

    Coarse fields come from the coarse file. LEAN's sample data has no fine fundamentals, and LEAN's own coarse
    provider reports ``has_fundamental_data`` as False in that case, so this does too.
    """

    __slots__ = ()

    @property
    def market_cap(self) -> int:
        return 0

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise FineFundamentalUnavailable(
            f"Fundamental.{name} is a fine-fundamental field, and the data folder only has coarse fundamental files "
            "(equity/usa/fundamental/coarse). Select on price, volume or dollar_volume, or add Morningstar fine data."
        )


def parse_coarse_row(line: str, day: datetime, factory: type[CoarseFundamental], symbols: dict[str, Symbol]) -> CoarseFundamental | None:
    """One row of a coarse file, or None when the row is malformed (LEAN skips such rows)."""
    fields = line.rstrip("\r\n").split(",")
    if len(fields) < 5:
        return None
    try:
        key = f"{fields[0]}|{fields[1]}"
        symbol = symbols.get(key)
        if symbol is None:
            symbol = symbols[key] = Symbol(SecurityIdentifier.parse(fields[0]), fields[1])
        row = factory(symbol, day, float(fields[2]), int(fields[3]), float(fields[4]))
        if len(fields) > 5 and not isinstance(row, Fundamental):
            # LEAN's coarse-backed Fundamental provider has no fine data, so it reports False whatever the file says
            row.has_fundamental_data = fields[5].strip().lower() == "true"
        if len(fields) > 7:
            row.price_factor = float(fields[6])
            row.split_factor = float(fields[7])
    except (ValueError, IndexError):
        return None
    return row


class CoarseFundamentalReader:
    """Reads coarse files for a data folder, sharing parsed symbols across days."""

    def __init__(self, folder: DataFolder, market: str = "usa") -> None:
        self._folder = folder
        self._market = market
        self._symbols: dict[str, Symbol] = {}

    def path(self, day: date) -> Path:
        return self._folder.coarse_fundamental(day, self._market)

    def read(self, day: date, factory: type[CoarseFundamental] = Fundamental) -> list[CoarseFundamental]:
        """Every row of ``day``'s file; an empty list when the file does not exist (a day without selection data)."""
        path = self.path(day)
        if not path.exists():
            return []
        moment = datetime.combine(day, time())
        rows = []
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = parse_coarse_row(line, moment, factory, self._symbols)
                if row is not None:
                    rows.append(row)
        return rows
