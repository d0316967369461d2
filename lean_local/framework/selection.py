"""Universe selection models: they create the engine's universes (``lean_local.universe``).

The framework post-initialize step adds each universe a model creates with ``algorithm.add_universe``:
``ManualUniverseSelectionModel`` → :class:`ManualUniverse` (fixed symbols), ``ScheduledUniverseSelectionModel`` →
``ScheduledUniverse`` (a selector run at date rule × time rule times), the fundamental models →
``FundamentalUniverseFactory`` (a selector over each day's fundamental rows).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from lean_local.enums import Market, Resolution, SecurityType
from lean_local.universe import FundamentalUniverseFactory, ScheduledUniverse, UserDefinedUniverse

MAX_TIME = datetime.max


class ManualUniverse(UserDefinedUniverse):
    """A fixed list of symbols (LEAN's ``ManualUniverse``): a user-defined universe that never reselects."""

    def __init__(self, configuration: Any, universe_settings: Any, symbols: Iterable[Any]) -> None:
        super().__init__(configuration, universe_settings, timedelta.max, list(symbols))

    @property
    def symbols(self) -> list[Any]:
        return list(self._symbols)


def _to_symbol(item: Any) -> Any:
    if isinstance(item, str):
        from lean_local.securities.symbol import Symbol, active_symbol_cache

        found, symbol = active_symbol_cache().try_get_symbol(item)
        return symbol if found and symbol is not None else Symbol.create(item, SecurityType.EQUITY, Market.USA)
    return item


class UniverseSelectionModel:
    """Base class: ``create_universes(algorithm)`` and ``get_next_refresh_time_utc()``."""

    def get_next_refresh_time_utc(self) -> datetime:
        legacy = _subclass_method(self, "GetNextRefreshTimeUtc")
        if legacy is not None:
            result: datetime = legacy()
            return result
        return MAX_TIME

    def create_universes(self, algorithm: Any) -> list[Any]:
        legacy = _subclass_method(self, "CreateUniverses")
        if legacy is not None:
            return list(legacy(algorithm))
        raise NotImplementedError(
            "Types deriving from 'UniverseSelectionModel' must implement the 'create_universes(self, algorithm)' method."
        )


def _subclass_method(model: Any, name: str) -> Any:
    for klass in type(model).__mro__:
        if klass is UniverseSelectionModel:
            return None
        if name in klass.__dict__:
            return getattr(model, name)
    return None


class NullUniverseSelectionModel(UniverseSelectionModel):
    """Creates no universes."""

    def create_universes(self, algorithm: Any) -> list[Any]:
        return []


class CompositeUniverseSelectionModel(UniverseSelectionModel):
    """Several selection models; each is asked for universes at first and then whenever it is due."""

    def __init__(self, *universe_selection_models: Any) -> None:
        models: list[Any] = []
        for model in universe_selection_models:
            if isinstance(model, (list, tuple)):
                models.extend(model)
            else:
                models.append(model)
        if not models:
            raise ValueError("Must specify at least 1 universe selection model for the CompositeUniverseSelectionModel")
        self._models = models
        self._already_called = False

    def add_universe_selection(self, universe_selection_model: Any) -> None:
        self._models.append(universe_selection_model)

    def get_next_refresh_time_utc(self) -> datetime:
        return min(model.get_next_refresh_time_utc() for model in self._models)

    def create_universes(self, algorithm: Any) -> list[Any]:
        universes: list[Any] = []
        for model in self._models:
            refresh = model.get_next_refresh_time_utc()
            if not self._already_called or algorithm.utc_time >= refresh or refresh == MAX_TIME:
                universes.extend(model.create_universes(algorithm))
        self._already_called = True
        return universes


class ManualUniverseSelectionModel(UniverseSelectionModel):
    """A fixed list of symbols, one universe per (market, security type)."""

    def __init__(self, symbols: Any = None, universe_settings: Any = None, *more: Any) -> None:
        if symbols is None:
            items: list[Any] = []
        elif isinstance(symbols, (list, tuple, set)) or (isinstance(symbols, Iterable) and not isinstance(symbols, str) and not hasattr(symbols, "id")):
            items = list(symbols)
        else:
            # ManualUniverseSelectionModel(symbol1, symbol2, ...)
            items = [symbols]
            if universe_settings is not None and not _is_universe_settings(universe_settings):
                items.append(universe_settings)
                universe_settings = None
            items.extend(more)
        resolved = [_to_symbol(item) for item in items]
        self._symbols = [s for s in resolved if not s.is_canonical()]
        self._universe_settings = universe_settings
        from lean_local.securities.symbol import active_symbol_cache

        cache = active_symbol_cache()
        for symbol in self._symbols:
            cache.set(symbol.value, symbol)

    @property
    def symbols(self) -> list[Any]:
        return list(self._symbols)

    def create_universes(self, algorithm: Any) -> list[Any]:
        from lean_local.market_data import Tick, TradeBar
        from lean_local.securities.symbol import Symbol
        from lean_local.universe.universes import universe_config

        settings = self._universe_settings or algorithm.universe_settings
        resolution = Resolution(settings.resolution)
        data_type = Tick if resolution == Resolution.TICK else TradeBar
        groups: dict[tuple[str, Any], list[Any]] = {}
        for symbol in self._symbols:
            groups.setdefault((symbol.id.market, symbol.security_type), []).append(symbol)
        universes: list[Any] = []
        for (market, security_type), symbols in groups.items():
            hash_code = 1
            for symbol in symbols:
                hash_code = (hash_code * 31 + hash(symbol)) & 0xFFFFFFFF
            name = f"manual-universe-selection-model-{SecurityType(security_type).name.title()}-{market}-{hash_code}"
            entry = algorithm._engine.market_hours.get_entry(security_type, market, None)
            config = universe_config(Symbol.create(name, security_type, market), data_type, resolution,
                                     entry.data_time_zone, entry.exchange_hours.time_zone)
            universes.append(ManualUniverse(config, settings, symbols))
        return universes


def _is_universe_settings(value: Any) -> bool:
    return hasattr(value, "resolution") and hasattr(value, "fill_forward")


class ScheduledUniverseSelectionModel(UniverseSelectionModel):
    """``ScheduledUniverseSelectionModel([time_zone,] date_rule, time_rule, selector, settings=None)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        values = list(args)
        time_zone = None
        if len(values) >= 4 and isinstance(values[0], str):
            time_zone = values.pop(0)
        time_zone = kwargs.pop("time_zone", time_zone)
        names = ("date_rule", "time_rule", "selector", "settings")
        params = dict(zip(names, values))
        params.update(kwargs)
        selector = params.get("selector")
        if not callable(selector):
            raise ValueError(
                f"Unable to create a scheduled universe selector from {selector!r}: it is not a function. Please provide "
                "a function that takes the firing date time and returns the selected symbols."
            )
        self._time_zone = time_zone
        self._date_rule = params["date_rule"]
        self._time_rule = params["time_rule"]
        self._selector = selector
        self._settings = params.get("settings")

    def create_universes(self, algorithm: Any) -> list[Any]:
        if self._time_zone is not None:
            return [ScheduledUniverse(self._time_zone, self._date_rule, self._time_rule, self._selector,
                                      self._settings or algorithm.universe_settings)]
        return [ScheduledUniverse(self._date_rule, self._time_rule, self._selector, self._settings or algorithm.universe_settings)]


class FundamentalUniverseSelectionModel(UniverseSelectionModel):
    """Daily selection over fundamental rows: ``FundamentalUniverseSelectionModel(selector, universe_settings=None)``
    or a subclass overriding ``select(algorithm, fundamental)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        values = list(args)
        market = Market.USA
        if values and isinstance(values[0], str):
            market = values.pop(0)
        selector = None
        settings = None
        if values and callable(values[0]) and not _is_universe_settings(values[0]):
            selector = values.pop(0)
        if values:
            candidate = values.pop(0)
            if isinstance(candidate, bool):
                self._filter_fine_data = candidate
                settings = values.pop(0) if values else None
            else:
                settings = candidate
        self._market = kwargs.get("market", market)
        self._selector = kwargs.get("selector", selector)
        self._universe_settings = kwargs.get("universe_settings", settings)

    def create_universes(self, algorithm: Any) -> list[Any]:
        settings = self._universe_settings or algorithm.universe_settings
        return [FundamentalUniverseFactory(self._market, settings, lambda fundamental: self.select(algorithm, fundamental))]

    def select(self, algorithm: Any, fundamental: Any) -> Any:
        legacy = getattr(type(self), "Select", None)
        if legacy is not None:
            return legacy(self, algorithm, fundamental)
        if type(self).select_coarse is not FundamentalUniverseSelectionModel.select_coarse:
            # the older coarse (+ fine) overrides
            rows = list(fundamental)
            if getattr(self, "_filter_fine_data", False):
                rows = [row for row in rows if getattr(row, "has_fundamental_data", False)]
            symbols = list(self.select_coarse(algorithm, rows))
            if getattr(self, "_filter_fine_data", False):
                chosen = set(symbols)
                return self.select_fine(algorithm, [row for row in rows if row.symbol in chosen])
            return symbols
        if self._selector is None:
            raise NotImplementedError("If inheriting, please override the 'select' fundamental function, else provide it as a constructor parameter")
        return self._selector(fundamental)

    def select_coarse(self, algorithm: Any, coarse: Any) -> Any:
        raise NotImplementedError("Please override the 'select' fundamental function")

    def select_fine(self, algorithm: Any, fine: Any) -> Any:
        return [f.symbol for f in fine]

    @staticmethod
    def fundamental(selector: Callable[[Any], Any]) -> "FundamentalUniverseSelectionModel":
        return FundamentalUniverseSelectionModel(selector)

    @staticmethod
    def coarse(coarse_selector: Callable[[Any], Any]) -> "CoarseFundamentalUniverseSelectionModel":
        return CoarseFundamentalUniverseSelectionModel(coarse_selector)

    @staticmethod
    def fine(coarse_selector: Callable[[Any], Any], fine_selector: Callable[[Any], Any]) -> "FineFundamentalUniverseSelectionModel":
        return FineFundamentalUniverseSelectionModel(coarse_selector, fine_selector)


class CoarseFundamentalUniverseSelectionModel(FundamentalUniverseSelectionModel):
    """``CoarseFundamentalUniverseSelectionModel(coarse_selector, universe_settings=None)``."""

    def __init__(self, coarse_selector: Callable[[Any], Any], universe_settings: Any = None) -> None:
        super().__init__(universe_settings=universe_settings)
        self._coarse_selector = coarse_selector

    def select(self, algorithm: Any, fundamental: Any) -> Any:
        return self._coarse_selector(fundamental)


class FineFundamentalUniverseSelectionModel(FundamentalUniverseSelectionModel):
    """``FineFundamentalUniverseSelectionModel(coarse_selector, fine_selector, universe_settings=None)``: the fine
    selector sees the rows the coarse selector kept."""

    def __init__(self, coarse_selector: Callable[[Any], Any], fine_selector: Callable[[Any], Any], universe_settings: Any = None) -> None:
        super().__init__(universe_settings=universe_settings)
        self._coarse_selector = coarse_selector
        self._fine_selector = fine_selector

    def select(self, algorithm: Any, fundamental: Any) -> Any:
        rows = list(fundamental)
        chosen = set(self._coarse_selector([row for row in rows if getattr(row, "has_fundamental_data", True)]))
        return self._fine_selector([row for row in rows if row.symbol in chosen])
