"""Universe types: which securities an algorithm holds subscriptions for, re-decided on each selection.

A universe is fed selection data by the engine (a coarse file, a trigger time) and answers with the symbols it
wants; the engine's :class:`~lean_local.universe.selection.UniverseSelection` turns the answer into additions and
removals. The classes mirror LEAN's so algorithms can construct them directly.
"""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from lean_local.enums import Market, Resolution, SecurityType, TickType
from lean_local.market_data import BaseData
from lean_local.securities.identifier import DEFAULT_DATE
from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.timeutil import from_utc
from lean_local.universe.fundamental import CoarseFundamental, Fundamental
from lean_local.universe.settings import UniverseSettings

UTC = "UTC"
NEW_YORK = "America/New_York"
MAX_INTERVAL = timedelta.max


class _Unchanged:
    """Returned by a selector to keep the current selection; LEAN's ``Universe.UNCHANGED``."""

    _instance: _Unchanged | None = None

    def __new__(cls) -> _Unchanged:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __repr__(self) -> str:
        return "Universe.UNCHANGED"


UNCHANGED = _Unchanged()


class BaseDataCollection(BaseData):
    """Many data points delivered together, e.g. one day's coarse file or one trigger of a scheduled universe."""

    __slots__ = ("data",)

    def __init__(self, time: datetime, symbol: Any, data: Iterable[Any] = (), end_time: datetime | None = None) -> None:
        super().__init__(symbol, time, end_time if end_time is not None else time)
        self.data = list(data)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.data)


class FundamentalUniverse(BaseDataCollection):
    """The data type of a fundamental universe's subscription (a day of coarse rows).

    ``FundamentalUniverse.usa(selector)`` builds the universe, as in LEAN.
    """

    __slots__ = ()

    @staticmethod
    def usa(selector: Callable[[list[Any]], Any], universe_settings: UniverseSettings | None = None) -> Universe:
        return FundamentalUniverseFactory(Market.USA, universe_settings, selector)


class UniverseMember:
    """A security in a universe, with the UTC time it joined."""

    __slots__ = ("added", "security", "is_internal")

    def __init__(self, added: datetime, security: Any, is_internal: bool) -> None:
        self.added = added
        self.security = security
        self.is_internal = is_internal


def _rounding_interval(minimum: timedelta) -> timedelta:
    for unit in (timedelta(days=1), timedelta(hours=1), timedelta(minutes=1), timedelta(seconds=1)):
        if minimum >= unit:
            return unit
    return minimum


def _round(span: timedelta, interval: timedelta) -> timedelta:
    if interval <= timedelta(0):
        return span
    ticks = span / interval
    return interval * round(ticks)


def universe_config(symbol: Symbol, data_type: type, resolution: Resolution, time_zone: str, exchange_time_zone: str | None = None,
                    extended_market_hours: bool = False) -> SubscriptionDataConfig:
    """The internal subscription a universe's selection data arrives on."""
    return SubscriptionDataConfig(
        symbol, data_type, resolution, time_zone, exchange_time_zone or time_zone,
        fill_forward=False, extended_market_hours=extended_market_hours, is_internal_feed=True, tick_type=TickType.TRADE,
    )


def _plain_symbol(ticker: str, security_type: SecurityType, market: str) -> Symbol:
    """A universe's own symbol: never resolved through map files (it is not a tradable ticker)."""
    if security_type == SecurityType.EQUITY:
        return Symbol.create(ticker, security_type, market, first_date=DEFAULT_DATE, first_ticker=ticker)
    return Symbol.create(ticker, security_type, market)


class Universe:
    """Base class of every universe. Subclasses implement :meth:`select_symbols`.

    Python algorithms may subclass it directly, as in LEAN.
    """

    UNCHANGED = UNCHANGED

    def __init__(self, config: SubscriptionDataConfig) -> None:
        self.configuration = config
        self._members: dict[Symbol, UniverseMember] = {}
        self.selected: dict[Symbol, None] = {}
        self._previous_selections: dict[Symbol, None] = {}
        self._universe_settings: UniverseSettings | None = None
        self.dispose_requested = False
        self._rounding: timedelta | None = None

    # --- identity -----------------------------------------------------------------------------------------
    @property
    def universe_settings(self) -> UniverseSettings:
        assert self._universe_settings is not None, "universe settings are assigned when the universe is added"
        return self._universe_settings

    @universe_settings.setter
    def universe_settings(self, value: UniverseSettings | None) -> None:
        self._universe_settings = value

    @property
    def has_universe_settings(self) -> bool:
        return self._universe_settings is not None

    @property
    def symbol(self) -> Symbol:
        return self.configuration.symbol  # type: ignore[no-any-return]

    @property
    def security_type(self) -> SecurityType:
        return self.configuration.security_type

    @property
    def market(self) -> str:
        return str(self.configuration.symbol.id.market)

    @property
    def data_type(self) -> type:
        return self.configuration.type

    @property
    def securities(self) -> dict[Symbol, UniverseMember]:
        return self._members

    @property
    def members(self) -> dict[Symbol, Any]:
        return {symbol: member.security for symbol, member in self._members.items()}

    def contains_member(self, symbol_or_security: Any) -> bool:
        symbol = getattr(symbol_or_security, "symbol", symbol_or_security)
        return symbol in self._members

    # --- selection --------------------------------------------------------------------------------------------
    def select_symbols(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        raise NotImplementedError("Universe subclasses implement select_symbols(utc_time, data)")

    def perform_selection(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        """The new selection, or :data:`UNCHANGED` when it equals the previous one."""
        if self.dispose_requested:
            return []
        result = self.select_symbols(utc_time, data)
        if result is UNCHANGED:
            return UNCHANGED
        selections = dict.fromkeys(self._to_symbols(result))
        changed = selections.keys() != self._previous_selections.keys()
        self._previous_selections = selections
        if not changed:
            return UNCHANGED
        return list(selections)

    def _to_symbols(self, result: Any) -> Iterator[Symbol]:
        if result is None:
            raise TypeError(
                f"{type(self).__name__}: the selection function returned None; return a list of Symbol objects "
                "(or Universe.UNCHANGED to keep the current selection)"
            )
        if isinstance(result, (str, Symbol)):
            result = [result]
        for item in result:
            if isinstance(item, Symbol):
                yield item
            elif isinstance(item, str):
                yield Symbol.create(item, SecurityType.EQUITY, Market.USA)
            elif hasattr(item, "symbol") and isinstance(item.symbol, Symbol):
                yield item.symbol
            else:
                raise TypeError(
                    f"{type(self).__name__}: selection returned {item!r}; a universe selector must return Symbol "
                    "objects or ticker strings"
                )

    # --- membership ---------------------------------------------------------------------------------------------
    def can_remove_member(self, utc_time: datetime, security: Any) -> bool:
        if self.dispose_requested or security.is_delisted:
            return True
        member = self._members.get(security.symbol)
        if member is None:
            return False
        minimum = self.universe_settings.minimum_time_in_universe
        if self._rounding is None:
            self._rounding = _rounding_interval(minimum)
        return _round(utc_time - member.added, self._rounding) >= minimum

    def add_member(self, utc_time: datetime, security: Any, is_internal: bool) -> bool:
        if self.dispose_requested or security.is_delisted or security.symbol in self._members:
            return False
        self._members[security.symbol] = UniverseMember(utc_time, security, is_internal)
        return True

    def remove_member(self, utc_time: datetime, security: Any) -> bool:
        if self.can_remove_member(utc_time, security):
            return self._members.pop(security.symbol, None) is not None
        return False

    def get_subscription_requests(self, security: Any, current_utc: datetime, end_utc: datetime, service: Any) -> list[SubscriptionDataConfig]:
        """The data subscriptions a selected security needs, created from the universe settings."""
        settings = self.universe_settings
        configs: list[SubscriptionDataConfig] = service.add(
            security.symbol, settings.resolution, settings.fill_forward, settings.extended_market_hours,
            settings.data_normalization_mode,
        )
        return configs

    def dispose(self) -> None:
        self.dispose_requested = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.symbol.value})"


class UserDefinedUniverse(Universe):
    """Symbols added by hand (``add_equity``) or chosen by a function of the date, re-evaluated every ``interval``."""

    def __init__(
        self,
        configuration: SubscriptionDataConfig,
        universe_settings: UniverseSettings,
        interval: timedelta,
        symbols_or_selector: Iterable[Symbol] | Callable[[datetime], Any],
    ) -> None:
        super().__init__(configuration)
        self.interval = interval
        self.universe_settings = universe_settings
        self._configs: dict[SubscriptionDataConfig, None] = {}
        self._pending_removed_configs: dict[SubscriptionDataConfig, None] = {}
        self._selector: Callable[[datetime], Any] | None = None
        self._symbols: dict[Symbol, None] = {}
        if callable(symbols_or_selector):
            self._selector = symbols_or_selector
        else:
            self._symbols = dict.fromkeys(symbols_or_selector)

    @staticmethod
    def create_symbol(security_type: SecurityType, market: str) -> Symbol:
        ticker = f"qc-universe-userdefined-{market.lower()}-{SecurityType(security_type).name.title().replace('_', '')}"
        return _plain_symbol(ticker, SecurityType(security_type), market)

    def add(self, item: Any) -> bool:
        """Add a symbol or a subscription config; True when it was new."""
        if isinstance(item, SubscriptionDataConfig):
            if item in self._configs:
                return False
            self._configs[item] = None
            return True
        if item in self._symbols:
            return False
        self._symbols[item] = None
        return True

    def remove(self, symbol: Any) -> bool:
        return self._remove_and_keep_track(getattr(symbol, "symbol", symbol))

    def _remove_and_keep_track(self, symbol: Symbol) -> bool:
        configs = [c for c in self._configs if c.symbol == symbol]
        removed_symbol = self._symbols.pop(symbol, False) is None
        if removed_symbol or configs:
            for config in configs:
                del self._configs[config]
                self._pending_removed_configs[config] = None
            return True
        return False

    def select_symbols(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        if self._selector is not None:
            local = from_utc(utc_time, self.configuration.exchange_time_zone)
            result = self._selector(local)
            if result is UNCHANGED:
                return UNCHANGED
            if isinstance(result, str):
                result = [result]
            return [
                item if isinstance(item, Symbol) else Symbol.create(str(item), self.configuration.security_type, self.market)
                for item in result
            ]
        selected = dict.fromkeys(c.symbol for c in self._configs)
        selected.update(self._symbols)
        return list(selected)

    def get_trigger_times(self, start_utc: datetime, end_utc: datetime, exchange_hours: Any) -> Iterator[datetime]:
        """Local (exchange-time) trigger times: the start, then every interval the exchange is open."""
        tz = self.configuration.exchange_time_zone
        current = from_utc(start_utc, tz)
        end = from_utc(end_utc, tz)
        first = True
        while current <= end:
            if first:
                yield current
                first = False
            elif exchange_hours.is_open(current, current + self.interval, self.configuration.extended_market_hours):
                yield current
            try:
                current = current + self.interval
            except OverflowError:
                return

    def get_subscription_requests(self, security: Any, current_utc: datetime, end_utc: datetime, service: Any) -> list[SubscriptionDataConfig]:
        configs = [c for c in self._configs if c.symbol == security.symbol]
        if configs:
            return configs
        pending = [c for c in self._pending_removed_configs if c.symbol == security.symbol]
        if pending:
            for config in pending:
                del self._pending_removed_configs[config]
            return pending
        created = super().get_subscription_requests(security, current_utc, end_utc, service)
        for config in created:
            self._configs[config] = None
        return created

    def remove_member(self, utc_time: datetime, security: Any) -> bool:
        if super().remove_member(utc_time, security):
            self._remove_and_keep_track(security.symbol)
            return True
        return False


class FuncUniverse(Universe):
    """A universe whose selection is a function of its data points."""

    def __init__(self, configuration: SubscriptionDataConfig, universe_settings: UniverseSettings | None,
                 selector: Callable[[list[Any]], Any] | None = None) -> None:
        super().__init__(configuration)
        self.universe_settings = universe_settings
        self._selector = selector or (lambda points: [p.symbol for p in points])

    def select_symbols(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        return self._selector(list(data.data))


_universe_count = itertools.count(1)


class FundamentalUniverseFactory(FuncUniverse):
    """``add_universe(selector)``: selection over each day's coarse rows (as :class:`Fundamental` objects)."""

    row_type: type[CoarseFundamental] = Fundamental

    def __init__(self, market: Any = Market.USA, universe_settings: UniverseSettings | None = None,
                 selector: Callable[[list[Any]], Any] | None = None) -> None:
        if callable(market) and selector is None:
            market, selector = Market.USA, market  # FundamentalUniverse.usa(selector) style
        ticker = f"{self._symbol_prefix()}-{market}-{next(_universe_count):010d}-{uuid.uuid4()}"
        symbol = _plain_symbol(ticker, SecurityType.EQUITY, str(market))
        config = universe_config(symbol, FundamentalUniverse, Resolution.DAILY, NEW_YORK)
        super().__init__(config, universe_settings, selector)
        self.market_name = str(market)

    @classmethod
    def _symbol_prefix(cls) -> str:
        return "FundamentalUniverse"

    @classmethod
    def usa(cls, selector: Callable[[list[Any]], Any], universe_settings: UniverseSettings | None = None) -> FundamentalUniverseFactory:
        return cls(Market.USA, universe_settings, selector)


class CoarseFundamentalUniverse(FundamentalUniverseFactory):
    """The older coarse universe: the selector receives :class:`CoarseFundamental` rows."""

    row_type = CoarseFundamental

    def __init__(self, universe_settings: UniverseSettings | None = None, selector: Callable[[list[Any]], Any] | None = None,
                 market: str = Market.USA) -> None:
        if callable(universe_settings) and selector is None:
            universe_settings, selector = None, universe_settings
        super().__init__(market, universe_settings, selector)

    @classmethod
    def _symbol_prefix(cls) -> str:
        return "qc-universe-coarse"


class FundamentalFilteredUniverse(Universe):
    """A first-stage universe whose selection is narrowed by a second function over :class:`Fundamental` rows."""

    def __init__(self, universe: Universe, fine_selector: Callable[[list[Any]], Any]) -> None:
        super().__init__(universe.configuration)
        self.universe = universe
        self.fundamental_universe = FuncUniverse(universe.configuration, universe._universe_settings, fine_selector)

    @property  # type: ignore[override]
    def universe_settings(self) -> UniverseSettings:
        return self.universe.universe_settings

    @universe_settings.setter
    def universe_settings(self, value: UniverseSettings | None) -> None:
        if hasattr(self, "universe"):
            self.universe.universe_settings = value
            self.fundamental_universe.universe_settings = value

    @property
    def has_universe_settings(self) -> bool:
        return self.universe.has_universe_settings

    @property
    def row_type(self) -> type[CoarseFundamental]:
        return getattr(self.universe, "row_type", Fundamental)

    def select_symbols(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        return self.universe.select_symbols(utc_time, data)


FineFundamentalFilteredUniverse = FundamentalFilteredUniverse


def _scheduled_ticker(date_rule: Any, time_rule: Any) -> str:
    ticker = f"{date_rule.name}_{time_rule.name}"
    for invalid in ("|", " "):
        ticker = ticker.replace(invalid, "_")
    return ticker


class ScheduledUniverse(Universe):
    """Selection at the times a date rule and time rule produce; the selector receives the UTC trigger time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        values = list(args)
        time_zone = kwargs.pop("time_zone", None)
        if values and isinstance(values[0], str):
            time_zone = values.pop(0)
        date_rule = kwargs.pop("date_rule", values.pop(0) if values else None)
        time_rule = kwargs.pop("time_rule", values.pop(0) if values else None)
        selector = kwargs.pop("selector", values.pop(0) if values else None)
        settings = kwargs.pop("settings", kwargs.pop("universe_settings", values.pop(0) if values else None))
        if date_rule is None or time_rule is None or not callable(selector):
            raise TypeError(
                "ScheduledUniverse needs a date rule, a time rule and a selector function "
                "(ScheduledUniverse([time_zone,] date_rule, time_rule, selector[, settings]))"
            )
        tz = time_zone or UTC
        symbol = _plain_symbol(_scheduled_ticker(date_rule, time_rule), SecurityType.BASE, Market.USA)
        super().__init__(universe_config(symbol, BaseData, Resolution.DAILY, tz))
        self.date_rule = date_rule
        self.time_rule = time_rule
        self._selector = selector
        self.universe_settings = settings

    def select_symbols(self, utc_time: datetime, data: BaseDataCollection) -> Any:
        return self._selector(utc_time)

    def get_trigger_times(self, start_utc: datetime, end_utc: datetime, exchange_hours: Any = None) -> Iterator[datetime]:
        """UTC trigger times between the bounds (LEAN then reads them in the universe's time zone, as here)."""
        tz = self.configuration.exchange_time_zone
        dates = self.date_rule.get_dates(from_utc(start_utc, tz), from_utc(end_utc, tz))
        for moment in self.time_rule.create_utc_event_times(dates):
            if moment < start_utc:
                continue
            if moment > end_utc:
                return
            yield moment


def is_time_triggered(universe: Universe) -> bool:
    return hasattr(universe, "get_trigger_times")


def is_fundamental(universe: Universe) -> bool:
    return universe.configuration.type is FundamentalUniverse

