"""Alpha models: turn data into insights (``update``) and track the universe (``on_securities_changed``).

The built-in models follow LEAN's own (``Algorithm.Framework/Alphas``): constant insights, EMA cross, RSI
thresholds, MACD signal, historical returns and pairs trading. Indicator-based models use the indicator
package through LEAN's API (``algorithm.resolve_consolidator``, ``register_indicator``, ``warm_up_indicator``).
"""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from lean_local.enums import InsightDirection, InsightType, Resolution
from lean_local.framework.insights import Insight, InsightCollection, resolution_to_timedelta


def _subclass_method(model: Any, name: str, base: type) -> Any:
    """A PascalCase method (LEAN's older Python API) defined by a user subclass, if any."""
    for klass in type(model).__mro__:
        if klass is base:
            return None
        if name in klass.__dict__:
            return getattr(model, name)
    return None


class AlphaModel:
    """Base class: override ``update(algorithm, data) -> list[Insight]`` and optionally ``on_securities_changed``."""

    @property
    def name(self) -> str:
        value = self.__dict__.get("_name")
        if value is None:
            value = self.__dict__.setdefault("_name", str(uuid.uuid4()))
        return str(value)

    @name.setter
    def name(self, value: str) -> None:
        self.__dict__["_name"] = value

    # LEAN's Python models assign ``self.Name``
    Name = name

    def update(self, algorithm: Any, data: Any) -> Any:
        legacy = _subclass_method(self, "Update", AlphaModel)
        if legacy is not None:
            return legacy(algorithm, data)
        raise NotImplementedError(
            "Types deriving from 'AlphaModel' must implement the 'update(self, algorithm, data)' method."
        )

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        legacy = _subclass_method(self, "OnSecuritiesChanged", AlphaModel)
        if legacy is not None:
            legacy(algorithm, changes)


def model_name(model: Any) -> str:
    """``AlphaModelExtensions.GetModelName``: the model's name, else its type name."""
    name = getattr(model, "name", None)
    if isinstance(name, str) and name:
        return name
    return type(model).__name__


class NullAlphaModel(AlphaModel):
    """Emits nothing."""

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        return []


class CompositeAlphaModel(AlphaModel):
    """Runs several alpha models in order and concatenates their insights (each tagged with its model's name)."""

    def __init__(self, *alpha_models: Any) -> None:
        models: list[Any] = []
        for model in alpha_models:
            if isinstance(model, (list, tuple)):
                models.extend(model)
            else:
                models.append(model)
        if not models:
            raise ValueError("Must specify at least 1 alpha model for the CompositeAlphaModel")
        self._alpha_models = models

    @property
    def alpha_models(self) -> list[Any]:
        return list(self._alpha_models)

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        result: list[Insight] = []
        for model in self._alpha_models:
            name = model_name(model)
            for insight in model.update(algorithm, data) or ():
                if not insight.source_model:
                    insight.source_model = name
                result.append(insight)
        return result

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for model in self._alpha_models:
            model.on_securities_changed(algorithm, changes)

    def add_alpha(self, alpha_model: Any) -> None:
        self._alpha_models.append(alpha_model)


def _timespan_name(period: timedelta) -> str:
    from lean_local.csharp import timedelta_to_ticks, timespan_to_string

    return timespan_to_string(timedelta_to_ticks(period))


def _resolution_name(resolution: Any) -> str:
    try:
        return Resolution(resolution).name.title()
    except ValueError:
        return str(resolution)


def _number_text(value: float) -> str:
    from lean_local.csharp import double_to_string

    return double_to_string(float(value))


def _update_collection(items: dict[int, Any], changes: Any) -> None:
    """``NotifiedSecurityChanges.UpdateCollection``: add new securities, drop removed ones (insertion-ordered)."""
    for security in changes.added_securities:
        items.setdefault(id(security), security)
    for security in changes.removed_securities:
        items.pop(id(security), None)


class ConstantAlphaModel(AlphaModel):
    """Emits the same insight for every security, again each time the previous one's period has passed."""

    def __init__(self, type: Any, direction: Any, period: timedelta, magnitude: float | None = None,
                 confidence: float | None = None, weight: float | None = None) -> None:
        self.type = InsightType(type)
        self.direction = InsightDirection(direction)
        self.period = period
        self.magnitude = magnitude
        self.confidence = confidence
        self.weight = weight
        self._securities: dict[int, Any] = {}
        self._insights_time_by_symbol: dict[Any, datetime] = {}
        name = f"ConstantAlphaModel({self.type.name.title()},{self.direction.name.title()},{_timespan_name(period)}"
        if magnitude is not None:
            name += f",{_number_text(magnitude)}"
        if confidence is not None:
            name += f",{_number_text(confidence)}"
        self.name = name + ")"

    @property
    def securities(self) -> list[Any]:
        return list(self._securities.values())

    @property
    def insights_time_by_symbol(self) -> dict[Any, datetime]:
        return self._insights_time_by_symbol

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for security in list(self._securities.values()):
            if security.price != 0 and self.should_emit_insight(algorithm.utc_time, security.symbol):
                insights.append(Insight(security.symbol, self.period, self.type, self.direction, self.magnitude,
                                        self.confidence, weight=self.weight))
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        _update_collection(self._securities, changes)
        for removed in changes.removed_securities:
            self._insights_time_by_symbol.pop(removed.symbol, None)

    def should_emit_insight(self, utc_time: datetime, symbol: Any) -> bool:
        if symbol.is_canonical():
            return False
        generated = self._insights_time_by_symbol.get(symbol)
        if generated is not None and utc_time - generated < self.period:
            return False
        self._insights_time_by_symbol[symbol] = utc_time
        return True


# --- indicator plumbing ------------------------------------------------------------------------------------------
def indicator_class(name: str) -> Any:
    """An indicator class from ``lean_local.indicators`` by LEAN name (resolved at use, the package loads lazily)."""
    import importlib
    import pkgutil

    package = importlib.import_module("lean_local.indicators")
    found = getattr(package, name, None)
    if found is not None:
        return found
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        found = getattr(module, name, None)
        if found is not None:
            return found
    raise NotImplementedError(f"lean_local.indicators has no {name} yet; the alpha model needs it")


def history_trade_bars(algorithm: Any, symbols: list[Any], count: int, resolution: Any) -> dict[Any, list[Any]]:
    """The last ``count`` trade bars per symbol at ``resolution`` (``history[TradeBar](symbols, count, resolution)``)."""
    from lean_local.market_data import TradeBar

    engine = algorithm._engine
    result: dict[Any, list[Any]] = {}
    for symbol in symbols:
        bars = engine.history_provider.bars(symbol, count, Resolution(resolution) if resolution is not None else None, data_type=TradeBar)
        result[symbol] = list(bars.get(TradeBar, []))
    return result


def _value(indicator: Any) -> float:
    return float(indicator.current.value)


class EmaCrossAlphaModel(AlphaModel):
    """Up insight when the fast EMA crosses above the slow EMA, down when it crosses below."""

    def __init__(self, fast_period: int = 12, slow_period: int = 26, resolution: Any = Resolution.DAILY) -> None:
        self.fast_period = fast_period
        self.slow_period = slow_period
        self.resolution = Resolution(resolution)
        self.prediction_interval = resolution_to_timedelta(self.resolution) * fast_period
        self.symbol_data_by_symbol: dict[Any, EmaCrossAlphaModel.SymbolData] = {}
        self.name = f"EmaCrossAlphaModel({fast_period},{slow_period},{_resolution_name(self.resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for symbol_data in self.symbol_data_by_symbol.values():
            fast, slow = symbol_data.fast, symbol_data.slow
            if fast.is_ready and slow.is_ready:
                if symbol_data.fast_is_over_slow:
                    if _value(slow) > _value(fast):
                        insights.append(Insight.price(symbol_data.symbol, self.prediction_interval, InsightDirection.DOWN))
                elif symbol_data.slow_is_over_fast:
                    if _value(fast) > _value(slow):
                        insights.append(Insight.price(symbol_data.symbol, self.prediction_interval, InsightDirection.UP))
            symbol_data.fast_is_over_slow = _value(fast) > _value(slow)
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for added in changes.added_securities:
            existing = self.symbol_data_by_symbol.get(added.symbol)
            if existing is None:
                self.symbol_data_by_symbol[added.symbol] = EmaCrossAlphaModel.SymbolData(
                    added, self.fast_period, self.slow_period, algorithm, self.resolution)
            else:
                existing.fast.reset()
                existing.slow.reset()
        for removed in changes.removed_securities:
            data = self.symbol_data_by_symbol.pop(removed.symbol, None)
            if data is not None:
                data.remove_consolidators()

    class SymbolData:
        def __init__(self, security: Any, fast_period: int, slow_period: int, algorithm: Any, resolution: Any) -> None:
            ema = indicator_class("ExponentialMovingAverage")
            self.security = security
            self.symbol = security.symbol
            self.algorithm = algorithm
            self.fast_consolidator = algorithm.resolve_consolidator(security.symbol, resolution)
            self.slow_consolidator = algorithm.resolve_consolidator(security.symbol, resolution)
            algorithm.subscription_manager.add_consolidator(security.symbol, self.fast_consolidator)
            algorithm.subscription_manager.add_consolidator(security.symbol, self.slow_consolidator)
            self.fast = ema(str(security.symbol), fast_period, ema.smoothing_factor_default(fast_period))
            self.slow = ema(str(security.symbol), slow_period, ema.smoothing_factor_default(slow_period))
            algorithm.register_indicator(security.symbol, self.fast, self.fast_consolidator)
            algorithm.register_indicator(security.symbol, self.slow, self.slow_consolidator)
            algorithm.warm_up_indicator(security.symbol, self.fast, resolution)
            algorithm.warm_up_indicator(security.symbol, self.slow, resolution)
            self.fast_is_over_slow = False

        @property
        def slow_is_over_fast(self) -> bool:
            return not self.fast_is_over_slow

        def remove_consolidators(self) -> None:
            manager = self.algorithm.subscription_manager
            manager.remove_consolidator(self.symbol, self.fast_consolidator)
            manager.remove_consolidator(self.symbol, self.slow_consolidator)


class RsiState(Enum):
    TRIPPED_LOW = 0
    MIDDLE = 1
    TRIPPED_HIGH = 2


class RsiAlphaModel(AlphaModel):
    """Wilder's RSI: up when it falls below 30, down above 70 (with 35/65 bounce bands)."""

    def __init__(self, period: int = 14, resolution: Any = Resolution.DAILY) -> None:
        self.period = period
        self.resolution = Resolution(resolution)
        self.insight_period = resolution_to_timedelta(self.resolution) * period
        self.symbol_data_by_symbol: dict[Any, RsiAlphaModel.SymbolData] = {}
        self.name = f"RsiAlphaModel({period},{_resolution_name(self.resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for symbol, symbol_data in self.symbol_data_by_symbol.items():
            rsi = symbol_data.rsi
            previous = symbol_data.state
            state = self.get_state(rsi, previous)
            if state != previous and rsi.is_ready:
                if state == RsiState.TRIPPED_LOW:
                    insights.append(Insight.price(symbol, self.insight_period, InsightDirection.UP))
                if state == RsiState.TRIPPED_HIGH:
                    insights.append(Insight.price(symbol, self.insight_period, InsightDirection.DOWN))
            symbol_data.state = state
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for security in changes.removed_securities:
            data = self.symbol_data_by_symbol.pop(security.symbol, None)
            if data is not None:
                data.dispose()
        added: list[Any] = []
        for security in changes.added_securities:
            if security.symbol not in self.symbol_data_by_symbol:
                self.symbol_data_by_symbol[security.symbol] = RsiAlphaModel.SymbolData(algorithm, security.symbol, self.period, self.resolution)
                added.append(security.symbol)
        if added:
            history = history_trade_bars(algorithm, added, self.period, self.resolution)
            for symbol in added:
                for bar in history.get(symbol, ()):
                    self.symbol_data_by_symbol[symbol].update(bar)

    @staticmethod
    def get_state(rsi: Any, previous: RsiState) -> RsiState:
        value = _value(rsi)
        if value > 70:
            return RsiState.TRIPPED_HIGH
        if value < 30:
            return RsiState.TRIPPED_LOW
        if previous == RsiState.TRIPPED_LOW and value > 35:
            return RsiState.MIDDLE
        if previous == RsiState.TRIPPED_HIGH and value < 65:
            return RsiState.MIDDLE
        return previous

    class SymbolData:
        def __init__(self, algorithm: Any, symbol: Any, period: int, resolution: Any) -> None:
            rsi_class = indicator_class("RelativeStrengthIndex")
            moving_average_type = indicator_class("MovingAverageType")
            self.algorithm = algorithm
            self.symbol = symbol
            self.state = RsiState.MIDDLE
            self.rsi = rsi_class(period, moving_average_type.WILDERS)
            self.consolidator = algorithm.resolve_consolidator(symbol, resolution)
            algorithm.register_indicator(symbol, self.rsi, self.consolidator)

        def update(self, bar: Any) -> None:
            self.consolidator.update(bar)

        def dispose(self) -> None:
            self.algorithm.subscription_manager.remove_consolidator(self.symbol, self.consolidator)


class MacdAlphaModel(AlphaModel):
    """MACD signal normalised by price: up above +1%, down below -1%, flat (cancelling open insights) between."""

    def __init__(self, fast_period: int = 12, slow_period: int = 26, signal_period: int = 9,
                 moving_average_type: Any = None, resolution: Any = Resolution.DAILY) -> None:
        if moving_average_type is None:
            moving_average_type = indicator_class("MovingAverageType").EXPONENTIAL
        self.fast_period = fast_period
        self.slow_period = slow_period
        self.signal_period = signal_period
        self.moving_average_type = moving_average_type
        self.resolution = Resolution(resolution)
        self.insight_period = resolution_to_timedelta(self.resolution) * fast_period
        self.bounce_threshold_percent = 0.01
        self.insight_collection = InsightCollection()
        self._symbol_data: dict[Any, MacdAlphaModel.SymbolData] = {}
        type_name = getattr(moving_average_type, "name", str(moving_average_type)).title()
        self.name = f"MacdAlphaModel({fast_period},{slow_period},{signal_period},{type_name},{_resolution_name(self.resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for symbol_data in self._symbol_data.values():
            security = symbol_data.security
            if security.price == 0:
                continue
            direction = InsightDirection.FLAT
            normalized_signal = float(symbol_data.macd.signal.current.value) / float(security.price)
            if normalized_signal > self.bounce_threshold_percent:
                direction = InsightDirection.UP
            elif normalized_signal < -self.bounce_threshold_percent:
                direction = InsightDirection.DOWN
            if direction == symbol_data.previous_direction:
                continue
            symbol_data.previous_direction = direction
            if direction == InsightDirection.FLAT:
                self._cancel_insights(algorithm, security.symbol)
                continue
            insight = Insight.price(security.symbol, self.insight_period, direction)
            insights.append(insight)
            self.insight_collection.add(insight)
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for added in changes.added_securities:
            self._symbol_data[added.symbol] = MacdAlphaModel.SymbolData(
                algorithm, added, self.fast_period, self.slow_period, self.signal_period, self.moving_average_type, self.resolution)
        for removed in changes.removed_securities:
            data = self._symbol_data.pop(removed.symbol, None)
            if data is not None:
                algorithm.subscription_manager.remove_consolidator(removed.symbol, data.consolidator)
            self._cancel_insights(algorithm, removed.symbol)

    def _cancel_insights(self, algorithm: Any, symbol: Any) -> None:
        if not self.insight_collection.contains_key(symbol):
            return
        algorithm.insights.cancel(self.insight_collection[symbol])
        self.insight_collection.clear([symbol])

    class SymbolData:
        def __init__(self, algorithm: Any, security: Any, fast_period: int, slow_period: int, signal_period: int,
                     moving_average_type: Any, resolution: Any) -> None:
            macd_class = indicator_class("MovingAverageConvergenceDivergence")
            self.security = security
            self.macd = macd_class(fast_period, slow_period, signal_period, moving_average_type)
            self.consolidator = algorithm.resolve_consolidator(security.symbol, resolution)
            algorithm.register_indicator(security.symbol, self.macd, self.consolidator)
            algorithm.warm_up_indicator(security.symbol, self.macd, resolution)
            self.previous_direction: InsightDirection | None = None


class HistoricalReturnsAlphaModel(AlphaModel):
    """Predicts the sign of the last ``lookback`` bars' rate of change continues, with the return as magnitude."""

    def __init__(self, lookback: int = 1, resolution: Any = Resolution.DAILY) -> None:
        self.lookback = lookback
        self.resolution = Resolution(resolution)
        self.prediction_interval = resolution_to_timedelta(self.resolution) * lookback
        self._symbol_data_by_symbol: dict[Any, HistoricalReturnsAlphaModel.SymbolData] = {}
        self.insight_collection = InsightCollection()
        self.name = f"HistoricalReturnsAlphaModel({lookback},{_resolution_name(self.resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for symbol, symbol_data in self._symbol_data_by_symbol.items():
            if symbol_data.can_emit:
                magnitude = symbol_data.return_
                direction = InsightDirection.FLAT
                if magnitude > 0:
                    direction = InsightDirection.UP
                if magnitude < 0:
                    direction = InsightDirection.DOWN
                if direction == InsightDirection.FLAT:
                    self._cancel_insights(algorithm, symbol)
                    continue
                insights.append(Insight.price(symbol, self.prediction_interval, direction, magnitude, None))
        self.insight_collection.add_range(insights)
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for removed in changes.removed_securities:
            data = self._symbol_data_by_symbol.pop(removed.symbol, None)
            if data is not None:
                data.remove_consolidators(algorithm)
            self._cancel_insights(algorithm, removed.symbol)
        symbols = [security.symbol for security in changes.added_securities]
        if not symbols:
            return
        history = history_trade_bars(algorithm, symbols, self.lookback, self.resolution)
        for symbol in symbols:
            bars = history.get(symbol)
            if not bars or symbol in self._symbol_data_by_symbol:
                continue
            symbol_data = HistoricalReturnsAlphaModel.SymbolData(symbol, self.lookback)
            self._symbol_data_by_symbol[symbol] = symbol_data
            symbol_data.register_indicators(algorithm, self.resolution)
            for bar in bars:
                symbol_data.roc.update(bar.end_time, bar.close)

    def _cancel_insights(self, algorithm: Any, symbol: Any) -> None:
        if not self.insight_collection.contains_key(symbol):
            return
        algorithm.insights.cancel(self.insight_collection[symbol])
        self.insight_collection.clear([symbol])

    class SymbolData:
        def __init__(self, symbol: Any, lookback: int) -> None:
            self.symbol = symbol
            self.roc = indicator_class("RateOfChange")(f"{symbol}.roc({lookback})", lookback)
            self.consolidator: Any = None
            self.previous = 0

        def register_indicators(self, algorithm: Any, resolution: Any) -> None:
            self.consolidator = algorithm.resolve_consolidator(self.symbol, resolution)
            algorithm.register_indicator(self.symbol, self.roc, self.consolidator)

        def remove_consolidators(self, algorithm: Any) -> None:
            if self.consolidator is not None:
                algorithm.subscription_manager.remove_consolidator(self.symbol, self.consolidator)

        @property
        def return_(self) -> float:
            return float(self.roc.current.value)

        @property
        def can_emit(self) -> bool:
            if self.previous == self.roc.samples:
                return False
            self.previous = self.roc.samples
            return bool(self.roc.is_ready)


class PairState(Enum):
    SHORT_RATIO = -1
    FLAT_RATIO = 0
    LONG_RATIO = 1


def _symbol_order(symbol: Any) -> str:
    # Symbol.CompareTo: ordinal, case-insensitive comparison of the tickers
    return str(symbol.value).upper()


class BasePairsTradingAlphaModel(AlphaModel):
    """Trades the price ratio of every pair of universe securities that passes ``has_passed_test``: when the ratio
    leaves its 500-bar EMA by more than ``threshold`` percent, a grouped down/up insight pair bets on its return."""

    def __init__(self, lookback: int = 1, resolution: Any = Resolution.DAILY, threshold: float = 1) -> None:
        self.lookback = lookback
        self.resolution = Resolution(resolution)
        self.threshold = threshold
        self.prediction_interval = resolution_to_timedelta(self.resolution) * lookback
        self.pairs: dict[tuple[Any, Any], BasePairsTradingAlphaModel.Pair] = {}
        self.securities: dict[int, Any] = {}
        self.name = f"{type(self).__name__}({lookback},{_resolution_name(self.resolution)},{_number_text(threshold)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        insights: list[Insight] = []
        for pair in self.pairs.values():
            insights.extend(pair.get_insight_group())
        return insights

    def _track(self, changes: Any) -> None:
        _update_collection(self.securities, changes)

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        self._track(changes)
        self.update_pairs(algorithm)
        for security in changes.removed_securities:
            for key in [k for k in self.pairs if security.symbol in k]:
                self.pairs.pop(key).dispose()

    def _sorted_symbols(self) -> list[Any]:
        return sorted((s.symbol for s in self.securities.values()), key=_symbol_order)

    def update_pairs(self, algorithm: Any) -> None:
        symbols = self._sorted_symbols()
        for i, asset_i in enumerate(symbols):
            for asset_j in symbols[i + 1:]:
                if (asset_i, asset_j) in self.pairs or (asset_j, asset_i) in self.pairs:
                    continue
                if not self.has_passed_test(algorithm, asset_i, asset_j):
                    continue
                self.pairs[(asset_i, asset_j)] = BasePairsTradingAlphaModel.Pair(
                    algorithm, asset_i, asset_j, self.prediction_interval, self.threshold)

    def has_passed_test(self, algorithm: Any, asset1: Any, asset2: Any) -> bool:
        return True

    class Pair:
        def __init__(self, algorithm: Any, asset1: Any, asset2: Any, prediction_interval: timedelta, threshold: float) -> None:
            self.state = PairState.FLAT_RATIO
            self.algorithm = algorithm
            self.asset1 = asset1
            self.asset2 = asset2
            self.asset1_price, self.identity_consolidator1 = self._identity(algorithm, asset1)
            self.asset2_price, self.identity_consolidator2 = self._identity(algorithm, asset2)
            extensions = indicator_class("IndicatorExtensions")
            constant = indicator_class("ConstantIndicator")
            self.ratio = extensions.over(self.asset1_price, self.asset2_price)
            self.mean = extensions.of(indicator_class("ExponentialMovingAverage")(500), self.ratio)
            self.upper_threshold = extensions.times(self.mean, constant("ct", 1 + threshold / 100))
            self.lower_threshold = extensions.times(self.mean, constant("ct", 1 - threshold / 100))
            self.prediction_interval = prediction_interval

        @staticmethod
        def _identity(algorithm: Any, symbol: Any) -> tuple[Any, Any]:
            configs = algorithm.subscription_manager.subscription_data_config_service.get_subscription_data_configs(symbol)
            resolution = min(config.resolution for config in configs)
            name = algorithm.create_indicator_name(symbol, "close", resolution)
            identity = indicator_class("Identity")(name)
            consolidator = algorithm.resolve_consolidator(symbol, resolution)
            algorithm.register_indicator(symbol, identity, consolidator)
            return identity, consolidator

        def dispose(self) -> None:
            self.algorithm.subscription_manager.remove_consolidator(self.asset1, self.identity_consolidator1)
            self.algorithm.subscription_manager.remove_consolidator(self.asset2, self.identity_consolidator2)

        def get_insight_group(self) -> list[Insight]:
            if not self.mean.is_ready:
                return []
            ratio = _value(self.ratio)
            if self.state is not PairState.LONG_RATIO and ratio > _value(self.upper_threshold):
                self.state = PairState.LONG_RATIO
                return Insight.group(
                    Insight.price(self.asset1, self.prediction_interval, InsightDirection.DOWN),
                    Insight.price(self.asset2, self.prediction_interval, InsightDirection.UP),
                )
            if self.state is not PairState.SHORT_RATIO and ratio < _value(self.lower_threshold):
                self.state = PairState.SHORT_RATIO
                return Insight.group(
                    Insight.price(self.asset1, self.prediction_interval, InsightDirection.UP),
                    Insight.price(self.asset2, self.prediction_interval, InsightDirection.DOWN),
                )
            return []


class PearsonCorrelationPairsTradingAlphaModel(BasePairsTradingAlphaModel):
    """Pairs trading on the pair whose log-price changes over ``lookback`` bars correlate most (Pearson), when
    that correlation reaches ``minimum_correlation``."""

    def __init__(self, lookback: int = 15, resolution: Any = Resolution.MINUTE, threshold: float = 1,
                 minimum_correlation: float = 0.5) -> None:
        super().__init__(lookback, resolution, threshold)
        self.minimum_correlation = minimum_correlation
        self.best_pair: tuple[Any, ...] = ()

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        import numpy as np

        self._track(changes)
        symbols = self._sorted_symbols()
        history = history_trade_bars(algorithm, symbols, self.lookback, self.resolution)
        columns = [symbol for symbol in symbols if history.get(symbol)]
        if columns:
            times = sorted({bar.end_time for symbol in columns for bar in history[symbol]})
            by_time = {symbol: {bar.end_time: float(bar.close) for bar in history[symbol]} for symbol in columns}
            # a symbol without a bar at some time contributes NaN there (pandas unstack), and pearsonr then yields NaN
            matrix = np.array([[by_time[s].get(t, math.nan) for s in columns] for t in times], dtype=float)
            changes_matrix = np.diff(np.log(matrix), axis=0)
            changes_matrix = changes_matrix[~np.isnan(changes_matrix).any(axis=1)]
            correlations: list[tuple[tuple[int, int], float]] = []
            for i in range(len(columns)):
                for j in range(i + 1, len(columns)):
                    correlations.append(((i, j), _pearson(changes_matrix[:, i], changes_matrix[:, j])))
            correlations.sort(key=lambda item: item[1])
            if correlations and correlations[-1][1] >= self.minimum_correlation:
                i, j = correlations[-1][0]
                self.best_pair = (symbols[i], symbols[j])
        BasePairsTradingAlphaModel.update_pairs(self, algorithm)
        for security in changes.removed_securities:
            for key in [k for k in self.pairs if security.symbol in k]:
                self.pairs.pop(key).dispose()

    def has_passed_test(self, algorithm: Any, asset1: Any, asset2: Any) -> bool:
        return len(self.best_pair) == 2 and self.best_pair[0] == asset1 and self.best_pair[1] == asset2


def _pearson(x: Any, y: Any) -> float:
    import numpy as np

    if len(x) < 2:
        return math.nan
    dx = x - x.mean()
    dy = y - y.mean()
    denominator = math.sqrt(float(np.dot(dx, dx)) * float(np.dot(dy, dy)))
    return math.nan if denominator == 0 else float(np.dot(dx, dy)) / denominator
