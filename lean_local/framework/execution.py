"""Execution models: turn portfolio targets into orders.

Every model keeps the targets it has not reached yet (:class:`PortfolioTargetCollection`), visits them in
margin-impact order (reducing positions first, then larger orders) and drops the ones the holdings now meet.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lean_local.csharp import DECIMAL_CONTEXT, ZERO, to_decimal
from lean_local.enums import Resolution, TickType
from lean_local.framework.portfolio_target import (
    PortfolioTarget,
    PortfolioTargetCollection,
    adjust_by_lot_size,
    unordered_quantity,
)


def _exact(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return to_decimal(float(value))


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def order_size_for_percent_volume(security: Any, maximum_percent_current_volume: Any, desired_order_size: Any) -> Decimal:
    """At most ``maximum_percent_current_volume`` of the current bar's volume, in whole lots, with the desired sign."""
    desired = _exact(desired_order_size)
    maximum = _exact(maximum_percent_current_volume) * _volume(security)
    size = min(maximum, abs(desired))
    return _sign(desired) * adjust_by_lot_size(security, size)


def order_size_for_maximum_value(security: Any, maximum_order_value: Any, desired_order_size: Any) -> Decimal:
    """At most ``maximum_order_value`` worth of the security, in whole lots, with the desired sign."""
    desired = _exact(desired_order_size)
    price = security.cache.price * security.symbol_properties.contract_multiplier
    if price == 0:
        return ZERO
    maximum = DECIMAL_CONTEXT.divide(_exact(maximum_order_value), price)
    size = min(maximum, abs(desired))
    return _sign(desired) * adjust_by_lot_size(security, size)


class OrderSizing:
    """LEAN's ``OrderSizing`` helpers as algorithms see them: quantities as ``float`` (pythonnet turns C# decimals
    into floats). Engine code uses the exact module functions (``unordered_quantity``, ``order_size_for_*``)."""

    @staticmethod
    def get_unordered_quantity(algorithm: Any, target: Any, security: Any = None, account_for_fees: bool = False) -> float:
        return float(unordered_quantity(algorithm, target, security))

    @staticmethod
    def adjust_by_lot_size(security: Any, quantity: Any) -> float:
        return float(adjust_by_lot_size(security, _exact(quantity)))

    @staticmethod
    def get_order_size_for_percent_volume(security: Any, maximum_percent_current_volume: Any, desired_order_size: Any) -> float:
        return float(order_size_for_percent_volume(security, maximum_percent_current_volume, desired_order_size))

    @staticmethod
    def get_order_size_for_maximum_value(security: Any, maximum_order_value: Any, desired_order_size: Any) -> float:
        return float(order_size_for_maximum_value(security, maximum_order_value, desired_order_size))


def _volume(security: Any) -> Decimal:
    cache = security.cache
    volume = getattr(cache, "volume_exact", None)
    if volume is None:
        volume = getattr(cache, "volume", 0)
    return _exact(volume)


def above_minimum_order_margin(algorithm: Any, security: Any, quantity: Decimal) -> bool:
    """``BuyingPowerModelExtensions.AboveMinimumOrderMarginPortfolioPercentage`` for ``quantity`` of ``security``."""
    from lean_local.securities.buying_power import above_minimum_order_margin_portfolio_percentage

    minimum = algorithm.settings.minimum_order_margin_portfolio_percentage_exact
    if minimum == 0:
        return True
    margin = abs(security.buying_power_model.initial_margin_requirement(security, quantity))
    result: bool = above_minimum_order_margin_portfolio_percentage(algorithm.portfolio, minimum, margin)
    return result


def _note_minimum_order_margin_skip(algorithm: Any) -> None:
    portfolio = algorithm.portfolio
    note = getattr(portfolio, "note_minimum_order_margin_skip", None)
    if note is not None:
        note()
    elif getattr(portfolio, "minimum_order_margin_warning_state", True) is None:
        portfolio.minimum_order_margin_warning_state = False


class ExecutionModel:
    """Base class: override ``execute(algorithm, targets)``; ``asynchronous`` is passed on to market orders."""

    def __init__(self, asynchronous: bool = True) -> None:
        self.asynchronous = asynchronous

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        legacy = _subclass_method(self, "Execute")
        if legacy is not None:
            legacy(algorithm, targets)
            return
        raise NotImplementedError("Types deriving from 'ExecutionModel' must implement the 'execute(self, algorithm, targets)' method.")

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        legacy = _subclass_method(self, "OnSecuritiesChanged")
        if legacy is not None:
            legacy(algorithm, changes)

    def on_order_event(self, algorithm: Any, order_event: Any) -> None:
        legacy = _subclass_method(self, "OnOrderEvent")
        if legacy is not None:
            legacy(algorithm, order_event)


def _subclass_method(model: Any, name: str) -> Any:
    for klass in type(model).__mro__:
        if klass is ExecutionModel:
            return None
        if name in klass.__dict__:
            return getattr(model, name)
    return None


def _asynchronous(model: Any) -> bool:
    return bool(model.__dict__.get("asynchronous", True))


class NullExecutionModel(ExecutionModel):
    """Places no orders."""

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        pass


class ImmediateExecutionModel(ExecutionModel):
    """Market orders for the not-yet-ordered quantity of every target, skipping orders below the minimum order
    margin (``settings.minimum_order_margin_portfolio_percentage`` of the portfolio)."""

    def __init__(self, asynchronous: bool = True) -> None:
        super().__init__(asynchronous)
        self.targets_collection = PortfolioTargetCollection()

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            security = algorithm.securities[target.symbol]
            quantity = unordered_quantity(algorithm, target, security)
            if quantity == 0:
                continue
            if above_minimum_order_margin(algorithm, security, quantity):
                algorithm.market_order(security.symbol, quantity, _asynchronous(self), target.tag)
            else:
                _note_minimum_order_margin_skip(algorithm)
        self.targets_collection.clear_fulfilled(algorithm)

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        pass


def _is_safe_to_remove(algorithm: Any, symbol: Any) -> bool:
    manager = getattr(algorithm, "universe_manager", None)
    if manager is None:
        return True
    universes = manager.values() if hasattr(manager, "values") else manager
    for universe in universes:
        universe = getattr(universe, "value", universe)
        contains = getattr(universe, "contains_member", None)
        if contains is not None and contains(symbol):
            return False
    return True


class IntradayVwap:
    """Volume-weighted average of (high + low + close) / 3 over today's trade bars (reset each day)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.value = 0.0
        self.last_date: date | None = None
        self.sum_of_volume = 0.0
        self.sum_of_price_times_volume = 0.0
        self.samples = 0

    @property
    def is_ready(self) -> bool:
        return self.sum_of_volume > 0.0

    @property
    def current(self) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(value=self.value)

    def update(self, *args: Any) -> bool:
        data = args[-1] if len(args) == 1 else None
        if data is None:
            return self.is_ready
        success, volume, average_price = self._volume_and_average_price(data)
        if not success:
            return self.is_ready
        self.samples += 1
        end_date = data.end_time.date()
        if self.last_date != end_date:
            self.sum_of_volume = 0.0
            self.sum_of_price_times_volume = 0.0
            self.last_date = end_date
        self.sum_of_volume += volume
        self.sum_of_price_times_volume += average_price * volume
        if self.sum_of_volume == 0.0:
            self.value = float(data.value)
            return self.is_ready
        self.value = self.sum_of_price_times_volume / self.sum_of_volume
        return self.is_ready

    def reset(self) -> None:
        self.__init__(self.name)  # type: ignore[misc]

    @staticmethod
    def _volume_and_average_price(data: Any) -> tuple[bool, float, float]:
        from lean_local.market_data import Tick, TradeBar

        if isinstance(data, Tick):
            if data.tick_type == TickType.TRADE:
                return True, float(data.quantity), float(data.last_price)
        if type(data) is TradeBar and not data.is_fill_forward:
            average = float(data.high + data.low + data.close) / 3
            return True, float(data.volume), average
        return False, 0.0, 0.0


class VolumeWeightedAveragePriceExecutionModel(ExecutionModel):
    """Slices orders to at most 1% of the current bar's volume, buying below / selling above today's VWAP."""

    def __init__(self, asynchronous: bool = True) -> None:
        super().__init__(asynchronous)
        self.targets_collection = PortfolioTargetCollection()
        self.symbol_data: dict[Any, VolumeWeightedAveragePriceExecutionModel.SymbolData] = {}
        self.maximum_order_quantity_percent_volume = 0.01

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            quantity = unordered_quantity(algorithm, target)
            data = self.symbol_data.get(target.symbol)
            if data is None:
                return
            if self.price_is_favorable(data, quantity):
                size = order_size_for_percent_volume(data.security, self.maximum_order_quantity_percent_volume, quantity)
                if size != 0:
                    algorithm.market_order(target.symbol, size, _asynchronous(self), target.tag)
        self.targets_collection.clear_fulfilled(algorithm)

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for removed in changes.removed_securities:
            if removed.symbol in self.symbol_data and _is_safe_to_remove(algorithm, removed.symbol):
                data = self.symbol_data.pop(removed.symbol)
                algorithm.subscription_manager.remove_consolidator(removed.symbol, data.consolidator)
        for added in changes.added_securities:
            if added.symbol not in self.symbol_data:
                self.symbol_data[added.symbol] = VolumeWeightedAveragePriceExecutionModel.SymbolData(algorithm, added)

    def price_is_favorable(self, data: Any, quantity: Any) -> bool:
        if quantity > 0:
            return bool(data.security.bid_price < data.vwap)
        return bool(data.security.ask_price > data.vwap)

    class SymbolData:
        def __init__(self, algorithm: Any, security: Any) -> None:
            self.security = security
            self.consolidator = algorithm.resolve_consolidator(security.symbol, security.resolution)
            name = algorithm.create_indicator_name(security.symbol, "VWAP", security.resolution)
            self._vwap = IntradayVwap(name)
            algorithm.register_indicator(security.symbol, self._vwap, self.consolidator)

        @property
        def vwap(self) -> float:
            return self._vwap.value


class StandardDeviationExecutionModel(ExecutionModel):
    """Orders (at most ``maximum_order_value`` each) only when the price is ``deviations`` standard deviations from
    its ``period`` mean in the favourable direction: bid below the band for buys, ask above it for sells."""

    def __init__(self, period: int = 60, deviations: float = 2, resolution: Any = Resolution.MINUTE, asynchronous: bool = True) -> None:
        super().__init__(asynchronous)
        self.period = period
        self.deviations = deviations
        self.resolution = Resolution(resolution)
        self.targets_collection = PortfolioTargetCollection()
        self._symbol_data: dict[Any, StandardDeviationExecutionModel.SymbolData] = {}
        self.maximum_order_value = 20000

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            quantity = unordered_quantity(algorithm, target)
            data = self._symbol_data.get(target.symbol)
            if data is None:
                return
            if data.std.is_ready and self.price_is_favorable(data, quantity):
                size = order_size_for_maximum_value(data.security, self.maximum_order_value, quantity)
                if size != 0:
                    algorithm.market_order(target.symbol, size, _asynchronous(self), target.tag)
        self.targets_collection.clear_fulfilled(algorithm)

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for added in changes.added_securities:
            if added.symbol not in self._symbol_data:
                self._symbol_data[added.symbol] = StandardDeviationExecutionModel.SymbolData(algorithm, added, self.period, self.resolution)
        for removed in changes.removed_securities:
            if removed.symbol in self._symbol_data and _is_safe_to_remove(algorithm, removed.symbol):
                data = self._symbol_data.pop(removed.symbol)
                algorithm.subscription_manager.remove_consolidator(removed.symbol, data.consolidator)

    def price_is_favorable(self, data: Any, quantity: Any) -> bool:
        sma = float(data.sma.current.value)
        deviations = self.deviations * float(data.std.current.value)
        if quantity > 0:
            return bool(data.security.bid_price < sma - deviations)
        return bool(data.security.ask_price > sma + deviations)

    class SymbolData:
        def __init__(self, algorithm: Any, security: Any, period: int, resolution: Any) -> None:
            from lean_local.framework.alphas import history_trade_bars, indicator_class

            symbol = security.symbol
            self.security = security
            self.consolidator = algorithm.resolve_consolidator(symbol, resolution)
            self.sma = indicator_class("SimpleMovingAverage")(algorithm.create_indicator_name(symbol, f"SMA{period}", resolution), period)
            algorithm.register_indicator(symbol, self.sma, self.consolidator)
            self.std = indicator_class("StandardDeviation")(algorithm.create_indicator_name(symbol, f"STD{period}", resolution), period)
            algorithm.register_indicator(symbol, self.std, self.consolidator)
            for bar in history_trade_bars(algorithm, [symbol], period, resolution).get(symbol, ()):
                self.sma.update(bar.end_time, bar.close)
                self.std.update(bar.end_time, bar.close)


class SpreadExecutionModel(ExecutionModel):
    """Market orders only while the exchange is open and the bid-ask spread is within ``accepting_spread_percent``
    of the price."""

    def __init__(self, accepting_spread_percent: float = 0.005, asynchronous: bool = True) -> None:
        super().__init__(asynchronous)
        self.targets_collection = PortfolioTargetCollection()
        self.accepting_spread_percent = abs(_exact(accepting_spread_percent))

    def execute(self, algorithm: Any, targets: list[Any]) -> None:
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            quantity = unordered_quantity(algorithm, target)
            if quantity != 0:
                security = algorithm.securities[target.symbol]
                if self.spread_is_favorable(security):
                    algorithm.market_order(target.symbol, quantity, _asynchronous(self), target.tag)
        self.targets_collection.clear_fulfilled(algorithm)

    def spread_is_favorable(self, security: Any) -> bool:
        price = security.cache.price
        ask = security.ask_price_exact
        bid = security.bid_price_exact
        return bool(
            security.exchange.exchange_open and price > 0 and ask > 0 and bid > 0
            and DECIMAL_CONTEXT.divide(ask - bid, price) <= self.accepting_spread_percent
        )


_ = (PortfolioTarget, datetime)
