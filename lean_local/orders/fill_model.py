"""LEAN's generic fill model (``FillModel``/``ImmediateFillModel``): fills against the security's latest prices.

Non-equity securities use it. A fill attempt returns an order event that is Filled, or keeps the order's status
when nothing happens yet; every price is an exact decimal. Algorithms may subclass it and override any
``*_fill`` method or :meth:`FillModel.get_prices`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import OrderDirection, OrderStatus, OrderType, SecurityType, TickType
from lean_local.market_data import Bar, QuoteBar, Tick, TradeBar
from lean_local.orders.fees import OrderFee
from lean_local.subscriptions import RESOLUTION_SPAN, SubscriptionDataConfig, highest_resolution
from lean_local.timeutil import from_utc, to_utc

if TYPE_CHECKING:
    from lean_local.securities.security import Security

ONE_HOUR = timedelta(hours=1)


@dataclass
class Prices:
    """The prices a fill decision looks at (LEAN's ``Prices``)."""

    time: datetime
    end_time: datetime
    current: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal

    @classmethod
    def from_bar(cls, time: datetime, end_time: datetime, bar: Bar) -> "Prices":
        return cls(time, end_time, bar.exact_close, bar.exact_open, bar.exact_high, bar.exact_low, bar.exact_close)

    @classmethod
    def from_trade_bar(cls, bar: TradeBar) -> "Prices":
        return cls(bar.time, bar.end_time, bar.exact_close, bar.exact_open, bar.exact_high, bar.exact_low, bar.exact_close)


class Fill(list):  # type: ignore[type-arg]
    """The order events a fill attempt produced (usually one)."""


@dataclass
class FillModelParameters:
    """What a fill model is given: the security, the order, the subscriptions and the stale-price window."""

    security: "Security"
    order: Any
    config_provider: Any
    stale_price_time_span: timedelta = ONE_HOUR
    securities_for_orders: dict[Any, "Security"] | None = None
    on_order_updated: Callable[[Any], None] = lambda order: None


def invariant_time(moment: datetime) -> str:
    """``DateTime.ToString(CultureInfo.InvariantCulture)``, as LEAN's fill messages print times."""
    return moment.strftime("%m/%d/%Y %H:%M:%S")


def utc_of(security: "Security", local: datetime) -> datetime:
    return to_utc(local, security.exchange.time_zone)


def local_of(security: "Security", utc: datetime) -> datetime:
    return from_utc(utc, security.exchange.time_zone)


def slippage(security: "Security", order: Any) -> Decimal:
    model = security.slippage_model
    if model is None:
        return ZERO
    value = model.get_slippage_approximation(security, order)
    return value if isinstance(value, Decimal) else to_decimal(value)


def tick_price(value: float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else to_decimal(value)


def no_subscription_message(security: "Security") -> str:
    return f"Cannot perform fill for {security.symbol} because no data subscription were found."


def market_never_closes_message(security: "Security") -> str:
    # LEAN prints nameof() of its parameter here, not the order type
    return f"Market never closes for this symbol {security.symbol}, can no submit a orderType order."


class FillModel:
    """LEAN's base fill model: market orders at the last price, limit/stop orders against the last bar's range."""

    def __init__(self) -> None:
        self.parameters: FillModelParameters | None = None

    # --- dispatch -------------------------------------------------------------------------------
    def fill(self, parameters: FillModelParameters) -> Fill:
        self.parameters = parameters
        security, order = parameters.security, parameters.order
        handlers: dict[OrderType, Callable[[Any, Any], Any]] = {
            OrderType.MARKET: self.market_fill,
            OrderType.LIMIT: self.limit_fill,
            OrderType.LIMIT_IF_TOUCHED: self.limit_if_touched_fill,
            OrderType.STOP_MARKET: self.stop_market_fill,
            OrderType.TRAILING_STOP: self.trailing_stop_fill,
            OrderType.STOP_LIMIT: self.stop_limit_fill,
            OrderType.MARKET_ON_OPEN: self.market_on_open_fill,
            OrderType.MARKET_ON_CLOSE: self.market_on_close_fill,
        }
        handler = handlers.get(order.type)
        if handler is None:
            raise NotImplementedError(f"lean_local cannot fill {order.type.name} orders yet")
        return Fill([handler(security, order)])

    # --- helpers ---------------------------------------------------------------------------------
    @property
    def _params(self) -> FillModelParameters:
        assert self.parameters is not None, "fill() sets the parameters before any *_fill call"
        return self.parameters

    def new_event(self, asset: "Security", order: Any) -> Any:
        """An event for ``order`` stamped with the security's current time and no fee."""
        from lean_local.orders.order_event import OrderEvent

        return OrderEvent(order, utc_of(asset, asset.local_time), OrderFee(OrderFee.ZERO.value))  # type: ignore[attr-defined]

    def get_subscription_data_configs(self, asset: "Security") -> list[SubscriptionDataConfig]:
        """Every subscription of the security, internal feeds included."""
        if self.parameters is None:
            return list(asset.subscriptions)
        configs: list[SubscriptionDataConfig] = self._params.config_provider.get_subscription_data_configs(
            asset.symbol, include_internal_configs=True
        )
        return configs

    def user_subscription_configs(self, asset: "Security") -> list[SubscriptionDataConfig]:
        """The subscriptions the algorithm asked for (internal feeds excluded)."""
        return [config for config in self.get_subscription_data_configs(asset) if not config.is_internal_feed]

    def get_subscribed_types(self, asset: "Security") -> set[type]:
        types = {config.type for config in self.get_subscription_data_configs(asset)}
        if not types:
            raise RuntimeError(no_subscription_message(asset))
        return types

    def should_wait_for_fresh_data(self, asset: "Security", configs: list[SubscriptionDataConfig] | None = None) -> bool:
        """Hour and daily data: a stale bar is a whole bar behind, so wait for the next one."""
        configs = self.get_subscription_data_configs(asset) if configs is None else configs
        has_non_internal = False
        for config in configs:
            if config.is_internal_feed:
                continue
            if config.resolution.name not in ("HOUR", "DAILY"):
                return False
            has_non_internal = True
        return has_non_internal

    def should_wait_for_fresh_data_on_stale(
        self, asset: "Security", data_end_utc: datetime, order_time_utc: datetime,
        configs: list[SubscriptionDataConfig] | None = None,
    ) -> bool:
        """Wait rather than fill on stale data that is more than one bar behind the order."""
        configs = self.get_subscription_data_configs(asset) if configs is None else configs
        if self.should_wait_for_fresh_data(asset, configs):
            return True
        span = RESOLUTION_SPAN[highest_resolution(configs)]
        if span == timedelta(0):
            return False
        return order_time_utc - data_end_utc > span

    def get_market_fill_price(
        self, asset: "Security", order: Any, prices: Prices, configs: list[SubscriptionDataConfig] | None = None
    ) -> Decimal:
        """The bar open for an order resting since before an hour/daily bar began, else the current price."""
        if prices.open != 0 and self.should_wait_for_fresh_data(asset, configs):
            if order.time <= utc_of(asset, prices.time):
                return prices.open
        return prices.current

    def is_exchange_open_for_subscriptions(self, asset: "Security") -> bool:
        """Open in the hours the subscriptions cover (extended hours when one of them asks for them)."""
        configs = self.get_subscription_data_configs(asset)
        if not configs:
            raise RuntimeError(no_subscription_message(asset))
        has_non_internal = extended_non_internal = extended_internal = False
        for config in configs:
            if config.is_internal_feed:
                extended_internal |= config.extended_market_hours
            else:
                has_non_internal = True
                extended_non_internal |= config.extended_market_hours
        return self.is_exchange_open(asset, extended_non_internal if has_non_internal else extended_internal)

    def is_exchange_open(self, asset: "Security", is_extended_market_hours: bool) -> bool:
        """Open now, or the last bar (just closed at this instant) covered open hours."""
        if asset.exchange.hours.is_open_at(asset.local_time, is_extended_market_hours):
            return True
        current = asset.get_last_data()
        if current is None:
            return False
        if current.end_time - current.time > ONE_HOUR:
            on_current_bar = asset.local_time.date() == current.end_time.date()
        else:
            on_current_bar = asset.local_time <= current.end_time
        return on_current_bar and asset.exchange.is_open_during_bar(current.time, current.end_time, is_extended_market_hours)

    def get_prices(self, asset: "Security", direction: OrderDirection) -> Prices:
        """The latest tick, quote side (bid for sells, ask for buys) or trade bar the security is subscribed to."""
        cache = asset.cache
        last = cache.get_data()
        start = last.time if last is not None else datetime.min
        end = last.end_time if last is not None else datetime.min
        fallback = Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)
        if direction == OrderDirection.HOLD:
            return fallback
        types = self.get_subscribed_types(asset)
        return self._typed_prices(asset, direction, types) or fallback

    def _typed_prices(self, asset: "Security", direction: OrderDirection, types: set[type]) -> Prices | None:
        cache = asset.cache
        tick = cache.get_data(Tick)
        if tick is not None and Tick in types:
            for value in ((tick.bid_price if direction == OrderDirection.SELL else tick.ask_price), tick.value):
                if value != 0:
                    return Prices(tick.time, tick.end_time, tick_price(value), ZERO, ZERO, ZERO, ZERO)
        quote = cache.get_data(QuoteBar)
        if quote is not None and QuoteBar in types:
            side = quote.bid if direction == OrderDirection.SELL else quote.ask
            if side is not None:
                return Prices.from_bar(quote.time, quote.end_time, side)
        trade = cache.get_data(TradeBar)
        if trade is not None and TradeBar in types:
            return Prices.from_trade_bar(trade)
        return None

    def _fill_completely(self, fill: Any, order: Any, price: Decimal) -> None:
        fill.status = OrderStatus.FILLED
        fill.fill_price_exact = price
        fill.fill_quantity_exact = order.quantity_exact

    # --- order types -----------------------------------------------------------------------------
    def market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        direction = order.direction
        prices = self.get_prices(asset, direction)
        prices_end_utc = utc_of(asset, prices.end_time)
        configs: list[SubscriptionDataConfig] | None = None
        if prices_end_utc + self._params.stale_price_time_span < order.time:
            configs = self.get_subscription_data_configs(asset)
            if self.should_wait_for_fresh_data_on_stale(asset, prices_end_utc, order.time, configs):
                return fill
            fill.message = f"Warning: fill at stale price ({invariant_time(prices.end_time)} {asset.exchange.time_zone})"
        price = self.get_market_fill_price(asset, order, prices, configs)
        slip = slippage(asset, order)
        self._fill_completely(fill, order, price + slip if direction == OrderDirection.BUY else price - slip)
        return fill

    def stop_market_fill(self, asset: "Security", order: Any) -> Any:
        """Triggered when the bar trades through the stop; fills at the worse of stop and current price."""
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        prices = self.get_prices(asset, order.direction)
        if utc_of(asset, prices.end_time) <= order.time:
            return fill
        slip = slippage(asset, order)
        stop = order.stop_price_exact
        if order.direction == OrderDirection.SELL and prices.low < stop:
            self._fill_completely(fill, order, min(stop, prices.current - slip))
        elif order.direction == OrderDirection.BUY and prices.high > stop:
            self._fill_completely(fill, order, max(stop, prices.current + slip))
        return fill

    def trailing_stop_fill(self, asset: "Security", order: Any) -> Any:
        """A stop that fills when touched and otherwise follows the bar's best price by the trailing amount."""
        from lean_local.orders.order import TrailingStopOrder

        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        prices = self.get_prices(asset, order.direction)
        if utc_of(asset, prices.end_time) <= order.time:
            return fill
        slip = slippage(asset, order)
        stop = order.stop_price_exact
        if order.direction == OrderDirection.SELL and prices.low <= stop:
            self._fill_completely(fill, order, min(stop, prices.current - slip))
        elif order.direction == OrderDirection.BUY and prices.high >= stop:
            self._fill_completely(fill, order, max(stop, prices.current + slip))
        if fill.status != OrderStatus.FILLED:
            # moved only after the fill check, so the new stop cannot be hit by the bar that moved it
            reference = prices.high if order.direction == OrderDirection.SELL else prices.low
            updated, new_stop = TrailingStopOrder.try_update_stop_price(
                reference, stop, order.trailing_amount_exact, order.trailing_as_percentage, order.direction
            )
            if updated:
                order.stop_price_exact = new_stop
                self._params.on_order_updated(order)
        return fill

    def stop_limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open_for_subscriptions(asset):
            return fill
        prices = self.get_prices(asset, order.direction)
        if utc_of(asset, prices.end_time) <= order.time:
            return fill
        self.apply_stop_limit(fill, order, prices)
        return fill

    def apply_stop_limit(self, fill: Any, order: Any, prices: Prices) -> None:
        """Trigger once the bar trades through the stop; then fill while the current price is inside the limit,
        at the bar's extreme capped by the limit."""
        stop, limit = order.stop_price_exact, order.limit_price_exact
        if order.direction == OrderDirection.BUY:
            if prices.high > stop or order.stop_triggered:
                self._trigger_stop(order)
                if prices.current < limit:
                    self._fill_completely(fill, order, min(prices.high, limit))
        elif order.direction == OrderDirection.SELL:
            if prices.low < stop or order.stop_triggered:
                self._trigger_stop(order)
                if prices.current > limit:
                    self._fill_completely(fill, order, max(prices.low, limit))

    def _trigger_stop(self, order: Any) -> None:
        if not order.stop_triggered:
            order.stop_triggered = True
            self._params.on_order_updated(order)

    def limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open_for_subscriptions(asset):
            return fill
        prices = self.get_prices(asset, order.direction)
        if utc_of(asset, prices.end_time) <= order.time:
            return fill
        limit = order.limit_price_exact
        if order.direction == OrderDirection.BUY and prices.low < limit:
            self._fill_completely(fill, order, min(prices.high, limit))
        elif order.direction == OrderDirection.SELL and prices.high > limit:
            self._fill_completely(fill, order, max(prices.low, limit))
        return fill

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open_for_subscriptions(asset):
            return fill
        types = self.get_subscribed_types(asset)
        high = low = ZERO
        end_utc = datetime.min
        if Tick in types:
            prices = self.get_prices(asset, order.direction)
            high = low = prices.current
            end_utc = utc_of(asset, prices.end_time)
        elif TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            if bar is not None:
                high, low = bar.exact_high, bar.exact_low
                end_utc = utc_of(asset, bar.end_time)
        if end_utc <= order.time:
            return fill
        trigger, limit = order.trigger_price_exact, order.limit_price_exact
        # LEAN's generic model compares sells with the ask and buys with the bid
        if order.direction == OrderDirection.SELL:
            if high >= trigger or order.trigger_touched:
                order.trigger_touched = True
                if self.latest_side_price(asset, ask=True) >= limit:
                    self._fill_completely(fill, order, limit)
        elif order.direction == OrderDirection.BUY:
            if low <= trigger or order.trigger_touched:
                order.trigger_touched = True
                if self.latest_side_price(asset, ask=False) <= limit:
                    self._fill_completely(fill, order, limit)
        return fill

    def latest_side_price(self, asset: "Security", ask: bool) -> Decimal:
        """Latest ask (or bid) from quote ticks, quote bars, then trade ticks or the trade bar close."""
        types = self.get_subscribed_types(asset)
        ticks: list[Any] = asset.cache.get_all_data(Tick) if Tick in types else []
        if ticks:
            for tick in reversed(ticks):
                side = tick.ask_price if ask else tick.bid_price
                if tick.tick_type == TickType.QUOTE and side > 0:
                    return tick_price(side)
        if QuoteBar in types:
            quote = asset.cache.get_data(QuoteBar)
            if quote is not None:
                bar = quote.ask if ask else quote.bid
                return bar.exact_close if bar is not None else quote.exact_close
        for tick in reversed(ticks):
            if tick.tick_type == TickType.TRADE and tick.value > 0:
                return tick_price(tick.value)
        if TradeBar in types:
            trade = asset.cache.get_data(TradeBar)
            if trade is not None:
                return trade.exact_close
        side_name = "ask" if ask else "bid"
        raise RuntimeError(f"Cannot get {side_name} price to perform fill for {asset.symbol} because no market data was found.")

    def market_on_open_fill(self, asset: "Security", order: Any) -> Any:
        if asset.exchange.hours.is_market_always_open:
            raise RuntimeError(market_never_closes_message(asset))
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        current = asset.get_last_data()
        local_order_time = local_of(asset, order.time)
        if current is None or local_order_time >= current.end_time:
            return fill
        if asset.exchange.date_time_is_open(local_order_time) and local_order_time.date() == asset.local_time.date():
            return fill
        if not self.is_exchange_open(asset, False):
            return fill
        price = self.get_prices(asset, order.direction).open
        slip = slippage(asset, order)
        self._fill_completely(fill, order, price + slip if order.direction == OrderDirection.BUY else price - slip)
        return fill

    def market_on_close_fill(self, asset: "Security", order: Any) -> Any:
        if asset.exchange.hours.is_market_always_open:
            raise RuntimeError(market_never_closes_message(asset))
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        next_close = asset.exchange.hours.get_next_market_close(local_of(asset, order.time), False)
        if asset.local_time < next_close:
            return fill
        price = self.get_prices(asset, order.direction).close
        slip = slippage(asset, order)
        self._fill_completely(fill, order, price + slip if order.direction == OrderDirection.BUY else price - slip)
        return fill


class ImmediateFillModel(FillModel):
    """LEAN's name for the generic model when chosen explicitly (it adds nothing)."""


class NullSlippageModel:
    """No slippage (LEAN's default)."""

    def get_slippage_approximation(self, asset: "Security", order: Any) -> Decimal:
        return ZERO


class AlphaStreamsSlippageModel:
    """Alpha Streams' slippage: one basis point of the last price on equities, none on anything else."""

    _percent = Decimal("0.0001")

    def get_slippage_approximation(self, asset: "Security", order: Any) -> Decimal:
        if asset.type != SecurityType.EQUITY:
            return ZERO
        last = asset.get_last_data()
        if last is None:
            return ZERO
        value: Decimal = self._percent * last.exact_value
        return value


class ConstantSlippageModel:
    """Slippage as a constant fraction of the security price."""

    def __init__(self, slippage_percent: float) -> None:
        self._percent = to_decimal(slippage_percent)

    def get_slippage_approximation(self, asset: "Security", order: Any) -> Decimal:
        last = asset.get_last_data()
        if last is None:
            return ZERO
        value: Decimal = last.exact_value * self._percent
        return value
