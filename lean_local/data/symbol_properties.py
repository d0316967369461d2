"""LEAN's symbol properties database (``symbol-properties/symbol-properties-database.csv``).

Contract multiplier, tick size and lot size drive order rounding, fees and margin, so they are kept as the
exact decimals of the file. Lookup mirrors ``SymbolPropertiesDatabase.GetSymbolProperties``: the exact
``market,symbol,type`` row, else the market's ``[*]`` row for the type, else the default (quote currency
given, multiplier 1, tick 0.01, lot 1). US equities hit ``usa,[*],equity`` (same values as the default).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lean_local.data.errors import CorruptDataError, DataError, MissingDataError
from lean_local.data.market_hours import WILDCARD, parse_security_type
from lean_local.enums import SecurityType


@dataclass(frozen=True)
class SymbolProperties:
    description: str
    quote_currency: str
    contract_multiplier: Decimal
    minimum_price_variation: Decimal
    lot_size: Decimal
    market_ticker: str = ""
    minimum_order_size: Decimal | None = None
    price_magnifier: Decimal = Decimal(1)
    strike_multiplier: Decimal = Decimal(1)

    @classmethod
    def default(cls, quote_currency: str = "USD") -> SymbolProperties:
        """``SymbolProperties.GetDefault``."""
        return cls("", quote_currency.upper(), Decimal(1), Decimal("0.01"), Decimal(1), "")


def _lean_to_decimal(text: str) -> Decimal:
    """LEAN's fast ``ToDecimal``: digits with an optional '.', leading '-', surrounding blanks."""
    s = text.strip()
    body = s[1:] if s.startswith("-") else s
    if not body or body.count(".") > 1 or not body.replace(".", "").isdigit():
        raise ValueError(f"not a decimal: {text!r}")
    return Decimal(s)


def _exponent_decimal(text: str) -> Decimal:
    """``decimal.Parse`` with exponents allowed (``1e-05``); the result keeps the implied scale."""
    value = Decimal(text.strip())
    if not value.is_finite():
        raise ValueError(f"not a decimal: {text!r}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal(1)) if exponent > 0 else value


_Key = tuple[str, str, SecurityType]  # (market lower, symbol upper, type)


class SymbolPropertiesDatabase:
    def __init__(self, entries: dict[_Key, SymbolProperties], path: Path | None = None) -> None:
        self.path = path
        self._entries = entries
        # first market per (symbol, type), as LEAN's TryGetMarket keeps it
        self._market_by_symbol: dict[tuple[str, SecurityType], str] = {}
        for market, symbol, st in entries:
            self._market_by_symbol.setdefault((symbol, st), market)

    @classmethod
    def load(cls, path: Path | str) -> SymbolPropertiesDatabase:
        """Parse the csv (cached per process until the file changes)."""
        p = Path(path)
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise MissingDataError(p, "symbol properties database") from None
        key = (os.path.abspath(p), st.st_mtime_ns, st.st_size)
        with _LOCK:
            cached = _DATABASES.get(key)
        if cached is not None:
            return cached
        entries: dict[_Key, SymbolProperties] = {}
        header_seen = False
        for number, line in enumerate(p.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if line.startswith("#") or not line.strip():
                continue
            if not header_seen:  # the first non-comment line is the header
                header_seen = True
                continue
            csv = line.split(",")
            if len(csv) < 8:
                raise CorruptDataError(p, f"expected at least 8 fields, found {len(csv)}", line=number)
            sec_type = parse_security_type(csv[2])
            if sec_type is None:
                continue  # LEAN skips unknown security types
            k: _Key = ((csv[0] or WILDCARD).lower(), (csv[1] or WILDCARD).upper(), sec_type)
            if k in entries:
                raise CorruptDataError(p, f"duplicate entry {csv[0]},{csv[1]},{csv[2]}", line=number)

            def opt(i: int) -> str | None:
                return csv[i] if len(csv) > i and csv[i] != "" else None

            try:
                props = SymbolProperties(
                    description=csv[3],
                    quote_currency=csv[4],
                    contract_multiplier=_lean_to_decimal(csv[5]),
                    minimum_price_variation=_exponent_decimal(csv[6]),
                    lot_size=_lean_to_decimal(csv[7]),
                    market_ticker=opt(8) or "",
                    minimum_order_size=_lean_to_decimal(v) if (v := opt(9)) is not None else None,
                    price_magnifier=_lean_to_decimal(v) if (v := opt(10)) is not None else Decimal(1),
                    strike_multiplier=_lean_to_decimal(v) if (v := opt(11)) is not None else Decimal(1),
                )
            except (ValueError, InvalidOperation) as err:
                raise CorruptDataError(p, str(err), line=number) from None
            if props.lot_size <= 0 or props.price_magnifier <= 0 or props.strike_multiplier <= 0:
                raise CorruptDataError(p, "lot size, price magnifier and strike multiplier must be positive", line=number)
            entries[k] = props
        db = cls(entries, p)
        with _LOCK:
            _DATABASES[key] = db
        return db

    def get(
        self,
        market: str,
        symbol: str | None,
        security_type: SecurityType,
        default_quote_currency: str = "USD",
        underlying: tuple[str, SecurityType] | None = None,
    ) -> SymbolProperties:
        """Properties for a security. ``symbol`` is the database key: the ticker for equities, the
        underlying ticker for equity options. ``underlying`` (ticker, type) is the fallback future of a
        future option, as LEAN does."""
        st = SecurityType(security_type)
        m = (market or WILDCARD).lower()
        found = self._entries.get((m, (symbol or WILDCARD).upper(), st))
        if found is not None:
            return found
        if st == SecurityType.FUTURE_OPTION and underlying is not None:
            found = self._entries.get((m, underlying[0].upper(), SecurityType(underlying[1])))
            if found is not None:
                return found
        found = self._entries.get((m, WILDCARD, st))
        if found is not None:
            return found
        return SymbolProperties.default(default_quote_currency)

    def get_symbol_properties(
        self, market: str, symbol: str | None, security_type: SecurityType, default_quote_currency: str = "USD"
    ) -> SymbolProperties:
        """LEAN's method name for ``get``."""
        return self.get(market, symbol, security_type, default_quote_currency)

    def try_get_market(self, symbol: str, security_type: SecurityType) -> str | None:
        """Market of the first row for this symbol and type (``TryGetMarket``)."""
        return self._market_by_symbol.get((symbol.upper(), SecurityType(security_type)))

    def require(self, market: str, symbol: str, security_type: SecurityType) -> SymbolProperties:
        """Only an exact or ``[*]`` row; raises instead of falling back to the default."""
        st = SecurityType(security_type)
        m = market.lower()
        found = self._entries.get((m, symbol.upper(), st)) or self._entries.get((m, WILDCARD, st))
        if found is None:
            raise DataError(f"no symbol properties for {st.name} {market}/{symbol} in {self.path}")
        return found


_LOCK = threading.Lock()
_DATABASES: dict[tuple[str, int, int], SymbolPropertiesDatabase] = {}
