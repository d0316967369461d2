"""The data objects an algorithm receives: bars, quotes, corporate events, and the Slice that groups them.

Algorithms see prices as ``float`` (what LEAN's Python bridge yields for C# decimals). The engine needs the
exact decimal value LEAN computed (raw deci-cents x price factor), so every bar built from a data file keeps
its raw integers and its :class:`PriceScale`; ``exact_*`` properties rebuild the exact ``Decimal`` on demand.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import DelistingType, MarketDataType, SplitType, TickType

T = TypeVar("T")


class PriceScale:
    """An exact price factor (LEAN's ``PriceScaleFactor``) as an integer mantissa and a decimal exponent.

    ``raw`` file prices are integers in units of 10**-``raw_exponent`` (deci-cents for equities: 4).
    The exact adjusted price is ``raw * mantissa * 10**-(raw_exponent + exponent)``, which is what C# gets
    from ``(raw * 0.0001m) * factor``, scale included.
    """

    __slots__ = ("factor", "mantissa", "exponent", "raw_exponent", "_denominator", "_volume_factor")

    def __init__(self, factor: Decimal | None, raw_exponent: int = 4) -> None:
        self.factor = factor
        self.raw_exponent = raw_exponent
        if factor is None:
            self.mantissa, self.exponent = 1, 0
        else:
            sign, digits, exp = factor.as_tuple()
            assert isinstance(exp, int)
            mantissa = int("".join(map(str, digits)) or "0")
            self.mantissa = -mantissa if sign else mantissa
            self.exponent = -exp
        self._denominator = 10 ** (self.raw_exponent + self.exponent)
        self._volume_factor: Decimal | None = None

    def exact(self, raw: int) -> Decimal:
        return Decimal(raw * self.mantissa).scaleb(-(self.raw_exponent + self.exponent))

    def to_float(self, raw: int) -> float:
        # int / int is correctly rounded in Python, so this equals float(self.exact(raw)).
        return raw * self.mantissa / self._denominator

    def scale_volume(self, volume: int) -> int:
        """Volume is divided by the factor and rounded half-even, as LEAN's normalisation does."""
        if self.factor is None:
            return volume
        if self._volume_factor is None:
            self._volume_factor = Decimal(1) / self.factor
        return int((volume * self._volume_factor).to_integral_value())

    def __repr__(self) -> str:
        return f"PriceScale({self.factor})"


RAW_EQUITY = PriceScale(None)


def _scale_prices(bar: Any, factor: Decimal) -> None:
    """Scale a bar's OHLC by ``factor`` keeping exact decimals: the raw integers stay, the price scale absorbs it."""
    if bar._raw is not None and bar._scale is not None:
        current = bar._scale.factor if bar._scale.factor is not None else Decimal(1)
        bar._scale = PriceScale(current * factor, bar._scale.raw_exponent)
        f = bar._scale.to_float
        raw = bar._raw
        bar.open, bar.high, bar.low, bar.close = f(raw[0]), f(raw[1]), f(raw[2]), f(raw[3])
        return
    scaled = [to_decimal(v) * factor for v in (bar.open, bar.high, bar.low, bar.close)]
    bar.open, bar.high, bar.low, bar.close = (float(v) for v in scaled)


def _round_volume(volume: Decimal, factor: Decimal) -> Decimal:
    return (volume * (Decimal(1) / factor)).to_integral_value()


class BaseData:
    """Common fields of every data point. ``time`` is the start, ``end_time`` when it is emitted."""

    __slots__ = ("symbol", "time", "end_time", "is_fill_forward")
    data_type: MarketDataType = MarketDataType.BASE

    def __init__(self, symbol: Any = None, time: datetime | None = None, end_time: datetime | None = None) -> None:
        self.symbol = symbol
        self.time = time if time is not None else datetime.min
        self.end_time = end_time if end_time is not None else self.time
        self.is_fill_forward = False

    @property
    def value(self) -> float:
        return 0.0

    @property
    def price(self) -> float:
        return self.value

    @property
    def exact_value(self) -> Decimal:
        return to_decimal(self.value)

    @property
    def period(self) -> timedelta:
        return self.end_time - self.time

    def clone_fill_forward(self, time: datetime, end_time: datetime) -> "BaseData":
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.symbol} {self.end_time} {self.value})"


class ExactOHLC:
    """Exact OHLC decimals of a bar: rebuilt from the raw file integers and the price scale when the bar came from
    a file (so no float rounding creeps in), else converted from the floats as pythonnet would."""

    __slots__ = ()
    _raw: tuple[int, int, int, int] | None
    _scale: PriceScale | None
    open: float
    high: float
    low: float
    close: float

    def _exact(self, index: int, value: float) -> Decimal:
        if self._raw is not None and self._scale is not None:
            return self._scale.exact(self._raw[index])
        return to_decimal(value)

    @property
    def exact_open(self) -> Decimal:
        return self._exact(0, self.open)

    @property
    def exact_high(self) -> Decimal:
        return self._exact(1, self.high)

    @property
    def exact_low(self) -> Decimal:
        return self._exact(2, self.low)

    @property
    def exact_close(self) -> Decimal:
        return self._exact(3, self.close)


class Bar(ExactOHLC):
    """An OHLC bar (one side of a quote bar); floats for algorithms, exact values via ``exact_*``."""

    __slots__ = ("open", "high", "low", "close", "_raw", "_scale")

    def __init__(self, open: float = 0.0, high: float = 0.0, low: float = 0.0, close: float = 0.0) -> None:
        self.open = float(open)
        self.high = float(high)
        self.low = float(low)
        self.close = float(close)
        self._raw: tuple[int, int, int, int] | None = None
        self._scale: PriceScale | None = None

    @classmethod
    def from_raw(cls, raw: tuple[int, int, int, int], scale: PriceScale) -> "Bar":
        bar = cls.__new__(cls)
        bar._raw = raw
        bar._scale = scale
        f = scale.to_float
        bar.open, bar.high, bar.low, bar.close = f(raw[0]), f(raw[1]), f(raw[2]), f(raw[3])
        return bar


    def scale(self, factor: Decimal) -> None:
        """Multiply every price by ``factor`` in place, exactly (split adjustment of cached data)."""
        _scale_prices(self, factor)

    def update(self, value: float) -> None:
        if value == 0:
            return
        if self.open == 0 and self.high == 0 and self.low == 0 and self.close == 0:
            self.open = self.high = self.low = self.close = value
        elif value > self.high:
            self.high = value
        elif value < self.low:
            self.low = value
        self.close = value
        self._raw = None

    def __repr__(self) -> str:
        return f"Bar(o={self.open} h={self.high} l={self.low} c={self.close})"


class TradeBar(BaseData, ExactOHLC):
    """Trade OHLCV over ``period``. Constructed by the feed from raw file prices or by users from floats."""

    __slots__ = ("open", "high", "low", "close", "volume", "_raw", "_scale")
    data_type = MarketDataType.TRADE_BAR

    def __init__(
        self,
        time: datetime | None = None,
        symbol: Any = None,
        open: float = 0.0,
        high: float = 0.0,
        low: float = 0.0,
        close: float = 0.0,
        volume: float = 0.0,
        period: timedelta | None = None,
    ) -> None:
        start = time if time is not None else datetime.min
        super().__init__(symbol, start, start + (period if period is not None else timedelta(minutes=1)))
        self.open = float(open)
        self.high = float(high)
        self.low = float(low)
        self.close = float(close)
        self.volume = float(volume)
        self._raw: tuple[int, int, int, int] | None = None
        self._scale: PriceScale | None = None

    @classmethod
    def from_raw(
        cls,
        symbol: Any,
        time: datetime,
        end_time: datetime,
        raw: tuple[int, int, int, int],
        volume: float,
        scale: PriceScale,
    ) -> "TradeBar":
        bar = cls.__new__(cls)
        bar.symbol = symbol
        bar.time = time
        bar.end_time = end_time
        bar.is_fill_forward = False
        bar._raw = raw
        bar._scale = scale
        f = scale.to_float
        bar.open, bar.high, bar.low, bar.close = f(raw[0]), f(raw[1]), f(raw[2]), f(raw[3])
        bar.volume = float(volume)
        return bar


    @property
    def exact_value(self) -> Decimal:
        return self.exact_close

    @property
    def exact_volume(self) -> Decimal:
        return to_decimal(self.volume)

    def scale(self, factor: Decimal) -> None:
        """Split adjustment in place: prices times ``factor``, volume divided by it (rounded half-even)."""
        _scale_prices(self, factor)
        self.volume = float(_round_volume(to_decimal(self.volume), factor))

    @property
    def value(self) -> float:
        return self.close

    @property
    def price(self) -> float:
        return self.close

    @property
    def period(self) -> timedelta:
        return self.end_time - self.time

    def clone_fill_forward(self, time: datetime, end_time: datetime) -> "TradeBar":
        """LEAN's fill-forward bar: the previous close as OHLC, zero volume."""
        bar = TradeBar.__new__(TradeBar)
        bar.symbol = self.symbol
        bar.time = time
        bar.end_time = end_time
        bar.is_fill_forward = True
        bar.volume = 0.0
        if self._raw is not None:
            close = self._raw[3]
            bar._raw = (close, close, close, close)
        else:
            bar._raw = None
        bar._scale = self._scale
        bar.open = bar.high = bar.low = bar.close = self.close
        return bar

    def update(self, last_trade: float, bid_price: float, ask_price: float, volume: float, bid_size: float = 0, ask_size: float = 0) -> None:
        if last_trade == 0:
            return
        if self.open == 0:
            self.open = self.high = self.low = last_trade
        self.high = max(self.high, last_trade)
        self.low = min(self.low, last_trade)
        self.close = last_trade
        self.volume += volume
        self._raw = None

    def __repr__(self) -> str:
        return (
            f"TradeBar({self.symbol} {self.end_time:%Y-%m-%d %H:%M:%S} "
            f"o={self.open} h={self.high} l={self.low} c={self.close} v={self.volume})"
        )


class QuoteBar(BaseData):
    """Bid and ask OHLC over ``period`` with the last bid/ask sizes; OHLC is the mid of the sides."""

    __slots__ = ("bid", "ask", "last_bid_size", "last_ask_size")
    data_type = MarketDataType.QUOTE_BAR

    def __init__(
        self,
        time: datetime | None = None,
        symbol: Any = None,
        bid: Bar | None = None,
        last_bid_size: float = 0.0,
        ask: Bar | None = None,
        last_ask_size: float = 0.0,
        period: timedelta | None = None,
    ) -> None:
        start = time if time is not None else datetime.min
        super().__init__(symbol, start, start + (period if period is not None else timedelta(minutes=1)))
        self.bid = bid
        self.ask = ask
        self.last_bid_size = float(last_bid_size)
        self.last_ask_size = float(last_ask_size)

    @classmethod
    def create(
        cls, symbol: Any, time: datetime, end_time: datetime, bid: Bar | None, bid_size: float, ask: Bar | None, ask_size: float
    ) -> "QuoteBar":
        bar = cls.__new__(cls)
        bar.symbol = symbol
        bar.time = time
        bar.end_time = end_time
        bar.is_fill_forward = False
        bar.bid = bid
        bar.ask = ask
        bar.last_bid_size = bid_size
        bar.last_ask_size = ask_size
        return bar

    def scale(self, factor: Decimal) -> None:
        """Split adjustment in place: both sides' prices times ``factor``, sizes divided by it."""
        for side in (self.bid, self.ask):
            if side is not None:
                side.scale(factor)
        self.last_bid_size = float(_round_volume(to_decimal(self.last_bid_size), factor))
        self.last_ask_size = float(_round_volume(to_decimal(self.last_ask_size), factor))

    def _mid(self, field: str) -> float:
        bid = getattr(self.bid, field) if self.bid is not None else 0.0
        ask = getattr(self.ask, field) if self.ask is not None else 0.0
        if self.bid is not None and self.ask is not None:
            return float((to_decimal_exact(self.bid, field) + to_decimal_exact(self.ask, field)) / 2)
        return bid if self.bid is not None else ask

    def _exact_mid(self, field: str) -> Decimal:
        if self.bid is not None and self.ask is not None:
            return (to_decimal_exact(self.bid, field) + to_decimal_exact(self.ask, field)) / 2
        if self.bid is not None:
            return to_decimal_exact(self.bid, field)
        if self.ask is not None:
            return to_decimal_exact(self.ask, field)
        return ZERO

    @property
    def open(self) -> float:
        return self._mid("open")

    @property
    def high(self) -> float:
        return self._mid("high")

    @property
    def low(self) -> float:
        return self._mid("low")

    @property
    def close(self) -> float:
        return self._mid("close")

    @property
    def exact_close(self) -> Decimal:
        return self._exact_mid("close")

    @property
    def exact_open(self) -> Decimal:
        return self._exact_mid("open")

    @property
    def exact_high(self) -> Decimal:
        return self._exact_mid("high")

    @property
    def exact_low(self) -> Decimal:
        return self._exact_mid("low")

    @property
    def exact_value(self) -> Decimal:
        return self._exact_mid("close")

    @property
    def value(self) -> float:
        return self.close

    @property
    def price(self) -> float:
        return self.close

    def clone_fill_forward(self, time: datetime, end_time: datetime) -> "QuoteBar":
        def flat(side: Bar | None) -> Bar | None:
            if side is None:
                return None
            bar = Bar.__new__(Bar)
            bar.open = bar.high = bar.low = bar.close = side.close
            if side._raw is not None:
                close = side._raw[3]
                bar._raw = (close, close, close, close)
            else:
                bar._raw = None
            bar._scale = side._scale
            return bar

        bar = QuoteBar.create(self.symbol, time, end_time, flat(self.bid), self.last_bid_size, flat(self.ask), self.last_ask_size)
        bar.is_fill_forward = True
        return bar

    def __repr__(self) -> str:
        bid = self.bid.close if self.bid else None
        ask = self.ask.close if self.ask else None
        return f"QuoteBar({self.symbol} {self.end_time:%Y-%m-%d %H:%M:%S} bid={bid} ask={ask})"


def to_decimal_exact(bar: Bar, field: str) -> Decimal:
    exact: Decimal = getattr(bar, "exact_" + field)
    return exact


class Tick(BaseData):
    """A single trade or quote; minimal support (tick data is out of scope for the sample cases)."""

    __slots__ = ("tick_type", "_value", "quantity", "bid_price", "ask_price", "bid_size", "ask_size", "exchange")
    data_type = MarketDataType.TICK

    def __init__(self, time: datetime | None = None, symbol: Any = None, value: float = 0.0, tick_type: TickType = TickType.TRADE) -> None:
        super().__init__(symbol, time, time)
        self.tick_type = tick_type
        self._value = float(value)
        self.quantity = 0.0
        self.bid_price = 0.0
        self.ask_price = 0.0
        self.bid_size = 0.0
        self.ask_size = 0.0
        self.exchange = ""

    @property
    def value(self) -> float:
        return self._value

    @property
    def last_price(self) -> float:
        return self._value


class Split(BaseData):
    """A split warning (the day before) or occurrence; ``split_factor`` < 1 for a forward split.

    Algorithms read floats (LEAN's decimals reach Python as floats); the engine uses the ``*_exact`` decimals."""

    __slots__ = ("type", "split_factor_exact", "reference_price_exact")
    data_type = MarketDataType.AUXILIARY

    def __init__(self, symbol: Any, time: datetime, reference_price: Decimal, split_factor: Decimal, type: SplitType) -> None:
        super().__init__(symbol, time, time)
        self.type = type
        self.split_factor_exact = split_factor
        self.reference_price_exact = reference_price

    @property
    def split_factor(self) -> float:
        return float(self.split_factor_exact)

    @property
    def reference_price(self) -> float:
        return float(self.reference_price_exact)

    @property
    def value(self) -> float:
        return float(self.split_factor_exact)

    @property
    def exact_value(self) -> Decimal:
        return self.split_factor_exact

    def __repr__(self) -> str:
        return (f"Split({self.symbol} {self.time:%Y-%m-%d} {self.type.name} factor={self.split_factor_exact} "
                f"ref={self.reference_price_exact})")


class Dividend(BaseData):
    """A cash dividend per share paid on ``time``'s date; floats for algorithms, ``*_exact`` decimals for the engine."""

    __slots__ = ("distribution_exact", "reference_price_exact")
    data_type = MarketDataType.AUXILIARY

    def __init__(self, symbol: Any, time: datetime, distribution: Decimal, reference_price: Decimal) -> None:
        super().__init__(symbol, time, time)
        self.distribution_exact = distribution
        self.reference_price_exact = reference_price

    @property
    def distribution(self) -> float:
        return float(self.distribution_exact)

    @property
    def reference_price(self) -> float:
        return float(self.reference_price_exact)

    @property
    def value(self) -> float:
        return float(self.distribution_exact)

    @property
    def exact_value(self) -> Decimal:
        return self.distribution_exact

    def __repr__(self) -> str:
        return f"Dividend({self.symbol} {self.time:%Y-%m-%d} {self.distribution_exact})"


class Delisting(BaseData):
    """A delisting warning (the last trading day) or the delisting itself."""

    __slots__ = ("type", "_price", "ticket")
    data_type = MarketDataType.AUXILIARY

    def __init__(self, symbol: Any, time: datetime, price: Decimal, type: DelistingType) -> None:
        super().__init__(symbol, time, time)
        self.type = type
        self._price = price
        self.ticket: Any = None

    @property
    def value(self) -> float:
        return float(self._price)

    @property
    def price(self) -> float:
        return float(self._price)

    @property
    def exact_value(self) -> Decimal:
        return self._price

    def __repr__(self) -> str:
        return f"Delisting({self.symbol} {self.time:%Y-%m-%d} {self.type.name})"


class SymbolChangedEvent(BaseData):
    """A ticker rename taken from a map file."""

    __slots__ = ("old_symbol", "new_symbol")
    data_type = MarketDataType.AUXILIARY

    def __init__(self, symbol: Any, time: datetime, old_symbol: str, new_symbol: str) -> None:
        super().__init__(symbol, time, time)
        self.old_symbol = old_symbol
        self.new_symbol = new_symbol


class KeyValuePair:
    """What iterating a LEAN dictionary yields in Python: an object with ``key`` and ``value``."""

    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    def __iter__(self) -> Iterator[Any]:
        yield self.key
        yield self.value

    def __repr__(self) -> str:
        return f"[{self.key}, {self.value}]"


class DataDictionary(dict, Generic[T]):  # type: ignore[type-arg]
    """A dict keyed by Symbol that also accepts ticker strings, as LEAN's Python dictionaries do.

    Iterating yields ``KeyValuePair`` objects (``kvp.key``, ``kvp.value``), as iterating a LEAN dictionary does
    in Python; use ``keys()``, ``values()`` or ``items()`` for plain Python iteration.
    """

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return (KeyValuePair(k, v) for k, v in dict.items(self))

    def __init__(self, resolver: Any = None) -> None:
        super().__init__()
        self._resolver = resolver

    def _key(self, key: Any) -> Any:
        if isinstance(key, str) and self._resolver is not None:
            return self._resolver(key)
        if isinstance(key, KeyValuePair):
            return key.key
        return key

    def __getitem__(self, key: Any) -> T:
        resolved = self._key(key)
        try:
            return dict.__getitem__(self, resolved)  # type: ignore[no-any-return]
        except KeyError:
            raise KeyError(
                f"'{key}' wasn't found in the {type(self).__name__} object, likely because there was no-data at this "
                f"moment in time and it wasn't possible to fillforward historical data. Please check the data exists "
                f"before accessing it with data.contains_key(\"{key}\")."
            ) from None

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, self._key(key))

    def contains_key(self, key: Any) -> bool:
        return key in self

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, self._key(key), default)

    def try_get_value(self, key: Any) -> tuple[bool, Any]:
        resolved = self._key(key)
        if dict.__contains__(self, resolved):
            return True, dict.__getitem__(self, resolved)
        return False, None

    @property
    def count(self) -> int:
        return len(self)


class TradeBars(DataDictionary[TradeBar]):
    pass


class QuoteBars(DataDictionary[QuoteBar]):
    pass


class Ticks(DataDictionary[list[Tick]]):
    pass


class Splits(DataDictionary[Split]):
    pass


class Dividends(DataDictionary[Dividend]):
    pass


class Delistings(DataDictionary[Delisting]):
    pass


class SymbolChangedEvents(DataDictionary[SymbolChangedEvent]):
    pass


class Slice(Mapping[Any, Any]):
    """Everything that happened at one moment, keyed by Symbol (or ticker)."""

    def __init__(
        self,
        time: datetime,
        resolver: Any = None,
        utc_time: datetime | None = None,
    ) -> None:
        self.time = time
        self.utc_time = utc_time
        self._resolver = resolver
        self.bars = TradeBars(resolver)
        self.quote_bars = QuoteBars(resolver)
        self.ticks = Ticks(resolver)
        self.splits = Splits(resolver)
        self.dividends = Dividends(resolver)
        self.delistings = Delistings(resolver)
        self.symbol_changed_events = SymbolChangedEvents(resolver)
        self._primary: dict[Any, Any] = {}
        self.has_data = False

    # --- construction (engine side) -------------------------------------------------------------
    def add(self, data: BaseData) -> None:
        if isinstance(data, TradeBar):
            self.bars[data.symbol] = data
            self._primary[data.symbol] = data
            self.has_data = True
        elif isinstance(data, QuoteBar):
            self.quote_bars[data.symbol] = data
            self._primary.setdefault(data.symbol, data)
            self.has_data = True
        elif isinstance(data, Split):
            self.splits[data.symbol] = data
            self.has_data = True
        elif isinstance(data, Dividend):
            self.dividends[data.symbol] = data
            self.has_data = True
        elif isinstance(data, Delisting):
            self.delistings[data.symbol] = data
            self.has_data = True
        elif isinstance(data, SymbolChangedEvent):
            self.symbol_changed_events[data.symbol] = data
            self.has_data = True
        elif isinstance(data, Tick):
            self.ticks.setdefault(data.symbol, []).append(data)
            self._primary[data.symbol] = self.ticks[data.symbol]
            self.has_data = True
        else:
            self._primary[data.symbol] = data
            self.has_data = True

    # --- algorithm side -------------------------------------------------------------------------
    def _key(self, key: Any) -> Any:
        if isinstance(key, str) and self._resolver is not None:
            return self._resolver(key)
        return key

    def __getitem__(self, key: Any) -> Any:
        resolved = self._key(key)
        try:
            return self._primary[resolved]
        except KeyError:
            raise KeyError(
                f"'{key}' wasn't found in the Slice object, likely because there was no-data at this moment in time "
                f"and it wasn't possible to fillforward historical data. Please check the data exists before "
                f"accessing it with data.contains_key(\"{key}\")."
            ) from None

    def __contains__(self, key: object) -> bool:
        return self._key(key) in self._primary

    def __iter__(self) -> Iterator[Any]:
        return iter(self._primary)

    def __len__(self) -> int:
        return len(self._primary)

    def contains_key(self, key: Any) -> bool:
        return key in self

    def get(self, key: Any, default: Any = None) -> Any:
        if isinstance(key, type):
            return self._by_type(key)
        return self._primary.get(self._key(key), default)

    def _by_type(self, data_type: type) -> DataDictionary[Any]:
        if data_type is TradeBar:
            return self.bars
        if data_type is QuoteBar:
            return self.quote_bars
        if data_type is Split:
            return self.splits
        if data_type is Dividend:
            return self.dividends
        if data_type is Delisting:
            return self.delistings
        result: DataDictionary[Any] = DataDictionary(self._resolver)
        for symbol, value in self._primary.items():
            if isinstance(value, data_type):
                result[symbol] = value
        return result

    @property
    def keys_list(self) -> list[Any]:
        return list(self._primary)

    @property
    def count(self) -> int:
        return len(self._primary)

    def __repr__(self) -> str:
        return f"Slice({self.time} {len(self._primary)} symbols)"
