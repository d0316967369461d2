"""LEAN's ``SecurityIdentifier`` (SID): the permanent identity of a security, e.g. ``"SPY R735QTJ8XC9X"``.

A SID is a symbol string plus one unsigned 64-bit integer of packed properties, printed in base 36. From the
least significant end, the properties are fixed-width decimal fields::

    security type (2 digits) | market code (3) | strike scale (2) | strike (6) | option style (1)
    | date as an OLE automation day number (5) | option right (1)

For equities the date is the first date of the security's map file and the symbol is the first ticker it
traded under (``AAA.1`` → ``"AAA"`` first listed 2002-05-22 → ``"AAA SEVKGI6HF885"``). Securities without a
map file use :data:`DEFAULT_DATE` (1899-12-30, OLE day 0). Derivatives append ``|`` and the underlying's SID.
"""
from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local.csharp import DECIMAL_CONTEXT, to_decimal
from lean_local.enums import OptionRight, OptionStyle, SecurityType

# ---------------------------------------------------------------------------------------------------------------
# Dates

#: The date used when a SID has no meaningful date: OLE automation day 0.
DEFAULT_DATE = datetime(1899, 12, 30)
_OLE_EPOCH = DEFAULT_DATE


_DateLike = date | datetime


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    return datetime(value.year, value.month, value.day)


def _ole_days(value: datetime) -> int:
    """Whole OLE automation days (the integer part of ``DateTime.ToOADate``)."""
    delta = value - _OLE_EPOCH
    return delta.days


# ---------------------------------------------------------------------------------------------------------------
# Markets (codes from LEAN's Market.cs)

_MARKET_CODES: dict[str, int] = {
    "empty": 0,
    "usa": 1,
    "fxcm": 2,
    "oanda": 3,
    "dukascopy": 4,
    "bitfinex": 5,
    "cmeglobex": 6,
    "nymex": 7,
    "cbot": 8,
    "ice": 9,
    "cboe": 10,
    "india": 11,
    "coinbase": 12,
    "kraken": 13,
    "bittrex": 14,
    "bithumb": 15,
    "binance": 16,
    "poloniex": 17,
    "coinone": 18,
    "hitbtc": 19,
    "okcoin": 20,
    "bitstamp": 21,
    "comex": 22,
    "cme": 23,
    "sgx": 24,
    "hkfe": 25,
    "nyseliffe": 26,
    "cfe": 33,
    "ftx": 34,
    "ftxus": 35,
    "binanceus": 36,
    "bybit": 37,
    "interactivebrokers": 39,
    "eurex": 40,
    "ose": 41,
    "dydx": 42,
    "krx": 43,
}
_MARKET_NAMES: dict[int, str] = {code: name for name, code in _MARKET_CODES.items()}
_MAX_MARKET_CODE = 1000


def market_code(market: str) -> int | None:
    """The numeric code LEAN packs into SIDs for ``market`` (case sensitive, as in LEAN), or ``None``."""
    return _MARKET_CODES.get(market)


def market_name(code: int) -> str | None:
    """The market name for a numeric code, or ``None``."""
    return _MARKET_NAMES.get(code)


def add_market(market: str, code: int) -> None:
    """Register a custom market (LEAN's ``Market.Add``): lower-case name, code below 1000, both unused."""
    market = market.lower()
    if code >= _MAX_MARKET_CODE or code < 0:
        raise ValueError(f"The market identifier for '{market}' must be between 0 and {_MAX_MARKET_CODE - 1}")
    existing = _MARKET_CODES.get(market)
    if existing is not None and existing != code:
        raise ValueError(f"Attempted to add an already added market '{market}' with a different identifier")
    owner = _MARKET_NAMES.get(code)
    if owner is not None and owner != market:
        raise ValueError(f"Attempted to add market identifier {code} for '{market}', already used by '{owner}'")
    _MARKET_CODES[market] = code
    _MARKET_NAMES[code] = market


def _require_market_code(market: str) -> int:
    code = _MARKET_CODES.get(market.lower())
    if code is None:
        raise ValueError(
            f"The specified market wasn't found in the markets lookup. Requested: {market}. "
            "You can add markets by calling lean_local.securities.identifier.add_market(name, code)"
        )
    return code


# ---------------------------------------------------------------------------------------------------------------
# Base 36

_BASE36_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_U64 = 1 << 64


def encode_base36(value: int) -> str:
    """Upper-case base 36 without padding; 0 gives the empty string (the caller prints "0")."""
    if value < 0:
        raise ValueError("base 36 encoding needs a non-negative integer")
    chars: list[str] = []
    while value:
        value, digit = divmod(value, 36)
        chars.append(_BASE36_DIGITS[digit])
    return "".join(reversed(chars))


def decode_base36(text: str) -> int:
    """Decode upper-case alphanumerics the way LEAN does (unsigned 64-bit wrap-around, no validation)."""
    result = 0
    base = 1
    for char in reversed(text):
        code = ord(char)
        digit = code - 48 if code <= 57 else code - 65 + 10
        result = (result + base * digit) % _U64
        base = (base * 36) % _U64
    return result


# ---------------------------------------------------------------------------------------------------------------
# Property layout

_SECURITY_TYPE_WIDTH = 100
_SECURITY_TYPE_OFFSET = 1
_MARKET_WIDTH = 1000
_MARKET_OFFSET = _SECURITY_TYPE_OFFSET * _SECURITY_TYPE_WIDTH
_STRIKE_DEFAULT_SCALE = 6
_STRIKE_SCALE_WIDTH = 100
_STRIKE_SCALE_OFFSET = _MARKET_OFFSET * _MARKET_WIDTH
_STRIKE_WIDTH = 1_000_000
_STRIKE_OFFSET = _STRIKE_SCALE_OFFSET * _STRIKE_SCALE_WIDTH
_OPTION_STYLE_WIDTH = 10
_OPTION_STYLE_OFFSET = _STRIKE_OFFSET * _STRIKE_WIDTH
_DAYS_WIDTH = 100_000
_DAYS_OFFSET = _OPTION_STYLE_OFFSET * _OPTION_STYLE_WIDTH
_PUT_CALL_WIDTH = 10
_PUT_CALL_OFFSET = _DAYS_OFFSET * _DAYS_WIDTH

_NEGATIVE_STRIKE_BIT = 1 << 19
# the largest strike magnitude (after scaling) that still fits in the 6-digit field with the sign bit
_MAX_STRIKE = _NEGATIVE_STRIKE_BIT - ((_NEGATIVE_STRIKE_BIT ^ (_NEGATIVE_STRIKE_BIT - 1)) - _STRIKE_WIDTH) - 1

_DATED_TYPES = frozenset(
    {
        SecurityType.BASE,
        SecurityType.EQUITY,
        SecurityType.OPTION,
        SecurityType.FUTURE,
        SecurityType.INDEX,
        SecurityType.FUTURE_OPTION,
        SecurityType.INDEX_OPTION,
        SecurityType.CRYPTO_FUTURE,
    }
)
_OPTION_TYPES = frozenset({SecurityType.OPTION, SecurityType.FUTURE_OPTION, SecurityType.INDEX_OPTION})
_INVALID_SYMBOL_CHARACTERS = frozenset({"|", " "})


def is_option_type(security_type: SecurityType | int) -> bool:
    return security_type in _OPTION_TYPES


def _extract(properties: int, offset: int, width: int) -> int:
    return (properties // offset) % width


def _normalize_strike(strike: Decimal) -> tuple[int, int]:
    """Strike → (encoded 6-digit field, scale): scaled to micro-units, trailing zeros moved into the scale."""
    if strike == 0:
        return 0, 0
    with_context = DECIMAL_CONTEXT
    value = with_context.multiply(strike, Decimal(10**_STRIKE_DEFAULT_SCALE))
    scale = 0
    while value % 10 == 0:
        value = with_context.divide(value, Decimal(10))
        scale += 1
    if value >= _MAX_STRIKE or value <= -_MAX_STRIKE:
        raise ValueError(
            f"The option strike price ({strike}) is too large or has too many decimal places to be encoded in a "
            "SecurityIdentifier"
        )
    encoded = int(value)  # truncation toward zero, like the C# (long) cast
    if value < 0:
        encoded = -encoded | _NEGATIVE_STRIKE_BIT
    return encoded, scale


# ---------------------------------------------------------------------------------------------------------------


class SecurityIdentifier:
    """Immutable, hashable security identity with LEAN's encoding, parsing and equality rules."""

    __slots__ = ("_symbol", "_properties", "_underlying", "_security_type", "_date", "_strike", "_string", "_hash")

    EMPTY: SecurityIdentifier
    NONE: SecurityIdentifier
    DEFAULT_DATE: datetime = DEFAULT_DATE
    INVALID_SYMBOL_CHARACTERS: frozenset[str] = _INVALID_SYMBOL_CHARACTERS

    def __init__(self, symbol: str, properties: int, underlying: SecurityIdentifier | None = None) -> None:
        if symbol is None:
            raise ValueError("SecurityIdentifier requires a non-null string 'symbol'")
        if any(char in _INVALID_SYMBOL_CHARACTERS for char in symbol):
            raise ValueError("symbol must not contain the characters '|' or ' '.")
        properties = int(properties)
        if properties < 0 or properties >= _U64:
            raise ValueError("properties must fit in an unsigned 64-bit integer")
        security_type_code = _extract(properties, _SECURITY_TYPE_OFFSET, _SECURITY_TYPE_WIDTH)
        try:
            security_type = SecurityType(security_type_code)
        except ValueError:
            raise ValueError("The provided properties do not match with a valid SecurityType") from None
        self._symbol = symbol
        self._properties = properties
        self._security_type = security_type
        # an EMPTY underlying means "no underlying"
        self._underlying = underlying if underlying is not None and not underlying._is_empty() else None
        self._date: datetime | None = None
        self._strike: Decimal | None = None
        self._string: str | None = None
        self._hash: int | None = None

    def _is_empty(self) -> bool:
        return self._symbol == "" and self._properties == 0 and self._underlying is None

    # -- components -------------------------------------------------------------------------------------------

    @property
    def symbol(self) -> str:
        """The first ticker the security traded under (for equities), or the contract's root symbol."""
        return self._symbol

    @property
    def properties(self) -> int:
        """The packed property integer (what the base-36 part of the string encodes)."""
        return self._properties

    @property
    def security_type(self) -> SecurityType:
        return self._security_type

    @property
    def has_underlying(self) -> bool:
        return self._underlying is not None

    @property
    def underlying(self) -> SecurityIdentifier:
        if self._underlying is None:
            raise ValueError("No underlying specified for this identifier. Check that HasUnderlying is true before "
                             "accessing the Underlying property.")
        return self._underlying

    @property
    def market(self) -> str:
        code = _extract(self._properties, _MARKET_OFFSET, _MARKET_WIDTH)
        name = _MARKET_NAMES.get(code)
        return name if name is not None else str(code)

    @property
    def date(self) -> datetime:
        """First trade date (equities: the map file's first date) or expiry (derivatives)."""
        if self._date is not None:
            return self._date
        if self._security_type not in _DATED_TYPES:
            raise ValueError("Date is only defined for SecurityType.Equity, SecurityType.Option, SecurityType.Future, "
                             "SecurityType.FutureOption, SecurityType.IndexOption, and SecurityType.Base")
        days = _extract(self._properties, _DAYS_OFFSET, _DAYS_WIDTH)
        self._date = _OLE_EPOCH + timedelta(days=days)
        return self._date

    @property
    def strike_price(self) -> Decimal:
        if self._strike is not None:
            return self._strike
        if not is_option_type(self._security_type):
            raise ValueError("StrikePrice is only defined for SecurityType.Option, SecurityType.FutureOption, and "
                             "SecurityType.IndexOption")
        scale = _extract(self._properties, _STRIKE_SCALE_OFFSET, _STRIKE_SCALE_WIDTH)
        unscaled = _extract(self._properties, _STRIKE_OFFSET, _STRIKE_WIDTH)
        # LEAN computes the power of ten as a double and converts it to decimal
        power = to_decimal(math.pow(10, scale - _STRIKE_DEFAULT_SCALE))
        if (unscaled >> 19) & 1:
            strike = -DECIMAL_CONTEXT.multiply(Decimal(unscaled ^ _NEGATIVE_STRIKE_BIT), power)
        else:
            strike = DECIMAL_CONTEXT.multiply(Decimal(unscaled), power)
        self._strike = strike
        return strike

    @property
    def option_right(self) -> OptionRight:
        if not is_option_type(self._security_type):
            raise ValueError("OptionRight is only defined for SecurityType.Option, SecurityType.FutureOption, and "
                             "SecurityType.IndexOption")
        return OptionRight(_extract(self._properties, _PUT_CALL_OFFSET, _PUT_CALL_WIDTH))

    @property
    def option_style(self) -> OptionStyle:
        if not is_option_type(self._security_type):
            raise ValueError("OptionStyle is only defined for SecurityType.Option, SecurityType.FutureOption, and "
                             "SecurityType.IndexOption")
        return OptionStyle(_extract(self._properties, _OPTION_STYLE_OFFSET, _OPTION_STYLE_WIDTH))

    # -- generation -------------------------------------------------------------------------------------------

    @staticmethod
    def _generate(
        moment: _DateLike,
        symbol: str,
        security_type: SecurityType,
        market: str,
        strike: Decimal | float | int = 0,
        option_right: OptionRight | int = OptionRight.CALL,
        option_style: OptionStyle | int = OptionStyle.AMERICAN,
        underlying: SecurityIdentifier | None = None,
        force_symbol_to_upper: bool = True,
    ) -> SecurityIdentifier:
        security_type = SecurityType(security_type)
        if int(option_right) not in (0, 1):
            raise ValueError("option_right must be either OptionRight.CALL or OptionRight.PUT")
        moment = _as_datetime(moment)
        if moment < DEFAULT_DATE:
            raise ValueError(f"date must be after the earliest possible date {DEFAULT_DATE}")
        if force_symbol_to_upper:
            symbol = symbol.upper()
        strike_decimal = strike if isinstance(strike, Decimal) else to_decimal(strike)
        encoded_strike, strike_scale = _normalize_strike(strike_decimal)
        properties = (
            int(option_right) * _PUT_CALL_OFFSET
            + _ole_days(moment) * _DAYS_OFFSET
            + int(option_style) * _OPTION_STYLE_OFFSET
            + encoded_strike * _STRIKE_OFFSET
            + strike_scale * _STRIKE_SCALE_OFFSET
            + _require_market_code(market) * _MARKET_OFFSET
            + int(security_type)
        )
        result = SecurityIdentifier(symbol, properties, underlying)
        if security_type in (SecurityType.BASE, SecurityType.EQUITY, SecurityType.FUTURE) or is_option_type(
            security_type
        ):
            result._date = moment
        if is_option_type(security_type):
            result._strike = strike_decimal
        return result

    @staticmethod
    def generate_equity(*args: Any, **kwargs: Any) -> SecurityIdentifier:
        """Equity SID.

        Forms (LEAN's overloads):

        * ``generate_equity(date, symbol, market)`` — first trade date and first ticker given explicitly.
        * ``generate_equity(symbol, market, first_date=None, first_ticker=None, map_symbol=True,
          mapping_resolve_date=None)`` — ``first_date``/``first_ticker`` as the engine read them from the map
          file; when absent and ``map_symbol`` is true, the active map-file resolver (see
          :func:`set_map_file_resolver`) is asked; without map data the ticker and :data:`DEFAULT_DATE` are used.
        """
        if args and isinstance(args[0], (date, datetime)):
            first, symbol, market = args[0], args[1], args[2]
            return SecurityIdentifier._generate(first, symbol, SecurityType.EQUITY, market)
        names = ("symbol", "market", "first_date", "first_ticker", "map_symbol", "mapping_resolve_date")
        params = dict(zip(names, args))
        params.update(kwargs)
        symbol = params["symbol"]
        market = params["market"]
        first_date: _DateLike | None = params.get("first_date")
        first_ticker: str | None = params.get("first_ticker")
        if "date" in params and first_date is None:
            first_date = params["date"]
        map_symbol = params.get("map_symbol", True)
        if first_date is None:
            first_date = DEFAULT_DATE
            if map_symbol:
                resolved = resolve_first_ticker_and_date(
                    symbol, market, SecurityType.EQUITY, params.get("mapping_resolve_date")
                )
                if resolved is not None:
                    first_ticker, first_date = resolved
        return SecurityIdentifier._generate(first_date, first_ticker or symbol, SecurityType.EQUITY, market)

    @staticmethod
    def generate_option(
        expiry: _DateLike,
        underlying: SecurityIdentifier,
        market: str,
        strike: Decimal | float | int,
        option_right: OptionRight | int,
        option_style: OptionStyle | int,
        target_option: str | None = None,
    ) -> SecurityIdentifier:
        """Option SID; the option's symbol is the underlying SID's symbol unless ``target_option`` is given."""
        if not target_option:
            target_option = underlying.symbol
        option_type = option_type_for_underlying(underlying.security_type)
        return SecurityIdentifier._generate(
            expiry, target_option, option_type, market, strike, option_right, option_style, underlying
        )

    @staticmethod
    def generate_future(expiry: _DateLike, symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(expiry, symbol, SecurityType.FUTURE, market)

    @staticmethod
    def generate_base_symbol(data_type: type | str | None, symbol: str) -> str:
        """``TICKER.TypeName`` for custom data (the ticker upper-cased), or the ticker alone."""
        if data_type is None:
            return symbol
        type_name = data_type if isinstance(data_type, str) else data_type.__name__
        return f"{symbol.upper()}.{type_name}"

    @staticmethod
    def generate_base(
        data_type: type | str | None,
        symbol: str,
        market: str,
        map_symbol: bool = False,
        date: _DateLike | None = None,  # noqa: A002 - LEAN's parameter name
    ) -> SecurityIdentifier:
        """Custom data SID. The symbol keeps its case apart from the upper-cased ticker part."""
        first_date: _DateLike = date if date is not None else DEFAULT_DATE
        if map_symbol:
            resolved = resolve_first_ticker_and_date(symbol, market, SecurityType.EQUITY, None)
            if resolved is not None:
                symbol, first_date = resolved
        return SecurityIdentifier._generate(
            first_date,
            SecurityIdentifier.generate_base_symbol(data_type, symbol),
            SecurityType.BASE,
            market,
            force_symbol_to_upper=False,
        )

    @staticmethod
    def generate_constituent_identifier(symbol: str, security_type: SecurityType, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(DEFAULT_DATE, symbol, security_type, market, force_symbol_to_upper=False)

    @staticmethod
    def generate_forex(symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(DEFAULT_DATE, symbol, SecurityType.FOREX, market)

    @staticmethod
    def generate_crypto(symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(DEFAULT_DATE, symbol, SecurityType.CRYPTO, market)

    @staticmethod
    def generate_crypto_future(expiry: _DateLike, symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(expiry, symbol, SecurityType.CRYPTO_FUTURE, market)

    @staticmethod
    def generate_cfd(symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(DEFAULT_DATE, symbol, SecurityType.CFD, market)

    @staticmethod
    def generate_index(symbol: str, market: str) -> SecurityIdentifier:
        return SecurityIdentifier._generate(DEFAULT_DATE, symbol, SecurityType.INDEX, market)

    # -- parsing ----------------------------------------------------------------------------------------------

    @staticmethod
    def parse(value: str | None) -> SecurityIdentifier:
        """Parse ``"SYMBOL PROPS"`` or ``"SYMBOL PROPS|UNDERLYING…"``; raises ``ValueError`` when malformed."""
        ok, identifier, error = SecurityIdentifier._try_parse(value)
        if not ok:
            assert error is not None
            raise error
        return identifier

    @staticmethod
    def try_parse(value: str | None) -> tuple[bool, SecurityIdentifier]:
        ok, identifier, _ = SecurityIdentifier._try_parse(value)
        return ok, identifier

    @staticmethod
    def _try_parse(value: str | None) -> tuple[bool, "SecurityIdentifier", ValueError | None]:
        empty = SecurityIdentifier.EMPTY
        if value is None:
            return True, empty, None
        if not value.strip() or value == " 0":
            return True, empty, None
        identifier: SecurityIdentifier | None = None
        try:
            for part in reversed(value.split("|")):
                pieces = part.split()
                if len(pieces) != 2:
                    return False, empty, ValueError(
                        "The string must be splittable on space into two parts."
                    )
                symbol, encoded = pieces
                identifier = SecurityIdentifier(symbol, decode_base36(encoded), identifier)
                _require_market_code(identifier.market)
        except ValueError as error:
            return False, empty, ValueError(f"Error parsing SecurityIdentifier '{value}': {error}")
        assert identifier is not None
        return True, identifier, None

    # -- equality, ordering, text -----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, SecurityIdentifier):
            return NotImplemented
        return (
            self._properties == other._properties
            and self._symbol == other._symbol
            and self._underlying == other._underlying
        )

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self._symbol, self._properties, self._underlying))
        return self._hash

    def equals(self, other: object) -> bool:
        return isinstance(other, SecurityIdentifier) and self == other

    def compare_to(self, other: object) -> int:
        """Ordinal comparison of the string forms (LEAN's ``CompareTo``); ``None`` sorts first."""
        if other is None:
            return 1
        if not isinstance(other, SecurityIdentifier):
            raise TypeError("Object must be of type SecurityIdentifier")
        left, right = str(self), str(other)
        return (left > right) - (left < right)

    def __lt__(self, other: SecurityIdentifier) -> bool:
        return self.compare_to(other) < 0

    def __le__(self, other: SecurityIdentifier) -> bool:
        return self.compare_to(other) <= 0

    def __gt__(self, other: SecurityIdentifier) -> bool:
        return self.compare_to(other) > 0

    def __ge__(self, other: SecurityIdentifier) -> bool:
        return self.compare_to(other) >= 0

    def __str__(self) -> str:
        if self._string is None:
            encoded = encode_base36(self._properties) or "0"
            text = f"{self._symbol} {encoded}"
            if self._underlying is not None:
                text = f"{text}|{self._underlying}"
            self._string = text
        return self._string

    def to_string(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"SecurityIdentifier({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (SecurityIdentifier, (self._symbol, self._properties, self._underlying))

    def __copy__(self) -> SecurityIdentifier:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SecurityIdentifier:
        return self


SecurityIdentifier.EMPTY = SecurityIdentifier("", 0)
SecurityIdentifier.NONE = SecurityIdentifier("NONE", 0)


def option_type_for_underlying(security_type: SecurityType | int) -> SecurityType:
    """Equity → Option, Future → FutureOption, Index → IndexOption (LEAN's ``GetOptionTypeFromUnderlying``)."""
    mapping = {
        SecurityType.EQUITY: SecurityType.OPTION,
        SecurityType.FUTURE: SecurityType.FUTURE_OPTION,
        SecurityType.INDEX: SecurityType.INDEX_OPTION,
    }
    try:
        return mapping[SecurityType(security_type)]
    except KeyError:
        raise ValueError(f"No option type exists for underlying SecurityType: {SecurityType(security_type).name}") from None


def underlying_type_for_option(security_type: SecurityType | int) -> SecurityType:
    mapping = {
        SecurityType.OPTION: SecurityType.EQUITY,
        SecurityType.FUTURE_OPTION: SecurityType.FUTURE,
        SecurityType.INDEX_OPTION: SecurityType.INDEX,
    }
    try:
        return mapping[SecurityType(security_type)]
    except KeyError:
        raise ValueError(f"No underlying type exists for option SecurityType: {SecurityType(security_type).name}") from None


# ---------------------------------------------------------------------------------------------------------------
# First ticker / first date lookup (map files)

#: ``(ticker, market, security_type, resolve_date) -> (first_ticker, first_date) | None``
FirstTickerResolver = Callable[[str, str, SecurityType, "date | None"], "tuple[str, datetime] | None"]

_RESOLVER: ContextVar[FirstTickerResolver | None] = ContextVar("lean_local_first_ticker_resolver", default=None)


def set_map_file_resolver(resolver: FirstTickerResolver | None) -> None:
    """Install the function used by :meth:`SecurityIdentifier.generate_equity` / ``Symbol.create`` when no first
    date is passed (per context: each engine run sets its own)."""
    _RESOLVER.set(resolver)


def get_map_file_resolver() -> FirstTickerResolver | None:
    return _RESOLVER.get()


@contextmanager
def using_map_file_resolver(resolver: FirstTickerResolver | None) -> Iterator[None]:
    token = _RESOLVER.set(resolver)
    try:
        yield
    finally:
        _RESOLVER.reset(token)


def resolve_first_ticker_and_date(
    ticker: str, market: str, security_type: SecurityType, resolve_date: date | None
) -> tuple[str, datetime] | None:
    resolver = _RESOLVER.get()
    if resolver is None:
        return None
    return resolver(ticker, market, security_type, resolve_date)


class MapFileFirstDateResolver:
    """Resolves a ticker to the first ticker and first date of its map file, following LEAN's
    ``MapFileResolver.ResolveMapFile`` (lookup by mapped ticker at the resolve date, then by file name) and
    ``MapFile.FirstTicker`` (a trailing ``.<digits>`` is dropped). Reads ``<data>/<type>/<market>/map_files``.

    Only equities (and custom data mapped like equities) use map files here.
    """

    def __init__(self, data_folder: str | os.PathLike[str]) -> None:
        self._data_folder = Path(data_folder)
        self._cache: dict[str, _MapFileIndex] = {}

    def __call__(
        self, ticker: str, market: str, security_type: SecurityType, resolve_date: date | None
    ) -> tuple[str, datetime] | None:
        if SecurityType(security_type) not in (SecurityType.EQUITY, SecurityType.BASE):
            return None
        index = self._index(market.lower())
        rows = index.resolve(ticker, _as_datetime(resolve_date or date.today()))
        if not rows:
            return None
        first_date = rows[0][0]
        first_ticker = rows[0][1]
        if first_ticker[-1:].isdigit():
            dot = first_ticker.rfind(".")
            if dot > 0 and first_ticker[dot + 1:].isdigit():
                first_ticker = first_ticker[:dot]
        return first_ticker, first_date

    def _index(self, market: str) -> _MapFileIndex:
        index = self._cache.get(market)
        if index is None:
            index = _MapFileIndex(self._data_folder / "equity" / market / "map_files")
            self._cache[market] = index
        return index


class _MapFileIndex:
    """Map files of one market: rows per permtick (file name) and, per mapped ticker, the permticks by date."""

    def __init__(self, folder: Path) -> None:
        self._by_permtick: dict[str, list[tuple[datetime, str]]] = {}
        self._by_symbol: dict[str, dict[datetime, str]] = {}
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.csv")):
            permtick = path.stem.upper()
            rows: dict[datetime, str] = {}
            with path.open(newline="") as handle:
                for record in csv.reader(handle):
                    if len(record) < 2 or not record[0].strip():
                        continue
                    if len(record) > 3 and record[3].strip():
                        continue  # data-mapping-mode rows belong to futures
                    moment = datetime.strptime(record[0].strip(), "%Y%m%d")
                    rows.setdefault(moment, record[1].strip())
            ordered = sorted(rows.items())
            self._by_permtick[permtick] = ordered
            for moment, mapped in ordered:
                self._by_symbol.setdefault(mapped.upper(), {}).setdefault(moment, permtick)

    def resolve(self, ticker: str, moment: datetime) -> list[tuple[datetime, str]]:
        symbol = ticker.upper()
        entries = self._by_symbol.get(symbol)
        if entries:
            dates = sorted(entries)
            chosen = next((d for d in dates if d >= moment), dates[-1])
            symbol = entries[chosen]
        rows = self._by_permtick.get(symbol)
        if not rows:
            return []
        if rows[0][0] > moment and moment != DEFAULT_DATE:
            return []
        return rows
