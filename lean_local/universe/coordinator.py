"""The engine side of universes: turning universe changes into selection-data streams and selections into data.

LEAN splits this between ``QCAlgorithm.OnEndOfTimeStep``, the ``DataManager`` and ``UniverseSelection``; here one
:class:`UniverseCoordinator` owns it. Securities added by hand (``add_equity``) join a per-market user-defined
universe, exactly as in LEAN, so manual and selected securities follow one path.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from lean_local.history import start_time_for_bars
from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.timeutil import from_utc, to_utc
from lean_local.universe.changes import SecurityChanges
from lean_local.universe.feeds import (
    FundamentalUniverseSubscription,
    TimeTriggeredUniverseSubscription,
    UniverseSubscription,
)
from lean_local.universe.fundamental import CoarseFundamentalReader
from lean_local.universe.manager import UniverseChange, UniverseManager
from lean_local.universe.selection import UniverseSelection
from lean_local.universe.settings import UniverseSettings
from lean_local.universe.universes import (
    BaseDataCollection,
    ScheduledUniverse,
    Universe,
    UserDefinedUniverse,
    is_fundamental,
    is_time_triggered,
    universe_config,
)

if TYPE_CHECKING:
    from lean_local.engine import Engine
    from lean_local.securities.security import Security

# LEAN starts a user-defined universe added after initialize one tick later, so it triggers on the next slice
_ONE_TICK = timedelta(microseconds=1)


class UniverseCoordinator:
    """Universes of one engine run: manager, selection, user-defined universes and their feeds."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.manager = UniverseManager(self._on_universe_change)
        self.selection = UniverseSelection(self)
        self.reader = CoarseFundamentalReader(engine.folder)
        self._pending_user_defined: list[tuple[UserDefinedUniverse, list[SubscriptionDataConfig] | None, Any]] = []
        self._waiting: list[UniverseSubscription] = []
        self._feeds: dict[int, UniverseSubscription] = {}

    # --- the selection host --------------------------------------------------------------------------------------
    @property
    def end_utc(self) -> datetime:
        algorithm = self.engine.algorithm
        return to_utc(algorithm.end_date, algorithm.time_zone)

    @property
    def securities(self) -> Any:
        return self.engine.algorithm.securities

    @property
    def config_service(self) -> Any:
        return self.engine

    def active_securities(self) -> dict[Symbol, Any]:
        return self.manager.active_securities

    def create_security(self, symbol: Symbol, leverage: float) -> Any:
        return self.engine.security_for_selection(symbol, leverage)

    def add_data_subscription(self, security: Any, config: SubscriptionDataConfig, start_utc: datetime, universe: Any) -> bool:
        return self.engine.add_data_subscription(security, config, start_utc, universe)

    def remove_data_subscription(self, config: SubscriptionDataConfig, universe: Any) -> bool:
        return self.engine.remove_data_subscription(config, universe)

    def open_orders(self, symbol: Symbol) -> list[Any]:
        return self.engine.algorithm.transactions.get_open_orders(symbol)

    def debug(self, message: str) -> None:
        self.engine.algorithm.debug(message)

    # --- universes the algorithm adds ---------------------------------------------------------------------------
    def add_universe(self, universe: Universe) -> Universe:
        if not universe.has_universe_settings:
            universe.universe_settings = self.engine.algorithm.universe_settings
        self.manager.add(universe.symbol, universe)
        return universe

    def user_defined_universe(self, security: Security, config: SubscriptionDataConfig) -> UserDefinedUniverse:
        """The user-defined universe for the security's type and market, created on first use."""
        symbol = UserDefinedUniverse.create_symbol(security.type, security.symbol.id.market)
        universe = self.manager.get(symbol)
        if universe is None:
            settings = UniverseSettings(
                config.resolution, float(getattr(security, "leverage", 0.0) or 0.0), config.fill_forward,
                config.extended_market_hours, timedelta(0),
            )
            universe_cfg = universe_config(symbol, BaseDataCollection, config.resolution, "UTC")
            universe = UserDefinedUniverse(universe_cfg, settings, timedelta.max, [])
            self.add_universe(universe)
        if not isinstance(universe, UserDefinedUniverse):
            raise TypeError(f"Expected universe {symbol.value} to be a user-defined universe, found {type(universe).__name__}")
        return universe

    def queue_addition(self, security: Security, configs: list[SubscriptionDataConfig]) -> None:
        universe = self.user_defined_universe(security, configs[0])
        self._pending_user_defined.append((universe, configs, security))

    def queue_removal(self, security: Security) -> None:
        symbol = security.symbol
        self._pending_user_defined = [p for p in self._pending_user_defined if p[2].symbol != symbol]
        for universe in list(self.manager.values()):
            if isinstance(universe, UserDefinedUniverse) and universe.contains_member(symbol):
                self._pending_user_defined.append((universe, None, security))

    def end_of_time_step(self) -> None:
        """Apply hand-made additions/removals and start feeds for new universes (LEAN's ``OnEndOfTimeStep``)."""
        pending, self._pending_user_defined = self._pending_user_defined, []
        for universe, configs, security in pending:
            if configs is not None:
                changed = False
                for config in configs:
                    changed |= universe.add(config)
                if changed:
                    self.manager.update(universe.symbol, universe, UniverseChange.ADD)
            elif universe.remove(security.symbol):
                self.manager.update(universe.symbol, universe, UniverseChange.REPLACE)
        self.manager.process_changes()

    # --- selection-data feeds ----------------------------------------------------------------------------------
    def _on_universe_change(self, change: UniverseChange, universe: Universe) -> None:
        if change == UniverseChange.REMOVE:
            universe.dispose()
            return
        algorithm = self.engine.algorithm
        start_utc = algorithm.utc_time
        if algorithm._locked and change == UniverseChange.ADD and isinstance(universe, UserDefinedUniverse):
            start_utc += _ONE_TICK
        existing = self._feeds.get(id(universe))
        if existing is not None and not getattr(existing, "finished", False) and not existing.removed:
            return  # the running feed will select with the new members too
        feed = self._create_feed(universe, start_utc)
        self._feeds[id(universe)] = feed
        synchronizer = self.engine.synchronizer
        if synchronizer is None:
            self._waiting.append(feed)
        else:
            synchronizer.add(feed)

    def _create_feed(self, universe: Universe, start_utc: datetime) -> UniverseSubscription:
        engine = self.engine
        end_utc = self.end_utc
        config = universe.configuration
        if isinstance(universe, ScheduledUniverse):
            return TimeTriggeredUniverseSubscription(universe, start_utc, end_utc, None)
        hours = engine.exchange_hours_for(config.symbol)
        if is_time_triggered(universe):
            return TimeTriggeredUniverseSubscription(universe, start_utc, end_utc, hours)
        if is_fundamental(universe):
            start_local = self._first_selection_start(universe, start_utc, hours)
            end_local = from_utc(end_utc, hours.time_zone)
            return FundamentalUniverseSubscription(universe, start_local, end_local, hours, self.reader)
        raise NotImplementedError(
            f"{type(universe).__name__}: lean_local runs fundamental (coarse), scheduled and user-defined universes; "
            "custom-data universes are not supported yet"
        )

    def _first_selection_start(self, universe: Universe, start_utc: datetime, hours: Any) -> datetime:
        """Back up to the previous tradable day so the first selection happens at the algorithm's start."""
        local = from_utc(start_utc, hours.time_zone)
        schedule = universe.universe_settings.schedule
        if schedule.initialized:
            probe = local
            for _ in range(365):
                day = datetime.combine(probe.date(), datetime.min.time())
                if schedule.get(day, day):
                    local = probe
                    break
                probe -= timedelta(days=1)
        return start_time_for_bars(hours, local, timedelta(days=1), 1, False, False)

    def start(self, synchronizer: Any) -> None:
        for feed in self._waiting:
            synchronizer.add(feed)
        self._waiting = []

    # --- selection ------------------------------------------------------------------------------------------------
    def select(self, frontier_utc: datetime, collections: dict[Universe, BaseDataCollection]) -> SecurityChanges:
        changes = SecurityChanges()
        ordered = sorted(collections.items(), key=lambda kv: (int(kv[0].configuration.resolution), kv[0].symbol.id))
        for universe, collection in ordered:
            changes = changes + self.selection.apply(universe, frontier_utc, collection)
        return changes

    def handle_delisting(self, security: Any, is_internal: bool) -> SecurityChanges:
        return self.selection.handle_delisting(security, is_internal)
