"""``QCAlgorithm.add_universe`` and friends, with the overloads LEAN's Python API accepts."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from lean_local.enums import Market, Resolution, SecurityType
from lean_local.market_data import DataDictionary
from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import RESOLUTION_SPAN
from lean_local.universe.fundamental import Fundamental
from lean_local.universe.manager import UniverseManager
from lean_local.universe.settings import UniverseSettings
from lean_local.universe.universes import (
    CoarseFundamentalUniverse,
    FineFundamentalFilteredUniverse,
    FundamentalFilteredUniverse,
    FundamentalUniverseFactory,
    Universe,
    UserDefinedUniverse,
    universe_config,
)

if TYPE_CHECKING:
    from lean_local.engine import Engine


def _is_date_rule(value: Any) -> bool:
    return hasattr(value, "get_dates") and hasattr(value, "name")


class UniverseAlgorithm:
    """Mixin for :class:`~lean_local.algorithm.QCAlgorithm`: universes and the universe manager."""

    _engine: Engine
    universe_settings: UniverseSettings

    @property
    def universe_manager(self) -> UniverseManager:
        return self._engine.universes.manager

    @property
    def active_securities(self) -> DataDictionary[Any]:
        """The securities some universe currently holds as members (manually added ones included), keyed by symbol
        (LEAN's ``ActiveSecurities``). A ticker the algorithm never used is simply absent."""
        active = self._engine.universes.manager.active_securities
        result: DataDictionary[Any] = DataDictionary(self._symbol_or_ticker)
        result.update(active)
        return result

    def _symbol_or_ticker(self, ticker: str) -> Any:
        try:
            return self.resolve_symbol(ticker)  # type: ignore[attr-defined]
        except KeyError:
            return ticker

    def add_universe(self, *args: Any, **kwargs: Any) -> Universe:
        """Add a universe. Accepted forms (as in LEAN's Python API):

        ``add_universe(universe)``, ``add_universe(selector)`` (fundamental/coarse data),
        ``add_universe(date_rule, selector)``, ``add_universe(coarse_selector, fine_selector)``,
        ``add_universe(universe, fine_selector)``, ``add_universe(name, selector)``,
        ``add_universe(name, resolution, selector)`` and
        ``add_universe(security_type, name, resolution, market, universe_settings, selector)``.
        """
        values = list(args) + [v for k, v in kwargs.items()]
        universe = self._universe_from(values)
        return self._engine.universes.add_universe(universe)

    def _universe_from(self, values: list[Any]) -> Universe:
        count = len(values)
        first = values[0] if values else None
        if count == 1:
            if isinstance(first, Universe):
                return first
            if isinstance(first, type):
                raise NotImplementedError(
                    f"add_universe({first.__name__}, ...): custom-data universes are not supported by lean_local yet; "
                    "use a fundamental selector, a scheduled universe or add_equity"
                )
            if callable(first):
                return FundamentalUniverseFactory(Market.USA, None, first)
        if count == 2:
            second = values[1]
            if _is_date_rule(first) and callable(second):
                settings = UniverseSettings(self.universe_settings)
                settings.schedule.on(first)
                return FundamentalUniverseFactory(Market.USA, settings, second)
            if isinstance(first, Universe) and callable(second):
                return FundamentalFilteredUniverse(first, second)
            if isinstance(first, str) and callable(second):
                return self._user_defined(SecurityType.EQUITY, first, Resolution.DAILY, Market.USA, self.universe_settings, second)
            if callable(first) and callable(second):
                self.debug(  # type: ignore[attr-defined]
                    "Warning: add_universe(coarse_selector, fine_selector) is obsolete, please use "
                    "add_universe(selector) with Fundamental data instead."
                )
                coarse = CoarseFundamentalUniverse(self.universe_settings, first)
                return FineFundamentalFilteredUniverse(coarse, second)
        if count == 3 and isinstance(first, str) and callable(values[2]):
            return self._user_defined(SecurityType.EQUITY, first, Resolution(values[1]), Market.USA, self.universe_settings, values[2])
        if count == 6 and callable(values[5]):
            security_type, name, resolution, market, settings, selector = values
            return self._user_defined(SecurityType(security_type), str(name), Resolution(resolution), str(market),
                                      settings or self.universe_settings, selector)
        described = ", ".join(type(v).__name__ for v in values)
        raise TypeError(
            f"add_universe({described}) is not a supported form; pass a Universe, a selector function over "
            "fundamental data, (date_rule, selector), (coarse, fine), (name, selector) or (name, resolution, selector)"
        )

    def _user_defined(self, security_type: SecurityType, name: str, resolution: Resolution, market: str,
                      settings: UniverseSettings, selector: Any) -> UserDefinedUniverse:
        engine = self._engine
        entry = engine.market_hours.get_entry(security_type, market, name)
        symbol = Symbol.create(name, security_type, market)
        config = universe_config(symbol, Fundamental, resolution, entry.data_time_zone,
                                 entry.exchange_hours.time_zone)
        interval: timedelta = RESOLUTION_SPAN[resolution]

        def select(local_time: Any) -> Any:
            return selector(local_time)

        return UserDefinedUniverse(config, settings, interval, select)
