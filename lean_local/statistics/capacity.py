"""Estimated strategy capacity (LEAN's ``CapacityEstimate`` and ``SymbolCapacity``).

For each traded security the estimator adds up the market's dollar volume in the bars right after each of
our fills (how long depends on the resolution and on how liquid the security is), scaled down for fast
trading. Every snapshot period it takes the security with the least market dollar volume and divides its
average per-trade volume by that security's share of our sales volume (or of our holdings, whichever is
larger). Snapshots are blended 33 % new / 66 % old; the reported capacity is rounded to 1000.

What the engine must do, and when (LEAN 24863901):

* :meth:`CapacityEstimate.on_order_event` for **every order event**, right after the event was applied to
  the portfolio and the trade builder (``BacktestingResultHandler.OrderEvent``); non-fill events are ignored.
* :meth:`CapacityEstimate.update_market_capacity` with ``force=False`` once at the **end of every time
  slice** (``ResultHandler.ProcessSynchronousEvents``, after ``OnData``, the framework models and the second
  processing of synchronous orders), with the slice's UTC time and its data.
* :meth:`CapacityEstimate.update_market_capacity` with ``force=True`` twice when the backtest ends, still with
  the last slice: after ``OnEndOfAlgorithm`` (``ProcessSynchronousEvents(forceProcess: true)``) and again when
  the result handler exits (``BacktestingResultHandler.Exit``), before the final statistics are generated.
* Read :attr:`CapacityEstimate.capacity` and :attr:`CapacityEstimate.lowest_capacity_asset` for the summary
  and for the daily "Capacity" chart sample.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

from lean_local.csharp import (
    ZERO,
    decimal_add,
    decimal_div,
    decimal_max,
    decimal_mul,
    decimal_sum,
    discretely_round_by,
    ticks_from_days,
    ticks_total_days,
    ticks_total_minutes,
    timedelta_to_ticks,
    to_decimal,
    to_double,
)
from lean_local.enums import OrderStatus, Resolution, SecurityType

CAPACITY_EFFECT_PERIOD = timedelta(days=30)
_FOREX_MINUTE_VOLUME = Decimal(25000000)
_CFD_MINUTE_VOLUME = Decimal(200)
_FAST_TRADING_VOLUME_SCALING_FACTOR = Decimal(2)
_MINUTES_PER_TRADING_DAY = Decimal(390)
_MIN_DISCOUNT = Decimal("0.20")
_NEW_WEIGHT = Decimal("0.33")
_OLD_WEIGHT = Decimal("0.66")
_CAPACITY_QUANTA = Decimal("1000.00")
_RESOLUTION_SCALE_FACTOR = {
    Resolution.DAILY: Decimal("0.02"),
    Resolution.HOUR: Decimal("0.05"),
    Resolution.MINUTE: Decimal("0.20"),
    Resolution.TICK: Decimal("0.50"),
    Resolution.SECOND: Decimal("0.50"),
}


class CapacityTradeBar(Protocol):
    """A TradeBar of the current slice (prices in the quote currency)."""

    @property
    def exact_close(self) -> Decimal: ...

    @property
    def exact_volume(self) -> Decimal: ...

    @property
    def period(self) -> timedelta: ...


class CapacityQuoteBar(Protocol):
    """A QuoteBar of the current slice; ``exact_close`` is LEAN's QuoteBar.Close (mid, or the one side)."""

    @property
    def exact_close(self) -> Decimal: ...

    @property
    def last_bid_size(self) -> Decimal | float: ...

    @property
    def last_ask_size(self) -> Decimal | float: ...

    @property
    def period(self) -> timedelta: ...


class CapacitySlice(Protocol):
    """The current time slice's data for one security (``Slice.Bars`` / ``Slice.QuoteBars``), or None."""

    def trade_bar(self, symbol_key: Hashable) -> CapacityTradeBar | None: ...

    def quote_bar(self, symbol_key: Hashable) -> CapacityQuoteBar | None: ...


class CapacitySecurity(Protocol):
    """The engine's view of one traded security, read at the moment the estimator needs it."""

    @property
    def symbol_id(self) -> str:
        """Security identifier string, e.g. "SPY R735QTJ8XC9X" (the "Lowest Capacity Asset")."""
        ...

    @property
    def security_type(self) -> SecurityType: ...

    @property
    def conversion_rate(self) -> Decimal:
        """Quote currency to account currency (``Security.QuoteCurrency.ConversionRate``)."""
        ...

    @property
    def contract_multiplier(self) -> Decimal: ...

    @property
    def leverage(self) -> Decimal: ...

    @property
    def invested(self) -> bool: ...

    @property
    def internal_feed_only(self) -> bool:
        """True when every subscription of the security is internal (e.g. a mapped continuous future)."""
        ...

    def used_buying_power(self) -> Decimal:
        """``BuyingPowerModel.GetReservedBuyingPowerForPosition(...).AbsoluteUsedBuyingPower``: the maintenance
        margin of the current holdings (equities: |holdings value| x maintenance margin requirement)."""
        ...

    def cached_trade_bar(self, utc_time: datetime) -> CapacityTradeBar | None:
        """For ``internal_feed_only`` securities: the cached TradeBar if its end time (UTC) equals
        ``utc_time``, else None."""
        ...


@dataclass(frozen=True)
class _Bar:
    close: Decimal
    volume: Decimal
    period: timedelta


def _resolution_of(period: timedelta) -> Resolution:
    """``TimeSpan.ToHigherResolutionEquivalent(false)``."""
    if period < timedelta(seconds=1):
        return Resolution.TICK
    if period < timedelta(minutes=1):
        return Resolution.SECOND
    if period < timedelta(hours=1):
        return Resolution.MINUTE
    if period < timedelta(days=1):
        return Resolution.HOUR
    return Resolution.DAILY


_DOTNET_MIN_TIME = datetime(1, 1, 1)


def _round_up(time: datetime, interval: timedelta) -> datetime:
    """LEAN's ``DateTime.RoundUp`` (in ticks since 0001-01-01)."""
    interval_ticks = timedelta_to_ticks(interval)
    ticks = timedelta_to_ticks(time - _DOTNET_MIN_TIME)
    rounded = (ticks + interval_ticks - 1) // interval_ticks * interval_ticks
    return _DOTNET_MIN_TIME + timedelta(microseconds=rounded // 10)


class SymbolCapacity:
    """Per-security market capacity, aggregated around our fills."""

    def __init__(self, security: CapacitySecurity, symbol_key: Hashable) -> None:
        self.security = security
        self.symbol_key = symbol_key
        self.trades = 0
        self.sale_volume = ZERO
        self._previous_volume = ZERO
        self._previous_time: datetime | None = None
        self._average_dollar_volume = ZERO
        self._resolution_scale_factor = ZERO
        self._market_capacity_dollar_volume = ZERO
        self._reset_market_capacity = False
        self._fast_trading_discount = ZERO
        self._previous_order_time: datetime | None = None

    @property
    def market_capacity_dollar_volume(self) -> Decimal:
        return decimal_mul(self._market_capacity_dollar_volume, self._resolution_scale_factor)

    def on_fill(self, utc_time: datetime, fill_price: Decimal, fill_quantity: Decimal) -> None:
        security = self.security
        self.sale_volume = decimal_add(
            self.sale_volume,
            decimal_mul(
                decimal_mul(decimal_mul(security.conversion_rate, fill_price), fill_quantity.copy_abs()),
                security.contract_multiplier,
            ),
        )
        previous = self._previous_order_time if self._previous_order_time is not None else utc_time - timedelta(days=1)
        minutes = to_decimal(ticks_total_minutes(timedelta_to_ticks(utc_time - previous)))
        discount = decimal_mul(_FAST_TRADING_VOLUME_SCALING_FACTOR, decimal_div(minutes, _MINUTES_PER_TRADING_DAY))
        self._fast_trading_discount = Decimal(1) if discount > 1 else decimal_max(_MIN_DISCOUNT, discount)
        if self._reset_market_capacity:
            self._market_capacity_dollar_volume = ZERO
            self.trades = 0
            self._reset_market_capacity = False
        self.trades += 1
        self._previous_order_time = utc_time

    def update_market_capacity(self, utc_time: datetime, current_slice: CapacitySlice) -> bool:
        """Add the slice's market volume while within the window after our last fill. Returns True once the
        window has passed (the security then stops being monitored)."""
        bar = self._bar(utc_time, current_slice)
        if bar is None or bar.volume == 0:
            return False
        resolution = _resolution_of(bar.period)
        rate = self.security.conversion_rate
        previous_time = self._previous_time if self._previous_time is not None else utc_time
        minutes_between = to_decimal(ticks_total_minutes(timedelta_to_ticks(utc_time - previous_time)))
        if self._previous_time is None or minutes_between == 0:
            self._average_dollar_volume = decimal_mul(decimal_mul(rate, bar.close), bar.volume)
        else:
            self._average_dollar_volume = decimal_div(
                decimal_mul(decimal_mul(bar.close, rate), decimal_add(bar.volume, self._previous_volume)),
                minutes_between,
            )
        self._previous_time = utc_time
        self._previous_volume = bar.volume

        include = self._include_market_volume(utc_time, resolution)
        if include:
            self._resolution_scale_factor = _RESOLUTION_SCALE_FACTOR.get(resolution, Decimal(1))
            added = decimal_mul(
                decimal_mul(
                    decimal_mul(decimal_mul(bar.close, self._fast_trading_discount), bar.volume), rate
                ),
                self.security.contract_multiplier,
            )
            self._market_capacity_dollar_volume = decimal_add(self._market_capacity_dollar_volume, added)
        return not include

    def _include_market_volume(self, utc_time: datetime, resolution: Resolution) -> bool:
        if self._previous_order_time is None:
            return False
        order_time = self._previous_order_time
        scale = 6000000
        if resolution in (Resolution.TICK, Resolution.SECOND):
            scale //= 60
            k = decimal_div(Decimal(scale), self._average_dollar_volume) if self._average_dollar_volume != 0 else Decimal(10)
            timeout = order_time + timedelta(minutes=120 if k > 120 else int(max(5.0, to_double(k))))
        elif resolution == Resolution.MINUTE:
            k = decimal_div(Decimal(scale), self._average_dollar_volume) if self._average_dollar_volume != 0 else Decimal(10)
            timeout = order_time + timedelta(minutes=120 if k > 120 else int(max(1.0, to_double(k))))
        elif resolution == Resolution.HOUR:
            return utc_time == _round_up(order_time, timedelta(hours=1))
        elif resolution == Resolution.DAILY:
            return utc_time == order_time or datetime.combine(utc_time.date(), datetime.min.time()) == _round_up(
                order_time, timedelta(days=1)
            )
        else:
            timeout = order_time + timedelta(hours=1)
        return utc_time <= timeout

    def _bar(self, utc_time: datetime, current_slice: CapacitySlice) -> _Bar | None:
        trade = current_slice.trade_bar(self.symbol_key)
        if trade is not None:
            return _Bar(trade.exact_close, trade.exact_volume, trade.period)
        quote = current_slice.quote_bar(self.symbol_key)
        if quote is not None:
            volume = decimal_div(
                decimal_add(to_decimal(quote.last_bid_size), to_decimal(quote.last_ask_size)), Decimal(2)
            )
            if self.security.security_type == SecurityType.FOREX:
                volume = _FOREX_MINUTE_VOLUME
            elif self.security.security_type == SecurityType.CFD:
                volume = _CFD_MINUTE_VOLUME
            return _Bar(quote.exact_close, volume, quote.period)
        if not self.security.internal_feed_only:
            return None
        cached = self.security.cached_trade_bar(utc_time)
        if cached is None:
            return None
        return _Bar(cached.exact_close, cached.exact_volume, cached.period)

    def reset(self) -> None:
        """Start a new snapshot period: market volume resets with the next fill, sales volume now."""
        self._reset_market_capacity = True
        self.sale_volume = ZERO

    def should_remove(self, utc_time: datetime) -> bool:
        """Drop securities no longer held and not traded for 30 days."""
        assert self._previous_order_time is not None
        return not (self.security.invested or utc_time < self._previous_order_time + CAPACITY_EFFECT_PERIOD)


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class DotNetDictionary(Generic[K, V]):
    """A dictionary that enumerates like .NET's ``Dictionary``: insertion order, except that an entry added
    after removals takes the most recently freed slot. (The estimator breaks ties by this order.)"""

    def __init__(self) -> None:
        self._slots: list[tuple[K, V] | None] = []
        self._index: dict[K, int] = {}
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def get(self, key: K) -> V | None:
        slot = self._index.get(key)
        if slot is None:
            return None
        entry = self._slots[slot]
        assert entry is not None
        return entry[1]

    def __setitem__(self, key: K, value: V) -> None:
        slot = self._index.get(key)
        if slot is None:
            if self._free:
                slot = self._free.pop()
            else:
                slot = len(self._slots)
                self._slots.append(None)
            self._index[key] = slot
        self._slots[slot] = (key, value)

    def remove(self, key: K) -> None:
        slot = self._index.pop(key)
        self._slots[slot] = None
        self._free.append(slot)

    def values(self) -> Iterator[V]:
        for entry in self._slots:
            if entry is not None:
                yield entry[1]


class CapacityEstimate:
    """Strategy capacity in the account currency, estimated from the securities we trade."""

    def __init__(self, start_date: datetime, end_date: datetime) -> None:
        """``start_date``/``end_date``: the algorithm's ``StartDate``/``EndDate`` (exchange-local; the end date
        is the last instant of the last day). The snapshot period is ``clamp(days - 1, 1, 7)`` days."""
        days = ticks_total_days(timedelta_to_ticks(end_date - start_date))
        snapshot_days = max(min(days - 1, 7.0), 1.0)
        self._snapshot_period = timedelta(microseconds=ticks_from_days(snapshot_days) // 10)
        self._next_snapshot = start_date + self._snapshot_period
        self._by_symbol: DotNetDictionary[Hashable, SymbolCapacity] = DotNetDictionary()
        self._monitored: list[SymbolCapacity] = []
        self._capacity = ZERO
        self._lowest: SymbolCapacity | None = None
        self._rounded: tuple[Decimal, Decimal] | None = None  # (estimate, rounded estimate): sampled daily

    @property
    def capacity(self) -> Decimal:
        """Current estimate rounded to the nearest 1000 (midpoints away from zero), e.g. ``56123000.00``."""
        rounded = self._rounded
        if rounded is None or rounded[0] is not self._capacity:
            rounded = self._rounded = (self._capacity, discretely_round_by(self._capacity, _CAPACITY_QUANTA))
        return rounded[1]

    @property
    def lowest_capacity_asset(self) -> str | None:
        """Security identifier of the security that limited the last snapshot, or None before the first one."""
        return self._lowest.security.symbol_id if self._lowest is not None else None

    def on_order_event(
        self,
        *,
        symbol_key: Hashable,
        security: CapacitySecurity,
        status: OrderStatus,
        utc_time: datetime,
        fill_price: Decimal,
        fill_quantity: Decimal,
    ) -> None:
        """Record an order event; only Filled and PartiallyFilled events count."""
        if status not in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED):
            return
        symbol_capacity = self._by_symbol.get(symbol_key)
        if symbol_capacity is None:
            symbol_capacity = SymbolCapacity(security, symbol_key)
            self._by_symbol[symbol_key] = symbol_capacity
        symbol_capacity.on_fill(utc_time, fill_price, fill_quantity)
        if not any(monitored is symbol_capacity for monitored in self._monitored):
            self._monitored.append(symbol_capacity)

    def update_market_capacity(
        self,
        utc_time: datetime,
        current_slice: CapacitySlice,
        total_portfolio_value: Decimal,
        force: bool = False,
    ) -> None:
        """Feed the slice's market volume to the monitored securities and, once per snapshot period (or when
        forced), take a capacity snapshot. ``total_portfolio_value`` in the account currency."""
        for index in range(len(self._monitored) - 1, -1, -1):
            if self._monitored[index].update_market_capacity(utc_time, current_slice):
                del self._monitored[index]

        utc_date = datetime.combine(utc_time.date(), datetime.min.time())
        if not (force or (utc_date >= self._next_snapshot and len(self._by_symbol) != 0)):
            return
        capacities = list(self._by_symbol.values())
        total_sale_volume = decimal_sum(capacity.sale_volume for capacity in capacities)
        if total_portfolio_value == 0 or not capacities:
            return

        smallest = capacities[0]
        for capacity in capacities[1:]:
            if capacity.market_capacity_dollar_volume < smallest.market_capacity_dollar_volume:
                smallest = capacity
        self._lowest = smallest

        share_of_sales = decimal_div(smallest.sale_volume, total_sale_volume) if total_sale_volume != 0 else ZERO
        security = smallest.security
        buying_power_used = decimal_mul(security.used_buying_power(), security.leverage)
        share_of_holdings = decimal_div(buying_power_used, total_portfolio_value)
        scaling = decimal_max(share_of_sales, share_of_holdings)
        daily_capacity = decimal_div(smallest.market_capacity_dollar_volume, Decimal(smallest.trades))
        new_capacity = self._capacity if scaling == 0 else decimal_div(daily_capacity, scaling)
        if self._capacity != 0:
            new_capacity = decimal_add(decimal_mul(_NEW_WEIGHT, new_capacity), decimal_mul(self._capacity, _OLD_WEIGHT))
        self._capacity = new_capacity

        for capacity in capacities:
            if not capacity.should_remove(utc_time):
                capacity.reset()
                continue
            self._by_symbol.remove(capacity.symbol_key)
            self._monitored = [monitored for monitored in self._monitored if monitored is not capacity]

        self._next_snapshot = utc_date + self._snapshot_period


__all__ = [
    "CAPACITY_EFFECT_PERIOD",
    "CapacityEstimate",
    "CapacityQuoteBar",
    "CapacitySecurity",
    "CapacitySlice",
    "CapacityTradeBar",
    "DotNetDictionary",
    "SymbolCapacity",
]
