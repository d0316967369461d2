"""Fill models: when and at what price a resting order fills against the latest data (LEAN's rules).

``FillModel`` is LEAN's generic (immediate) model, used for options; ``EquityFillModel`` is the default for
equities: market orders take the quote side (ask for buys, bid for sells) when it is fresh, limit and stop
orders use the trade bar with gap-through-open rules, and MOO/MOC take the official open/close bar.
All prices are exact decimals; algorithms may subclass either model and override the ``*_fill`` methods.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from lean_local.csharp import ZERO
from lean_local.enums import OrderDirection, OrderStatus, OrderType, Resolution
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


def _new_fill_event(order: Any, utc_time: datetime) -> Any:
    from lean_local.orders.order_event import OrderEvent

    return OrderEvent(order, utc_time, OrderFee(OrderFee.ZERO.value))  # type: ignore[attr-defined]


def _utc(security: "Security", local: datetime) -> datetime:
    return to_utc(local, security.exchange.time_zone)


def _local(security: "Security", utc: datetime) -> datetime:
    return from_utc(utc, security.exchange.time_zone)


def _slippage(security: "Security", order: Any) -> Decimal:
    model = security.slippage_model
    if model is None:
        return ZERO
    value = model.get_slippage_approximation(security, order)
    if isinstance(value, Decimal):
        return value
    from lean_local.csharp import to_decimal

    return to_decimal(value)


class FillModel:
    """LEAN's base fill model (``ImmediateFillModel``): fills against the security's last prices."""

    def __init__(self) -> None:
        self.parameters: FillModelParameters | None = None

    # --- dispatch -------------------------------------------------------------------------------
    def fill(self, parameters: FillModelParameters) -> Fill:
        self.parameters = parameters
        security, order = parameters.security, parameters.order
        order_type = order.type
        if order_type == OrderType.MARKET:
            event = self.market_fill(security, order)
        elif order_type == OrderType.LIMIT:
            event = self.limit_fill(security, order)
        elif order_type == OrderType.LIMIT_IF_TOUCHED:
            event = self.limit_if_touched_fill(security, order)
        elif order_type == OrderType.STOP_MARKET:
            event = self.stop_market_fill(security, order)
        elif order_type == OrderType.TRAILING_STOP:
            event = self.trailing_stop_fill(security, order)
        elif order_type == OrderType.STOP_LIMIT:
            event = self.stop_limit_fill(security, order)
        elif order_type == OrderType.MARKET_ON_OPEN:
            event = self.market_on_open_fill(security, order)
        elif order_type == OrderType.MARKET_ON_CLOSE:
            event = self.market_on_close_fill(security, order)
        else:
            raise NotImplementedError(f"lean_local cannot fill {order_type.name} orders yet")
        return Fill([event])

    # --- helpers ---------------------------------------------------------------------------------
    @property
    def _params(self) -> FillModelParameters:
        assert self.parameters is not None, "fill() sets the parameters before any *_fill call"
        return self.parameters

    def get_subscription_data_configs(self, asset: "Security") -> list[SubscriptionDataConfig]:
        if self.parameters is None:
            return list(asset.subscriptions)
        configs: list[SubscriptionDataConfig] = self._params.config_provider.get_subscription_data_configs(
            asset.symbol, include_internal_configs=True
        )
        return configs

    def get_subscribed_types(self, asset: "Security") -> set[type]:
        types = {config.type for config in self.get_subscription_data_configs(asset)}
        if not types:
            raise RuntimeError(f"Cannot perform fill for {asset.symbol} because no data subscription were found.")
        return types

    def _event(self, asset: "Security", order: Any) -> Any:
        return _new_fill_event(order, _utc(asset, asset.local_time))

    def should_wait_for_fresh_data(self, asset: "Security", configs: list[SubscriptionDataConfig] | None = None) -> bool:
        configs = self.get_subscription_data_configs(asset) if configs is None else configs
        has_non_internal = False
        for config in configs:
            if config.is_internal_feed:
                continue
            if config.resolution not in (Resolution.HOUR, Resolution.DAILY):
                return False
            has_non_internal = True
        return has_non_internal

    def should_wait_for_fresh_data_on_stale(
        self, asset: "Security", data_end_utc: datetime, order_time_utc: datetime, configs: list[SubscriptionDataConfig] | None = None
    ) -> bool:
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
        if prices.open != 0 and self.should_wait_for_fresh_data(asset, configs):
            if order.time <= _utc(asset, prices.time):
                return prices.open
        return prices.current

    def _is_exchange_open_for_configs(self, asset: "Security") -> bool:
        configs = self.get_subscription_data_configs(asset)
        if not configs:
            raise RuntimeError(f"Cannot perform fill for {asset.symbol} because no data subscription were found.")
        has_non_internal = False
        extended_non_internal = False
        extended_internal = False
        for config in configs:
            if config.is_internal_feed:
                extended_internal |= config.extended_market_hours
            else:
                has_non_internal = True
                extended_non_internal |= config.extended_market_hours
        return self.is_exchange_open(asset, extended_non_internal if has_non_internal else extended_internal)

    def is_exchange_open(self, asset: "Security", is_extended_market_hours: bool) -> bool:
        if asset.exchange.hours.is_open_at(asset.local_time, is_extended_market_hours):
            return True
        current = asset.get_last_data()
        if current is None:
            return False
        span = current.end_time - current.time
        if span > ONE_HOUR:
            on_current_bar = asset.local_time.date() == current.end_time.date()
        else:
            on_current_bar = asset.local_time <= current.end_time
        return on_current_bar and asset.exchange.is_open_during_bar(current.time, current.end_time, is_extended_market_hours)

    def get_prices(self, asset: "Security", direction: OrderDirection) -> Prices:
        cache = asset.cache
        last = cache.get_data()
        start = last.time if last is not None else datetime.min
        end = last.end_time if last is not None else datetime.min
        if direction == OrderDirection.HOLD:
            return Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)
        types = self.get_subscribed_types(asset)
        tick = cache.get_data(Tick)
        if tick is not None and Tick in types:
            price = tick.bid_price if direction == OrderDirection.SELL else tick.ask_price
            if price != 0:
                from lean_local.csharp import to_decimal

                exact = to_decimal(price)
                return Prices(tick.time, tick.end_time, exact, ZERO, ZERO, ZERO, ZERO)
        quote = cache.get_data(QuoteBar)
        if quote is not None and QuoteBar in types:
            side = quote.bid if direction == OrderDirection.SELL else quote.ask
            if side is not None:
                return Prices.from_bar(quote.time, quote.end_time, side)
        trade = cache.get_data(TradeBar)
        if trade is not None and TradeBar in types:
            return Prices.from_trade_bar(trade)
        return Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)

    # --- order types (generic rules) -------------------------------------------------------------
    def market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        if not self.is_exchange_open(asset, False):
            return fill
        direction = order.direction
        prices = self.get_prices(asset, direction)
        prices_end_utc = _utc(asset, prices.end_time)
        configs: list[SubscriptionDataConfig] | None = None
        if prices_end_utc + self._params.stale_price_time_span < order.time:
            configs = self.get_subscription_data_configs(asset)
            if self.should_wait_for_fresh_data_on_stale(asset, prices_end_utc, order.time, configs):
                return fill
            fill.message = (
                f"Warning: fill at stale price ({prices.end_time:%m/%d/%Y %I:%M:%S %p} {asset.exchange.time_zone})"
            )
        price = self.get_market_fill_price(asset, order, prices, configs)
        slip = _slippage(asset, order)
        fill.fill_price_exact = price + slip if direction == OrderDirection.BUY else price - slip
        fill.status = OrderStatus.FILLED
        fill.fill_quantity_exact = order.quantity_exact
        return fill

    def stop_market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        prices = self.get_prices(asset, order.direction)
        if _utc(asset, prices.end_time) <= order.time:
            return fill
        slip = _slippage(asset, order)
        stop = order.stop_price_exact
        if order.direction == OrderDirection.SELL and prices.low < stop:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = min(stop, prices.current - slip)
            fill.fill_quantity_exact = order.quantity_exact
        elif order.direction == OrderDirection.BUY and prices.high > stop:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = max(stop, prices.current + slip)
            fill.fill_quantity_exact = order.quantity_exact
        return fill

    def trailing_stop_fill(self, asset: "Security", order: Any) -> Any:
        from lean_local.orders.order import TrailingStopOrder

        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        prices = self.get_prices(asset, order.direction)
        if _utc(asset, prices.end_time) <= order.time:
            return fill
        slip = _slippage(asset, order)
        stop = order.stop_price_exact
        if order.direction == OrderDirection.SELL and prices.low <= stop:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = min(stop, prices.current - slip)
            fill.fill_quantity_exact = order.quantity_exact
        elif order.direction == OrderDirection.BUY and prices.high >= stop:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = max(stop, prices.current + slip)
            fill.fill_quantity_exact = order.quantity_exact
        if fill.status != OrderStatus.FILLED:
            reference = prices.high if order.direction == OrderDirection.SELL else prices.low
            updated = TrailingStopOrder.try_update_stop_price(
                reference, stop, order.trailing_amount_exact, order.trailing_as_percentage, order.direction
            )
            if updated is not None:
                order.stop_price_exact = updated
                self._params.on_order_updated(order)
        return fill

    def stop_limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self._is_exchange_open_for_configs(asset):
            return fill
        prices = self.get_prices(asset, order.direction)
        if _utc(asset, prices.end_time) <= order.time:
            return fill
        self._apply_stop_limit(fill, order, prices)
        return fill

    def _apply_stop_limit(self, fill: Any, order: Any, prices: Prices) -> None:
        stop, limit = order.stop_price_exact, order.limit_price_exact
        if order.direction == OrderDirection.BUY:
            if prices.high > stop or order.stop_triggered:
                if not order.stop_triggered:
                    order.stop_triggered = True
                    self._params.on_order_updated(order)
                if prices.current < limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = min(prices.high, limit)
                    fill.fill_quantity_exact = order.quantity_exact
        elif order.direction == OrderDirection.SELL:
            if prices.low < stop or order.stop_triggered:
                if not order.stop_triggered:
                    order.stop_triggered = True
                    self._params.on_order_updated(order)
                if prices.current > limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = max(prices.low, limit)
                    fill.fill_quantity_exact = order.quantity_exact

    def limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self._is_exchange_open_for_configs(asset):
            return fill
        prices = self.get_prices(asset, order.direction)
        if _utc(asset, prices.end_time) <= order.time:
            return fill
        limit = order.limit_price_exact
        if order.direction == OrderDirection.BUY and prices.low < limit:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = min(prices.high, limit)
            fill.fill_quantity_exact = order.quantity_exact
        elif order.direction == OrderDirection.SELL and prices.high > limit:
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = max(prices.low, limit)
            fill.fill_quantity_exact = order.quantity_exact
        return fill

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self._is_exchange_open_for_configs(asset):
            return fill
        types = self.get_subscribed_types(asset)
        high = low = ZERO
        end_utc = datetime.min
        if Tick in types:
            prices = self.get_prices(asset, order.direction)
            high = low = prices.current
            end_utc = _utc(asset, prices.end_time)
        elif TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            if bar is not None:
                high, low = bar.exact_high, bar.exact_low
                end_utc = _utc(asset, bar.end_time)
        if end_utc <= order.time:
            return fill
        trigger, limit = order.trigger_price_exact, order.limit_price_exact
        if order.direction == OrderDirection.SELL:
            if high >= trigger or order.trigger_touched:
                order.trigger_touched = True
                if self._side_price(asset, ask=True) >= limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = limit
                    fill.fill_quantity_exact = order.quantity_exact
        elif order.direction == OrderDirection.BUY:
            if low <= trigger or order.trigger_touched:
                order.trigger_touched = True
                if self._side_price(asset, ask=False) <= limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = limit
                    fill.fill_quantity_exact = order.quantity_exact
        return fill

    def _side_price(self, asset: "Security", ask: bool) -> Decimal:
        """Latest ask (or bid) from the subscribed data, falling back to the trade close."""
        types = self.get_subscribed_types(asset)
        if QuoteBar in types:
            quote = asset.cache.get_data(QuoteBar)
            if quote is not None:
                side = quote.ask if ask else quote.bid
                return side.exact_close if side is not None else quote.exact_close
        if TradeBar in types:
            trade = asset.cache.get_data(TradeBar)
            if trade is not None:
                return trade.exact_close
        side_name = "ask" if ask else "bid"
        raise RuntimeError(f"Cannot get {side_name} price to perform fill for {asset.symbol} because no market data was found.")

    def market_on_open_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        current = asset.get_last_data()
        local_order_time = _local(asset, order.time)
        if current is None or local_order_time >= current.end_time:
            return fill
        if asset.exchange.date_time_is_open(local_order_time) and local_order_time.date() == asset.local_time.date():
            return fill
        if not self.is_exchange_open(asset, False):
            return fill
        price = self.get_prices(asset, order.direction).open
        slip = _slippage(asset, order)
        fill.fill_price_exact = price + slip if order.direction == OrderDirection.BUY else price - slip
        fill.status = OrderStatus.FILLED
        fill.fill_quantity_exact = order.quantity_exact
        return fill

    def market_on_close_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        local_order_time = _local(asset, order.time)
        next_close = asset.exchange.hours.get_next_market_close(local_order_time, False)
        if asset.local_time < next_close:
            return fill
        price = self.get_prices(asset, order.direction).close
        slip = _slippage(asset, order)
        fill.fill_price_exact = price + slip if order.direction == OrderDirection.BUY else price - slip
        fill.status = OrderStatus.FILLED
        fill.fill_quantity_exact = order.quantity_exact
        return fill


ImmediateFillModel = FillModel


class EquityFillModel(FillModel):
    """LEAN's equity fill model: quote-side market fills, trade-bar limit/stop fills with gap rules."""

    def get_subscribed_types(self, asset: "Security") -> set[type]:
        types = {config.type for config in self.get_subscription_data_configs(asset) if not config.is_internal_feed}
        if not types:
            raise RuntimeError(f"Cannot perform fill for {asset.symbol} because no data subscription were found.")
        return types

    def _best_effort_side(self, asset: "Security", order_time_utc: datetime, ask: bool, types: set[type] | None = None) -> tuple[Decimal, str, bool, datetime]:
        """(price, message, stale, stale_end_utc): the freshest quote side, else trade close."""
        types = self.get_subscribed_types(asset) if types is None else types
        local_order_time = _local(asset, order_time_utc)
        cut_off = local_order_time - self._params.stale_price_time_span
        base: Any = None
        best = ZERO
        message = ""
        if QuoteBar in types:
            quote = asset.cache.get_data(QuoteBar)
            if quote is not None and (base is None or quote.end_time > base.end_time):
                side = quote.ask if ask else quote.bid
                value = side.exact_close if side is not None else quote.exact_close
                if quote.end_time >= cut_off:
                    return value, "", False, datetime.min
                base, best = quote, value
                message = (
                    f"Warning: No quote information available at {quote.end_time:%m/%d/%Y %I:%M:%S %p} "
                    f"{asset.exchange.time_zone}, order filled using QuoteBar data"
                )
        if TradeBar in types:
            trade = asset.cache.get_data(TradeBar)
            if trade is not None and (base is None or trade.end_time > base.end_time):
                message = (
                    f"Warning: No quote information available at {trade.end_time:%m/%d/%Y %I:%M:%S %p} "
                    f"{asset.exchange.time_zone}, order filled using TradeBar data"
                )
                if trade.end_time >= cut_off:
                    return trade.exact_close, message, False, datetime.min
                base, best = trade, trade.exact_close
        if base is not None:
            return best, message, True, _utc(asset, base.end_time)
        side_name = "ask" if ask else "bid"
        raise RuntimeError(
            f"Cannot get {side_name} price to perform fill for {asset.symbol} because no market data subscription "
            f"were found. Subscribed types: {sorted(t.__name__ for t in types)}"
        )

    def _best_effort_trade_bar(self, asset: "Security", order_time_utc: datetime) -> TradeBar | None:
        types = self.get_subscribed_types(asset)
        bar = asset.cache.get_data(TradeBar) if TradeBar in types else None
        if bar is None or _utc(asset, bar.end_time) <= order_time_utc:
            return None
        result: TradeBar = bar
        return result

    def market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        slip = _slippage(asset, order)
        configs = self.get_subscription_data_configs(asset)
        types = {config.type for config in configs if not config.is_internal_feed}
        if not types:
            raise RuntimeError(f"Cannot perform fill for {asset.symbol} because no data subscription were found.")
        is_buy = order.direction == OrderDirection.BUY
        price, message, stale, stale_end = self._best_effort_side(asset, order.time, ask=is_buy, types=types)
        price = price + slip if is_buy else price - slip
        if stale and self.should_wait_for_fresh_data_on_stale(asset, stale_end, order.time, configs):
            return fill
        fill.fill_price_exact = price
        fill.fill_quantity_exact = order.quantity_exact
        fill.message = message
        fill.status = OrderStatus.FILLED
        return fill

    def stop_market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        bar = self._best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        stop = order.stop_price_exact
        low, high, open_ = bar.exact_low, bar.exact_high, bar.exact_open
        if order.direction == OrderDirection.SELL and low <= stop:
            fill.status = OrderStatus.FILLED
            fill.fill_quantity_exact = order.quantity_exact
            slip = _slippage(asset, order)
            if open_ <= stop:
                fill.fill_price_exact = open_ - slip
                fill.message = _gap_message(asset, bar, favorable=False)
            else:
                fill.fill_price_exact = stop - slip
        elif order.direction == OrderDirection.BUY and high >= stop:
            fill.status = OrderStatus.FILLED
            fill.fill_quantity_exact = order.quantity_exact
            slip = _slippage(asset, order)
            if open_ >= stop:
                fill.fill_price_exact = open_ + slip
                fill.message = _gap_message(asset, bar, favorable=False)
            else:
                fill.fill_price_exact = stop + slip
        return fill

    def limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended(asset)):
            return fill
        bar = self._best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        limit = order.limit_price_exact
        if order.direction == OrderDirection.BUY and bar.exact_low < limit:
            fill.fill_quantity_exact = order.quantity_exact
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = limit
            if bar.exact_open < limit:
                fill.fill_price_exact = bar.exact_open
                fill.message = _gap_message(asset, bar, favorable=True)
        elif order.direction == OrderDirection.SELL and bar.exact_high > limit:
            fill.fill_quantity_exact = order.quantity_exact
            fill.status = OrderStatus.FILLED
            fill.fill_price_exact = limit
            if bar.exact_open > limit:
                fill.fill_price_exact = bar.exact_open
                fill.message = _gap_message(asset, bar, favorable=True)
        return fill

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended(asset)):
            return fill
        bar = self._best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        trigger, limit = order.trigger_price_exact, order.limit_price_exact
        if order.direction == OrderDirection.BUY:
            if bar.exact_low <= trigger or order.trigger_touched:
                order.trigger_touched = True
                ask, message, _, _ = self._best_effort_side(asset, order.time, ask=True)
                if ask <= limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = min(ask, limit)
                    fill.fill_quantity_exact = order.quantity_exact
                    fill.message = message
        elif order.direction == OrderDirection.SELL:
            if bar.exact_high >= trigger or order.trigger_touched:
                order.trigger_touched = True
                bid, message, _, _ = self._best_effort_side(asset, order.time, ask=False)
                if bid >= limit:
                    fill.status = OrderStatus.FILLED
                    fill.fill_price_exact = max(bid, limit)
                    fill.fill_quantity_exact = order.quantity_exact
                    fill.message = message
        return fill

    def stop_limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended(asset)):
            return fill
        prices = self.get_prices(asset, order.direction)
        if _utc(asset, prices.end_time) <= order.time:
            return fill
        self._apply_stop_limit(fill, order, prices)
        return fill

    def get_prices(self, asset: "Security", direction: OrderDirection) -> Prices:
        cache = asset.cache
        last = cache.get_data()
        start = last.time if last is not None else datetime.min
        end = last.end_time if last is not None else datetime.min
        if direction == OrderDirection.HOLD:
            return Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)
        types = {config.type for config in self.get_subscription_data_configs(asset)}
        quote = cache.get_data(QuoteBar)
        if QuoteBar in types and quote is not None:
            side = quote.bid if direction == OrderDirection.SELL else quote.ask
            if side is not None:
                return Prices.from_bar(quote.time, quote.end_time, side)
        trade = cache.get_data(TradeBar)
        if TradeBar in types and trade is not None:
            return Prices.from_trade_bar(trade)
        return Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)

    def _extended(self, asset: "Security") -> bool:
        return any(config.extended_market_hours for config in self.get_subscription_data_configs(asset))

    def market_on_open_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        local_order_time = _local(asset, order.time)
        end_time = datetime.min
        types = self.get_subscribed_types(asset)
        if TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            if bar is not None:
                if bar.time < local_order_time:
                    return fill
                if bar.period < timedelta(hours=1) and not asset.exchange.date_time_is_open(bar.time):
                    return fill
                end_time = bar.end_time
                fill.fill_price_exact = bar.exact_open
        else:
            fill.message = f"Warning: No trade information available at {asset.local_time}, order filled using Quote data"
        if local_order_time >= end_time:
            return fill
        if asset.exchange.date_time_is_open(local_order_time) and local_order_time.date() == end_time.date():
            return fill
        if not self.is_exchange_open(asset, False):
            return fill
        fill.fill_quantity_exact = order.quantity_exact
        fill.status = OrderStatus.FILLED
        slip = _slippage(asset, order)
        is_buy = order.direction == OrderDirection.BUY
        if fill.fill_price_exact == 0:
            price, message, _, _ = self._best_effort_side(asset, order.time, ask=is_buy)
            fill.fill_price_exact = price
            fill.message += message
        fill.fill_price_exact = fill.fill_price_exact + slip if is_buy else fill.fill_price_exact - slip
        return fill

    def market_on_close_fill(self, asset: "Security", order: Any) -> Any:
        fill = self._event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        local_order_time = _local(asset, order.time)
        next_close = asset.exchange.hours.get_next_market_close(local_order_time, False)
        if asset.local_time < next_close:
            return fill
        types = self.get_subscribed_types(asset)
        if TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            fill.fill_price_exact = bar.exact_close if bar is not None else ZERO
        else:
            fill.message = f"Warning: No trade information available at {asset.local_time}, order filled using Quote data"
        slip = _slippage(asset, order)
        is_buy = order.direction == OrderDirection.BUY
        if fill.fill_price_exact == 0:
            price, message, _, _ = self._best_effort_side(asset, order.time, ask=is_buy)
            fill.fill_price_exact = price
            fill.message += message
        fill.fill_price_exact = fill.fill_price_exact + slip if is_buy else fill.fill_price_exact - slip
        fill.fill_quantity_exact = order.quantity_exact
        fill.status = OrderStatus.FILLED
        return fill


def _gap_message(asset: "Security", bar: TradeBar, favorable: bool) -> str:
    kind = "favorable" if favorable else "unfavorable"
    return (
        f"Due to a {kind} gap at {bar.end_time:%m/%d/%Y %I:%M:%S %p} {asset.exchange.time_zone}, "
        f"order filled using the open price ({bar.open})"
    )


class NullSlippageModel:
    """No slippage (LEAN's default)."""

    def get_slippage_approximation(self, asset: "Security", order: Any) -> Decimal:
        return ZERO


class ConstantSlippageModel:
    """Slippage as a constant fraction of the security price."""

    def __init__(self, slippage_percent: float) -> None:
        from lean_local.csharp import to_decimal

        self._percent = to_decimal(slippage_percent)

    def get_slippage_approximation(self, asset: "Security", order: Any) -> Decimal:
        return self._percent * asset.cache.price
