"""LEAN's ``Symbol``: a security's identity (its :class:`SecurityIdentifier`) plus its current ticker (``value``).

Symbols are immutable and hashable; two symbols are equal when their SIDs are equal, whatever their ``value``.
A string compares equal to a symbol when the active :class:`SymbolCache` resolves it to that symbol, which is how
``data["SPY"]`` / ``portfolio["SPY"]`` style lookups work in LEAN.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lean_local.csharp import DECIMAL_CONTEXT, to_decimal
from lean_local.enums import OptionRight, OptionStyle, SecurityType
from lean_local.securities.identifier import (
    DEFAULT_DATE,
    SecurityIdentifier,
    is_option_type,
    option_type_for_underlying,
)

_FUTURE_MONTH_CODES = {1: "F", 2: "G", 3: "H", 4: "J", 5: "K", 6: "M", 7: "N", 8: "Q", 9: "U", 10: "V", 11: "X", 12: "Z"}


def _lazy_upper(text: str) -> str:
    return text.upper() if any(char.islower() for char in text) else text


def generate_option_ticker_osi(underlying: str, right: OptionRight | int, strike: Decimal, expiry: date | datetime) -> str:
    """OSI option ticker: underlying padded to 6, ``yyMMdd``, ``C``/``P``, strike × 1000 on 8 digits.

    Underlyings longer than 5 characters get one extra space, as LEAN does.
    """
    if len(underlying) > 5:
        underlying += " "
    scaled = DECIMAL_CONTEXT.multiply(strike, Decimal(1000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    number = int(scaled)
    strike_text = ("-" if number < 0 else "") + f"{abs(number):08d}"
    right_letter = "C" if int(right) == OptionRight.CALL else "P"
    return f"{underlying:<6}{expiry:%y%m%d}{right_letter}{strike_text}"


def generate_future_ticker(underlying: str, expiry: date | datetime) -> str:
    """``<root><dd><month code><yy>``, e.g. ``ES20Z20``.

    LEAN shifts the month for contracts that expire outside their contract month using its futures expiry
    tables; those tables are not reproduced here, so the expiry month is used as the contract month.
    """
    return f"{underlying}{expiry.day:02d}{_FUTURE_MONTH_CODES[expiry.month]}{expiry.year % 100}"


class Symbol:
    """Immutable security symbol. ``str(symbol)`` is its current ticker (``value``)."""

    __slots__ = ("_id", "_value", "_underlying", "_canonical")

    EMPTY: Symbol
    NONE: Symbol

    def __init__(self, sid: SecurityIdentifier, value: str) -> None:
        """Public constructor (LEAN's ``new Symbol(sid, value)``): the underlying is rebuilt from the SID and
        options/futures get their generated alias as value."""
        if value is None:
            raise ValueError("value")
        underlying = Symbol(sid.underlying, sid.underlying.symbol) if sid.has_underlying else None
        alias = Symbol.get_alias(sid, underlying)
        self._id = sid
        self._underlying = underlying
        self._value = alias if alias is not None else _lazy_upper(value)
        self._canonical: Symbol | None = None

    @classmethod
    def _with_underlying(cls, sid: SecurityIdentifier, value: str, underlying: Symbol | None) -> Symbol:
        """LEAN's internal constructor: explicit underlying, value upper-cased, no alias generation."""
        if value is None:
            raise ValueError("value")
        symbol = cls.__new__(cls)
        symbol._id = sid
        symbol._value = _lazy_upper(value)
        symbol._underlying = underlying
        symbol._canonical = None
        return symbol

    # -- creation ---------------------------------------------------------------------------------------------

    @staticmethod
    def create(
        ticker: str,
        security_type: SecurityType | int,
        market: str,
        alias: str | None = None,
        base_data_type: type | str | None = None,
        *,
        first_date: date | datetime | None = None,
        first_ticker: str | None = None,
    ) -> Symbol:
        """Symbol for most security types; options give the canonical option symbol.

        For equities, ``first_date``/``first_ticker`` are the map file's first date and ticker (the engine reads
        them); when omitted, the active map-file resolver is used, else LEAN's default date (1899-12-30).
        """
        security_type = SecurityType(security_type)
        if security_type == SecurityType.BASE:
            sid = SecurityIdentifier.generate_base(base_data_type, ticker, market)
        elif security_type == SecurityType.EQUITY:
            sid = SecurityIdentifier.generate_equity(ticker, market, first_date, first_ticker)
        elif security_type == SecurityType.FOREX:
            sid = SecurityIdentifier.generate_forex(ticker, market)
        elif security_type == SecurityType.CFD:
            sid = SecurityIdentifier.generate_cfd(ticker, market)
        elif security_type == SecurityType.INDEX:
            sid = SecurityIdentifier.generate_index(ticker, market)
        elif security_type == SecurityType.OPTION:
            return Symbol.create_option(ticker, market, OptionStyle.AMERICAN, OptionRight.CALL, 0, DEFAULT_DATE)
        elif security_type == SecurityType.FUTURE:
            sid = SecurityIdentifier.generate_future(DEFAULT_DATE, ticker, market)
        elif security_type == SecurityType.CRYPTO:
            sid = SecurityIdentifier.generate_crypto(ticker, market)
        elif security_type == SecurityType.CRYPTO_FUTURE:
            sid = SecurityIdentifier.generate_crypto_future(DEFAULT_DATE, ticker, market)
        elif security_type == SecurityType.INDEX_OPTION:
            return Symbol.create_option(
                Symbol.create(ticker, SecurityType.INDEX, market),
                market,
                OptionStyle.EUROPEAN,
                OptionRight.CALL,
                0,
                DEFAULT_DATE,
            )
        elif security_type == SecurityType.FUTURE_OPTION:
            raise ValueError("Insufficient information to create a future option symbol: use create_option with the "
                             "future contract symbol as underlying")
        else:
            raise ValueError(f"The security type has not been implemented yet: {security_type.name}")
        return Symbol(sid, alias if alias is not None else ticker)

    @staticmethod
    def create_option(*args: Any, **kwargs: Any) -> Symbol:
        """Option contract symbol. Forms (LEAN's overloads):

        * ``create_option(underlying: str, market, style, right, strike, expiry, alias=None, map_symbol=True)``
        * ``create_option(underlying_symbol: Symbol, market, style, right, strike, expiry, alias=None)``
        * ``create_option(underlying_symbol: Symbol, target_option: str, market, style, right, strike, expiry,
          alias=None)``
        * ``create_option(sid: SecurityIdentifier, value: str, underlying: Symbol | None = None)``
        """
        first = args[0] if args else kwargs.get("underlying_symbol", kwargs.get("underlying", kwargs.get("sid")))
        if isinstance(first, SecurityIdentifier):
            names: tuple[str, ...] = ("sid", "value", "underlying")
            params = dict(zip(names, args))
            params.update(kwargs)
            return Symbol._create_option_from_sid(params["sid"], params["value"], params.get("underlying"))
        if isinstance(first, str):
            names = ("underlying", "market", "style", "right", "strike", "expiry", "alias", "map_symbol")
            params = dict(zip(names, args))
            params.update(kwargs)
            underlying_ticker: str = params["underlying"]
            market: str = params["market"]
            underlying_sid = SecurityIdentifier.generate_equity(
                underlying_ticker, market, map_symbol=params.get("map_symbol", True)
            )
            underlying_symbol = Symbol(underlying_sid, underlying_ticker)
            return Symbol._create_option(
                underlying_symbol, None, market, params["style"], params["right"], params["strike"],
                params["expiry"], params.get("alias"),
            )
        if isinstance(first, Symbol):
            if (len(args) > 2 and isinstance(args[2], str)) or "target_option" in kwargs:
                names = ("underlying_symbol", "target_option", "market", "style", "right", "strike", "expiry", "alias")
            else:
                names = ("underlying_symbol", "market", "style", "right", "strike", "expiry", "alias")
            params = dict(zip(names, args))
            params.update(kwargs)
            return Symbol._create_option(
                params["underlying_symbol"], params.get("target_option"), params["market"], params["style"],
                params["right"], params["strike"], params["expiry"], params.get("alias"),
            )
        raise TypeError("create_option needs an underlying ticker, an underlying Symbol or a SecurityIdentifier")

    @staticmethod
    def _create_option(
        underlying_symbol: Symbol,
        target_option: str | None,
        market: str,
        style: OptionStyle | int,
        right: OptionRight | int,
        strike: Decimal | float | int,
        expiry: date | datetime,
        alias: str | None,
    ) -> Symbol:
        strike_decimal = strike if isinstance(strike, Decimal) else to_decimal(strike)
        sid = SecurityIdentifier.generate_option(
            expiry, underlying_symbol.id, market, strike_decimal, right, style, target_option
        )
        value = alias if alias is not None else Symbol.get_alias(sid, underlying_symbol)
        assert value is not None
        return Symbol._with_underlying(sid, value, underlying_symbol)

    @staticmethod
    def _create_option_from_sid(sid: SecurityIdentifier, value: str, underlying: Symbol | None) -> Symbol:
        if value is None:
            raise ValueError("value")
        if not is_option_type(sid.security_type):
            raise ValueError(f"The provided SecurityIdentifier is not for an option: {sid}")
        if Symbol._sid_is_canonical(sid):
            return Symbol(sid, value)
        if underlying is None:
            underlying_value = value.split()[0] if value.strip() else sid.underlying.symbol
            underlying = Symbol(sid.underlying, underlying_value)
        elif underlying.id != sid.underlying:
            raise ValueError(f"The provided SecurityIdentifier and underlying Symbol do not match: {sid} {underlying}")
        return Symbol._with_underlying(sid, value, underlying)

    @staticmethod
    def create_canonical_option(underlying_symbol: Symbol, *args: Any, **kwargs: Any) -> Symbol:
        """Canonical option (``?GOOG``). Forms: ``(underlying, market=None, alias=None)`` and
        ``(underlying, target_option, market=None, alias=None)``."""
        if len(args) >= 3 or "target_option" in kwargs:
            names: tuple[str, ...] = ("target_option", "market", "alias")
        else:
            names = ("market", "alias")
        params = dict(zip(names, args))
        params.update(kwargs)
        option_type = option_type_for_underlying(underlying_symbol.security_type)
        market = params.get("market") or underlying_symbol.id.market
        style = OptionStyle.EUROPEAN if option_type == SecurityType.INDEX_OPTION else OptionStyle.AMERICAN
        return Symbol._create_option(
            underlying_symbol, params.get("target_option"), market, style, OptionRight.CALL, 0, DEFAULT_DATE,
            params.get("alias"),
        )

    @staticmethod
    def create_future(ticker: str, market: str, expiry: date | datetime, alias: str | None = None) -> Symbol:
        sid = SecurityIdentifier.generate_future(expiry, ticker, market)
        value = alias if alias is not None else Symbol.get_alias(sid)
        assert value is not None
        return Symbol(sid, value)

    @staticmethod
    def create_base(base_type: type | str | None, underlying: Symbol, market: str | None = None) -> Symbol:
        """Custom data symbol linked to ``underlying`` (keeps the underlying's first ticker and date)."""
        first_date: datetime | None = None
        if underlying.security_type in (SecurityType.EQUITY, SecurityType.FUTURE, SecurityType.BASE) or is_option_type(
            underlying.security_type
        ):
            first_date = underlying.id.date
        sid = SecurityIdentifier.generate_base(base_type, underlying.id.symbol, market or "usa", False, first_date)
        return Symbol._with_underlying(sid, underlying.value, underlying)

    @staticmethod
    def get_alias(sid: SecurityIdentifier, underlying: Symbol | None = None) -> str | None:
        """Generated ticker for options (OSI, ``?ROOT`` when canonical) and futures (``/ROOT`` when canonical)."""
        if is_option_type(sid.security_type):
            if underlying is None:
                raise ValueError("An option alias needs the underlying symbol")
            sym = underlying.value
            if sid.symbol != underlying.id.symbol:
                sym = sid.symbol
            if sid.date == DEFAULT_DATE:
                return f"?{sym.upper()}"
            if len(sym) > 5:
                sym += " "
            return generate_option_ticker_osi(sym, sid.option_right, sid.strike_price, sid.date)
        if sid.security_type == SecurityType.FUTURE:
            sym = sid.symbol
            if sid.date == DEFAULT_DATE:
                return f"/{sym}"
            return generate_future_ticker(sym, sid.date)
        return None

    @staticmethod
    def _sid_is_canonical(sid: SecurityIdentifier) -> bool:
        return (
            sid.security_type == SecurityType.FUTURE
            or (is_option_type(sid.security_type) and sid.has_underlying)
        ) and sid.date == DEFAULT_DATE

    # -- properties -------------------------------------------------------------------------------------------

    @property
    def value(self) -> str:
        """The current ticker."""
        return self._value

    @property
    def id(self) -> SecurityIdentifier:
        return self._id

    @property
    def permtick(self) -> str:
        """The permanent ticker, i.e. the SID's symbol (``symbolPermtick`` in order-event files).

        Note: LEAN's Symbol JSON writes the *current* ticker under its ``"permtick"`` key; see :meth:`to_json_dict`.
        """
        return self._id.symbol

    @property
    def security_type(self) -> SecurityType:
        return self._id.security_type

    @property
    def underlying(self) -> Symbol | None:
        return self._underlying

    @property
    def has_underlying(self) -> bool:
        return self._underlying is not None

    def is_canonical(self) -> bool:
        return Symbol._sid_is_canonical(self._id)

    def has_canonical(self) -> bool:
        return not self.is_canonical() and (is_option_type(self.security_type) or self.security_type == SecurityType.FUTURE)

    @property
    def canonical(self) -> Symbol:
        if self._canonical is not None:
            return self._canonical
        canonical = self
        if not self.is_canonical():
            if is_option_type(self.security_type):
                assert self._underlying is not None
                canonical = Symbol.create_canonical_option(self._underlying, self._id.symbol, self._id.market, None)
            elif self.security_type == SecurityType.FUTURE:
                canonical = Symbol.create(self._id.symbol, SecurityType.FUTURE, self._id.market)
            else:
                raise ValueError("Canonical is only defined for SecurityType.Option, SecurityType.Future, "
                                 "SecurityType.FutureOption")
        object.__setattr__(self, "_canonical", canonical)
        return canonical

    def has_underlying_symbol(self, symbol: Symbol) -> bool:
        current: Symbol | None = self
        while current is not None and current._underlying is not None:
            if current._underlying == symbol:
                return True
            current = current._underlying
        return False

    def requires_mapping(self) -> bool:
        """LEAN's ``RequiresMapping``: equities and equity options follow map files (renames, delistings)."""
        security_type = self.security_type
        if security_type == SecurityType.BASE:
            return self._underlying is not None and self._underlying.requires_mapping()
        if security_type == SecurityType.FUTURE:
            return self.is_canonical()
        return security_type in (SecurityType.EQUITY, SecurityType.OPTION)

    def update_mapped_symbol(self, mapped_symbol: str, contract_depth_offset: int = 0) -> Symbol:
        """New symbol with the same SID and the ticker in use now (e.g. after a rename, ``GOOCV`` → ``GOOG``)."""
        if is_option_type(self.security_type) and self.security_type != SecurityType.OPTION:
            raise ValueError(f"SecurityType {self.security_type.name} can not be mapped.")
        if self.security_type == SecurityType.FUTURE:
            if mapped_symbol == self._value:
                return self
            future_sid = SecurityIdentifier.parse(mapped_symbol)
            mapped_underlying = Symbol(future_sid, mapped_symbol)
            return Symbol._with_underlying(self._id, mapped_underlying.value, mapped_underlying)
        underlying = self._underlying
        if underlying is not None:
            underlying = underlying.update_mapped_symbol(mapped_symbol, contract_depth_offset)
        if self.security_type != SecurityType.BASE and not self.requires_mapping():
            return Symbol._with_underlying(self._id, self._value, underlying)
        if self.security_type == SecurityType.OPTION:
            if not self.is_canonical():
                mapped_symbol = generate_option_ticker_osi(
                    mapped_symbol, self._id.option_right, self._id.strike_price, self._id.date
                )
            else:
                mapped_symbol = self._value
        return Symbol._with_underlying(self._id, mapped_symbol, underlying)

    def to_json_dict(self) -> OrderedDict[str, Any]:
        """LEAN's Symbol JSON: ``value``, ``id``, ``permtick`` (the current ticker, as LEAN writes it) and the
        nested ``underlying`` when there is one."""
        result: OrderedDict[str, Any] = OrderedDict()
        result["value"] = self._value
        result["id"] = str(self._id)
        result["permtick"] = self._value
        if self._underlying is not None:
            result["underlying"] = self._underlying.to_json_dict()
        return result

    # -- equality, ordering, text -----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, Symbol):
            return self._id == other._id
        if isinstance(other, SecurityIdentifier):
            return self._id == other
        if isinstance(other, str):
            resolved = active_symbol_cache().resolve(other)
            return self._id == resolved._id
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._id)

    def equals(self, other: object) -> bool:
        result = self.__eq__(other)
        return False if result is NotImplemented else bool(result)

    def compare_to(self, other: object) -> int:
        """Case-insensitive ordinal comparison of the tickers (LEAN's ``CompareTo``)."""
        if isinstance(other, Symbol):
            right = other._value
        elif isinstance(other, str):
            right = other
        else:
            raise TypeError("Object must be of type Symbol or string.")
        left_key, right_key = self._value.upper(), right.upper()
        return (left_key > right_key) - (left_key < right_key)

    def __lt__(self, other: object) -> bool:
        return self.compare_to(other) < 0

    def __le__(self, other: object) -> bool:
        return self.compare_to(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self.compare_to(other) > 0

    def __ge__(self, other: object) -> bool:
        return self.compare_to(other) >= 0

    def __str__(self) -> str:
        return self._value

    def to_string(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return self._value

    def __format__(self, format_spec: str) -> str:
        return format(self._value, format_spec)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in Symbol.__slots__ and not _slot_is_set(self, name):
            object.__setattr__(self, name, value)
            return
        raise AttributeError("Symbol is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Symbol._with_underlying, (self._id, self._value, self._underlying))

    def __copy__(self) -> Symbol:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Symbol:
        return self


def _slot_is_set(instance: object, name: str) -> bool:
    try:
        object.__getattribute__(instance, name)
    except AttributeError:
        return False
    return True


Symbol.EMPTY = Symbol(SecurityIdentifier.EMPTY, "")
Symbol.NONE = Symbol(SecurityIdentifier.NONE, "NONE")


# ---------------------------------------------------------------------------------------------------------------


class SymbolCache:
    """Ticker ↔ symbol map of one engine run (LEAN keeps one static cache; here each engine owns one and makes it
    active with :func:`set_active_symbol_cache` / :meth:`activate`). Ticker lookups ignore case."""

    def __init__(self) -> None:
        self._symbols: dict[str, Symbol | None] = {}
        self._tickers: dict[Symbol, str] = {}

    def set(self, ticker: str, symbol: Symbol) -> None:
        self._symbols[ticker.upper()] = symbol
        self._tickers[symbol] = ticker
        dot = ticker.find(".")
        if dot != -1:
            related = ticker[:dot].upper()
            if related in self._symbols and self._symbols[related] is None:
                del self._symbols[related]

    def try_get_symbol(self, ticker: str) -> tuple[bool, Symbol | None]:
        key = ticker.upper()
        if key in self._symbols:
            cached = self._symbols[key]
            return cached is not None, cached
        ok, sid = SecurityIdentifier.try_parse(ticker)
        if ok:
            return True, Symbol(sid, sid.symbol)
        # custom data fallback: "BTC" finds "BTC.Bitcoin" when exactly one such ticker exists
        prefix = f"{key}."
        matches = [(k, v) for k, v in self._symbols.items() if k.startswith(prefix) and v is not None]
        if not matches:
            self._symbols[key] = None
            return False, None
        if len(matches) == 1:
            self._symbols[key] = matches[0][1]
            return True, matches[0][1]
        raise ValueError(
            "We were unable to uniquely identify the ticker name. Please use the full ticker name: "
            + ", ".join(k for k, _ in matches)
        )

    def get_symbol(self, ticker: str) -> Symbol:
        ok, symbol = self.try_get_symbol(ticker)
        if not ok or symbol is None:
            raise KeyError(
                f"We were unable to locate the ticker '{ticker}'. Use the Symbol returned by add_equity/"
                "add_security or add the security first."
            )
        return symbol

    def resolve(self, ticker: str) -> Symbol:
        """LEAN's implicit string → Symbol conversion: the cached symbol, or a placeholder that matches nothing
        else (``SecurityIdentifier(ticker, 0)``)."""
        ok, symbol = self.try_get_symbol(ticker)
        if ok and symbol is not None:
            return symbol
        if any(char in SecurityIdentifier.INVALID_SYMBOL_CHARACTERS for char in ticker):
            return Symbol._with_underlying(SecurityIdentifier("INVALID", 0), ticker, None)
        return Symbol(SecurityIdentifier(ticker, 0), ticker)

    def try_get_ticker(self, symbol: Symbol) -> tuple[bool, str | None]:
        ticker = self._tickers.get(symbol)
        return ticker is not None, ticker

    def get_ticker(self, symbol: Symbol) -> str:
        ticker = self._tickers.get(symbol)
        return ticker if ticker is not None else str(symbol.id)

    def try_remove(self, item: Symbol | str) -> bool:
        if isinstance(item, Symbol):
            ticker = self._tickers.pop(item, None)
            if ticker is None:
                return False
            return self._symbols.pop(ticker.upper(), None) is not None
        symbol = self._symbols.pop(item.upper(), None)
        if symbol is None:
            return False
        return self._tickers.pop(symbol, None) is not None

    def clear(self) -> None:
        self._symbols.clear()
        self._tickers.clear()

    def __contains__(self, ticker: object) -> bool:
        return isinstance(ticker, str) and self._symbols.get(ticker.upper()) is not None

    def __len__(self) -> int:
        return len(self._tickers)

    @contextmanager
    def activate(self) -> Iterator[SymbolCache]:
        token = _ACTIVE_CACHE.set(self)
        try:
            yield self
        finally:
            _ACTIVE_CACHE.reset(token)


_DEFAULT_CACHE = SymbolCache()
_ACTIVE_CACHE: ContextVar[SymbolCache] = ContextVar("lean_local_symbol_cache", default=_DEFAULT_CACHE)


def active_symbol_cache() -> SymbolCache:
    """The cache used to resolve strings to symbols in the current context."""
    return _ACTIVE_CACHE.get()


def set_active_symbol_cache(cache: SymbolCache) -> None:
    """Make ``cache`` the one string lookups use in the current context (an engine calls this at start)."""
    _ACTIVE_CACHE.set(cache)


def to_symbol(value: Symbol | str | Any) -> Symbol:
    """Accept a Symbol, a ticker string (resolved through the active cache) or an object with a ``symbol``."""
    if isinstance(value, Symbol):
        return value
    if isinstance(value, str):
        return active_symbol_cache().resolve(value)
    inner = getattr(value, "symbol", None)
    if isinstance(inner, Symbol):
        return inner
    raise TypeError(f"Cannot convert {type(value).__name__} to Symbol")
