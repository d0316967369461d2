"""Indicator and consolidator helpers of ``QCAlgorithm`` (``self.sma(...)``, ``self.consolidate(...)``).

They follow ``QCAlgorithm.Indicators.cs``: a helper names the indicator (``SMA(10,SPY_day)``), resolves a
consolidator for the requested resolution (an identity consolidator when it equals the subscription's, LEAN's
market-hour aware daily consolidator for ``Resolution.DAILY`` on intraday data, a period consolidator
otherwise), registers it on the symbol's subscription and updates the indicator from every consolidated bar.
With ``settings.automatic_indicator_warm_up`` the indicator is then warmed up from history.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from lean_local.consolidators.base import interface_event
from lean_local.consolidators.calendar import CalendarInfo
from lean_local.consolidators.market_hours import MarketHourAwareConsolidator, higher_resolution_equivalent
from lean_local.consolidators.period import (
    BaseDataConsolidator,
    IdentityDataConsolidator,
    QuoteBarConsolidator,
    TickConsolidator,
    TradeBarConsolidator,
    resolution_to_timedelta,
)
from lean_local.consolidators.renko import RenkoBar, RenkoConsolidator
from lean_local.consolidators.scanning import scanner_for
from lean_local.enums import Resolution, TickType
from lean_local.indicators.bar_indicators import (
    AverageDirectionalIndex,
    AverageTrueRange,
    DonchianChannel,
    KeltnerChannels,
    TrueRange,
)
from lean_local.indicators.base import BAR, POINT, TRADE_BAR, IndicatorBase
from lean_local.indicators.data_point import IndicatorDataPoint, exact, exact_value_of
from lean_local.indicators.fields import data_type_from_selector
from lean_local.indicators.moving_averages import (
    DoubleExponentialMovingAverage,
    ExponentialMovingAverage,
    LinearWeightedMovingAverage,
    MovingAverageType,
    SimpleMovingAverage,
    Sum,
    TriangularMovingAverage,
    TripleExponentialMovingAverage,
    WilderMovingAverage,
)
from lean_local.indicators.multi_symbol import Beta
from lean_local.indicators.oscillators import BollingerBands, MovingAverageConvergenceDivergence, RelativeStrengthIndex
from lean_local.indicators.python_indicator import as_indicator
from lean_local.indicators.statistics import (
    Identity,
    LogReturn,
    Maximum,
    Minimum,
    Momentum,
    MomentumPercent,
    RateOfChange,
    RateOfChangePercent,
    StandardDeviation,
    Variance,
)
from lean_local.market_data import BaseData, QuoteBar, Tick, TradeBar

_RESOLUTION_TEXT = {
    Resolution.TICK: "tick",
    Resolution.SECOND: "sec",
    Resolution.MINUTE: "min",
    Resolution.HOUR: "hr",
    Resolution.DAILY: "day",
}


def _is_resolution(value: Any) -> bool:
    return isinstance(value, Resolution)


def _is_consolidator(value: Any) -> bool:
    return hasattr(value, "update") and hasattr(value, "data_consolidated") and hasattr(value, "scan")


def _common_tick_type(data_type: type | None) -> TickType | None:
    if data_type is None:
        return None
    if data_type is QuoteBar:
        return TickType.QUOTE
    return TickType.TRADE


def _number_text(value: Any) -> str:
    from lean_local.csharp import decimal_to_string

    return decimal_to_string(exact(value))


def _split_optional_type(args: tuple[Any, ...], kwargs: dict[str, Any], key: str, default: MovingAverageType,
                         alias: str | None = None) -> tuple[MovingAverageType, Any, Any]:
    """(moving average type, resolution, selector) from ``[type], [resolution], [selector]`` arguments."""
    rest = list(args)
    kind: Any = kwargs.pop(key, None)
    if kind is None and alias is not None:
        kind = kwargs.pop(alias, None)
    if kind is None and rest and isinstance(rest[0], MovingAverageType):
        kind = rest.pop(0)
    resolution, selector = _resolution_selector(rest, kwargs)
    return (MovingAverageType(kind) if kind is not None else default), resolution, selector


def _resolution_selector(rest: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    resolution = kwargs.pop("resolution", None)
    selector = kwargs.pop("selector", None)
    if rest and (rest[0] is None or _is_resolution(rest[0]) or isinstance(rest[0], timedelta)):
        resolution = rest.pop(0)
    if rest and (rest[0] is None or callable(rest[0])):
        selector = rest.pop(0)
    if rest:
        raise TypeError(f"unexpected arguments {rest!r}")
    if kwargs:
        raise TypeError(f"unexpected keyword arguments {sorted(kwargs)}")
    return resolution, selector


class IndicatorHelpers:
    """Mixed into ``QCAlgorithm``: indicator creation, registration, warm-up and consolidation."""

    @property
    def enable_automatic_indicator_warm_up(self) -> bool:
        """Shortcut for ``settings.automatic_indicator_warm_up`` (LEAN's ``EnableAutomaticIndicatorWarmUp``)."""
        algorithm: Any = self
        return bool(algorithm.settings.automatic_indicator_warm_up)

    @enable_automatic_indicator_warm_up.setter
    def enable_automatic_indicator_warm_up(self, value: bool) -> None:
        algorithm: Any = self
        algorithm.settings.automatic_indicator_warm_up = value

    # --- names and subscriptions ----------------------------------------------------------------------------
    def create_indicator_name(self, symbol: Any, type: Any, resolution: Any) -> str:
        """``SMA(10)`` for SPY daily becomes ``SMA(10,SPY_day)`` (LEAN's ``CreateIndicatorName``)."""
        algorithm: Any = self
        symbol = algorithm.resolve_symbol(symbol) if symbol is not None else None
        not_empty = symbol is not None and str(symbol) not in ("", "NONE")
        if resolution is None and not_empty:
            resolution = self._get_subscription(symbol).resolution
        if isinstance(resolution, timedelta):
            resolution = None
        res = _RESOLUTION_TEXT[Resolution(resolution)] if resolution is not None else ""
        parts = [str(symbol)] if not_empty else []
        parts.append(res)
        return f"{type}({'_'.join(parts)})".replace(")(", ",")

    def _get_subscription(self, symbol: Any, tick_type: Any = None) -> Any:
        """The subscription a helper uses: trade before quote, the requested tick type when there is one."""
        algorithm: Any = self
        configs = [c for c in algorithm.subscription_manager.get_subscription_data_configs(symbol)
                   if not getattr(c, "is_internal_feed", False)]
        if not configs:
            raise KeyError(f"Please register to receive data for symbol '{symbol}' using the AddSecurity() function.")
        common = (TradeBar, QuoteBar, Tick)
        configs.sort(key=lambda c: (c.type not in common, int(c.tick_type)))
        if tick_type is not None:
            for config in configs:
                if config.tick_type == tick_type:
                    return config
        return configs[0]

    def _exchange_hours(self, symbol: Any) -> Any:
        algorithm: Any = self
        security = algorithm.securities.get(symbol)
        if security is not None:
            return security.exchange.hours
        engine = getattr(algorithm, "_engine", None)
        market_hours = getattr(engine, "market_hours", None)
        if market_hours is None:
            return None
        return market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol)

    # --- consolidator creation ------------------------------------------------------------------------------
    @staticmethod
    def _consolidator_for_period(period: timedelta, input_type: type, tick_type: Any = None) -> Any:
        """LEAN's static ``CreateConsolidator(period, inputType, tickType)``."""
        if period == timedelta(0):
            return IdentityDataConsolidator(_identity_type(input_type))
        if issubclass(input_type, TradeBar):
            return TradeBarConsolidator(period)
        if issubclass(input_type, QuoteBar):
            return QuoteBarConsolidator(period)
        if issubclass(input_type, Tick):
            return TickConsolidator(period)
        return BaseDataConsolidator(period)

    @staticmethod
    def _consolidator_for_calendar(calendar: Callable[[datetime], CalendarInfo], input_type: type) -> Any:
        if issubclass(input_type, TradeBar):
            return TradeBarConsolidator(calendar)
        if issubclass(input_type, QuoteBar):
            return QuoteBarConsolidator(calendar)
        if issubclass(input_type, Tick):
            return TickConsolidator(calendar)
        return BaseDataConsolidator(calendar)

    def _create_consolidator(self, symbol: Any, calendar: Any, tick_type: Any, period: timedelta | None,
                             resolution: Resolution | None, consolidator_type: type | None) -> Any:
        algorithm: Any = self
        subscription = self._get_subscription(symbol, tick_type)
        if (period is not None and period < subscription.increment) or (
                resolution is not None and int(resolution) < int(subscription.resolution)):
            raise ValueError(
                f"Unable to create {symbol} consolidator because {symbol} is registered for "
                f"{Resolution(subscription.resolution).name.capitalize()} data. Consolidators require higher "
                "resolution data to produce lower resolution data."
            )
        consolidator: Any = None
        if calendar is not None:
            consolidator = self._consolidator_for_calendar(calendar, subscription.type)
        else:
            if period is None and resolution is None:
                period = subscription.increment
            if (period is not None and period == subscription.increment) or (
                    resolution is not None and Resolution(resolution) == subscription.resolution):
                consolidator = IdentityDataConsolidator(_identity_type(subscription.type))
            else:
                if resolution is not None:
                    if Resolution(resolution) == Resolution.DAILY:
                        settings = algorithm.settings
                        extended = bool(getattr(subscription, "extended_market_hours", False))
                        use_extended = bool(getattr(settings, "daily_consolidation_use_extended_market_hours", False))
                        if extended and not use_extended and not getattr(self, "_lean_daily_consolidation_warned", False):
                            algorithm._lean_daily_consolidation_warned = True
                            algorithm.debug(
                                f"Warning: The subscription for {symbol} has ExtendedMarketHours=true, but "
                                "Settings.DailyConsolidationUseExtendedMarketHours=false. Daily consolidations will "
                                "exclude extended market hours. Enable algorithm.Settings."
                                "DailyConsolidationUseExtendedMarketHours to include them."
                            )
                        consolidator = MarketHourAwareConsolidator(
                            bool(getattr(settings, "daily_precise_end_time", True)), Resolution.DAILY, subscription.type,
                            subscription.tick_type, use_extended and extended, self._exchange_hours(symbol))
                    period = resolution_to_timedelta(Resolution(resolution))
                if consolidator is None:
                    assert period is not None
                    consolidator = self._consolidator_for_period(period, subscription.type, subscription.tick_type)
        if consolidator_type is not None and not issubclass(consolidator.output_type, consolidator_type):
            raise ValueError(
                f"Unable to consolidate with the specified handler because the consolidator's output type is "
                f"{consolidator.output_type.__name__} but the handler's input type is {subscription.type.__name__}."
            )
        return consolidator

    def resolve_consolidator(self, symbol: Any, resolution: Any = None, data_type: type | None = None) -> Any:
        """The consolidator a helper would use for ``symbol`` at ``resolution`` (a ``Resolution``, a
        ``timedelta`` or None for the subscription's own resolution)."""
        algorithm: Any = self
        symbol = algorithm.resolve_symbol(symbol)
        tick_type = _common_tick_type(data_type)
        if isinstance(resolution, timedelta):
            return self._create_consolidator(symbol, None, tick_type, resolution, None, None)
        return self._create_consolidator(symbol, None, tick_type, None,
                                         Resolution(resolution) if resolution is not None else None, None)

    def _register_consolidator(self, symbol: Any, consolidator: Any, tick_type: Any, indicator: Any) -> None:
        algorithm: Any = self
        if indicator is not None:
            indicator.consolidators.add(consolidator)
        manager = algorithm.subscription_manager
        # LEAN keeps a subscription's consolidators in a set: registering one twice is a no-op
        already = any(consolidator in getattr(config, "consolidators", ())
                      for config in manager.get_subscription_data_configs(symbol))
        if not already:
            manager.add_consolidator(symbol, consolidator, tick_type)
        for config in manager.get_subscription_data_configs(symbol):
            if consolidator in getattr(config, "consolidators", ()):
                scanner_for(algorithm).add(config, consolidator, algorithm)
                break

    # --- registration ---------------------------------------------------------------------------------------
    def register_indicator(self, symbol: Any, indicator: Any, resolution: Any = None, selector: Any = None) -> None:
        """Update ``indicator`` from ``symbol``'s data consolidated at ``resolution`` (a ``Resolution``, a
        ``timedelta``, a consolidator, or None for the subscription resolution)."""
        algorithm: Any = self
        symbol = algorithm.resolve_symbol(symbol)
        target = as_indicator(indicator)
        if _is_consolidator(resolution):
            consolidator = resolution
        elif isinstance(resolution, timedelta):
            consolidator = self.resolve_consolidator(symbol, resolution)
        elif resolution is None or _is_resolution(resolution):
            consolidator = self.resolve_consolidator(symbol, resolution)
        else:
            raise TypeError("Invalid third argument, should be either a valid consolidator or timedelta object.")
        self._register_with_consolidator(symbol, target, consolidator, selector)

    def _register_with_consolidator(self, symbol: Any, indicator: IndicatorBase, consolidator: Any,
                                    selector: Any) -> None:
        kind = indicator._input_kind
        if kind == POINT:
            pick = selector if selector is not None else exact_value_of
            self._register_consolidator(symbol, consolidator, None, indicator)

            def update_point(sender: Any, consolidated: Any) -> None:
                value = pick(consolidated)
                indicator.update(IndicatorDataPoint.create(consolidated.symbol, consolidated.end_time, exact(value)))

            interface_event(consolidator).__iadd__(update_point)
            return
        output_type = getattr(consolidator, "output_type", None)
        self._register_consolidator(symbol, consolidator, None, indicator)
        if selector is None and isinstance(output_type, type):
            if kind == TRADE_BAR and not issubclass(output_type, TradeBar):
                raise ValueError(
                    f"Type mismatch found between consolidator and indicator for symbol: {symbol}.Consolidator outputs "
                    f"type {output_type.__name__} but indicator expects input type TradeBar"
                )
            if kind == BAR and not issubclass(output_type, (TradeBar, QuoteBar)):
                raise ValueError(
                    f"Type mismatch found between consolidator and indicator for symbol: {symbol}.Consolidator outputs "
                    f"type {output_type.__name__} but indicator expects input type IBaseDataBar"
                )

        def update_data(sender: Any, consolidated: Any) -> None:
            indicator.update(selector(consolidated) if selector is not None else consolidated)

        interface_event(consolidator).__iadd__(update_data)

    def unregister_indicator(self, indicator: Any) -> None:
        """Stop the automatic updates of an indicator (removes and disposes its consolidators)."""
        algorithm: Any = self
        target = as_indicator(indicator)
        for consolidator in list(target.consolidators):
            algorithm.subscription_manager.remove_consolidator(None, consolidator)
            scanner_for(algorithm).remove(consolidator)
            dispose = getattr(consolidator, "dispose", None)
            if callable(dispose):
                dispose()
        target.consolidators.clear()

    deregister_indicator = unregister_indicator

    def _initialize_indicator(self, indicator: IndicatorBase, resolution: Any, selector: Any, symbol: Any) -> None:
        if indicator._input_kind == POINT:
            consolidator = self.resolve_consolidator(symbol, resolution, data_type_from_selector(selector))
        else:
            consolidator = self.resolve_consolidator(symbol, resolution, TradeBar)
        self._register_with_consolidator(symbol, indicator, consolidator, selector)
        algorithm: Any = self
        if getattr(algorithm.settings, "automatic_indicator_warm_up", False):
            self.warm_up_indicator([symbol], indicator, resolution, selector)

    # --- warm-up --------------------------------------------------------------------------------------------
    def warm_up_indicator(self, symbol: Any, indicator: Any, resolution: Any = None, selector: Any = None) -> None:
        """Feed ``indicator`` its ``warm_up_period`` bars of history (``resolution`` may be a ``Resolution``,
        a ``timedelta`` or None). The indicator is reset first unless a ``timedelta`` is given, as in LEAN."""
        algorithm: Any = self
        symbols = [algorithm.resolve_symbol(s) for s in symbol] if _is_symbol_list(symbol) else [algorithm.resolve_symbol(symbol)]
        target = as_indicator(indicator)
        warm_up_period = _warm_up_period(target, indicator)
        if warm_up_period is None:
            if not getattr(self, "_lean_warm_up_warning_sent", False):
                algorithm._lean_warm_up_warning_sent = True
                algorithm.debug(
                    "Warning: the 'WarmUpIndicator' feature only works with indicators which inherit from "
                    "'IIndicatorWarmUpPeriodProvider' and define a warm up period, setting property 'WarmUpPeriod' "
                    f"with a value > 0. The provided indicator of type '{type(indicator).__name__}' will not be "
                    "warmed up."
                )
            return
        if isinstance(resolution, timedelta):
            self._warm_up_over_period(symbols, target, warm_up_period, resolution, selector)
            return
        self._warm_up_from_history(symbols, target, warm_up_period, resolution, selector)

    def _history(self, symbol: Any, count: int, resolution: Any, data_type: type | None) -> list[Any]:
        algorithm: Any = self
        if count <= 0:
            return []
        if data_type is None:
            bars: list[Any] = algorithm._engine.history_bars(symbol, count, resolution)
        else:
            bars = algorithm._engine.history_bars(symbol, count, resolution, data_type=data_type)
        return bars

    def _warm_up_from_history(self, symbols: list[Any], indicator: IndicatorBase, count: int, resolution: Any,
                              selector: Any) -> None:
        """LEAN's ``IndicatorHistory(indicator, symbols, 0, resolution, selector)``: reset, then push the bars."""
        kind = indicator._input_kind
        data_type = data_type_from_selector(selector) if kind == POINT else (TradeBar if kind == TRADE_BAR else None)
        history: list[Any] = []
        for symbol in symbols:
            history.extend(self._history(symbol, count, resolution, data_type))
        history.sort(key=lambda bar: bar.end_time)
        indicator.reset()
        for bar in history:
            if kind == POINT:
                value = selector(bar) if selector is not None else exact_value_of(bar)
                indicator.update(IndicatorDataPoint.create(bar.symbol, bar.end_time, exact(value)))
            else:
                indicator.update(selector(bar) if selector is not None else bar)

    def _warm_up_over_period(self, symbols: list[Any], indicator: IndicatorBase, count: int, span: timedelta,
                             selector: Any) -> None:
        """LEAN's ``WarmUpIndicator(symbols, indicator, TimeSpan)``: history at the finest resolution not above
        ``span``, consolidated to ``span``."""
        algorithm: Any = self
        if count == 0:
            return
        resolution = higher_resolution_equivalent(span)
        identity = resolution_to_timedelta(resolution) == span
        step = resolution_to_timedelta(resolution)
        if step:
            count *= int(span / step)
        kind = indicator._input_kind

        def handler(bar: Any) -> None:
            if kind == POINT:
                value = selector(bar) if selector is not None else exact_value_of(bar)
                indicator.update(IndicatorDataPoint.create(bar.symbol, bar.end_time, exact(value)))
            else:
                indicator.update(selector(bar) if selector is not None else bar)

        for symbol in symbols:
            configs = algorithm.subscription_manager.get_subscription_data_configs(symbol)
            if configs:
                subscription = self._get_subscription(symbol)
                consolidator = self._create_consolidator(symbol, None, None, span, None, None)
                input_type = subscription.type
            else:
                input_type = TradeBar
                consolidator = self._consolidator_for_period(timedelta(0) if identity else span, input_type)
            interface_event(consolidator).__iadd__(lambda sender, bar: handler(bar))
            data_type = input_type if input_type in (TradeBar, QuoteBar) else None
            for bar in self._history(symbol, count, resolution, data_type):
                if isinstance(bar, consolidator.input_type):
                    consolidator.update(bar)
            if consolidator.working_data is not None:
                consolidator.scan(self._symbol_local_time(symbol))

    def _symbol_local_time(self, symbol: Any) -> datetime:
        algorithm: Any = self
        security = algorithm.securities.get(symbol)
        if security is not None and hasattr(security, "local_time"):
            return security.local_time  # type: ignore[no-any-return]
        hours = self._exchange_hours(symbol)
        if hours is not None:
            from lean_local.timeutil import from_utc

            return from_utc(algorithm.utc_time, hours.time_zone)
        return algorithm.time  # type: ignore[no-any-return]

    # --- consolidate ----------------------------------------------------------------------------------------
    def consolidate(self, *args: Any, **kwargs: Any) -> Any:
        """``consolidate(symbol, period, [tick_type], handler)`` with ``period`` a ``Resolution``, a ``timedelta``
        or a calendar function (``Calendar.WEEKLY``); or ``consolidate(RenkoBar, symbol, size, tick_type,
        handler)``. Returns the consolidator, registered for automatic updates."""
        algorithm: Any = self
        if args and isinstance(args[0], type):
            return self._consolidate_sized(*args, **kwargs)
        rest = list(args)
        symbol = kwargs.pop("symbol", None)
        if symbol is None:
            symbol = rest.pop(0)
        period = kwargs.pop("period", None)
        if period is None:
            period = kwargs.pop("calendar", None)
        if period is None:
            period = rest.pop(0)
        tick_type = kwargs.pop("tick_type", None)
        handler = kwargs.pop("handler", None)
        if rest and (rest[0] is None or isinstance(rest[0], TickType)):
            tick_type = rest.pop(0)
        if handler is None and rest:
            handler = rest.pop(0)
        if rest or kwargs:
            raise TypeError("consolidate(symbol, period, [tick_type], handler)")
        symbol = algorithm.resolve_symbol(symbol)
        subscription_type = self._get_subscription(symbol, tick_type).type
        handler_type: type = subscription_type if subscription_type in (TradeBar, QuoteBar) else BaseData
        if _is_resolution(period):
            consolidator = self._create_consolidator(symbol, None, tick_type, None, Resolution(period), handler_type)
        elif isinstance(period, timedelta):
            consolidator = self._create_consolidator(symbol, None, tick_type, period, None, handler_type)
        elif callable(period):
            consolidator = self._create_consolidator(symbol, period, tick_type, None, None, handler_type)
        else:
            raise TypeError(f"consolidate(): unsupported period {period!r}")
        if handler is not None:
            interface_event(consolidator).__iadd__(lambda sender, consolidated: handler(consolidated))
            self._register_consolidator(symbol, consolidator, tick_type, None)
        return consolidator

    def _consolidate_sized(self, data_type: type, symbol: Any, size: Any, tick_type: Any = None,
                           handler: Any = None) -> Any:
        algorithm: Any = self
        symbol = algorithm.resolve_symbol(symbol)
        subscription = self._get_subscription(symbol)
        consolidator: Any
        if data_type is RenkoBar:
            consolidator = RenkoConsolidator(size)
        elif subscription.resolution == Resolution.TICK:
            consolidator = TickConsolidator(int(size))
        elif data_type is TradeBar:
            consolidator = TradeBarConsolidator(int(size))
        elif data_type is QuoteBar:
            consolidator = QuoteBarConsolidator(int(size))
        else:
            consolidator = BaseDataConsolidator(int(size))
        if handler is not None:
            interface_event(consolidator).__iadd__(lambda sender, consolidated: handler(consolidated))
            self._register_consolidator(symbol, consolidator, tick_type, None)
        return consolidator

    # --- plotting -------------------------------------------------------------------------------------------
    def plot_indicator(self, chart: str, *indicators: Any) -> None:
        """Plot each indicator's value on ``chart`` whenever it updates (``plot_indicator(chart, [wait_for_ready,]
        *indicators)``)."""
        algorithm: Any = self
        wait_for_ready = False
        items = list(indicators)
        if items and isinstance(items[0], bool):
            wait_for_ready = items.pop(0)
        flat: list[Any] = []
        for item in items:
            if isinstance(item, (list, tuple)):
                flat.extend(item)
            elif item is not None:
                flat.append(item)
        for item in flat:
            target = as_indicator(item)

            def plot(sender: Any, updated: Any, target: IndicatorBase = target) -> None:
                if not wait_for_ready or target.is_ready:
                    algorithm.plot(chart, target.name, target.current.value)

            target.updated += plot

    # --- indicator helpers ----------------------------------------------------------------------------------
    def _point_indicator(self, factory: Callable[[str], IndicatorBase], label: str, symbol: Any, rest: tuple[Any, ...],
                         kwargs: dict[str, Any]) -> Any:
        algorithm: Any = self
        resolution, selector = _resolution_selector(list(rest), kwargs)
        symbol = algorithm.resolve_symbol(symbol)
        indicator = factory(self.create_indicator_name(symbol, label, resolution))
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def sma(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> SimpleMovingAverage:
        """Simple moving average of ``period`` values (``sma(symbol, period, resolution=None, selector=None)``)."""
        result: SimpleMovingAverage = self._point_indicator(
            lambda name: SimpleMovingAverage(name, period), f"SMA({period})", symbol, args, kwargs)
        return result

    def ema(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> ExponentialMovingAverage:
        """Exponential moving average (``ema(symbol, period, [smoothing_factor], resolution=None, selector=None)``)."""
        rest = list(args)
        factor = kwargs.pop("smoothing_factor", None)
        if factor is None and rest and not _is_resolution(rest[0]) and isinstance(rest[0], (int, float)) \
                and not isinstance(rest[0], bool):
            factor = rest.pop(0)
        k = exact(factor) if factor is not None else ExponentialMovingAverage.smoothing_factor_default(period)
        result: ExponentialMovingAverage = self._point_indicator(
            lambda name: ExponentialMovingAverage(name, period, k), f"EMA({period})", symbol, tuple(rest), kwargs)
        return result

    def rsi(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> RelativeStrengthIndex:
        """Relative strength index (``rsi(symbol, period, moving_average_type=WILDERS, resolution=None,
        selector=None)``)."""
        algorithm: Any = self
        kind, resolution, selector = _split_optional_type(args, kwargs, "moving_average_type",
                                                          MovingAverageType.WILDERS)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"RSI({period},{kind})", resolution)
        indicator = RelativeStrengthIndex(name, period, kind)
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def macd(self, symbol: Any, fast_period: int, slow_period: int, signal_period: int, *args: Any,
             **kwargs: Any) -> MovingAverageConvergenceDivergence:
        """MACD (``macd(symbol, fast, slow, signal, type=EXPONENTIAL, resolution=None, selector=None)``)."""
        algorithm: Any = self
        kind, resolution, selector = _split_optional_type(args, kwargs, "type", MovingAverageType.EXPONENTIAL,
                                                          "moving_average_type")
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"MACD({fast_period},{slow_period},{signal_period})", resolution)
        indicator = MovingAverageConvergenceDivergence(name, fast_period, slow_period, signal_period, kind)
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def bb(self, symbol: Any, period: int, k: Any, *args: Any, **kwargs: Any) -> BollingerBands:
        """Bollinger bands (``bb(symbol, period, k, moving_average_type=SIMPLE, resolution=None, selector=None)``)."""
        algorithm: Any = self
        kind, resolution, selector = _split_optional_type(args, kwargs, "moving_average_type", MovingAverageType.SIMPLE)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"BB({period},{_number_text(k)})", resolution)
        indicator = BollingerBands(name, period, k, kind)
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def b(self, target: Any, reference: Any, period: int, resolution: Any = None, selector: Any = None) -> Beta:
        """Beta of ``target``'s returns against ``reference``'s over ``period`` bars, updated from both symbols'
        data (LEAN's ``B``); automatic warm-up feeds it the history of both."""
        algorithm: Any = self
        symbols = [algorithm.resolve_symbol(target), algorithm.resolve_symbol(reference)]
        indicator = Beta(self.create_indicator_name(None, f"B({period})", resolution), symbols[0], symbols[1], period)
        self._initialize_multi_symbol_indicator(indicator, resolution, selector, symbols)
        return indicator

    beta = b

    def _initialize_multi_symbol_indicator(self, indicator: IndicatorBase, resolution: Any, selector: Any,
                                           symbols: list[Any]) -> None:
        """LEAN's ``InitializeIndicator`` with several symbols: one consolidator per symbol, warm-up over all."""
        for symbol in symbols:
            consolidator = self.resolve_consolidator(symbol, resolution, TradeBar)
            self._register_with_consolidator(symbol, indicator, consolidator, selector)
        algorithm: Any = self
        if getattr(algorithm.settings, "automatic_indicator_warm_up", False):
            self.warm_up_indicator(symbols, indicator, resolution, selector)

    def atr(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> AverageTrueRange:
        """Average true range (``atr(symbol, period, type=SIMPLE, resolution=None, selector=None)``); note the
        helper's default smoothing is simple, the class's is Wilder's, as in LEAN."""
        algorithm: Any = self
        kind, resolution, selector = _split_optional_type(args, kwargs, "type", MovingAverageType.SIMPLE,
                                                          "moving_average_type")
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"ATR({period})", resolution)
        indicator = AverageTrueRange(name, period, kind)
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def std(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> StandardDeviation:
        """Population standard deviation of ``period`` values."""
        result: StandardDeviation = self._point_indicator(
            lambda name: StandardDeviation(name, period), f"STD({period})", symbol, args, kwargs)
        return result

    def var(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> Variance:
        """Population variance of ``period`` values."""
        result: Variance = self._point_indicator(
            lambda name: Variance(name, period), f"VAR({period})", symbol, args, kwargs)
        return result

    def mom(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> Momentum:
        """Momentum: value minus the value ``period`` bars ago."""
        result: Momentum = self._point_indicator(
            lambda name: Momentum(name, period), f"MOM({period})", symbol, args, kwargs)
        return result

    def momp(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> MomentumPercent:
        """Momentum in percent."""
        result: MomentumPercent = self._point_indicator(
            lambda name: MomentumPercent(name, period), f"MOMP({period})", symbol, args, kwargs)
        return result

    def roc(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> RateOfChange:
        """Rate of change over ``period`` bars."""
        result: RateOfChange = self._point_indicator(
            lambda name: RateOfChange(name, period), f"ROC({period})", symbol, args, kwargs)
        return result

    def rocp(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> RateOfChangePercent:
        """Rate of change in percent."""
        result: RateOfChangePercent = self._point_indicator(
            lambda name: RateOfChangePercent(name, period), f"ROCP({period})", symbol, args, kwargs)
        return result

    def logr(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> LogReturn:
        """Log return over ``period`` bars."""
        result: LogReturn = self._point_indicator(
            lambda name: LogReturn(name, period), f"LOGR({period})", symbol, args, kwargs)
        return result

    def sum(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> Sum:
        """Sum of the last ``period`` values."""
        result: Sum = self._point_indicator(lambda name: Sum(name, period), f"SUM({period})", symbol, args, kwargs)
        return result

    def wwma(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> WilderMovingAverage:
        """Wilder's moving average."""
        result: WilderMovingAverage = self._point_indicator(
            lambda name: WilderMovingAverage(name, period), f"WWMA({period})", symbol, args, kwargs)
        return result

    def lwma(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> LinearWeightedMovingAverage:
        """Linear weighted moving average."""
        result: LinearWeightedMovingAverage = self._point_indicator(
            lambda name: LinearWeightedMovingAverage(name, period), f"LWMA({period})", symbol, args, kwargs)
        return result

    def dema(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> DoubleExponentialMovingAverage:
        """Double exponential moving average."""
        result: DoubleExponentialMovingAverage = self._point_indicator(
            lambda name: DoubleExponentialMovingAverage(name, period), f"DEMA({period})", symbol, args, kwargs)
        return result

    def tema(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> TripleExponentialMovingAverage:
        """Triple exponential moving average."""
        result: TripleExponentialMovingAverage = self._point_indicator(
            lambda name: TripleExponentialMovingAverage(name, period), f"TEMA({period})", symbol, args, kwargs)
        return result

    def trima(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> TriangularMovingAverage:
        """Triangular moving average."""
        result: TriangularMovingAverage = self._point_indicator(
            lambda name: TriangularMovingAverage(name, period), f"TRIMA({period})", symbol, args, kwargs)
        return result

    def max(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> Maximum:
        """Highest value (the bar high for trade bars) over ``period`` bars."""
        algorithm: Any = self
        resolution, selector = _resolution_selector(list(args), kwargs)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"MAX({period})", resolution)
        indicator = Maximum(name, period)
        if selector is None and issubclass(self._get_subscription(symbol).type, TradeBar):
            selector = _high
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def min(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> Minimum:
        """Lowest value (the bar low for trade bars) over ``period`` bars."""
        algorithm: Any = self
        resolution, selector = _resolution_selector(list(args), kwargs)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"MIN({period})", resolution)
        indicator = Minimum(name, period)
        if selector is None and issubclass(self._get_subscription(symbol).type, TradeBar):
            selector = _low
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def identity(self, symbol: Any, *args: Any, **kwargs: Any) -> Identity:
        """The data's value (or ``selector``'s) as an indicator: ``identity(symbol, [resolution], selector=None,
        field_name=None)``."""
        algorithm: Any = self
        rest = list(args)
        resolution = kwargs.pop("resolution", None)
        selector = kwargs.pop("selector", None)
        field_name = kwargs.pop("field_name", None)
        if rest and (rest[0] is None or _is_resolution(rest[0]) or isinstance(rest[0], timedelta)):
            resolution = rest.pop(0)
        if rest and (rest[0] is None or callable(rest[0])):
            selector = rest.pop(0)
        if rest:
            field_name = rest.pop(0)
        if rest or kwargs:
            raise TypeError("identity(symbol, [resolution], selector=None, field_name=None)")
        symbol = algorithm.resolve_symbol(symbol)
        if resolution is None:
            resolution = self._get_subscription(symbol).resolution
        name = self.create_indicator_name(symbol, field_name or "close", resolution)
        indicator = Identity(name)
        self.register_indicator(symbol, indicator, resolution, selector)
        return indicator

    def _bar_indicator(self, indicator_factory: Callable[[str], IndicatorBase], label: str, symbol: Any,
                       rest: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        algorithm: Any = self
        resolution, selector = _resolution_selector(list(rest), kwargs)
        symbol = algorithm.resolve_symbol(symbol)
        indicator = indicator_factory(self.create_indicator_name(symbol, label, resolution))
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def tr(self, symbol: Any, *args: Any, **kwargs: Any) -> TrueRange:
        """True range."""
        result: TrueRange = self._bar_indicator(lambda name: TrueRange(name), "TR", symbol, args, kwargs)
        return result

    def adx(self, symbol: Any, period: int, *args: Any, **kwargs: Any) -> AverageDirectionalIndex:
        """Average directional index."""
        result: AverageDirectionalIndex = self._bar_indicator(
            lambda name: AverageDirectionalIndex(name, period), f"ADX({period})", symbol, args, kwargs)
        return result

    def kch(self, symbol: Any, period: int, k: Any, *args: Any, **kwargs: Any) -> KeltnerChannels:
        """Keltner channels (``kch(symbol, period, k, moving_average_type=SIMPLE, resolution=None, selector=None)``)."""
        algorithm: Any = self
        kind, resolution, selector = _split_optional_type(args, kwargs, "moving_average_type", MovingAverageType.SIMPLE)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"KCH({period},{_number_text(k)})", resolution)
        indicator = KeltnerChannels(name, period, k, kind)
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator

    def dch(self, symbol: Any, *args: Any, **kwargs: Any) -> DonchianChannel:
        """Donchian channel (``dch(symbol, period, ...)`` or ``dch(symbol, upper_period, lower_period, ...)``)."""
        algorithm: Any = self
        rest = list(args)
        upper = kwargs.pop("upper_period", None)
        lower = kwargs.pop("lower_period", None)
        period = kwargs.pop("period", None)
        if upper is None and period is None:
            first = rest.pop(0)
            if rest and isinstance(rest[0], int) and not _is_resolution(rest[0]) and not isinstance(rest[0], bool):
                upper, lower = first, rest.pop(0)
            else:
                period = first
        if period is not None:
            upper = lower = period
        if lower is None:
            lower = upper
        resolution, selector = _resolution_selector(rest, kwargs)
        symbol = algorithm.resolve_symbol(symbol)
        name = self.create_indicator_name(symbol, f"DCH({upper},{lower})", resolution)
        indicator = DonchianChannel(name, int(upper), int(lower))
        self._initialize_indicator(indicator, resolution, selector, symbol)
        return indicator


def _high(data: Any) -> Any:
    from lean_local.indicators.data_point import exact_field

    return exact_field(data, "high")


def _low(data: Any) -> Any:
    from lean_local.indicators.data_point import exact_field

    return exact_field(data, "low")


def _identity_type(data_type: type) -> type:
    for candidate in (TradeBar, QuoteBar, Tick):
        if issubclass(data_type, candidate):
            return candidate
    return BaseData


def _is_symbol_list(value: Any) -> bool:
    return isinstance(value, (list, tuple, set)) or (
        isinstance(value, Iterable) and not isinstance(value, str) and not hasattr(value, "id"))


def _warm_up_period(target: IndicatorBase, original: Any) -> int | None:
    for candidate in (original, target):
        period = getattr(candidate, "warm_up_period", None)
        if period is not None:
            return int(period)
    return None
