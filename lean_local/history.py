"""Historical data requests: ``self.history(...)`` and the bars behind indicator warm-up.

History reads the same files through the same subscription code as the live feed (normalisation,
fill-forward, market-hours filter), up to the algorithm's current time — never beyond it. A request for
``n`` bars starts where LEAN's ``GetStartTimeForTradeBars`` starts, so the count is exact across weekends,
holidays and early closes. Results are pandas frames shaped like LEAN's: a (symbol, time) MultiIndex, where
time is the bar's end time, and lower-case columns.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from lean_local.enums import Resolution, SecurityType, TickType
from lean_local.market_data import BaseData, QuoteBar, TradeBar
from lean_local.subscriptions import RESOLUTION_SPAN, SubscriptionDataConfig, data_types_for
from lean_local.timeutil import from_utc, to_utc

if TYPE_CHECKING:
    from lean_local.data.market_hours import ExchangeHours
    from lean_local.engine import Engine


def start_time_for_bars(hours: "ExchangeHours", end: datetime, bar_size: timedelta, count: int, extended: bool, daily_precise_end_time: bool) -> datetime:
    """The local start time that yields ``count`` bars ending at ``end`` (LEAN's ``GetStartTimeForTradeBars``)."""
    current = end
    if daily_precise_end_time and bar_size == timedelta(days=1):
        if not hours.is_date_open(current.date()) or hours.get_next_market_close(datetime.combine(current.date(), time()), extended) > current:
            current = _round_down(end, bar_size)
    else:
        current = _round_down(end, bar_size)
    found = 0
    while found < count:
        previous = current
        current = current - bar_size
        if hours.is_open(current, previous, extended):
            found += 1
    return current


SEED_LOOKBACK_PERIOD = 5
SEED_RETRY_PERIODS = {Resolution.DAILY: 10, Resolution.HOUR: 24}
SEED_RETRY_MINUTE_PERIODS = 24 * 60
SEED_LAST_RESORT_DAILY_PERIODS = 50


def _is_unseedable(symbol: Any) -> bool:
    """Canonical chain symbols (except futures) have no prices of their own."""
    return bool(symbol.is_canonical()) and symbol.security_type != SecurityType.FUTURE


def _tick_order(order: list[TickType], data: BaseData) -> int:
    tick_type = TickType.QUOTE if isinstance(data, QuoteBar) else TickType.TRADE
    return order.index(tick_type) if tick_type in order else len(order)


def _round_down(moment: datetime, interval: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1)
    return epoch + ((moment - epoch) // interval) * interval


class HistoryProvider:
    """Reads historical bars for the engine (one subscription per config, like LEAN's history requests)."""

    def __init__(self, engine: "Engine") -> None:
        self.engine = engine
        self.data_points = 0

    def configs_for(self, symbol: Any, resolution: Resolution | None, data_type: type | None) -> list[SubscriptionDataConfig]:
        engine = self.engine
        existing = engine.subscription_manager.get_subscription_data_configs(symbol, include_internal_configs=True)
        existing = sorted(existing, key=lambda c: (-int(c.resolution), -int(c.tick_type)))
        security = engine.algorithm.securities.get(symbol)
        if resolution is None:
            if existing:
                resolution = max((c.resolution for c in existing if not c.is_internal_feed), default=existing[0].resolution, key=int)
            else:
                resolution = engine.algorithm.universe_settings.resolution
        template = next((c for c in existing if not c.is_internal_feed), existing[0] if existing else None)
        types = data_types_for(symbol.security_type, resolution)
        if data_type is not None:
            types = [t for t in types if t[0] is data_type] or [(data_type, types[0][1])]
        configs = []
        for kind, tick_type in types:
            configs.append(SubscriptionDataConfig(
                symbol, kind, resolution,
                template.data_time_zone if template else "America/New_York",
                template.exchange_time_zone if template else "America/New_York",
                fill_forward=template.fill_forward if template else True,
                extended_market_hours=template.extended_market_hours if template else False,
                data_normalization_mode=(template.data_normalization_mode if template else
                                         (security.data_normalization_mode if security else engine.algorithm.universe_settings.data_normalization_mode)),
                tick_type=tick_type,
            ))
        return configs

    def read(self, config: SubscriptionDataConfig, start_local: datetime, end_local: datetime) -> list[BaseData]:
        """Bars of ``config`` with end time in (start, end], excluding corporate events."""
        from lean_local.feed import EquitySubscription

        engine = self.engine
        security = engine.algorithm.securities.get(config.symbol) or engine.history_security(config.symbol)
        subscription = EquitySubscription(
            config, security, start_local, end_local, engine.feed_context, lambda: RESOLUTION_SPAN[config.resolution],
            emit_events=False,
        )
        bars: list[BaseData] = [item for item in subscription
                                if isinstance(item, (TradeBar, QuoteBar)) and start_local < item.end_time <= end_local]
        self.data_points += len(bars)
        return bars

    def bars(self, symbol: Any, periods: int | None, resolution: Resolution | None, start: datetime | None = None,
             end: datetime | None = None, data_type: type | None = None) -> dict[type, list[Any]]:
        """Bars by data type; ``periods`` counts bars back from the current time, else ``start``..``end`` (local)."""
        engine = self.engine
        algorithm = engine.algorithm
        now_local = algorithm.time
        result: dict[type, list[Any]] = {}
        for config in self.configs_for(symbol, resolution, data_type):
            hours = (algorithm.securities[symbol].exchange.hours if symbol in algorithm.securities
                     else engine.market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol))
            if periods is not None:
                span = RESOLUTION_SPAN[config.resolution]
                start_local = start_time_for_bars(hours, from_utc(algorithm.utc_time, hours.time_zone), span, periods,
                                                  config.extended_market_hours and config.resolution < Resolution.HOUR,
                                                  algorithm.settings.daily_precise_end_time)
                end_local = now_local
            else:
                assert start is not None
                start_local = start
                end_local = min(end or now_local, now_local)
            bars = self.read(config, start_local, end_local)
            if periods is not None:
                bars = bars[-periods:] if periods else []
            result[config.type] = bars
        return result


    # --- last known prices (seeding new securities) -------------------------------------------------------------
    def last_known_data(self, symbols: Iterable[Any]) -> dict[Any, list[BaseData]]:
        """The last bar of every data type of each symbol, oldest first (LEAN's ``GetLastKnownPrices``).

        A short look-back (5 bars at each subscription's resolution, minute at the finest, never fill-forwarded)
        comes first; data types still missing are retried with a longer look-back at the same resolution
        (10 days, 24 hours or 1440 minutes), and symbols still missing something get a last 50-day daily request
        whose bars replace earlier ones of the same type. Per symbol the result is sorted by time, then by the
        security type's data-type order (trade before quote for equities)."""
        found: dict[tuple[Any, type, TickType], BaseData] = {}
        requests = [(config, SEED_LOOKBACK_PERIOD) for symbol in symbols if not _is_unseedable(symbol)
                    for config in self._seed_configs(symbol, max_resolution=Resolution.MINUTE)]
        for attempt in range(3):
            if not requests:
                break
            for config, periods in requests:
                last = self._last_bar(config, periods)
                if last is not None:
                    found[(config.symbol, config.type, config.tick_type)] = last
            failed = [config for config, _ in requests if (config.symbol, config.type, config.tick_type) not in found]
            if attempt == 0:
                requests = [(config, SEED_RETRY_PERIODS.get(config.resolution, SEED_RETRY_MINUTE_PERIODS)) for config in failed]
            else:
                failed_symbols = list(dict.fromkeys(config.symbol for config in failed))
                requests = [(config, SEED_LAST_RESORT_DAILY_PERIODS) for symbol in failed_symbols
                            for config in self._seed_configs(symbol, resolution=Resolution.DAILY)]
        by_symbol: dict[Any, list[BaseData]] = {}
        for (symbol, _, tick_type), data in found.items():
            by_symbol.setdefault(symbol, []).append(data)
        for symbol, points in by_symbol.items():
            order = [tick for _, tick in data_types_for(symbol.security_type, Resolution.MINUTE)]
            points.sort(key=lambda d: (d.time, _tick_order(order, d)))
        return by_symbol

    def _seed_configs(self, symbol: Any, max_resolution: Resolution | None = None,
                      resolution: Resolution | None = None) -> list[SubscriptionDataConfig]:
        """Every subscription of the symbol, internal ones included (the universe defaults when it has none), as
        non-fill-forward request configs; ``resolution`` forces one resolution (equities then drop quotes, which
        hour and daily data lack), ``max_resolution`` raises finer ones to it."""
        existing = self.engine.subscription_manager.get_subscription_data_configs(symbol, include_internal_configs=True)
        configs = list(existing) or self.configs_for(symbol, None, None)
        result = []
        for config in configs:
            target = resolution if resolution is not None else config.resolution
            if max_resolution is not None and int(target) < int(max_resolution):
                target = max_resolution
            if (symbol.security_type == SecurityType.EQUITY and target in (Resolution.HOUR, Resolution.DAILY)
                    and config.tick_type == TickType.QUOTE):
                continue
            result.append(replace(config, resolution=target, fill_forward=False, consolidators=[]))
        return result

    def _last_bar(self, config: SubscriptionDataConfig, periods: int) -> BaseData | None:
        engine = self.engine
        algorithm = engine.algorithm
        symbol = config.symbol
        hours = (algorithm.securities[symbol].exchange.hours if symbol in algorithm.securities
                 else engine.market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol))
        start_local = start_time_for_bars(hours, from_utc(algorithm.utc_time, hours.time_zone), RESOLUTION_SPAN[config.resolution],
                                          periods, config.extended_market_hours and config.resolution < Resolution.HOUR,
                                          algorithm.settings.daily_precise_end_time)
        bars = [bar for bar in self.read(config, start_local, algorithm.time) if isinstance(bar, config.type)]
        return bars[-1] if bars else None


_TRADE_COLUMNS = ("open", "high", "low", "close", "volume")
_QUOTE_COLUMNS = ("askopen", "askhigh", "asklow", "askclose", "asksize", "bidopen", "bidhigh", "bidlow", "bidclose", "bidsize")


def bars_to_frame(per_symbol: dict[Any, dict[type, list[Any]]]) -> pd.DataFrame:
    """LEAN's history DataFrame: (symbol, time) MultiIndex, time = bar end, lower-case columns."""
    frames = []
    for symbol, by_type in per_symbol.items():
        rows: dict[datetime, dict[str, float]] = {}
        for bar in by_type.get(TradeBar, []):
            row = rows.setdefault(bar.end_time, {})
            row.update(open=bar.open, high=bar.high, low=bar.low, close=bar.close, volume=bar.volume)
        for quote in by_type.get(QuoteBar, []):
            row = rows.setdefault(quote.end_time, {})
            if quote.ask is not None:
                row.update(askopen=quote.ask.open, askhigh=quote.ask.high, asklow=quote.ask.low, askclose=quote.ask.close)
            row["asksize"] = quote.last_ask_size
            if quote.bid is not None:
                row.update(bidopen=quote.bid.open, bidhigh=quote.bid.high, bidlow=quote.bid.low, bidclose=quote.bid.close)
            row["bidsize"] = quote.last_bid_size
            if TradeBar not in by_type or not by_type[TradeBar]:
                row.setdefault("open", quote.open)
                row.setdefault("high", quote.high)
                row.setdefault("low", quote.low)
                row.setdefault("close", quote.close)
        if not rows:
            continue
        times = sorted(rows)
        frame = pd.DataFrame([rows[t] for t in times], index=pd.MultiIndex.from_arrays([[symbol] * len(times), times], names=["symbol", "time"]))
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=list(_TRADE_COLUMNS), index=pd.MultiIndex.from_arrays([[], []], names=["symbol", "time"]))
    frame = pd.concat(frames)
    ordered = sorted(frame.columns)
    return frame[ordered]


class HistoryMixin:
    """``QCAlgorithm.history`` in its LEAN forms."""

    def history(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """``history(symbols, periods | timedelta | start, [end], resolution=None)``; an optional data type
        (``TradeBar``/``QuoteBar``) may come first, as in LEAN."""
        algorithm: Any = self
        data_type = None
        if args and isinstance(args[0], type):
            data_type, args = args[0], args[1:]
        if not args:
            raise TypeError("history() needs the symbols and a bar count, a timedelta or a start date")
        symbols_arg, rest = args[0], list(args[1:])
        resolution = kwargs.pop("resolution", None)
        symbols = _symbols(algorithm, symbols_arg)
        periods: int | None = None
        start: datetime | None = None
        end: datetime | None = None
        if rest and isinstance(rest[0], int) and not isinstance(rest[0], bool):
            periods = rest.pop(0)
        elif rest and isinstance(rest[0], timedelta):
            start = algorithm.time - rest.pop(0)
            end = algorithm.time
        elif rest and isinstance(rest[0], datetime):
            start = rest.pop(0)
            end = rest.pop(0) if rest and isinstance(rest[0], datetime) else algorithm.time
        else:
            raise TypeError("history() needs a bar count (int), a timedelta, or start/end datetimes")
        if rest:
            resolution = rest.pop(0)
        provider: HistoryProvider = algorithm._engine.history_provider
        per_symbol = {s: provider.bars(s, periods, resolution, start, end, data_type) for s in symbols}
        return bars_to_frame(per_symbol)


    def get_last_known_prices(self, securities: Any) -> Any:
        """The last known data of every data type: a list for one security or symbol, a ``DataDictionary`` of
        lists for several (LEAN's ``GetLastKnownPrices``); used to seed new securities."""
        from lean_local.market_data import DataDictionary

        algorithm: Any = self
        provider: HistoryProvider = algorithm._engine.history_provider
        single = not _is_collection(securities)
        symbols = [_symbol_of(algorithm, item) for item in ([securities] if single else securities)]
        found = provider.last_known_data(symbols)
        if single:
            return found.get(symbols[0], [])
        result: DataDictionary[list[BaseData]] = DataDictionary(algorithm.resolve_symbol)
        for symbol, points in found.items():
            result[symbol] = points
        return result

    def get_last_known_price(self, security: Any) -> BaseData | None:
        """The single last known data point, preferring the security type's first data type (trade bars for
        equities) whatever its time (LEAN's obsolete ``GetLastKnownPrice``)."""
        algorithm: Any = self
        symbol = _symbol_of(algorithm, security)
        points = algorithm.get_last_known_prices(symbol)
        if not points:
            return None
        order = [tick for _, tick in data_types_for(symbol.security_type, Resolution.MINUTE)]
        return min(points, key=lambda d: _tick_order(order, d))


def _is_collection(value: Any) -> bool:
    return isinstance(value, (list, tuple, set)) or (
        isinstance(value, Iterable) and not isinstance(value, str) and not hasattr(value, "id") and not hasattr(value, "symbol"))


def _symbol_of(algorithm: Any, item: Any) -> Any:
    """A security's symbol, or the symbol a ticker or symbol resolves to."""
    if hasattr(item, "symbol") and not hasattr(item, "id"):
        return item.symbol
    return algorithm.resolve_symbol(item)


def _symbols(algorithm: Any, value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set)) or (isinstance(value, Iterable) and not isinstance(value, str) and not hasattr(value, "id")):
        return [algorithm.resolve_symbol(v) for v in value]
    return [algorithm.resolve_symbol(value)]


_ = to_utc
