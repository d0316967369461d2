"""``QuantBook``: LEAN's research API (``QuantConnect.Research.QuantBook``) on the lean_local engine.

A ``QuantBook`` is an algorithm that never runs: it owns an :class:`~lean_local.engine.Engine` over a data folder
so that securities, symbols, history and indicators behave exactly as in a backtest, and its clock stands still
at the research time (``qb.time``). As in LEAN the clock starts at today's date (New York; yesterday before
09:00) and history never reaches past it; move it with ``qb.set_start_date(...)``.

Supported: ``add_equity``/``add_security`` (US equities), ``history`` in its LEAN forms (symbols, bar count,
``timedelta`` or start/end, resolution, optional ``TradeBar``/``QuoteBar`` type first) returning LEAN's
(symbol, time) MultiIndex frame, ``indicator`` (LEAN's indicator DataFrame) and ``indicator_history``
(LEAN's ``IndicatorHistory``), ``securities``, ``portfolio``, ``time``, ``set_start_date``, ``symbol``, and the
indicator helpers and consolidators the algorithm API has. Options, futures, universes and fundamentals are not.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from lean_local.algorithm import QCAlgorithm
from lean_local.engine import Engine, EngineOptions
from lean_local.enums import Resolution
from lean_local.history import start_time_for_bars
from lean_local.indicators.base import POINT, TRADE_BAR, IndicatorBase
from lean_local.indicators.fields import data_type_from_selector
from lean_local.indicators.python_indicator import as_indicator
from lean_local.market_data import BaseData, TradeBar
from lean_local.research.indicator_history import IndicatorHistory, run_indicator
from lean_local.research.workspace import resolve_research_data_folder
from lean_local.securities.identifier import MapFileFirstDateResolver, set_map_file_resolver
from lean_local.securities.symbol import set_active_symbol_cache
from lean_local.subscriptions import RESOLUTION_SPAN
from lean_local.timeutil import from_utc

_NEW_YORK = ZoneInfo("America/New_York")
#: LEAN's ``qb-data-hour``: before this New York hour, today's daily data is not there yet.
RESEARCH_DATA_HOUR = 9

_HISTORY_KEYWORDS = ("periods", "span", "start", "end", "resolution")


def research_start_date(now_utc: datetime | None = None) -> date:
    """The date a new QuantBook's clock starts at: today in New York, or yesterday before 09:00 there."""
    now = (now_utc.replace(tzinfo=ZoneInfo("UTC")) if now_utc is not None else datetime.now(ZoneInfo("UTC"))).astimezone(_NEW_YORK)
    return now.date() if now.hour >= RESEARCH_DATA_HOUR else now.date() - timedelta(days=1)


class QuantBook(QCAlgorithm):
    """LEAN's research object: ``qb = QuantBook()``, then ``qb.add_equity``, ``qb.history``, ``qb.indicator``.

    ``data_folder`` defaults to ``$LEAN_LOCAL_DATA_FOLDER``, else the ``data-folder`` of the nearest ``lean.json``
    above the working directory (a notebook's own folder), as ``lean research`` finds it.
    """

    def __init__(self, data_folder: str | Path | None = None) -> None:
        folder = resolve_research_data_folder(data_folder)
        self.data_folder = folder
        self._map_resolver = MapFileFirstDateResolver(folder)
        Engine(self, EngineOptions(folder))  # attaches itself as self._engine
        self._activate()
        self.set_start_date(research_start_date())

    def _activate(self) -> None:
        """Make this book's symbol cache and map files the ones ``Symbol.create`` and ticker lookups use."""
        set_active_symbol_cache(self._engine.symbol_cache)
        set_map_file_resolver(self._map_resolver)

    # --- logging: a notebook shows what the engine says ---------------------------------------------------------
    def debug(self, message: Any) -> None:
        print(message)
        super().debug(message)

    def log(self, message: Any) -> None:
        print(message)
        super().log(message)

    def error(self, message: Any) -> None:
        print(message)
        super().error(message)

    # --- securities ---------------------------------------------------------------------------------------------
    def add_security(self, *args: Any, **kwargs: Any) -> Any:
        self._activate()
        return super().add_security(*args, **kwargs)

    def resolve_symbol(self, value: Any) -> Any:
        if isinstance(value, str):
            found, symbol = self._engine.symbol_cache.try_get_symbol(value)
            if found and symbol is not None:
                return symbol
            for existing in self.securities.keys():
                if existing.value == value.upper():
                    return existing
            raise KeyError(
                f"'{value}' is not in this QuantBook: add it first, e.g. qb.add_equity(\"{value}\", Resolution.DAILY), "
                "or pass a Symbol."
            )
        return super().resolve_symbol(value)

    # --- history ------------------------------------------------------------------------------------------------
    def history(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """``history([data_type,] symbols, periods | span | start, [end], [resolution])`` as a LEAN DataFrame.

        ``symbols`` is a ticker, a Symbol or a list of them (``qb.securities.keys()``); dates are in the research
        time zone (New York) and the request ends at ``qb.time`` at the latest, as in LEAN.
        """
        self._activate()
        args, kwargs = _history_arguments(args, kwargs)
        frame = super().history(*args, **kwargs)
        if frame.empty:
            self.debug(
                f"History request found no data up to {self.time:%Y-%m-%d %H:%M} in {self.data_folder}. The research clock "
                "(qb.time) starts today; move it with qb.set_start_date(...) into the period your data covers, or pass "
                "start and end dates that it covers."
            )
        return frame

    # --- indicators over history ------------------------------------------------------------------------------------
    def indicator_history(self, indicator: Any, symbol: Any, *args: Any, **kwargs: Any) -> IndicatorHistory:
        """LEAN's ``IndicatorHistory``: ``indicator`` updated with the history of ``symbol`` (a ticker, a Symbol or
        a list of them) over ``periods`` values, a ``timedelta`` up to now, or ``start``..``end``; then
        ``resolution`` and ``selector`` (e.g. ``Field.HIGH``), positionally or by keyword.

        The history starts early enough for the indicator's warm-up period, so ``periods`` values (or every value
        from ``start`` on) are ready ones. The indicator is reset first.
        """
        self._activate()
        periods, start, end, resolution, selector = _indicator_arguments(args, kwargs, self.time)
        target = as_indicator(indicator)
        symbols = self._symbol_list(symbol)
        warm_up = _warm_up_period(indicator, target)
        kind = target._input_kind
        data_type = data_type_from_selector(selector) if kind == POINT else (TradeBar if kind == TRADE_BAR else None)
        provider = self._engine.history_provider
        bars: list[BaseData] = []
        for resolved in symbols:
            if periods is not None:
                count = periods + (warm_up - 1 if warm_up > 0 and periods > 0 else 0)
                by_type = provider.bars(resolved, count, resolution, data_type=data_type)
            else:
                assert start is not None and end is not None
                first = self._warm_up_start(resolved, start, warm_up, resolution, data_type)
                by_type = provider.bars(resolved, None, resolution, first, end, data_type)
            bars.extend(_bars_of(by_type, data_type))
        bars.sort(key=lambda bar: bar.end_time)
        return run_indicator(target, bars, selector)

    def indicator(self, indicator: Any, symbol: Any, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """LEAN's ``QuantBook.Indicator``: the DataFrame of :meth:`indicator_history` (index: end time; columns:
        ``current`` and each sub-indicator, lower-case, sorted)."""
        return self.indicator_history(indicator, symbol, *args, **kwargs).data_frame

    def _symbol_list(self, value: Any) -> list[Any]:
        if isinstance(value, (list, tuple, set)) or (
                isinstance(value, Iterable) and not isinstance(value, str) and not hasattr(value, "id")):
            return [self.resolve_symbol(v) for v in value]
        return [self.resolve_symbol(value)]

    def _warm_up_start(self, symbol: Any, start: datetime, warm_up: int, resolution: Any, data_type: type | None) -> datetime:
        """``start`` moved back by ``warm_up - 1`` bars (LEAN's ``GetIndicatorAdjustedHistoryStart``)."""
        if warm_up - 1 <= 0:
            return start
        engine = self._engine
        config = engine.history_provider.configs_for(symbol, resolution, data_type)[0]
        hours = (self.securities[symbol].exchange.hours if symbol in self.securities
                 else engine.market_hours.get_exchange_hours(symbol.security_type, symbol.id.market, symbol.id.symbol))
        local_start = from_utc(_to_utc_naive(start, self.time_zone), hours.time_zone)
        extended = config.extended_market_hours and config.resolution < Resolution.HOUR
        adjusted = start_time_for_bars(hours, local_start, RESOLUTION_SPAN[config.resolution], warm_up - 1, extended,
                                       self.settings.daily_precise_end_time)
        return min(start, adjusted)

    # --- what LEAN's QuantBook has and lean_local does not ---------------------------------------------------------
    def option_history(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("QuantBook.option_history: options are not supported by lean_local yet.")

    def future_history(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("QuantBook.future_history: futures are not supported by lean_local yet.")

    def universe_history(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("QuantBook.universe_history is not supported by lean_local yet.")

    def get_fundamental(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("QuantBook.get_fundamental: fundamental data is not supported by lean_local yet.")

    def get_portfolio_statistics(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "QuantBook.get_portfolio_statistics is not supported by lean_local yet; backtest with "
            "lean_local.runner.run_backtest to get LEAN's statistics."
        )


def _to_utc_naive(moment: datetime, time_zone: str) -> datetime:
    from lean_local.timeutil import to_utc

    return to_utc(moment, time_zone)


def _as_datetime(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _history_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Keyword forms (``periods=``, ``span=``, ``start=``/``end=``) as the engine's positional ones; dates as datetimes."""
    unsupported = sorted(k for k in kwargs if k not in _HISTORY_KEYWORDS)
    if unsupported:
        raise TypeError(
            f"QuantBook.history(): lean_local does not support {', '.join(unsupported)}; it takes symbols, periods, span, "
            "start, end and resolution (settings such as the normalization mode come from add_equity)."
        )
    positional = [_as_datetime(a) for a in args]
    for key in ("periods", "span", "start", "end"):
        if key in kwargs:
            positional.append(_as_datetime(kwargs.pop(key)))
    return tuple(positional), kwargs


def _indicator_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], now: datetime
                         ) -> tuple[int | None, datetime | None, datetime | None, Any, Any]:
    """(periods, start, end, resolution, selector) from LEAN's ``Indicator`` argument forms."""
    rest = [_as_datetime(a) for a in args]
    periods: int | None = kwargs.pop("periods", kwargs.pop("period", None))
    span: timedelta | None = kwargs.pop("span", None)
    start: datetime | None = _as_datetime(kwargs.pop("start", None))
    end: datetime | None = _as_datetime(kwargs.pop("end", None))
    resolution = kwargs.pop("resolution", None)
    selector = kwargs.pop("selector", None)
    if kwargs:
        raise TypeError(f"QuantBook.indicator(): unexpected keyword arguments {sorted(kwargs)}")
    if periods is None and span is None and start is None and rest:
        first = rest.pop(0)
        if isinstance(first, bool):
            raise TypeError("QuantBook.indicator(): the bar count must be an int")
        if isinstance(first, int):
            periods = first
        elif isinstance(first, timedelta):
            span = first
        elif isinstance(first, datetime):
            start = first
            if rest and isinstance(rest[0], datetime):
                end = rest.pop(0)
        else:
            raise TypeError(f"QuantBook.indicator(): expected a bar count, a timedelta or start/end dates, got {first!r}")
    if rest and (rest[0] is None or isinstance(rest[0], Resolution)):
        resolution = rest.pop(0)
    if rest and (rest[0] is None or callable(rest[0])):
        selector = rest.pop(0)
    if rest:
        raise TypeError(f"QuantBook.indicator(): unexpected arguments {rest!r}")
    if periods is None and span is None and start is None:
        raise TypeError("QuantBook.indicator() needs a bar count, a timedelta or start/end dates")
    if span is not None:
        start, end = now - span, now
    if periods is None:
        assert start is not None
        end = min(end or now, now)
    return periods, start, end, resolution, selector


def _warm_up_period(original: Any, target: IndicatorBase) -> int:
    for candidate in (original, target):
        period = getattr(candidate, "warm_up_period", None)
        if period is not None:
            return int(period)
    return 0


def _bars_of(by_type: dict[type, list[BaseData]], data_type: type | None) -> list[BaseData]:
    """The bars an indicator gets: of ``data_type``, else trade bars when there are some (LEAN's PushThrough)."""
    if data_type is not None:
        return by_type.get(data_type, [])
    return by_type.get(TradeBar) or next(iter(by_type.values()), [])

