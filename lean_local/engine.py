"""The backtest loop: LEAN's ``AlgorithmManager.Run`` for one algorithm over a data folder.

One :class:`Engine` owns the reference databases, the data feed, the transaction handler, the scheduler and the
result handler, and drives the algorithm through time slices in LEAN's order (see the ``_process`` method and
``specs/lean-fidelity.md`` §3): scheduled events that went by, prices, resting orders, scheduled events due now,
security changes, dividends and splits, consolidators, corporate-event callbacks, ``on_data``, the framework,
then orders placed in this slice.
"""
from __future__ import annotations

import inspect
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local.algorithm import QCAlgorithm
from lean_local.brokerages import DefaultBrokerageModel, FuncBenchmark, SecurityBenchmark
from lean_local.consolidators import scan_past_consolidators
from lean_local.csharp import ZERO, to_decimal
from lean_local.data.errors import DataError, MissingDataError
from lean_local.data.factor_files import FactorFile
from lean_local.data.interest_rate import InterestRateProvider
from lean_local.data.map_files import MapFile, MapFileResolver
from lean_local.data.market_hours import MarketHoursDatabase
from lean_local.data.paths import DataFolder
from lean_local.data.symbol_properties import SymbolPropertiesDatabase
from lean_local.enums import (
    DataNormalizationMode,
    DelistingType,
    Market,
    OrderStatus,
    Resolution,
    SecurityType,
    SplitType,
    TickType,
)
from lean_local.feed import EquitySubscription, FeedContext, Synchronizer, TimeSlice, WarmUpSubscription
from lean_local.indicators.multi_symbol import set_exchange_time_zone_resolver
from lean_local.market_data import Delisting, Dividend, Slice, Split, SymbolChangedEvent
from lean_local.object_store import ObjectStore
from lean_local.orders.transactions import BacktestingTransactionHandler
from lean_local.securities.identifier import MapFileFirstDateResolver, set_map_file_resolver
from lean_local.securities.initializers import apply_brokerage_models
from lean_local.securities.security import Security, SecurityExchange
from lean_local.securities.symbol import Symbol, SymbolCache, set_active_symbol_cache
from lean_local.subscriptions import RESOLUTION_SPAN, SubscriptionDataConfig, data_types_for
from lean_local.timeutil import from_utc, to_utc
from lean_local.universe.changes import SecurityChanges
from lean_local.universe.coordinator import UniverseCoordinator


class AlgorithmRuntimeError(Exception):
    """An exception raised by algorithm code, with where it happened (LEAN's ``SetRuntimeError``)."""

    def __init__(self, context: str, error: BaseException) -> None:
        super().__init__(f"{context}: {error}")
        self.context = context
        self.error = error
        self.stack_trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))


@dataclass
class LogEntry:
    time: datetime
    kind: str
    message: str


class SubscriptionManager:
    """``algorithm.subscription_manager``: the configs of each symbol, and consolidator registration."""

    def __init__(self, resolve_symbol: Callable[[Any], Any] = lambda symbol: symbol) -> None:
        self._configs: dict[Any, list[SubscriptionDataConfig]] = {}
        self._resolve = resolve_symbol

    def add(self, config: SubscriptionDataConfig) -> None:
        configs = self._configs.setdefault(config.symbol, [])
        if not any(c is config for c in configs):
            configs.append(config)

    def remove(self, symbol: Any) -> None:
        self._configs.pop(symbol, None)

    def remove_config(self, config: SubscriptionDataConfig) -> None:
        configs = self._configs.get(config.symbol)
        if configs is None:
            return
        configs[:] = [c for c in configs if c is not config]
        if not configs:
            del self._configs[config.symbol]

    def get_subscription_data_configs(self, symbol: Any = None, include_internal_configs: bool = False) -> list[SubscriptionDataConfig]:
        if symbol is None:
            configs = [c for cs in self._configs.values() for c in cs]
        else:
            configs = list(self._configs.get(self._resolve(symbol), ()))
        if not include_internal_configs:
            configs = [c for c in configs if not c.is_internal_feed]
        return configs

    @property
    def subscriptions(self) -> list[SubscriptionDataConfig]:
        return self.get_subscription_data_configs()

    @property
    def subscription_data_config_service(self) -> "SubscriptionManager":
        return self

    @property
    def count(self) -> int:
        return len(self.subscriptions)

    def add_consolidator(self, symbol: Any, consolidator: Any, tick_type: Any = None) -> None:
        """Attach ``consolidator`` to the first subscription of ``symbol`` whose data it accepts (LEAN's rule)."""
        from lean_local.consolidators import select_subscription

        configs = self.get_subscription_data_configs(symbol)
        if not configs:
            raise KeyError(f"Please subscribe to data for {symbol} before adding a consolidator (add_equity in initialize).")
        target = select_subscription(configs, consolidator, tick_type)
        if consolidator not in target.consolidators:
            target.consolidators.append(consolidator)

    def remove_consolidator(self, symbol: Any, consolidator: Any) -> None:
        """Detach ``consolidator`` and dispose of it, dropping its event handlers (as LEAN does)."""
        for config in self.get_subscription_data_configs(symbol):
            if consolidator in config.consolidators:
                config.consolidators.remove(consolidator)
        dispose = getattr(consolidator, "dispose", None)
        if dispose is not None:
            dispose()


@dataclass
class EngineOptions:
    """How to run: where data lives, the parameters, and the identifiers written into results."""

    data_folder: Path
    parameters: dict[str, str] = field(default_factory=dict)
    algorithm_id: str = "0"
    # the object store's folder: the workspace's storage/ (as the LEAN CLI mounts it), else a temporary one
    storage_folder: Path | None = None


class Engine:
    """Runs one algorithm instance over a data folder; see :meth:`run`."""

    def __init__(self, algorithm: QCAlgorithm, options: EngineOptions) -> None:
        from lean_local.results.handler import BacktestResultHandler
        from lean_local.scheduling import RealTimeScheduler, ScheduleManager

        self.options = options
        self.parameters = dict(options.parameters)
        self.folder = DataFolder(options.data_folder)
        self.logs: list[LogEntry] = []
        self.engine_log: list[str] = []
        self._check_reference_files()
        self.market_hours = MarketHoursDatabase.load(self.folder.market_hours_database())
        set_exchange_time_zone_resolver(
            lambda symbol: self.market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol).time_zone)
        self.symbol_properties = SymbolPropertiesDatabase.load(self.folder.symbol_properties_database())
        self.interest_rates = InterestRateProvider.from_data_folder(self.folder, required=False)
        self._map_resolvers: dict[str, MapFileResolver | None] = {}
        self._factor_files: dict[str, FactorFile] = {}
        self.symbol_cache = SymbolCache()
        set_active_symbol_cache(self.symbol_cache)
        set_map_file_resolver(MapFileFirstDateResolver(options.data_folder))
        self.subscription_manager = SubscriptionManager(lambda symbol: self.algorithm.resolve_symbol(symbol))
        # the algorithm's security initializer; None is the default one bound to the current brokerage model
        self.security_initializer: Any = None
        self.algorithm = algorithm
        algorithm._attach(self)
        algorithm.brokerage_model = DefaultBrokerageModel()
        self.transaction_handler = BacktestingTransactionHandler(algorithm)
        algorithm.transactions.handler = self.transaction_handler
        self.scheduler = RealTimeScheduler(lambda: algorithm.utc_time, on_error=self._on_scheduled_event_error)
        self.schedule = ScheduleManager(_SchedulingContext(self), self.scheduler)
        self.results = BacktestResultHandler(self)
        self.synchronizer: Synchronizer | None = None
        self._data_feeds: dict[int, EquitySubscription | WarmUpSubscription] = {}
        self._feed_users: dict[int, set[int]] = {}
        self.universes = UniverseCoordinator(self)
        self._benchmark_security: Security | None = None
        self.data_points = 0
        self.runtime_error: AlgorithmRuntimeError | None = None
        self._ff_resolution = timedelta(minutes=1)
        self.feed_context = FeedContext(self.folder, self.map_file_for, self.factor_file_for)
        from lean_local.history import HistoryProvider

        self.history_provider = HistoryProvider(self)
        storage = options.storage_folder or Path(tempfile.mkdtemp(prefix="lean-local-storage-"))
        self.object_store = ObjectStore(storage)
        self._history_securities: dict[Any, Security] = {}

    # --- reference data ------------------------------------------------------------------------------------------
    def _check_reference_files(self) -> None:
        for path, what in (
            (self.folder.market_hours_database(), "the market-hours database"),
            (self.folder.symbol_properties_database(), "the symbol-properties database"),
        ):
            if not path.exists():
                raise MissingDataError(path, what)

    def _map_resolver(self, market: str) -> MapFileResolver | None:
        if market not in self._map_resolvers:
            directory = self.folder.map_files_dir(market)
            self._map_resolvers[market] = MapFileResolver.load(directory) if directory.is_dir() else None
        return self._map_resolvers[market]

    def map_file_for(self, symbol: Symbol) -> MapFile:
        resolver = self._map_resolver(symbol.id.market)
        permtick = symbol.id.symbol
        if resolver is None:
            return MapFile.empty(permtick)
        # LEAN's ResolveMapFile(symbol.ID.Symbol, symbol.ID.Date): the identity's first ticker at its first date
        return resolver.resolve(permtick, symbol.id.date.date())

    def factor_file_for(self, symbol: Symbol) -> FactorFile:
        map_file = self.map_file_for(symbol)
        permtick = map_file.permtick if not map_file.missing else symbol.id.symbol
        cached = self._factor_files.get(permtick)
        if cached is None:
            cached = FactorFile.for_permtick(self.folder, permtick.lower(), symbol.id.market)
            self._factor_files[permtick] = cached
        return cached

    def symbol_for(self, ticker: str, security_type: SecurityType, market: str) -> Symbol:
        cached_ok, cached = self.symbol_cache.try_get_symbol(ticker)
        if cached_ok and cached is not None and cached.security_type == security_type:
            return cached
        symbol = Symbol.create(ticker, security_type, market)
        self.symbol_cache.set(ticker, symbol)
        return symbol

    def symbol_cache_lookup(self, ticker: str) -> Symbol:
        found, symbol = self.symbol_cache.try_get_symbol(ticker)
        if found and symbol is not None:
            return symbol
        for existing in self.algorithm.securities.keys():
            if existing.value == ticker.upper():
                return existing
        raise KeyError(
            f"'{ticker}' wasn't found in the SymbolCache. Add it with add_equity(\"{ticker}\") in initialize() before "
            "using the ticker string."
        )

    # --- history ----------------------------------------------------------------------------------------------------
    def history_security(self, symbol: Symbol) -> Security:
        """A detached security for history requests on symbols the algorithm has not added."""
        security = self._history_securities.get(symbol)
        if security is None:
            security = self._create_security(symbol)
            security.is_internal = True
            self._history_securities[symbol] = security
        return security

    def history_bars(self, symbol: Any, count: int, resolution: Resolution | None = None, data_type: type | None = None) -> list[Any]:
        """The last ``count`` bars of ``symbol`` up to now (trade bars when the security has them)."""
        resolved = self.algorithm.resolve_symbol(symbol)
        by_type = self.history_provider.bars(resolved, count, resolution, data_type=data_type)
        if data_type is not None:
            return by_type.get(data_type, [])
        from lean_local.market_data import TradeBar

        return by_type.get(TradeBar) or next(iter(by_type.values()), [])

    # --- securities ---------------------------------------------------------------------------------------------------
    def _create_security(self, symbol: Symbol) -> Security:
        entry = self.market_hours.get_entry(symbol.security_type, symbol.id.market, symbol.id.symbol)
        properties = self.symbol_properties.get(symbol.id.market, symbol.id.symbol, symbol.security_type)
        algorithm = self.algorithm
        exchange = SecurityExchange(entry.exchange_hours, lambda: from_utc(algorithm.utc_time, entry.exchange_hours.time_zone))
        # quote_currency is the cash-book entry of the quote currency, as LEAN's Security.QuoteCurrency (a Cash)
        quote_currency = algorithm.portfolio.cash_book[properties.quote_currency]
        security = Security(symbol, exchange, properties, quote_currency)
        security.data_time_zone = entry.data_time_zone  # type: ignore[attr-defined]
        return security

    def initialize_security_models(self, security: Security, leverage: float = 0.0) -> None:
        """LEAN's ``SecurityService.InitializeSecurity``: optional seeding (``settings.seed_initial_prices``), then
        the algorithm's security initializer; by default that applies the current brokerage model's models."""
        if self.algorithm.settings.seed_initial_prices and security.price == 0:
            for data in self.history_provider.last_known_data([security.symbol]).get(security.symbol, []):
                security.set_market_price(data)
        # a new security starts with its type's own models (for US equities those of the default brokerage model)
        apply_brokerage_models(DefaultBrokerageModel(), security)
        initializer = self.security_initializer
        if initializer is None:
            apply_brokerage_models(self.algorithm.brokerage_model, security)
        else:
            initializer.initialize(security)
        security.is_initialized = True
        if leverage and leverage > 0:
            security.set_leverage(leverage)

    def add_security(
        self,
        symbol: Symbol,
        resolution: Resolution,
        fill_forward: bool,
        leverage: float,
        extended_market_hours: bool,
        data_normalization_mode: DataNormalizationMode,
    ) -> Security:
        """``add_equity``: the security joins the algorithm now and its user-defined universe at the step's end."""
        algorithm = self.algorithm
        if symbol.security_type != SecurityType.EQUITY:
            raise NotImplementedError(
                f"lean_local can add US equities in this version; {symbol.security_type.name} support is tracked separately"
            )
        self._require_data(symbol, resolution)
        configs = self.add(symbol, resolution, fill_forward, extended_market_hours, data_normalization_mode)
        security = algorithm.securities.get(symbol)
        if security is None:
            security = self._create_security(symbol)
            self.initialize_security_models(security, leverage)
        else:
            security.is_tradable = True
            if leverage and leverage > 0:
                security.set_leverage(leverage)
        for config in configs:
            if config not in security.subscriptions:
                security.subscriptions.append(config)
        self._apply_subscription_properties(security)
        algorithm.securities.add(security)
        self.symbol_cache.set(symbol.value, symbol)
        self.universes.queue_addition(security, configs)
        return security

    def add(
        self,
        symbol: Symbol,
        resolution: Resolution,
        fill_forward: bool = True,
        extended_market_hours: bool = False,
        data_normalization_mode: DataNormalizationMode = DataNormalizationMode.ADJUSTED,
    ) -> list[SubscriptionDataConfig]:
        """The data configs of ``symbol`` at ``resolution`` (LEAN's ``SubscriptionDataConfigService.Add``).

        Configs equal to existing ones are reused, so two universes selecting one symbol share its data.
        """
        entry = self.market_hours.get_entry(symbol.security_type, symbol.id.market, symbol.id.symbol)
        configs = []
        for data_type, tick_type in data_types_for(symbol.security_type, resolution):
            existing = next(
                (c for c in self.subscription_manager.get_subscription_data_configs(symbol, include_internal_configs=True)
                 if c.type is data_type and c.resolution == resolution and c.tick_type == tick_type
                 and c.fill_forward == fill_forward and c.extended_market_hours == extended_market_hours
                 and c.data_normalization_mode == data_normalization_mode and not c.is_internal_feed),
                None,
            )
            if existing is None:
                existing = SubscriptionDataConfig(
                    symbol, data_type, resolution, entry.data_time_zone, entry.exchange_hours.time_zone,
                    fill_forward=fill_forward, extended_market_hours=extended_market_hours,
                    data_normalization_mode=data_normalization_mode, tick_type=tick_type,
                )
                self.subscription_manager.add(existing)
            configs.append(existing)
        self._update_fill_forward_resolution()
        return configs

    @staticmethod
    def _apply_subscription_properties(security: Security) -> None:
        configs = [c for c in security.subscriptions if not c.is_internal_feed] or list(security.subscriptions)
        if not configs:
            return
        security.resolution = min((c.resolution for c in configs), key=int)
        security.is_fill_data_forward = any(c.fill_forward for c in configs)
        security.is_extended_market_hours = any(c.extended_market_hours for c in configs)
        security.data_normalization_mode = configs[0].data_normalization_mode

    def security_for_selection(self, symbol: Symbol, leverage: float) -> Security:
        """The security a universe selected: the existing object when there is one (holdings carry over)."""
        security = self.algorithm.securities.get(symbol)
        if security is None:
            security = self._create_security(symbol)
            self.initialize_security_models(security, leverage)
            self.symbol_cache.set(symbol.value, symbol)
        else:
            security.is_tradable = True
            if not security.is_initialized:
                self.initialize_security_models(security)
        return security

    def exchange_hours_for(self, symbol: Symbol) -> Any:
        return self.market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol)

    def add_data_subscription(self, security: Security, config: SubscriptionDataConfig, start_utc: datetime,
                              universe: Any = None) -> bool:
        """Start streaming ``config`` from ``start_utc`` for ``universe``; False when it is already streaming.

        A stream shared by several universes stays open until the last of them lets it go.
        """
        users = self._feed_users.setdefault(id(config), set())
        users.add(id(universe))
        running = self._data_feeds.get(id(config))
        if running is not None and not running.removed and not getattr(running, "finished", False):
            return bool(config.is_internal_feed)
        self.subscription_manager.add(config)
        self._apply_subscription_properties(security)
        self._update_fill_forward_resolution()
        feed = self._data_feed_for(config, security, start_utc)
        self._data_feeds[id(config)] = feed
        assert self.synchronizer is not None, "data subscriptions start once the feed runs"
        self.synchronizer.add(feed)
        return True

    def _data_feed_for(self, config: SubscriptionDataConfig, security: Security, start_utc: datetime,
                       emit_splits_and_dividends: bool = True) -> EquitySubscription | WarmUpSubscription:
        """The feed of a new subscription; while warming up at another resolution, the warm-up period is read at
        that resolution (LEAN's file feed splits such a subscription at the algorithm start)."""
        start_local = from_utc(start_utc, security.exchange.time_zone)
        warm_up_resolution = self.algorithm.settings.warmup_resolution
        if self.algorithm.is_warming_up and warm_up_resolution is not None and warm_up_resolution != config.resolution:
            algorithm_start = from_utc(self._start_utc, security.exchange.time_zone)
            return WarmUpSubscription(config, security, start_local, algorithm_start, self.algorithm.end_date,
                                      self.feed_context, lambda: self._ff_resolution, warm_up_resolution,
                                      emit_splits_and_dividends)
        return EquitySubscription(config, security, start_local, self.algorithm.end_date, self.feed_context,
                                  lambda: self._ff_resolution, emit_splits_and_dividends=emit_splits_and_dividends)

    def remove_data_subscription(self, config: SubscriptionDataConfig, universe: Any = None) -> bool:
        users = self._feed_users.get(id(config))
        if users is not None:
            users.discard(id(universe))
            if users:
                return False
            del self._feed_users[id(config)]
        feed = self._data_feeds.pop(id(config), None)
        self.subscription_manager.remove_config(config)
        self._update_fill_forward_resolution()
        if feed is None:
            return False
        if self.synchronizer is not None:
            self.synchronizer.remove(feed)
        return True

    def _require_data(self, symbol: Symbol, resolution: Resolution) -> None:
        """Fail early, naming the file, when a ticker has no data at all at this resolution."""
        map_file = self.map_file_for(symbol)
        tickers = {row.mapped_symbol.lower() for row in map_file.rows} or {symbol.value.lower()}
        tickers.add(symbol.value.lower())
        if resolution in (Resolution.DAILY, Resolution.HOUR):
            if any(self.folder.equity_zip(t, resolution).exists() for t in tickers):
                return
            raise MissingDataError(
                self.folder.equity_zip(symbol.value.lower(), resolution),
                f"{resolution.name.lower()} data for {symbol.value} (unknown ticker or no data at this resolution)",
            )
        if any(self.folder.equity_ticker_dir(t, resolution).is_dir() for t in tickers):
            return
        raise MissingDataError(
            self.folder.equity_ticker_dir(symbol.value.lower(), resolution) / "<yyyyMMdd>_trade.zip",
            f"{resolution.name.lower()} data for {symbol.value} (unknown ticker or no data at this resolution)",
        )

    def remove_security(self, symbol: Symbol) -> None:
        """The security leaves its user-defined universe at the step's end (the algorithm already liquidated)."""
        security = self.algorithm.securities.get(symbol)
        if security is None:
            return
        security.reset()
        self.universes.queue_removal(security)

    def _update_fill_forward_resolution(self) -> None:
        resolutions = [c.resolution for c in self.subscription_manager.subscriptions if c.resolution != Resolution.TICK]
        self._ff_resolution = RESOLUTION_SPAN[min(resolutions, key=int)] if resolutions else timedelta(minutes=1)

    def _add_benchmark_feed(self, start_utc: datetime) -> None:
        benchmark = self.algorithm.benchmark
        if not isinstance(benchmark, SecurityBenchmark):
            return
        security = benchmark.security
        config = SubscriptionDataConfig(
            security.symbol, data_types_for(SecurityType.EQUITY, Resolution.HOUR)[0][0], Resolution.HOUR,
            getattr(security, "data_time_zone", security.exchange.time_zone), security.exchange.time_zone,
            fill_forward=False, is_internal_feed=True, data_normalization_mode=security.data_normalization_mode,
        )
        security.subscriptions.append(config)
        self.subscription_manager.add(config)
        hours = security.exchange.hours
        start_local = from_utc(start_utc, hours.time_zone)
        current = start_local
        if not hours.is_date_open(current.date()) or hours.get_next_market_close(datetime.combine(current.date(), time()), False) > current:
            current = datetime.combine(current.date(), time())
        while True:
            previous = current
            current = current - timedelta(days=1)
            if hours.is_open(current, previous, False):
                break
        assert self.synchronizer is not None
        # LEAN's regression data-point counts show no splits or dividends on the benchmark's internal hour feed
        subscription = self._data_feed_for(config, security, to_utc(current, hours.time_zone), emit_splits_and_dividends=False)
        self.synchronizer.add(subscription)

    def _resolve_benchmark(self) -> None:
        algorithm = self.algorithm
        benchmark = algorithm.benchmark
        if benchmark is None:
            benchmark = algorithm.brokerage_model.get_benchmark(algorithm.securities)
        from lean_local.brokerages import BenchmarkRequest

        if isinstance(benchmark, BenchmarkRequest):
            benchmark = self.symbol_for(benchmark.ticker, SecurityType.EQUITY, Market.USA)
        if isinstance(benchmark, Symbol):
            # LEAN always creates a separate security for the benchmark (CreateBenchmarkSecurity re-creates it),
            # so the benchmark's hour bars never touch the prices of an algorithm security with the same symbol.
            security = self._create_security(benchmark)
            security.data_normalization_mode = DataNormalizationMode.ADJUSTED
            # never passed to the algorithm's security initializer or seeded: it keeps its type's default models
            apply_brokerage_models(DefaultBrokerageModel(), security)
            security.is_internal = True
            benchmark = SecurityBenchmark(security)
        algorithm._benchmark = benchmark

    # --- logging ------------------------------------------------------------------------------------------------
    def algorithm_log(self, kind: str, message: str) -> None:
        self.logs.append(LogEntry(self.algorithm.time, kind, message))

    def trace(self, message: str) -> None:
        stamp = datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.engine_log.append(f"{stamp} TRACE:: {message}")

    def _on_scheduled_event_error(self, error: BaseException, context: str) -> None:
        raise AlgorithmRuntimeError(context, error)

    def on_time_changed(self, utc: datetime) -> None:
        pass

    def on_order_event(self, event: Any) -> None:
        self.results.on_order_event(event)
        try:
            self.algorithm.on_order_event(event)
        except Exception as err:  # noqa: BLE001 - reported as the algorithm's runtime error
            raise AlgorithmRuntimeError("Order Event Handler", err) from err

    def trade_builder_process_fill(self, event: Any, security: Security, fee: Decimal) -> None:
        self.results.process_fill(event, security, fee)

    # --- the run ---------------------------------------------------------------------------------------------------
    def initialize(self) -> None:
        algorithm = self.algorithm
        self.trace("Engine.Run(): Initializing algorithm...")
        try:
            algorithm.initialize()
        except (MissingDataError, DataError):
            raise
        except Exception as err:
            raise AlgorithmRuntimeError("Initialize", err) from err
        if algorithm.end_date < algorithm.start_date:
            raise AlgorithmRuntimeError("PostInitialize", ValueError("Please select an algorithm end date greater than start date."))
        post_initialize = getattr(algorithm, "framework_post_initialize", None)
        if post_initialize is not None:
            self._call("PostInitialize", post_initialize)
        self._resolve_benchmark()

    def run(self) -> None:
        """Initialize the algorithm and stream every time slice through it."""
        algorithm = self.algorithm
        self.initialize()
        start_utc = to_utc(algorithm.start_date, algorithm.time_zone)
        warmup_start_utc = self._warmup_start_utc(start_utc)
        feed_start_utc = warmup_start_utc or start_utc
        algorithm._is_warming_up = warmup_start_utc is not None
        algorithm._utc_time = feed_start_utc
        self._start_utc = start_utc
        # LEAN's PostInitialize applies the securities added in initialize before the algorithm is locked, so
        # their subscriptions start exactly at the (warm-up) start, not one tick later
        self.universes.end_of_time_step()
        algorithm._locked = True
        self.synchronizer = Synchronizer(feed_start_utc)
        self.synchronizer.on_delisted = self._on_delisted
        self.synchronizer.on_universe_data = self._on_universe_data
        self.synchronizer.empty_changes = SecurityChanges
        self.universes.start(self.synchronizer)
        self._add_benchmark_feed(feed_start_utc)
        self.results.set_algorithm(algorithm.portfolio.cash_exact)
        self.schedule.on(self.schedule.date_rules.every_day(), self.schedule.time_rules.midnight, self._daily_sample, name="Daily Sampling")
        on_end_of_day, on_end_of_day_symbol = self._end_of_day_callbacks()
        self.scheduler.setup(
            algorithm_time_zone=algorithm.time_zone, end_date=algorithm.end_date,
            on_end_of_day=on_end_of_day, on_end_of_day_symbol=on_end_of_day_symbol,
            securities_hours=lambda: [s.exchange.hours for s in algorithm.securities.values()],
            on_end_of_day_error=self._on_end_of_day_error,
        )
        if not algorithm.is_warming_up:
            self._call("OnWarmupFinished", algorithm.on_warmup_finished)
        self.trace(f"AlgorithmManager.Run(): Begin DataStream - Start: {algorithm.start_date} Stop: {algorithm.end_date}")
        last_time = feed_start_utc
        while not algorithm._quit_requested:
            time_slice = self.synchronizer.next_slice()
            if time_slice is None:
                break
            if algorithm.is_warming_up and time_slice.utc_time > start_utc:
                self._finish_warmup(start_utc)
            last_time = time_slice.utc_time
            if algorithm.portfolio.total_portfolio_value_exact <= 0:
                self.trace("AlgorithmManager.Run(): Portfolio value is less than or equal to zero, stopping algorithm.")
                break
            self._process(time_slice)
            self.universes.end_of_time_step()
        if algorithm.is_warming_up:
            self._finish_warmup(start_utc)
        self._call("OnEndOfAlgorithm", algorithm.on_end_of_algorithm)
        self.results.process_synchronous_events(force=True)
        self.results.sample(last_time)

    def _warmup_start_utc(self, start_utc: datetime) -> datetime | None:
        algorithm = self.algorithm
        if algorithm._warmup_period is not None:
            return start_utc - algorithm._warmup_period
        if algorithm._warmup_bar_count:
            resolution = algorithm._warmup_resolution or min(
                (c.resolution for c in self.subscription_manager.subscriptions), key=int, default=Resolution.DAILY
            )
            span = RESOLUTION_SPAN[resolution]
            hours = next(iter(algorithm.securities.values())).exchange.hours if len(algorithm.securities) else None
            local = from_utc(start_utc, algorithm.time_zone)
            count = 0
            current = local
            while count < algorithm._warmup_bar_count:
                previous = current
                current = current - span
                if hours is None or hours.is_open(current, previous, False):
                    count += 1
            return to_utc(current, algorithm.time_zone)
        return None

    def _end_of_day_callbacks(self) -> tuple[Callable[[], Any] | None, Callable[[Any], Any] | None]:
        """LEAN schedules end-of-day events only for the ``on_end_of_day`` form the algorithm overrides:
        ``on_end_of_day(symbol)`` per security ten minutes before its close, or the deprecated no-argument form."""
        method = getattr(type(self.algorithm), "on_end_of_day", None)
        if method is None or method is QCAlgorithm.on_end_of_day:
            return None, None
        parameters = [p for p in inspect.signature(method).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]
        bound = self.algorithm.on_end_of_day
        if parameters:
            return None, bound
        return bound, None

    def _on_end_of_day_error(self, event_name: str, error: BaseException) -> None:
        self.algorithm.error(f"Runtime error in {event_name} event: {error}")

    def _finish_warmup(self, start_utc: datetime) -> None:
        algorithm = self.algorithm
        if not algorithm.is_warming_up:
            return
        self.scheduler.scan_past(start_utc, algorithm.set_date_time)
        algorithm._utc_time = max(algorithm._utc_time, start_utc)
        algorithm._is_warming_up = False
        self.results.on_warmup_finished()
        self._call("OnWarmupFinished", algorithm.on_warmup_finished)
        algorithm.debug("Algorithm finished warming up.")

    def _call(self, context: str, function: Callable[..., Any], *args: Any) -> Any:
        try:
            return function(*args)
        except AlgorithmRuntimeError:
            raise
        except Exception as err:
            raise AlgorithmRuntimeError(context, err) from err

    def _daily_sample(self) -> None:
        self.results.sample(self.algorithm.utc_time)

    def _on_delisted(self, subscription: EquitySubscription, delisting: Delisting) -> SecurityChanges | None:
        if subscription.config.is_internal_feed:
            return None
        return self.universes.handle_delisting(subscription.security, False)

    def _on_universe_data(self, frontier_utc: datetime, selections: dict[Any, Any]) -> SecurityChanges:
        """A time pulse that brings the algorithm clock to the selection moment, then the selections themselves."""
        algorithm = self.algorithm
        if algorithm.is_warming_up and frontier_utc > self._start_utc:
            self._finish_warmup(self._start_utc)
        self._scan_past(frontier_utc)
        algorithm._utc_time = frontier_utc
        return self.universes.select(frontier_utc, selections)

    def _process(self, time_slice: TimeSlice) -> None:
        algorithm = self.algorithm
        utc = time_slice.utc_time
        self.data_points += time_slice.data_point_count
        self._scan_past(utc)
        algorithm._utc_time = utc
        local_time = from_utc(utc, algorithm.time_zone)
        slice_ = Slice(local_time, algorithm.resolve_symbol, utc)
        changes: SecurityChanges = time_slice.changes or SecurityChanges()
        if changes:
            self._apply_security_changes(changes)
        consolidator_updates: list[tuple[SubscriptionDataConfig, list[Any]]] = []
        for packet in time_slice.packets:
            config = packet.subscription.config
            security = packet.subscription.security
            market_data = []
            contains_ff = False
            for data in packet.data:
                if not config.is_internal_feed or isinstance(data, Delisting):
                    slice_.add(data)
                contains_ff |= data.is_fill_forward
                if data.data_type.name != "AUXILIARY":
                    market_data.append(data)
            if market_data:
                security.update(market_data, config.type, contains_ff)
                self.results.set_market_price(security)
                if not config.is_internal_feed:
                    consolidator_updates.append((config, market_data))
        algorithm.portfolio.invalidate_total_portfolio_value()
        algorithm.current_slice = slice_
        self.transaction_handler.process_synchronous_events()
        self.scheduler.fire_due(utc)
        if changes:
            algorithm_changes = changes.for_algorithm()
            self._call("OnSecuritiesChanged", algorithm.on_securities_changed, algorithm_changes)
            self._framework_securities_changed(algorithm_changes)
        for dividend in slice_.dividends.values():
            if not algorithm.is_warming_up:
                mode = algorithm.securities[dividend.symbol].data_normalization_mode
                algorithm.portfolio.apply_dividend(dividend, mode)
        for split in slice_.splits.values():
            if split.type != SplitType.SPLIT_OCCURRED or algorithm.is_warming_up:
                continue
            security = algorithm.securities.get(split.symbol)
            if security is None:
                continue
            mode = security.data_normalization_mode
            algorithm.portfolio.apply_split(split, security, mode)
            self.results.apply_split(split, mode)
            if mode == DataNormalizationMode.RAW:
                tickets = algorithm.transactions.get_open_order_tickets(lambda t: t.symbol == split.symbol)
                algorithm.brokerage_model.apply_split(tickets, split)
        for config, points in consolidator_updates:
            for consolidator in list(config.consolidators):
                for point in points:
                    self._call("Consolidators update", consolidator.update, point)
                scan = getattr(consolidator, "scan", None)
                if scan is not None:
                    self._call("Consolidators update", scan, local_time)
        if slice_.splits:
            self._call("OnSplits", algorithm.on_splits, slice_.splits)
        if slice_.dividends:
            self._call("OnDividends", algorithm.on_dividends, slice_.dividends)
        if slice_.delistings:
            self._call("OnDelistings", algorithm.on_delistings, slice_.delistings)
        if slice_.symbol_changed_events:
            self._call("OnSymbolChangedEvents", algorithm.on_symbol_changed_events, slice_.symbol_changed_events)
        if slice_.has_data:
            self._call("OnData", algorithm.on_data, slice_)
        self._framework_data(slice_)
        self.transaction_handler.process_synchronous_events()
        self.results.process_synchronous_events()

    def _scan_past(self, utc: datetime) -> None:
        """Scheduled events and consolidator scans that fell between the previous slice and ``utc``, in LEAN's order."""
        self.scheduler.scan_past(utc, self.algorithm.set_date_time)
        self._call("Consolidators scan", scan_past_consolidators, self.algorithm, utc)

    def _apply_security_changes(self, changes: SecurityChanges) -> None:
        """Added securities join the algorithm; removed ones no universe holds stop being tradable."""
        securities = self.algorithm.securities
        for security in changes.added_securities:
            securities.add(security)
        active = self.universes.active_securities()
        for security in changes.removed_securities:
            if security.symbol not in active:
                security.reset()
        self.scheduler.on_securities_changed(changes.added_securities, changes.removed_securities)

    # framework hooks (the Algorithm Framework plugs in here)
    def _framework_securities_changed(self, changes: SecurityChanges) -> None:
        hook = getattr(self.algorithm, "on_framework_securities_changed", None)
        if hook is not None:
            self._call("OnSecuritiesChanged", hook, changes)

    def _framework_data(self, slice_: Slice) -> None:
        hook = getattr(self.algorithm, "on_framework_data", None)
        if hook is not None:
            self._call("OnData", hook, slice_)


class _SchedulingContext:
    """The algorithm as the scheduler needs it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def time_zone(self) -> str:
        return self._engine.algorithm.time_zone

    @property
    def start_date(self) -> datetime:
        return self._engine.algorithm.start_date

    @property
    def end_date(self) -> datetime:
        return self._engine.algorithm.end_date

    @property
    def utc_time(self) -> datetime:
        return self._engine.algorithm.utc_time

    def exchange_hours_for(self, symbol: Any) -> Any:
        engine = self._engine
        resolved = engine.algorithm.resolve_symbol(symbol) if isinstance(symbol, str) else symbol
        security = engine.algorithm.securities.get(resolved)
        if security is not None:
            return security.exchange.hours
        return engine.market_hours.get_exchange_hours(resolved.security_type, resolved.id.market, resolved.id.symbol)

    def resolve_symbol(self, ticker_or_symbol: Any) -> Any:
        engine = self._engine
        if isinstance(ticker_or_symbol, str):
            try:
                return engine.symbol_cache_lookup(ticker_or_symbol)
            except KeyError:
                return engine.symbol_for(ticker_or_symbol, SecurityType.EQUITY, Market.USA)
        return engine.algorithm.resolve_symbol(ticker_or_symbol)

    def security_exchange_hours(self) -> list[Any]:
        return [s.exchange.hours for s in self._engine.algorithm.securities.values()]
