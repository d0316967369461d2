"""Subscriptions to time slices: LEAN's file data feed for US equities.

Each subscription yields its data in emission order — corporate events at midnight of their date, bars at
their end time — after price normalisation, LEAN's fill-forward and the market-hours filter. The
synchronizer merges subscriptions by emission time (UTC) into :class:`TimeSlice` objects, the unit the
engine loop consumes. Everything follows LEAN's ``SubscriptionDataReader``, ``FillForwardEnumerator``,
``SubscriptionFilterEnumerator`` and ``SubscriptionSynchronizer``.
"""
from __future__ import annotations

import heapq
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from lean_local.data.bars import QuoteBarArrays, TradeBarArrays, load_daily_or_hour, load_minute_day
from lean_local.data.factor_files import FactorFile, compute_distribution
from lean_local.data.map_files import MapFile
from lean_local.data.market_hours import ExchangeHours
from lean_local.data.paths import DataFolder
from lean_local.enums import DataNormalizationMode, DelistingType, MarketDataType, Resolution, SecurityType, SplitType, TickType
from lean_local.market_data import (
    Bar,
    BaseData,
    Delisting,
    Dividend,
    PriceScale,
    QuoteBar,
    Split,
    SymbolChangedEvent,
    TradeBar,
)
from lean_local.subscriptions import RESOLUTION_SPAN, SubscriptionDataConfig
from lean_local.timeutil import from_utc, to_utc
from lean_local.universe.universes import BaseDataCollection

if TYPE_CHECKING:
    from lean_local.securities.security import Security

ONE_DAY = timedelta(days=1)
ONE_HOUR = timedelta(hours=1)
_EPOCH = datetime(1970, 1, 1)


class LocalClock:
    """Fast naive-local → naive-UTC conversion for one time zone, cached per date (shared by all clocks of the zone)."""

    def __init__(self, tz_name: str) -> None:
        self.tz_name = tz_name
        self._offsets: dict[date, timedelta] = _NOON_OFFSETS.setdefault(tz_name, {})

    def to_utc(self, local: datetime) -> datetime:
        if local.hour < 4:  # DST switches happen between 01:00 and 03:00 local: convert exactly
            return to_utc(local, self.tz_name)
        day = local.date()
        offset = self._offsets.get(day)
        if offset is None:
            noon = datetime.combine(day, time(12))
            offset = to_utc(noon, self.tz_name) - noon
            self._offsets[day] = offset
        return local + offset

    def from_utc(self, utc: datetime) -> datetime:
        return from_utc(utc, self.tz_name)


@dataclass
class FeedContext:
    """What subscriptions need from the engine: the data folder and reference databases."""

    folder: DataFolder
    map_file_for: Callable[[Any], MapFile]
    factor_file_for: Callable[[Any], FactorFile]
    daily_precise_end_time: bool = True


# per time zone: date -> UTC offset at local noon (a pure function of the zone database)
_NOON_OFFSETS: dict[str, dict[date, timedelta]] = {}


def _raw_day_ns(day: date) -> int:
    return (day - _EPOCH.date()).days * 86_400_000_000_000


class EquitySubscription:
    """One equity subscription (trade or quote bars at one resolution) producing data in emission order."""

    def __init__(
        self,
        config: SubscriptionDataConfig,
        security: "Security",
        start_local: datetime,
        end_local: datetime,
        context: FeedContext,
        fill_forward_resolution: Callable[[], timedelta],
        emit_events: bool = True,
        emit_splits_and_dividends: bool = True,
    ) -> None:
        self.config = config
        self.security = security
        self.start_local = start_local
        self.end_local = end_local
        self.context = context
        self._ff_resolution = fill_forward_resolution
        self.exchange: ExchangeHours = security.exchange.hours
        self.clock = LocalClock(self.exchange.time_zone)
        self.map_file = context.map_file_for(config.symbol)
        self.factor_file = context.factor_file_for(config.symbol)
        self.emit_events = emit_events
        self.emit_splits_and_dividends = emit_events and emit_splits_and_dividends
        self.strict_daily = config.resolution == Resolution.DAILY and context.daily_precise_end_time
        self.removed = False
        self._iterator = self._emit()

    # --- public -------------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[BaseData]:
        return self._iterator

    # --- tradable dates ---------------------------------------------------------------------------------
    def _period_start(self) -> datetime:
        start = self.start_local
        if self.map_file.rows:
            first = datetime.combine(self.map_file.first_date, time())
            if start < first:
                start = first
        return start

    def _tradable_dates(self, period_start: datetime) -> Iterator[date]:
        day = period_start.date()
        last = self.end_local.date()
        delisting = self.map_file.delisting_date if self.map_file.rows else None
        extended = self.config.extended_market_hours
        while day <= last:
            if self.exchange.is_date_open(day, extended):
                yield day
            day += ONE_DAY
            if delisting is not None and day > delisting + timedelta(days=7):
                # past delisting only the first tradable date matters (it carries the delisted event)
                while day <= last and not self.exchange.is_date_open(day, extended):
                    day += ONE_DAY
                if day <= last:
                    yield day
                return

    # --- corporate events -------------------------------------------------------------------------------
    def _events_for(self, day: date, state: "_ReaderState") -> list[BaseData]:
        events: list[BaseData] = []
        symbol = self.config.symbol
        has_data = self.map_file.has_data(day)
        factor_file = self.factor_file
        if self.emit_splits_and_dividends and has_data and not factor_file.missing:
            # splits
            if state.pending_split is not None:
                factor, reference = state.pending_split
                state.pending_split = None
                events.append(Split(symbol, _midnight(day), reference, factor, SplitType.SPLIT_OCCURRED))
            split = factor_file.split_on_next_trading_day(day)
            if split is not None:
                state.pending_split = split
                events.append(Split(symbol, _midnight(day), state.last_raw_price(), split[0], SplitType.WARNING))
            # dividends
            if state.pending_dividend is not None:
                ratio, reference = state.pending_dividend
                state.pending_dividend = None
                distribution = compute_distribution(reference, ratio)
                events.append(Dividend(symbol, _midnight(day), distribution, reference))
                state.sum_of_dividends += distribution
            dividend = factor_file.dividend_on_next_trading_day(day)
            if dividend is not None:
                state.pending_dividend = dividend
        if self.emit_events and has_data and self.map_file.rows:
            mapped = self.map_file.mapped_ticker(day)
            if state.mapped_ticker and mapped != state.mapped_ticker:
                events.append(SymbolChangedEvent(symbol, _midnight(day), state.mapped_ticker, mapped))
            state.mapped_ticker = mapped
        if self.map_file.rows and self.emit_events:
            delisting_date = self.map_file.delisting_date
            if not state.delisting_warned and day >= delisting_date:
                state.delisting_warned = True
                events.append(Delisting(symbol, _midnight(delisting_date), state.last_price(), DelistingType.WARNING))
            if not state.delisted and day > delisting_date:
                state.delisted = True
                events.append(Delisting(symbol, _midnight(delisting_date) + ONE_DAY, state.last_price(), DelistingType.DELISTED))
        return events

    # --- raw bars ---------------------------------------------------------------------------------------
    def _price_scale(self, day: date, state: "_ReaderState") -> PriceScale:
        mode = self.config.data_normalization_mode
        if mode == DataNormalizationMode.RAW or self.factor_file.missing:
            return _RAW
        factor = self.factor_file.price_scale_factor(day, mode)
        if state.scale_day_factor is not None and state.scale_day_factor[0] == factor:
            return state.scale_day_factor[1]
        scale = PriceScale(factor)
        state.scale_day_factor = (factor, scale)
        return scale

    def _bars_for_day(self, day: date, state: "_ReaderState") -> Iterator[BaseData]:
        config = self.config
        ticker = state.mapped_ticker or self.map_file.mapped_ticker(day) or config.symbol.value
        resolution = config.resolution
        symbol = config.symbol
        period = RESOLUTION_SPAN[resolution]
        arrays: TradeBarArrays | QuoteBarArrays | None
        if resolution in (Resolution.DAILY, Resolution.HOUR):
            arrays = state.file_cache.get(ticker.lower())
            if arrays is None and ticker.lower() not in state.file_cache:
                arrays = load_daily_or_hour(self.context.folder, ticker.lower(), resolution)
                state.file_cache[ticker.lower()] = arrays
            if arrays is None:
                return
            columns = _columns_of(arrays)
            day_range = columns.day_ranges.get((day - _EPOCH.date()).days)
            if day_range is None:
                return
            indices = range(*day_range)
        else:
            tick_type = TickType.QUOTE if config.type is QuoteBar else TickType.TRADE
            arrays = load_minute_day(self.context.folder, ticker.lower(), day, tick_type, resolution)
            if arrays is None:
                return
            columns = _columns_of(arrays)
            indices = range(len(arrays))
        scale = self._price_scale(day, state)
        starts = columns.starts
        if isinstance(arrays, TradeBarArrays):
            opens, highs, lows, closes, volumes = columns.values
            scale_volume = scale.scale_volume
            from_raw = TradeBar.from_raw
            for i in indices:
                start = starts[i]
                close = closes[i]
                bar = from_raw(symbol, start, start + period, (opens[i], highs[i], lows[i], close), scale_volume(volumes[i]), scale)
                state.last_raw_close = close
                yield bar
        else:
            (bid_open, bid_high, bid_low, bid_close, bid_size, ask_open, ask_high, ask_low, ask_close, ask_size,
             has_bid, has_ask) = columns.values
            bar_from_raw = Bar.from_raw
            for i in indices:
                start = starts[i]
                bid = ask = None
                if has_bid[i]:
                    bid = bar_from_raw((bid_open[i], bid_high[i], bid_low[i], bid_close[i]), scale)
                if has_ask[i]:
                    ask = bar_from_raw((ask_open[i], ask_high[i], ask_low[i], ask_close[i]), scale)
                bid_volume = float(scale.scale_volume(bid_size[i])) if bid is not None else 0.0
                ask_volume = float(scale.scale_volume(ask_size[i])) if ask is not None else 0.0
                yield QuoteBar.create(symbol, start, start + period, bid, bid_volume, ask, ask_volume)

    def _read(self) -> Iterator[BaseData]:
        """LEAN's reader + corporate-event merge: events of a date come before that date's bars."""
        state = _ReaderState()
        period_start = self._period_start()
        previous_end: datetime | None = None
        for day in self._tradable_dates(period_start):
            events = self._events_for(day, state)
            for event in events:
                yield event
            if state.delisted:
                return
            if not self.map_file.has_data(day):
                continue
            for bar in self._bars_for_day(day, state):
                if self.strict_daily:
                    bar_day = bar.time.date()
                    start, end = self.exchange.daily_calendar(datetime.combine(bar_day, time()) + ONE_DAY)
                    if end < bar.time:
                        continue
                    bar.time, bar.end_time = start, end
                    if bar.end_time < self.start_local:
                        continue
                if bar.end_time < period_start:
                    continue
                if previous_end is not None and bar.end_time <= previous_end:
                    continue
                if bar.time > self.end_local:
                    return
                previous_end = bar.end_time
                state.note_last_bar(bar)
                yield bar

    # --- fill forward + market hours filter ----------------------------------------------------------
    def _emit(self) -> Iterator[BaseData]:
        extended = self.config.extended_market_hours
        exchange = self.exchange
        fill_forward = self.config.fill_forward and self.config.resolution != Resolution.TICK
        previous: BaseData | None = None
        delisted_time: datetime | None = None
        data_resolution = RESOLUTION_SPAN[self.config.resolution]
        end_local = self.end_local
        for item in self._read():
            if item.data_type == MarketDataType.AUXILIARY:
                if isinstance(item, Delisting) and item.type == DelistingType.DELISTED:
                    delisted_time = item.end_time
                if fill_forward and previous is not None:
                    for ff in self._fill_forward_between(previous, item, data_resolution, extended):
                        if ff.time > end_local:
                            return
                        if exchange.is_open(ff.time, ff.end_time, extended):
                            yield ff
                        previous = ff
                yield item
                continue
            if fill_forward and previous is not None and _may_fill_forward(previous, item, self._ff_resolution(), data_resolution):
                for ff in self._fill_forward_between(previous, item, data_resolution, extended):
                    if previous.end_time >= end_local:
                        return
                    if ff.time > end_local:
                        return
                    if exchange.is_open(ff.time, ff.end_time, extended):
                        yield ff
                    previous = ff
            previous = item
            if not exchange.is_open(item.time, item.end_time, extended):
                continue
            if item.time > end_local:
                return
            yield item
        # data ran out before the end of the subscription: fill forward to the end
        if fill_forward and previous is not None and delisted_time is None and previous.end_time < end_local:
            yield from self._fill_forward_to_end(previous, data_resolution, extended)

    def _fill_forward_to_end(self, previous: BaseData, data_resolution: timedelta, extended: bool) -> Iterator[BaseData]:
        end_local = self.end_local
        exchange = self.exchange
        if self.strict_daily:
            calendar_start, calendar_end = exchange.daily_calendar(end_local)
            while calendar_end > end_local:
                calendar_start, calendar_end = exchange.daily_calendar(calendar_start - ONE_DAY)
            last_start, period = calendar_start, calendar_end - calendar_start
        else:
            rounded = _round_down(end_local, data_resolution)
            last_start, period = rounded, data_resolution
        terminal = previous.clone_fill_forward(last_start, last_start + period)
        while True:
            produced = False
            for ff in self._fill_forward_between(previous, terminal, data_resolution, extended):
                if exchange.is_open(ff.time, ff.end_time, extended):
                    yield ff
                previous = ff
                produced = True
            if not produced:
                break
        if previous.end_time >= terminal.end_time:
            return
        if exchange.is_open(terminal.time, terminal.end_time, extended) and terminal.end_time > previous.end_time:
            yield terminal

    def _fill_forward_between(
        self, previous: BaseData, following: BaseData, data_resolution: timedelta, extended: bool
    ) -> Iterator[BaseData]:
        """Fill-forward bars strictly between ``previous`` and ``following`` (LEAN's ``RequiresFillForwardData``)."""
        ff_resolution = self._ff_resolution()
        clock = self.clock
        while True:
            fill = self._next_fill_forward(previous, following, ff_resolution, data_resolution, extended, clock)
            if fill is None:
                return
            yield fill
            previous = fill

    def _next_fill_forward(
        self,
        previous: BaseData,
        following: BaseData,
        ff_resolution: timedelta,
        data_resolution: timedelta,
        extended: bool,
        clock: LocalClock,
    ) -> BaseData | None:
        strict = self.strict_daily
        exchange = self.exchange
        previous_time_utc = clock.to_utc(previous.time)
        next_time_utc = clock.to_utc(following.time)
        next_end_utc = clock.to_utc(following.end_time)
        if next_end_utc < previous_time_utc:
            return None
        delta = next_time_utc - previous_time_utc
        if not (delta > ff_resolution or delta > data_resolution):
            return None
        next_period = next_end_utc - next_time_utc
        if previous.is_fill_forward and (not strict or next_period <= ONE_HOUR):
            rounded_next = clock.to_utc(_round_down(following.time, next_period)) if next_period > timedelta(0) else next_time_utc
            delta2 = rounded_next - previous_time_utc
            if not (delta2 > ff_resolution or delta2 > data_resolution):
                return None
        if strict:
            period = following.end_time - following.time
        elif following.time == following.end_time:
            period = timedelta(0)
        else:
            period = data_resolution
        next_end_calc_utc = next_time_utc + period
        is_aux = following.data_type == MarketDataType.AUXILIARY
        for start, item_period in self._reference_intervals(previous, ff_resolution, data_resolution, extended):
            bar_start = start if (strict and item_period > ONE_HOUR) else _round_down(start, item_period)
            potential_end_utc = clock.to_utc(bar_start) + item_period
            if potential_end_utc < next_end_calc_utc or (is_aux and potential_end_utc == next_end_calc_utc):
                potential_end_local = clock.from_utc(potential_end_utc)
                ff_start = potential_end_local - item_period
                if exchange.is_open(ff_start, potential_end_local, extended):
                    expected = data_resolution
                    if strict:
                        market_hours_time = potential_end_local - exchange.regular_market_duration
                        if market_hours_time < start:
                            market_hours_time = start
                        expected = exchange.market_hours_for(market_hours_time).market_duration
                    fill = previous.clone_fill_forward(potential_end_local - expected, potential_end_local)
                    return fill
            else:
                break
        return None

    def _reference_intervals(
        self, previous: BaseData, ff_resolution: timedelta, data_resolution: timedelta, extended: bool
    ) -> list[tuple[datetime, timedelta]]:
        previous_end = previous.end_time
        exchange = self.exchange
        strict = self.strict_daily
        if ff_resolution == data_resolution:
            result: list[tuple[datetime, timedelta]] = []
            if not strict and exchange.is_open(previous_end, previous_end + ff_resolution, extended):
                result.append((previous_end, ff_resolution))
            if strict:
                market_open = exchange.get_next_market_open(previous_end, False)
                start, end = exchange.daily_calendar(market_open)
                result.append((start, end - start))
            else:
                market_open = exchange.get_next_market_open(previous_end, extended)
                result.append((market_open, ff_resolution))
            return result
        smaller, larger = (ff_resolution, data_resolution) if ff_resolution < data_resolution else (data_resolution, ff_resolution)
        first: list[tuple[datetime, timedelta]] = []
        result = []
        if exchange.is_open(previous_end, previous_end + smaller, extended):
            if strict:
                result.append((previous_end, smaller))
            else:
                first.append((previous_end, smaller))
        if strict:
            start, end = exchange.daily_calendar(previous_end)
            if previous_end < end:
                result.append((start, end - start))
        else:
            start = _round_down(previous_end, larger)
            if exchange.is_open(start, start + larger, extended):
                result.append((start, larger))
        market_open = exchange.get_next_market_open(previous_end, extended)
        result.append((market_open, smaller))
        if strict:
            start, end = exchange.daily_calendar(exchange.get_next_market_open(previous_end, False))
            result.append((start, end - start))
        result.sort(key=lambda interval: interval[0] + interval[1])
        return first + result


class WarmUpSubscription:
    """A subscription whose warm-up period is read at the algorithm's warm-up resolution (LEAN's file feed while
    warming up with ``set_warm_up(period, resolution)``).

    The warm-up part reads a copy of the config at the warm-up resolution and stops at the algorithm start; the
    normal part starts one trading day earlier (so its fill-forward has a previous bar) but lets nothing through
    that ends before the start. Both parts carry the original config, so consolidators and indicators of the
    subscription receive the warm-up bars. A warm-up resolution with no data for this kind of config (equity quotes
    at hour or daily) leaves the warm-up period empty.
    """

    def __init__(
        self,
        config: SubscriptionDataConfig,
        security: "Security",
        start_local: datetime,
        algorithm_start_local: datetime,
        end_local: datetime,
        context: FeedContext,
        fill_forward_resolution: Callable[[], timedelta],
        warm_up_resolution: Resolution,
        emit_splits_and_dividends: bool = True,
    ) -> None:
        self.config = config
        self.security = security
        self.clock = LocalClock(security.exchange.hours.time_zone)
        self.removed = False
        self.warm_up: EquitySubscription | None = None
        normal_start = algorithm_start_local
        if start_local < algorithm_start_local and _has_file_data(config, warm_up_resolution):
            warm_up_config = replace(config, resolution=warm_up_resolution, consolidators=[])
            self.warm_up = EquitySubscription(
                warm_up_config, security, start_local, algorithm_start_local, context,
                lambda: RESOLUTION_SPAN[warm_up_resolution], emit_splits_and_dividends=emit_splits_and_dividends,
            )
            normal_start = max(self._previous_trading_day(algorithm_start_local, context), start_local)
        self.algorithm_start_local = algorithm_start_local
        self.normal = EquitySubscription(config, security, normal_start, end_local, context, fill_forward_resolution,
                                         emit_splits_and_dividends=emit_splits_and_dividends)

    def _previous_trading_day(self, start_local: datetime, context: FeedContext) -> datetime:
        from lean_local.history import start_time_for_bars

        return start_time_for_bars(self.security.exchange.hours, start_local, ONE_DAY, 1, False,
                                   context.daily_precise_end_time)

    def __iter__(self) -> Iterator[BaseData]:
        return self._emit()

    def _emit(self) -> Iterator[BaseData]:
        pivot = self.algorithm_start_local
        if self.warm_up is not None:
            for item in self.warm_up:
                if item.end_time > pivot:
                    break
                yield item
        for item in self.normal:
            if item.end_time >= pivot:
                yield item


def _has_file_data(config: SubscriptionDataConfig, resolution: Resolution) -> bool:
    """LEAN keeps no equity quote bars at hour or daily resolution (``LeanData.IsValidConfiguration``)."""
    return not (config.security_type == SecurityType.EQUITY and config.type is QuoteBar
                and resolution in (Resolution.HOUR, Resolution.DAILY))


@dataclass
class _ReaderState:
    last_raw_close: int | None = None
    pending_split: tuple[Decimal, Decimal] | None = None
    pending_dividend: tuple[Decimal, Decimal] | None = None
    sum_of_dividends: Decimal = Decimal(0)
    mapped_ticker: str = ""
    delisting_warned: bool = False
    delisted: bool = False
    scale_day_factor: tuple[Decimal, PriceScale] | None = None
    file_cache: dict[str, TradeBarArrays | None] = field(default_factory=dict)
    # the last bar read, kept so that its exact value is computed only when a delisting needs it: (raw close,
    # price scale) per file-built side of the bar, else the exact value itself
    _last_bar: tuple[Any, ...] | Decimal = Decimal(0)

    def last_raw_price(self) -> Decimal:
        """The last file bar's unadjusted close (raw deci-cents x 0.0001), the split warning's reference price."""
        if self.last_raw_close is None:
            return Decimal(0)
        return Decimal(self.last_raw_close).scaleb(-4)

    def note_last_bar(self, bar: BaseData) -> None:
        """Remember ``bar`` for :meth:`last_price`. Bars can be split-adjusted in place later (security cache), so
        what ``exact_value`` reads now is captured: the raw close and price scale of each file-built side."""
        kind = type(bar)
        if kind is TradeBar:
            captured = _raw_close(bar)
            if captured is not None:
                self._last_bar = captured
                return
        elif kind is QuoteBar:
            bid, ask = bar.bid, bar.ask  # type: ignore[attr-defined]
            bid_close = _raw_close(bid) if type(bid) is Bar else None
            ask_close = _raw_close(ask) if type(ask) is Bar else None
            if bid_close is not None and ask_close is not None:
                self._last_bar = bid_close + ask_close
                return
            if bid_close is not None and ask is None:
                self._last_bar = bid_close
                return
            if ask_close is not None and bid is None:
                self._last_bar = ask_close
                return
        self._last_bar = bar.exact_value

    def last_price(self) -> Decimal:
        """The last bar's exact value (``bar.exact_value`` when it was read): the delisting price."""
        last = self._last_bar
        if isinstance(last, Decimal):
            return last
        if len(last) == 2:
            return last[1].exact(last[0])
        # a quote bar with both sides: QuoteBar._exact_mid("close")
        return (last[1].exact(last[0]) + last[3].exact(last[2])) / 2


def _raw_close(bar: Any) -> tuple[int, PriceScale] | None:
    """(raw close, scale) of a bar built from file integers (its ``exact_close`` is ``scale.exact(raw close)``)."""
    raw = bar._raw
    scale = bar._scale
    if raw is None or scale is None:
        return None
    return (raw[3], scale)


class _FileColumns:
    """A bar file's columns as Python lists (bar starts as datetimes) and, for daily/hour files, each day's row
    range: built once per parsed file so that reading a day costs no numpy scalar conversions or searches."""

    __slots__ = ("starts", "values", "day_ranges", "__weakref__")

    def __init__(self, arrays: TradeBarArrays | QuoteBarArrays) -> None:
        times = arrays.time
        self.starts: list[datetime] = (times // 1000).astype("datetime64[us]").tolist()
        if isinstance(arrays, TradeBarArrays):
            columns: tuple[Any, ...] = (arrays.open, arrays.high, arrays.low, arrays.close, arrays.volume)
        else:
            columns = (arrays.bid_open, arrays.bid_high, arrays.bid_low, arrays.bid_close, arrays.bid_size,
                       arrays.ask_open, arrays.ask_high, arrays.ask_low, arrays.ask_close, arrays.ask_size,
                       arrays.has_bid, arrays.has_ask)
        self.values: tuple[list[Any], ...] = tuple(column.tolist() for column in columns)
        self.day_ranges: dict[int, tuple[int, int]] = {}
        if len(times):
            # each day's rows as np.searchsorted finds them (left and right) in the file's day numbers
            days = (times // 86_400_000_000_000).astype(np.int64)
            keys = np.unique(days)
            lows = np.searchsorted(days, keys, side="left")
            highs = np.searchsorted(days, keys, side="right")
            self.day_ranges = {int(k): (int(lo), int(hi)) for k, lo, hi in zip(keys, lows, highs)}


_COLUMNS: "weakref.WeakKeyDictionary[Any, _FileColumns]" = weakref.WeakKeyDictionary()


def _columns_of(arrays: TradeBarArrays | QuoteBarArrays) -> _FileColumns:
    columns = _COLUMNS.get(arrays)
    if columns is None:
        columns = _COLUMNS[arrays] = _FileColumns(arrays)
    return columns


_RAW = PriceScale(None)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _may_fill_forward(previous: BaseData, following: BaseData, ff_resolution: timedelta, data_resolution: timedelta) -> bool:
    """False when ``_next_fill_forward(previous, following)`` certainly finds nothing: both starts on one local date
    at 04:00 or later (so ``LocalClock`` converts them with the same UTC offset) and no more than a resolution
    apart -- the first test ``_next_fill_forward`` makes. Consecutive intraday bars are the common case."""
    previous_time = previous.time
    following_time = following.time
    if previous_time.hour < 4 or following_time.hour < 4 or previous_time.date() != following_time.date():
        return True
    delta = following_time - previous_time
    return delta > ff_resolution or delta > data_resolution


def _round_down(moment: datetime, interval: timedelta) -> datetime:
    if interval <= timedelta(0):
        return moment
    if interval >= ONE_DAY and interval % ONE_DAY == timedelta(0):
        days = (moment - _EPOCH) // interval
        return _EPOCH + days * interval
    ticks = (moment - _EPOCH) // interval
    return _EPOCH + ticks * interval


# --- synchronizer -----------------------------------------------------------------------------------------


@dataclass
class DataPacket:
    """All data one subscription emits at one moment."""

    subscription: EquitySubscription
    data: list[BaseData]


@dataclass
class TimeSlice:
    """Everything the engine processes at one moment (LEAN's ``TimeSlice``)."""

    utc_time: datetime
    packets: list[DataPacket]
    data_point_count: int
    changes: Any = None


class Synchronizer:
    """Merges subscriptions by emission time; new subscriptions can join while it runs.

    Universe subscriptions (``is_universe``) carry selection data: when some is due, the synchronizer hands it to
    ``on_universe_data`` (which aligns the algorithm clock and applies the selections) and then pulls again, so data
    of securities added by the selection at this very moment joins the same slice, as in LEAN.
    """

    def __init__(self, start_utc: datetime) -> None:
        self._heap: list[tuple[datetime, tuple[int, int, str], int]] = []
        self._streams: dict[int, tuple[Any, Iterator[BaseData], BaseData | None]] = {}
        self._universe_feeds: list[Any] = []
        self._order = 0
        self.frontier_utc = start_utc
        self.on_delisted: Callable[[EquitySubscription, Delisting], Any] | None = None
        self.on_universe_data: Callable[[datetime, dict[Any, Any]], Any] | None = None
        self.empty_changes: Callable[[], Any] = lambda: None

    def add(self, subscription: Any) -> None:
        iterator = iter(subscription)
        key = self._order
        self._order += 1
        subscription.finished = False
        self._streams[key] = (subscription, iterator, None)
        if getattr(subscription, "is_universe", False):
            self._universe_feeds.append(subscription)
        self._advance(key)

    def remove(self, subscription: Any) -> None:
        subscription.removed = True

    def _advance(self, key: int) -> None:
        subscription, iterator, _ = self._streams[key]
        try:
            item = next(iterator)
        except StopIteration:
            del self._streams[key]
            subscription.finished = True
            return
        self._streams[key] = (subscription, iterator, item)
        emit = subscription.clock.to_utc(item.end_time)
        heapq.heappush(self._heap, (emit, _sort_key(subscription), key))

    def next_time(self) -> datetime | None:
        while self._heap:
            emit, _, key = self._heap[0]
            stream = self._streams.get(key)
            if stream is None or stream[0].removed:
                heapq.heappop(self._heap)
                if stream is not None:
                    del self._streams[key]
                    stream[0].finished = True
                continue
            return max(emit, self.frontier_utc)
        if any(f.universe.dispose_requested and not f.removed for f in self._universe_feeds):
            return self.frontier_utc
        return None

    def next_slice(self) -> TimeSlice | None:
        """The next time slice, or None when every subscription is exhausted."""
        emit = self.next_time()
        if emit is None:
            return None
        frontier = emit
        self.frontier_utc = frontier
        packets: dict[int, DataPacket] = {}
        count = 0
        changes = self.empty_changes()
        while True:
            selections: dict[Any, Any] = {}
            while self._heap and self._heap[0][0] <= frontier:
                _, _, key = heapq.heappop(self._heap)
                stream = self._streams.get(key)
                if stream is None:
                    continue
                subscription, iterator, item = stream
                if subscription.removed:
                    del self._streams[key]
                    subscription.finished = True
                    continue
                assert item is not None
                if getattr(subscription, "is_universe", False):
                    assert isinstance(item, BaseDataCollection)
                    collection = selections.get(subscription.universe)
                    if collection is None:
                        selections[subscription.universe] = _collection_at(item, frontier)
                    else:
                        collection.data.extend(item.data)
                else:
                    packet = packets.get(key)
                    if packet is None:
                        packet = packets[key] = DataPacket(subscription, [])
                    packet.data.append(item)
                    count += 1
                    if isinstance(item, Delisting) and item.type == DelistingType.DELISTED and self.on_delisted is not None:
                        delisted = self.on_delisted(subscription, item)
                        if delisted:
                            changes = changes + delisted
                self._advance(key)
            for feed in self._universe_feeds:
                if feed.universe.dispose_requested and not feed.removed:
                    # one last selection so a removed universe deselects everything it added
                    feed.removed = True
                    selections.setdefault(feed.universe, _empty_collection(feed, frontier))
            self._universe_feeds = [f for f in self._universe_feeds if not f.removed and not f.finished]
            if not selections or self.on_universe_data is None:
                break
            count += sum(len(c.data) for c in selections.values())
            selected = self.on_universe_data(frontier, selections)
            if not selected:
                break
            changes = changes + selected
        ordered = [packets[key] for key in sorted(packets, key=lambda k: (_sort_key(packets[k].subscription), k))]
        return TimeSlice(frontier, ordered, count, changes)


def _collection_at(item: BaseDataCollection, frontier: datetime) -> BaseDataCollection:
    return BaseDataCollection(frontier, item.symbol, list(item.data), frontier)


def _empty_collection(feed: Any, frontier: datetime) -> BaseDataCollection:
    return BaseDataCollection(frontier, feed.config.symbol, [], frontier)


def _sort_key(subscription: EquitySubscription) -> tuple[int, int, str]:
    """Packet order within a slice: security type, tick type, symbol id (computed once per subscription)."""
    key: tuple[int, int, str] | None = getattr(subscription, "_synchronizer_sort_key", None)
    if key is None:
        config = subscription.config
        key = (int(config.symbol.security_type), int(config.tick_type), str(config.symbol.id))
        subscription._synchronizer_sort_key = key  # type: ignore[attr-defined]
    return key
