"""A tradable security: its last prices, exchange clock, holdings and the models that trade it.

Mirrors LEAN's ``Security``/``SecurityCache``/``SecurityExchange``: the cache keeps exact decimals (what
fills and portfolio value use); the float properties are what algorithms read.
"""
from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import DataNormalizationMode, MarketDataType, Resolution, SecurityType
from lean_local.market_data import BaseData, PriceScale, QuoteBar, Tick, TradeBar

if TYPE_CHECKING:
    from lean_local.data.market_hours import ExchangeHours
    from lean_local.data.symbol_properties import SymbolProperties
    from lean_local.securities.holding import SecurityHolding
    from lean_local.securities.symbol import Symbol


class SecurityCache:
    """Last known prices of a security, exact decimals, updated by non-fill-forward data only.

    The open, high, low and volume of a file-built trade bar are kept as the bar's raw integers and price scale
    (and volume float) and turned into decimals only when read: most are never read, and every bar of a backtest
    passes through here. The values are exactly those the bar's ``exact_*`` properties return at update time.
    """

    __slots__ = (
        "price", "_open", "_high", "_low", "close", "bid_price", "ask_price", "bid_size", "ask_size",
        "_volume", "open_interest", "_last_data", "_data_by_type", "_last_quote_bar_update",
        "_last_ohlc_update", "_default_data_type", "_pending_ohl", "_pending_volume",
    )

    def __init__(self, default_data_type: type = TradeBar) -> None:
        self.price = ZERO
        self._open = ZERO
        self._high = ZERO
        self._low = ZERO
        self.close = ZERO
        self.bid_price = ZERO
        self.ask_price = ZERO
        self.bid_size = ZERO
        self.ask_size = ZERO
        self._volume = ZERO
        self.open_interest = 0
        self._last_data: BaseData | None = None
        self._data_by_type: dict[type, list[BaseData]] = {}
        self._last_quote_bar_update: datetime | None = None
        self._last_ohlc_update: datetime | None = None
        self._default_data_type = default_data_type
        # (raw OHLC, price scale, set open?, set high?, set low?) of the last trade bar, not yet converted
        self._pending_ohl: tuple[tuple[int, int, int, int], PriceScale, bool, bool, bool] | None = None
        self._pending_volume: float | None = None

    # --- lazily converted fields ------------------------------------------------------------------
    def _convert_ohl(self) -> None:
        pending = self._pending_ohl
        if pending is not None:
            self._pending_ohl = None
            raw, scale, set_open, set_high, set_low = pending
            if set_open:
                self._open = scale.exact(raw[0])
            if set_high:
                self._high = scale.exact(raw[1])
            if set_low:
                self._low = scale.exact(raw[2])

    @property
    def open(self) -> Decimal:
        self._convert_ohl()
        return self._open

    @open.setter
    def open(self, value: Decimal) -> None:
        self._convert_ohl()
        self._open = value

    @property
    def high(self) -> Decimal:
        self._convert_ohl()
        return self._high

    @high.setter
    def high(self, value: Decimal) -> None:
        self._convert_ohl()
        self._high = value

    @property
    def low(self) -> Decimal:
        self._convert_ohl()
        return self._low

    @low.setter
    def low(self, value: Decimal) -> None:
        self._convert_ohl()
        self._low = value

    @property
    def volume(self) -> Decimal:
        pending = self._pending_volume
        if pending is not None:
            self._pending_volume = None
            self._volume = to_decimal(pending)
        return self._volume

    @volume.setter
    def volume(self, value: Decimal) -> None:
        self._pending_volume = None
        self._volume = value

    # --- updates ----------------------------------------------------------------------------------
    def add_data_list(self, data: list[BaseData], data_type: type, contains_fill_forward: bool = True) -> None:
        if contains_fill_forward:
            real = [point for point in data if not point.is_fill_forward]
        else:
            real = data
        if real:
            self._data_by_type[data_type] = real
        for point in data:
            self._process(point)

    def add_data(self, data: BaseData) -> None:
        if not data.is_fill_forward:
            self._data_by_type[type(data)] = [data]
        self._process(data)

    def _process(self, data: BaseData) -> None:
        if data.is_fill_forward:
            return
        if data.data_type == MarketDataType.AUXILIARY:
            return
        is_default = isinstance(data, self._default_data_type)
        if is_default and (
            self._last_data is None
            or self._last_quote_bar_update != data.end_time
            or data.data_type != MarketDataType.TRADE_BAR
        ):
            self._last_data = data
        if isinstance(data, Tick):
            if data.value != 0:
                self.price = data.exact_value
            return
        if isinstance(data, (TradeBar, QuoteBar)):
            if is_default and (self._last_quote_bar_update != data.end_time or self._last_ohlc_update != data.end_time):
                self._last_ohlc_update = data.end_time
                raw = data._raw if type(data) is TradeBar else None  # type: ignore[union-attr]
                scale = data._scale if raw is not None else None  # type: ignore[union-attr]
                if scale is not None:
                    # a file-built trade bar: exact_open/high/low are scale.exact(raw[i]), converted when read
                    set_open, set_high, set_low = data.open != 0, data.high != 0, data.low != 0
                    if not (set_open and set_high and set_low):
                        self._convert_ohl()  # a field this bar leaves alone keeps the previous bar's value
                    self._pending_ohl = (raw, scale, set_open, set_high, set_low)  # type: ignore[assignment]
                else:
                    if data.open != 0:
                        self.open = data.exact_open
                    if data.high != 0:
                        self.high = data.exact_high
                    if data.low != 0:
                        self.low = data.exact_low
                if data.close != 0:
                    close = data.exact_close
                    self.price = close
                    self.close = close
            if isinstance(data, TradeBar):
                if data.volume != 0:
                    if type(data) is TradeBar:
                        self._pending_volume = data.volume  # exact_volume is to_decimal(volume)
                    else:
                        self.volume = data.exact_volume
            else:
                self._last_quote_bar_update = data.end_time
                if data.ask is not None and data.ask.close != 0:
                    self.ask_price = data.ask.exact_close
                if data.bid is not None and data.bid.close != 0:
                    self.bid_price = data.bid.exact_close
                if data.last_bid_size != 0:
                    self.bid_size = Decimal(int(data.last_bid_size)) if data.last_bid_size.is_integer() else Decimal(str(data.last_bid_size))
                if data.last_ask_size != 0:
                    self.ask_size = Decimal(int(data.last_ask_size)) if data.last_ask_size.is_integer() else Decimal(str(data.last_ask_size))
        elif data.value != 0 or data.data_type != MarketDataType.BASE:
            self.price = data.exact_value

    def get_data(self, data_type: type | None = None) -> Any:
        if data_type is None:
            return self._last_data
        stored = self._data_by_type.get(data_type)
        return stored[-1] if stored else None

    def get_all_data(self, data_type: type) -> list[BaseData]:
        return list(self._data_by_type.get(data_type, ()))

    @property
    def has_data(self) -> bool:
        return self._last_data is not None

    def reset(self) -> None:
        self.__init__(self._default_data_type)  # type: ignore[misc]


class SecurityExchange:
    """The exchange clock of a security: its hours and the current local time."""

    def __init__(self, hours: "ExchangeHours", local_time: Callable[[], datetime]) -> None:
        self.hours = hours
        self._local_time = local_time

    @property
    def time_zone(self) -> str:
        return self.hours.time_zone

    @property
    def local_time(self) -> datetime:
        return self._local_time()

    @property
    def exchange_open(self) -> bool:
        return self.hours.is_open_at(self._local_time(), False)

    @property
    def closing_soon(self) -> bool:
        from datetime import timedelta

        return not self.hours.is_open_at(self._local_time() + timedelta(minutes=10), False)

    def date_is_open(self, date: Any, extended_market_hours: bool = False) -> bool:
        return self.hours.is_date_open(date.date() if isinstance(date, datetime) else date, extended_market_hours)

    def date_time_is_open(self, moment: datetime) -> bool:
        return self.hours.is_open_at(moment, False)

    def is_open_during_bar(self, start: datetime, end: datetime, extended_market_hours: bool) -> bool:
        return self.hours.is_open(start, end, extended_market_hours)


class Security:
    """One security in the algorithm: symbol, cache, exchange, holdings and trading models."""

    def __init__(
        self,
        symbol: "Symbol",
        exchange: SecurityExchange,
        symbol_properties: "SymbolProperties",
        quote_currency: Any = "USD",
    ) -> None:
        from lean_local.securities.holding import SecurityHolding

        self.symbol = symbol
        self.exchange = exchange
        self.symbol_properties = symbol_properties
        self.quote_currency = quote_currency
        self.cache = SecurityCache()
        self.holdings: SecurityHolding = SecurityHolding(self)
        self.is_tradable = symbol.security_type != SecurityType.INDEX
        self.is_delisted = False
        self.subscriptions: list[Any] = []
        self.data_normalization_mode = DataNormalizationMode.ADJUSTED
        self.resolution = Resolution.MINUTE
        self.is_fill_data_forward = True
        self.is_extended_market_hours = False
        self.leverage_value = Decimal(1)
        # trading models; set by the brokerage model when the security is added
        self.fee_model: Any = None
        self.fill_model: Any = None
        self.slippage_model: Any = None
        self.buying_power_model: Any = None
        self.settlement_model: Any = None
        self.data_filter: Any = None
        self.volatility_model: Any = None
        self.price_variation_model: Any = None
        self.is_internal = False
        self.is_initialized = False
        self.properties: dict[str, Any] = {}

    # --- identity -------------------------------------------------------------------------------
    @property
    def type(self) -> SecurityType:
        return self.symbol.security_type

    @property
    def id(self) -> Any:
        return self.symbol.id

    @property
    def local_time(self) -> datetime:
        return self.exchange.local_time

    # --- prices (floats for algorithms) ---------------------------------------------------------
    @property
    def price(self) -> float:
        return float(self.cache.price)

    @property
    def open(self) -> float:
        return float(self.cache.open)

    @property
    def high(self) -> float:
        return float(self.cache.high)

    @property
    def low(self) -> float:
        return float(self.cache.low)

    @property
    def close(self) -> float:
        return float(self.cache.close)

    @property
    def volume(self) -> float:
        return float(self.cache.volume)

    @property
    def bid_price_exact(self) -> Decimal:
        """The last bid, or the last price when no quote has been seen (LEAN's ``Security.BidPrice``)."""
        bid = self.cache.bid_price
        return self.cache.price if bid == 0 else bid

    @property
    def ask_price_exact(self) -> Decimal:
        """The last ask, or the last price when no quote has been seen (LEAN's ``Security.AskPrice``)."""
        ask = self.cache.ask_price
        return self.cache.price if ask == 0 else ask

    @property
    def bid_price(self) -> float:
        return float(self.bid_price_exact)

    @property
    def ask_price(self) -> float:
        return float(self.ask_price_exact)

    @property
    def bid_size(self) -> float:
        return float(self.cache.bid_size)

    @property
    def ask_size(self) -> float:
        return float(self.cache.ask_size)

    @property
    def open_interest(self) -> int:
        return self.cache.open_interest

    @property
    def has_data(self) -> bool:
        return self.cache.has_data

    @property
    def invested(self) -> bool:
        return self.holdings.invested

    @property
    def hold_stock(self) -> bool:
        return self.holdings.invested

    @property
    def leverage(self) -> float:
        return float(self.buying_power_model.get_leverage_exact(self)) if self.buying_power_model else 1.0

    @property
    def margin_model(self) -> Any:
        return self.buying_power_model

    @margin_model.setter
    def margin_model(self, model: Any) -> None:
        self.buying_power_model = model

    # --- updates (engine side) ------------------------------------------------------------------
    def update(self, data: list[BaseData], data_type: builtins.type, contains_fill_forward: bool = True) -> None:
        self.cache.add_data_list(data, data_type, contains_fill_forward)
        self._update_market_price(data[-1])

    def set_market_price(self, data: BaseData | None) -> None:
        if data is None:
            return
        self.cache.add_data(data)
        self._update_market_price(data)

    def _update_market_price(self, data: BaseData) -> None:
        if data.data_type != MarketDataType.AUXILIARY:
            self.holdings.update_market_price(self.cache.price)

    def get_last_data(self) -> BaseData | None:
        return self.cache.get_data()

    def is_market_open(self, extended_market_hours: bool = False) -> bool:
        return self.exchange.hours.is_open_at(self.local_time, extended_market_hours)

    # --- model setters (LEAN's API) -------------------------------------------------------------
    def set_fee_model(self, model: Any) -> None:
        self.fee_model = model

    def set_fill_model(self, model: Any) -> None:
        self.fill_model = model

    def set_slippage_model(self, model: Any) -> None:
        self.slippage_model = model

    def set_buying_power_model(self, model: Any) -> None:
        self.buying_power_model = model

    def set_margin_model(self, model: Any) -> None:
        self.buying_power_model = model

    def set_settlement_model(self, model: Any) -> None:
        self.settlement_model = model

    def set_data_filter(self, model: Any) -> None:
        self.data_filter = model

    def set_volatility_model(self, model: Any) -> None:
        self.volatility_model = model

    def reset(self) -> None:
        """Not tradable and no data subscriptions: the security left every universe (or was delisted)."""
        self.is_tradable = False
        self.is_initialized = False
        self.subscriptions.clear()

    def set_leverage(self, leverage: float) -> None:
        if self.type in (SecurityType.FUTURE, SecurityType.OPTION):
            return
        self.buying_power_model.set_leverage(self, leverage)

    def set_data_normalization_mode(self, mode: DataNormalizationMode) -> None:
        self.data_normalization_mode = mode
        for config in self.subscriptions:
            config.data_normalization_mode = mode
        if self.type == SecurityType.EQUITY:
            # LEAN's Equity switches its tick model with the mode: adjusted prices have no exchange tick
            from lean_local.securities.price_variation import AdjustedPriceVariationModel, EquityPriceVariationModel

            adjusted = mode == DataNormalizationMode.ADJUSTED
            self.price_variation_model = AdjustedPriceVariationModel() if adjusted else EquityPriceVariationModel()

    def __repr__(self) -> str:
        return f"Security({self.symbol})"

    def __str__(self) -> str:
        return str(self.symbol)


class SecurityManager(dict):  # type: ignore[type-arg]
    """``algorithm.securities``: Symbol → Security, also indexable by ticker string.

    Iteration, ``keys``/``values`` and ``count`` cover the active securities. A security removed from the algorithm
    (deselected, delisted) stays reachable by lookup, as in LEAN, so late order events and history still find it.
    """

    def __init__(self, resolver: Callable[[str], Any]) -> None:
        super().__init__()
        self._resolver = resolver
        self._removed: dict[Any, Security] = {}

    def _key(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._resolver(key)
        return key

    def __getitem__(self, key: Any) -> Security:
        resolved = self._key(key)
        try:
            return dict.__getitem__(self, resolved)  # type: ignore[no-any-return]
        except KeyError:
            removed = self._removed.get(resolved)
            if removed is not None:
                return removed
            raise KeyError(
                f"This asset symbol ({key}) was not found in your security list. Please add this security or check "
                f"it exists before using it with 'securities.contains_key(\"{key}\")'"
            ) from None

    def __setitem__(self, key: Any, security: Security) -> None:
        resolved = self._key(key)
        self._removed.pop(resolved, None)
        dict.__setitem__(self, resolved, security)

    def add(self, security: Security) -> None:
        """Make ``security`` active (again); a no-op when it already is."""
        if not dict.__contains__(self, security.symbol):
            self[security.symbol] = security

    def remove(self, key: Any) -> bool:
        """Take a security out of the active set; lookups still find it."""
        resolved = self._key(key)
        security = dict.pop(self, resolved, None)
        if security is None:
            return False
        self._removed[resolved] = security
        return True

    def __contains__(self, key: object) -> bool:
        try:
            resolved = self._key(key)
        except KeyError:
            return False
        return dict.__contains__(self, resolved) or resolved in self._removed

    def contains_key(self, key: Any) -> bool:
        return key in self

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            resolved = self._key(key)
        except KeyError:
            return default
        found = dict.get(self, resolved)
        if found is None:
            found = self._removed.get(resolved, default)
        return found

    def try_get_value(self, key: Any) -> tuple[bool, Security | None]:
        security = self.get(key)
        return security is not None, security

    @property
    def total(self) -> list[Security]:
        """Every security the algorithm ever had, active or removed."""
        return list(self.values()) + [s for s in self._removed.values() if not dict.__contains__(self, s.symbol)]

    def __iter__(self) -> Iterator[Any]:
        """Iterating yields ``KeyValuePair(symbol, security)`` as LEAN's Python API does."""
        from lean_local.market_data import KeyValuePair

        return (KeyValuePair(k, v) for k, v in dict.items(self))

    @property
    def count(self) -> int:
        return len(self)
