"""LEAN's ``EquityFillModel``, the default for equities.

Market orders take the freshest quote side (ask for buys, bid for sells) and wait for fresh data instead of filling
on a stale bar; limit, stop and limit-if-touched orders use the trade bar that closed after the order, filling at
the open when the bar gapped through the order price; stop-limit orders trigger on the trade bar range and fill
inside the limit; MOO/MOC orders take the official open/close trade bar.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_to_string
from lean_local.enums import OrderDirection, OrderStatus, TickType
from lean_local.market_data import QuoteBar, Tick, TradeBar
from lean_local.orders.fill_model import (
    FillModel,
    Prices,
    invariant_time,
    local_of,
    no_subscription_message,
    slippage,
    tick_price,
    utc_of,
)
from lean_local.subscriptions import SubscriptionDataConfig

if TYPE_CHECKING:
    from lean_local.securities.security import Security


@dataclass
class TickTradeBar:
    """Trade ticks of the current time step rolled into one bar (only what the fill rules read)."""

    time: datetime
    end_time: datetime
    exact_open: Decimal
    exact_high: Decimal
    exact_low: Decimal
    exact_close: Decimal


@dataclass
class BestEffortPrice:
    """A quote side (or trade price when there is no quote) and whether it is older than the stale window."""

    price: Decimal
    message: str
    stale: bool
    stale_end_utc: datetime


class EquityFillModel(FillModel):
    """Equity fills: quote-side market fills, trade-bar limit/stop fills with gap rules."""

    def get_subscribed_types(self, asset: "Security") -> set[type]:
        return self._user_types(asset, self.get_subscription_data_configs(asset))

    @staticmethod
    def _user_types(asset: "Security", configs: list[SubscriptionDataConfig]) -> set[type]:
        types = {config.type for config in configs if not config.is_internal_feed}
        if not types:
            raise RuntimeError(no_subscription_message(asset))
        return types

    def _extended_hours(self, asset: "Security") -> bool:
        return any(config.extended_market_hours for config in self.user_subscription_configs(asset))

    # --- best-effort prices ------------------------------------------------------------------------
    def best_effort_price(self, asset: "Security", order_time_utc: datetime, ask: bool,
                          types: set[type] | None = None) -> BestEffortPrice:
        """The newest quote side within the stale window, else the newest trade price, else the newest (stale)
        of them all, with the warning LEAN attaches to each fallback."""
        types = self.get_subscribed_types(asset) if types is None else types
        zone = asset.exchange.time_zone
        cut_off = local_of(asset, order_time_utc) - self._params.stale_price_time_span
        base: Any = None
        best = ZERO
        message = ""
        ticks: list[Any] = asset.cache.get_all_data(Tick) if Tick in types else []

        def side_of(tick: Any) -> float:
            return float(tick.ask_price if ask else tick.bid_price)

        quote_tick = next((t for t in reversed(ticks) if t.tick_type == TickType.QUOTE and side_of(t) > 0), None)
        if quote_tick is not None:
            price = tick_price(side_of(quote_tick))
            if quote_tick.end_time >= cut_off:
                return BestEffortPrice(price, "", False, datetime.min)
            base, best = quote_tick, price
            message = f"Warning: fill at stale price ({invariant_time(quote_tick.end_time)} {zone}), using Quote Tick data."
        if QuoteBar in types:
            quote = asset.cache.get_data(QuoteBar)
            if quote is not None and (base is None or quote.end_time > base.end_time):
                side = quote.ask if ask else quote.bid
                price = side.exact_close if side is not None else quote.exact_close
                if quote.end_time >= cut_off:
                    return BestEffortPrice(price, "", False, datetime.min)
                base, best = quote, price
                message = f"Warning: fill at stale price ({invariant_time(quote.end_time)} {zone}), using QuoteBar data."
        trade_tick = next((t for t in reversed(ticks) if t.tick_type == TickType.TRADE), None)
        if trade_tick is not None and (base is None or trade_tick.end_time > base.end_time):
            message = (f"Warning: No quote information available at {invariant_time(trade_tick.end_time)} {zone}, "
                       "order filled using Trade Tick data")
            price = tick_price(trade_tick.value)
            if trade_tick.end_time >= cut_off:
                return BestEffortPrice(price, message, False, datetime.min)
            base, best = trade_tick, price
        if TradeBar in types:
            trade = asset.cache.get_data(TradeBar)
            if trade is not None and (base is None or trade.end_time > base.end_time):
                message = (f"Warning: No quote information available at {invariant_time(trade.end_time)} {zone}, "
                           "order filled using TradeBar data")
                if trade.end_time >= cut_off:
                    return BestEffortPrice(trade.exact_close, message, False, datetime.min)
                base, best = trade, trade.exact_close
        if base is not None:
            return BestEffortPrice(best, message, True, utc_of(asset, base.end_time))
        side_name = "ask" if ask else "bid"
        names = ",".join(t.__name__ for t in types)
        raise RuntimeError(f"Cannot get {side_name} price to perform fill for {asset.symbol} because no market data "
                           f"was found. SubscribedTypes: [{names}]")

    def best_effort_trade_bar(self, asset: "Security", order_time_utc: datetime) -> "TradeBar | TickTradeBar | None":
        """The trade bar (or trade ticks rolled into one) that ends after the order; None while only older data
        exists, so an order never fills on data from before it was placed."""
        types = self.get_subscribed_types(asset)
        bar: TradeBar | TickTradeBar | None = None
        if Tick in types:
            bar = self._bar_from_trade_ticks(asset)
        elif TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
        if bar is None or utc_of(asset, bar.end_time) <= order_time_utc:
            return None
        return bar

    @staticmethod
    def _bar_from_trade_ticks(asset: "Security") -> "TickTradeBar | None":
        trades: list[Any] = [t for t in asset.cache.get_all_data(Tick) if getattr(t, "tick_type", None) == TickType.TRADE]
        if not trades:
            return None
        opened, start = ZERO, datetime.min
        high = low = close = ZERO
        for position, trade in enumerate(trades):
            price = tick_price(trade.value)
            if opened == 0:
                opened, start = price, trade.time
            high = price if position == 0 else max(high, price)
            low = price if position == 0 else min(low, price)
            close = price
        return TickTradeBar(start, trades[-1].end_time, opened, high, low, close)

    # --- order types ----------------------------------------------------------------------------------
    def market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        slip = slippage(asset, order)
        configs = self.get_subscription_data_configs(asset)
        types = self._user_types(asset, configs)
        is_buy = order.direction == OrderDirection.BUY
        best = self.best_effort_price(asset, order.time, ask=is_buy, types=types)
        price = best.price + slip if is_buy else best.price - slip
        if best.stale and self.should_wait_for_fresh_data_on_stale(asset, best.stale_end_utc, order.time, configs):
            return fill
        self._fill_completely(fill, order, price)
        fill.message = best.message
        return fill

    def stop_market_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, False):
            return fill
        bar = self.best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        stop = order.stop_price_exact
        if order.direction == OrderDirection.SELL and bar.exact_low <= stop:
            slip = slippage(asset, order)
            gapped = bar.exact_open <= stop
            self._fill_completely(fill, order, (bar.exact_open if gapped else stop) - slip)
            if gapped:
                fill.message = _gap_message(asset, bar, favorable=False)
        elif order.direction == OrderDirection.BUY and bar.exact_high >= stop:
            slip = slippage(asset, order)
            gapped = bar.exact_open >= stop
            self._fill_completely(fill, order, (bar.exact_open if gapped else stop) + slip)
            if gapped:
                fill.message = _gap_message(asset, bar, favorable=False)
        return fill

    def limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended_hours(asset)):
            return fill
        bar = self.best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        limit = order.limit_price_exact
        if order.direction == OrderDirection.BUY and bar.exact_low < limit:
            gapped = bar.exact_open < limit
            self._fill_completely(fill, order, bar.exact_open if gapped else limit)
            if gapped:
                fill.message = _gap_message(asset, bar, favorable=True)
        elif order.direction == OrderDirection.SELL and bar.exact_high > limit:
            gapped = bar.exact_open > limit
            self._fill_completely(fill, order, bar.exact_open if gapped else limit)
            if gapped:
                fill.message = _gap_message(asset, bar, favorable=True)
        return fill

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended_hours(asset)):
            return fill
        bar = self.best_effort_trade_bar(asset, order.time)
        if bar is None:
            return fill
        trigger, limit = order.trigger_price_exact, order.limit_price_exact
        if order.direction == OrderDirection.BUY:
            if bar.exact_low <= trigger or order.trigger_touched:
                order.trigger_touched = True
                ask = self.best_effort_price(asset, order.time, ask=True)
                if ask.price <= limit:
                    self._fill_completely(fill, order, min(ask.price, limit))
                    fill.message = ask.message
        elif order.direction == OrderDirection.SELL:
            if bar.exact_high >= trigger or order.trigger_touched:
                order.trigger_touched = True
                bid = self.best_effort_price(asset, order.time, ask=False)
                if bid.price >= limit:
                    self._fill_completely(fill, order, max(bid.price, limit))
                    fill.message = bid.message
        return fill

    def stop_limit_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset, self._extended_hours(asset)):
            return fill
        prices = self.get_prices(asset, order.direction)
        if utc_of(asset, prices.end_time) <= order.time:
            return fill
        self.apply_stop_limit(fill, order, prices)
        return fill

    def get_prices(self, asset: "Security", direction: OrderDirection) -> Prices:
        """As the generic model, but only the data types sent to the algorithm count as subscribed."""
        cache = asset.cache
        last = cache.get_data()
        start = last.time if last is not None else datetime.min
        end = last.end_time if last is not None else datetime.min
        fallback = Prices(start, end, cache.price, cache.open, cache.high, cache.low, cache.close)
        if direction == OrderDirection.HOLD:
            return fallback
        types = {config.type for config in self.user_subscription_configs(asset)}
        return self._typed_prices(asset, direction, types) or fallback

    def market_on_open_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        local_order_time = local_of(asset, order.time)
        end_time = datetime.min
        types = self.get_subscribed_types(asset)
        if Tick in types:
            raise NotImplementedError("lean_local does not model market-on-open fills on tick data (official open prints)")
        if TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            if bar is not None:
                # a bar that began before the order was placed cannot give the order its open
                if bar.time < local_order_time:
                    return fill
                if bar.period < timedelta(hours=1) and not asset.exchange.date_time_is_open(bar.time):
                    return fill
                end_time = bar.end_time
                fill.fill_price_exact = bar.exact_open
        else:
            fill.message = _quote_data_message(asset)
        if local_order_time >= end_time:
            return fill
        # an order placed during market hours waits for the next day's open
        if asset.exchange.date_time_is_open(local_order_time) and local_order_time.date() == end_time.date():
            return fill
        if not self.is_exchange_open(asset, False):
            return fill
        fill.fill_quantity_exact = order.quantity_exact
        fill.status = OrderStatus.FILLED
        self._finish_auction_fill(asset, order, fill)
        return fill

    def market_on_close_fill(self, asset: "Security", order: Any) -> Any:
        fill = self.new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return fill
        next_close = asset.exchange.hours.get_next_market_close(local_of(asset, order.time), False)
        if asset.local_time < next_close:
            return fill
        types = self.get_subscribed_types(asset)
        if Tick in types:
            raise NotImplementedError("lean_local does not model market-on-close fills on tick data (official close prints)")
        if TradeBar in types:
            bar = asset.cache.get_data(TradeBar)
            fill.fill_price_exact = bar.exact_close if bar is not None else ZERO
        else:
            fill.message = _quote_data_message(asset)
        self._finish_auction_fill(asset, order, fill)
        fill.fill_quantity_exact = order.quantity_exact
        fill.status = OrderStatus.FILLED
        return fill

    def _finish_auction_fill(self, asset: "Security", order: Any, fill: Any) -> None:
        """Without a trade price take the quote side, then apply slippage."""
        is_buy = order.direction == OrderDirection.BUY
        if fill.fill_price_exact == 0:
            best = self.best_effort_price(asset, order.time, ask=is_buy)
            fill.fill_price_exact = best.price
            fill.message = (fill.message or "") + best.message
        slip = slippage(asset, order)
        fill.fill_price_exact = fill.fill_price_exact + slip if is_buy else fill.fill_price_exact - slip


def _gap_message(asset: "Security", bar: "TradeBar | TickTradeBar", favorable: bool) -> str:
    kind = "a favorable" if favorable else "an unfavorable"
    return (f"Due to {kind} gap at {invariant_time(bar.end_time)} {asset.exchange.time_zone}, "
            f"order filled using the open price ({decimal_to_string(bar.exact_open)})")


def _quote_data_message(asset: "Security") -> str:
    return (f"Warning: No trade information available at {invariant_time(asset.local_time)} "
            f"{asset.exchange.time_zone}, order filled using Quote data")
