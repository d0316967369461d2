"""Insights: an alpha model's prediction for one symbol over a period, and the collections that hold them.

An :class:`Insight` is created by an alpha model without times; the algorithm stamps it when it is emitted
(``generated_time_utc``, the reference price, the source model) and turns its period specification into a
``close_time_utc`` on the security's exchange calendar (:func:`compute_close_time`). The algorithm's
``self.insights`` is an :class:`InsightManager`: every insight ever emitted, plus the still-open ones by symbol.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from lean_local.csharp import ZERO, timespan_to_string, timedelta_to_ticks
from lean_local.enums import InsightDirection, InsightType, Resolution
from lean_local.timeutil import from_utc, to_utc

END_OF_TIME = datetime(2050, 12, 31)
END_OF_TIME_SPAN = END_OF_TIME - datetime(1, 1, 1)
ONE_SECOND = timedelta(seconds=1)
ONE_MINUTE = timedelta(minutes=1)
ONE_HOUR = timedelta(hours=1)
ONE_DAY = timedelta(days=1)

_RESOLUTION_SPAN = {
    Resolution.TICK: timedelta(0),
    Resolution.SECOND: ONE_SECOND,
    Resolution.MINUTE: ONE_MINUTE,
    Resolution.HOUR: ONE_HOUR,
    Resolution.DAILY: ONE_DAY,
}


def resolution_to_timedelta(resolution: Any) -> timedelta:
    """``Resolution`` → bar length (``Extensions.ToTimeSpan``)."""
    return _RESOLUTION_SPAN[Resolution(resolution)]


def _higher_resolution_equivalent(period: timedelta) -> Resolution:
    if period < ONE_SECOND:
        return Resolution.TICK
    if period < ONE_MINUTE:
        return Resolution.SECOND
    if period < ONE_HOUR:
        return Resolution.MINUTE
    if period < ONE_DAY:
        return Resolution.HOUR
    return Resolution.DAILY


def end_time_for_trade_bars(hours: Any, start: datetime, bar_size: timedelta, bar_count: int, extended: bool = False) -> datetime:
    """Step ``bar_count`` open bars of ``bar_size`` forward from ``start`` on the exchange calendar.

    Daily steps count open dates; shorter steps count intervals during which the market is open. Closed
    stretches are skipped in one jump to the next open (the result is the same as stepping bar by bar).
    """
    if bar_size <= timedelta(0):
        raise ValueError("barSize must be greater than TimeSpan.Zero")
    current = start
    if bar_size == ONE_DAY:
        counted = 0
        while counted < bar_count:
            current = current + ONE_DAY
            if hours.is_date_open(current):
                counted += 1
        return current
    counted = 0
    while counted < bar_count:
        previous = current
        current = current + bar_size
        if hours.is_open(previous, current, extended):
            counted += 1
            continue
        if getattr(hours, "is_market_always_open", False):
            continue
        next_open = hours.get_next_market_open(current, extended)
        if next_open > current:
            skip = (next_open - current) // bar_size
            if skip > 0:
                current = current + bar_size * skip
    return current


def compute_close_time(exchange_hours: Any, generated_time_utc: datetime, resolution_or_period: Any, bar_count: int | None = None) -> datetime:
    """LEAN's ``Insight.ComputeCloseTime``: by resolution × bar count, or by a period on the exchange calendar."""
    time_zone = exchange_hours.time_zone
    if bar_count is not None:
        if bar_count < 1:
            raise ValueError("Insight barCount must be greater than zero.")
        resolution = Resolution(resolution_or_period)
        if resolution == Resolution.TICK:
            resolution = Resolution.SECOND
        if resolution == Resolution.HOUR:
            bar_count *= 60
            resolution = Resolution.MINUTE
        start_local = from_utc(generated_time_utc, time_zone)
        close_local = end_time_for_trade_bars(exchange_hours, start_local, resolution_to_timedelta(resolution), bar_count, False)
        return to_utc(close_local, time_zone)
    period: timedelta = resolution_or_period
    if period < ONE_SECOND:
        raise ValueError("Insight period must be greater than or equal to 1 second.")
    bar_resolution = _higher_resolution_equivalent(period)
    if bar_resolution == Resolution.TICK:
        bar_resolution = Resolution.SECOND
    if bar_resolution == Resolution.HOUR:
        bar_resolution = Resolution.MINUTE
    bar_span = resolution_to_timedelta(bar_resolution)
    count = timedelta_to_ticks(period) // timedelta_to_ticks(bar_span)
    close_utc = compute_close_time(exchange_hours, generated_time_utc, bar_resolution, count)
    if close_utc == generated_time_utc:
        return compute_close_time(exchange_hours, generated_time_utc, Resolution.SECOND, 1)
    used = bar_span * count
    if used != period:
        delta = period - used
        if bar_resolution == Resolution.DAILY:
            fraction = timedelta_to_ticks(delta) / float(timedelta_to_ticks(ONE_DAY))
            delta = _multiply(exchange_hours.regular_market_duration, fraction)
        if delta != timedelta(0):
            minutes = timedelta_to_ticks(delta) // timedelta_to_ticks(ONE_MINUTE)
            if minutes > 0:
                close_utc = compute_close_time(exchange_hours, close_utc, Resolution.MINUTE, minutes)
    return close_utc


def _multiply(span: timedelta, factor: float) -> timedelta:
    # TimeSpan.Multiply rounds the tick count to the nearest integer
    ticks = round(timedelta_to_ticks(span) * factor)
    return timedelta(microseconds=ticks / 10)


# --- period specifications -----------------------------------------------------------------------------------
class _TimeSpanPeriod:
    def __init__(self, period: timedelta) -> None:
        self.period = ONE_SECOND if period == timedelta(0) else period

    def set_period_and_close_time(self, insight: "Insight", hours: Any) -> None:
        insight.period = self.period
        insight.close_time_utc = compute_close_time(hours, insight.generated_time_utc, self.period)


class _BarCountPeriod:
    def __init__(self, resolution: Resolution, bar_count: int) -> None:
        if resolution == Resolution.TICK:
            resolution = Resolution.SECOND
        if resolution == Resolution.HOUR:
            bar_count *= 60
            resolution = Resolution.MINUTE
        self.resolution = resolution
        self.bar_count = bar_count

    def set_period_and_close_time(self, insight: "Insight", hours: Any) -> None:
        insight.close_time_utc = compute_close_time(hours, insight.generated_time_utc, self.resolution, self.bar_count)
        insight.period = insight.close_time_utc - insight.generated_time_utc


class _CloseTimePeriod:
    def __init__(self, close_time_local: datetime) -> None:
        self.close_time_local = close_time_local

    def set_period_and_close_time(self, insight: "Insight", hours: Any) -> None:
        local = self.close_time_local
        if not hours.is_open_at(local, False):
            local = hours.get_next_market_open(local, False)
        insight.close_time_utc = to_utc(local, hours.time_zone)
        if insight.generated_time_utc > insight.close_time_utc:
            raise ValueError("Insight closeTimeLocal must not be in the past.")
        insight.period = insight.close_time_utc - insight.generated_time_utc


class _FuncPeriod:
    def __init__(self, expiry: Callable[[datetime], datetime]) -> None:
        self.expiry = expiry

    def set_period_and_close_time(self, insight: "Insight", hours: Any) -> None:
        local = self.expiry(from_utc(insight.generated_time_utc, hours.time_zone))
        if not hours.is_open_at(local, False):
            local = hours.get_next_market_open(local, False)
        insight.close_time_utc = to_utc(local, hours.time_zone)
        insight.period = insight.close_time_utc - insight.generated_time_utc


class _EndOfTimePeriod:
    def set_period_and_close_time(self, insight: "Insight", hours: Any) -> None:
        insight.period = END_OF_TIME_SPAN
        insight.close_time_utc = END_OF_TIME


class InsightScore:
    """Direction and magnitude scores (kept for API compatibility; lean_local does not score insights)."""

    def __init__(self, direction: float = 0.0, magnitude: float = 0.0, updated_time_utc: datetime | None = None) -> None:
        self.direction = direction
        self.magnitude = magnitude
        self.updated_time_utc = updated_time_utc or datetime.min
        self.is_final_score = False

    def set_score(self, type: Any, value: float, algorithm_utc_time: datetime) -> None:
        if self.is_final_score:
            return
        self.updated_time_utc = algorithm_utc_time
        if int(type) == 0:
            self.direction = min(max(value, 0.0), 1.0)
        else:
            self.magnitude = min(max(value, 0.0), 1.0)

    def get_score(self, type: Any) -> float:
        return self.direction if int(type) == 0 else self.magnitude

    def finalize(self, algorithm_utc_time: datetime) -> None:
        self.is_final_score = True
        self.updated_time_utc = algorithm_utc_time

    def __str__(self) -> str:
        return f"Direction: {round(100 * self.direction, 2)} Magnitude: {round(100 * self.magnitude, 2)}"


def _timespan_text(period: timedelta) -> str:
    return timespan_to_string(timedelta_to_ticks(period))


class Insight:
    """One prediction: ``Insight(symbol, period, type, direction, magnitude=None, confidence=None, source_model=None,
    weight=None, tag="")``. ``period`` may be a ``timedelta`` or a function of the local generation time that
    returns the local close time. Use :meth:`price` for the common price insight."""

    generated_time_utc: datetime
    close_time_utc: datetime

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and isinstance(args[0], datetime):
            # Insight(generated_time_utc, symbol, period, type, direction, magnitude, confidence, ...)
            generated = args[0]
            self._init(*args[1:], **kwargs)
            self.generated_time_utc = generated
            self.close_time_utc = generated + self.period
            return
        self._init(*args, **kwargs)

    def _init(
        self,
        symbol: Any,
        period: Any,
        type: Any = InsightType.PRICE,
        direction: Any = InsightDirection.FLAT,
        magnitude: float | None = None,
        confidence: float | None = None,
        source_model: str | None = None,
        weight: float | None = None,
        tag: str = "",
        *,
        _spec: Any = None,
    ) -> None:
        if isinstance(magnitude, str) and confidence is None and source_model is None:
            # Insight(symbol, period, type, direction, tag)
            tag, magnitude = magnitude, None
        self.id = uuid.uuid4()
        self.group_id: uuid.UUID | None = None
        self.source_model = source_model
        self.symbol = _symbol_of(symbol)
        self.type = InsightType(type)
        self.direction = InsightDirection(direction)
        self.magnitude = None if magnitude is None else float(magnitude)
        self.confidence = None if confidence is None else float(confidence)
        self.weight = None if weight is None else float(weight)
        self.tag = tag or ""
        self.score = InsightScore()
        self.generated_time_utc = datetime.min
        self.close_time_utc = datetime.min
        self.reference_value: Decimal = ZERO
        self.reference_value_final: Decimal = ZERO
        self.estimated_value: Decimal = ZERO
        self.period: timedelta = timedelta(0)
        if _spec is not None:
            self._period_spec: Any = _spec
            if isinstance(_spec, _TimeSpanPeriod):
                self.period = _spec.period
        elif isinstance(period, timedelta):
            self._period_spec = _TimeSpanPeriod(period)
            self.period = period
        elif callable(period):
            self._period_spec = _FuncPeriod(period)
        else:
            raise TypeError(f"Insight period must be a timedelta or a function of the local time, got {period!r}")

    # --- factories -----------------------------------------------------------------------------------------
    @staticmethod
    def price(symbol: Any, *args: Any, **kwargs: Any) -> "Insight":
        """``price(symbol, resolution, bar_count, direction, ...)``, ``price(symbol, period|close_time_local|expiry_func,
        direction, ...)``."""
        first = args[0] if args else kwargs.pop("resolution", kwargs.pop("period", kwargs.pop("close_time_local", kwargs.pop("expiry_func", None))))
        rest = list(args[1:])
        if isinstance(first, Resolution) or (isinstance(first, int) and not isinstance(first, bool) and rest and isinstance(rest[0], int) and not isinstance(rest[0], InsightDirection)):
            bar_count = rest.pop(0) if rest else kwargs.pop("bar_count")
            if bar_count < 1:
                raise ValueError("Insight barCount must be greater than zero.")
            spec: Any = _BarCountPeriod(Resolution(first), int(bar_count))
        elif isinstance(first, datetime):
            spec = _EndOfTimePeriod() if first == END_OF_TIME else _CloseTimePeriod(first)
        elif isinstance(first, timedelta):
            if first < ONE_SECOND:
                raise ValueError("Insight period must be greater than or equal to 1 second.")
            spec = _EndOfTimePeriod() if first == END_OF_TIME_SPAN else _TimeSpanPeriod(first)
        elif callable(first):
            spec = _FuncPeriod(first)
        else:
            raise TypeError(f"Insight.price: unsupported period {first!r}")
        names = ("direction", "magnitude", "confidence", "source_model", "weight", "tag")
        values = dict(zip(names, rest))
        values.update(kwargs)
        insight = Insight.__new__(Insight)
        insight._init(
            symbol, None, InsightType.PRICE, values.get("direction", InsightDirection.FLAT), values.get("magnitude"),
            values.get("confidence"), values.get("source_model"), values.get("weight"), values.get("tag", ""), _spec=spec,
        )
        return insight

    @staticmethod
    def group(*insights: Any) -> list["Insight"]:
        items: list[Insight] = []
        for item in insights:
            if isinstance(item, Insight):
                items.append(item)
            elif item is None:
                raise ValueError("insights")
            else:
                items.extend(item)
        group_id = uuid.uuid4()
        for insight in items:
            if insight.group_id is not None:
                raise RuntimeError(f"Unable to set group id on insight {insight} because it has already been assigned to a group.")
            insight.group_id = group_id
        return items

    compute_close_time = staticmethod(compute_close_time)

    # --- state ---------------------------------------------------------------------------------------------
    def set_period_and_close_time(self, exchange_hours: Any) -> None:
        if self.generated_time_utc == datetime.min:
            raise RuntimeError("The insight's 'GeneratedTimeUtc' property must be set before calling SetPeriodAndCloseTime.")
        self._period_spec.set_period_and_close_time(self, exchange_hours)

    def is_expired(self, utc_time: datetime) -> bool:
        return self.close_time_utc < utc_time

    def is_active(self, utc_time: datetime) -> bool:
        return not self.is_expired(utc_time)

    def expire(self, utc_time: datetime) -> None:
        if self.is_active(utc_time):
            self.close_time_utc = utc_time - ONE_SECOND
            self.period = self.close_time_utc - self.generated_time_utc

    def cancel(self, utc_time: datetime) -> None:
        self.expire(utc_time)

    def clone(self) -> "Insight":
        copy = Insight.__new__(Insight)
        copy.__dict__.update(self.__dict__)
        copy._period_spec = _TimeSpanPeriod(self.period)
        return copy

    # --- text ----------------------------------------------------------------------------------------------
    def __str__(self) -> str:
        text = f"{self.id.hex}: {self.symbol} {self.type.name.title()} {self.direction.name.title()} within {_timespan_text(self.period)}"
        if self.magnitude is not None:
            text += f" by {_double_text(self.magnitude)}%"
        if self.confidence is not None:
            text += f" with {_double_text(round(100 * self.confidence, 1))}% confidence"
        if self.weight is not None:
            text += f" and {_double_text(round(100 * self.weight, 1))}% weight"
        if self.tag:
            text += f": {self.tag}"
        return text

    def short_to_string(self) -> str:
        text = f"{getattr(self.symbol, 'value', self.symbol)} {self.type.name.title()} {self.direction.name.title()} {_timespan_text(self.period)}"
        if self.magnitude is not None:
            text += f" M:{_double_text(self.magnitude)}%"
        if self.confidence is not None:
            text += f" C:{_double_text(round(100 * self.confidence, 1))}%"
        if self.weight is not None:
            text += f" W:{_double_text(round(100 * self.weight, 1))}%"
        if self.tag:
            text += f". {self.tag}"
        return text

    to_string = __str__

    def __repr__(self) -> str:
        return f"Insight({self.short_to_string()})"


def _double_text(value: float) -> str:
    from lean_local.csharp import double_to_string

    return double_to_string(float(value))


def _symbol_of(value: Any) -> Any:
    symbol = getattr(value, "symbol", None)
    if symbol is not None and not isinstance(value, str) and hasattr(value, "holdings"):
        return symbol
    if isinstance(value, str):
        from lean_local.securities.symbol import active_symbol_cache

        found, resolved = active_symbol_cache().try_get_symbol(value)
        if found and resolved is not None:
            return resolved
    return value


class InsightCollection:
    """Every insight added (``get_insights``) plus the open ones by symbol (``count``, ``[symbol]``, active queries)."""

    def __init__(self) -> None:
        self._total_count = 0
        self._open_count = 0
        self._all: list[Insight] = []
        self._by_symbol: dict[Any, list[Insight]] = {}

    @property
    def count(self) -> int:
        return self._open_count

    @property
    def total_count(self) -> int:
        return self._total_count

    def __len__(self) -> int:
        return self._open_count

    def add(self, item: Insight) -> None:
        self._open_count += 1
        self._total_count += 1
        self._all.append(item)
        self._by_symbol.setdefault(item.symbol, []).append(item)

    def add_range(self, insights: Iterable[Insight]) -> None:
        for insight in insights:
            self.add(insight)

    def contains(self, item: Insight) -> bool:
        return item in self._by_symbol.get(item.symbol, ())

    def contains_key(self, symbol: Any) -> bool:
        return bool(self._by_symbol.get(_symbol_of(symbol)))

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Insight):
            return self.contains(item)
        return self.contains_key(item)

    def remove(self, item: Insight) -> bool:
        items = self._by_symbol.get(item.symbol)
        if items is None:
            return False
        for index, existing in enumerate(items):
            if existing is item:
                del items[index]
                self._open_count -= 1
                if not items:
                    del self._by_symbol[item.symbol]
                return True
        return False

    def __getitem__(self, symbol: Any) -> list[Insight]:
        return list(self._by_symbol[_symbol_of(symbol)])

    def __setitem__(self, symbol: Any, value: list[Insight] | None) -> None:
        symbol = _symbol_of(symbol)
        existing = self._by_symbol.get(symbol)
        if existing is not None:
            self._open_count -= len(existing)
        if value is not None:
            self._open_count += len(value)
            self._total_count += len(value)
            self._by_symbol[symbol] = list(value)
        else:
            self._by_symbol.pop(symbol, None)

    def try_get_value(self, symbol: Any, insights: Any = None) -> tuple[bool, list[Insight] | None]:
        items = self._by_symbol.get(_symbol_of(symbol))
        return (True, list(items)) if items is not None else (False, None)

    def __iter__(self) -> Iterator[Insight]:
        return iter([insight for items in self._by_symbol.values() for insight in items])

    def get_enumerator(self) -> Iterator[Insight]:
        return iter(self)

    def clear(self, symbols: Iterable[Any]) -> None:
        for symbol in symbols:
            removed = self._by_symbol.pop(_symbol_of(symbol), None)
            if removed is not None:
                self._open_count -= len(removed)

    def get_next_expiry_time(self) -> datetime | None:
        if self._open_count == 0:
            return None
        return min(insight.close_time_utc for items in self._by_symbol.values() for insight in items)

    def get_active_insights(self, utc_time: datetime) -> list[Insight]:
        return [insight for items in self._by_symbol.values() for insight in items if insight.is_active(utc_time)]

    def has_active_insights(self, symbol: Any, utc_time: datetime) -> bool:
        return any(insight.is_active(utc_time) for insight in self._by_symbol.get(_symbol_of(symbol), ()))

    def remove_expired_insights(self, utc_time: datetime) -> list[Insight]:
        removed = [insight for items in self._by_symbol.values() for insight in items if insight.is_expired(utc_time)]
        for insight in removed:
            self.remove(insight)
        return removed

    def remove_insights(self, filter: Callable[[Insight], bool]) -> None:
        self._all = [insight for insight in self._all if not filter(insight)]
        doomed = [insight for items in self._by_symbol.values() for insight in items if filter(insight)]
        for insight in doomed:
            self.remove(insight)

    def get_insights(self, filter: Callable[[Insight], bool] | None = None) -> list[Insight]:
        if filter is None:
            return list(self._all)
        if not callable(filter):
            raise TypeError(f"InsightCollection.get_insights: {filter!r} is not a valid argument.")
        return [insight for insight in self._all if filter(insight)]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} open={self._open_count} total={self._total_count}>"


class InsightManager(InsightCollection):
    """``algorithm.insights``: the insight collection plus expiry/cancellation at the algorithm's current time."""

    def __init__(self, algorithm: Any) -> None:
        super().__init__()
        self._algorithm = algorithm
        self._score_function: Any = None

    def step(self, utc_now: datetime) -> None:
        if self._score_function is not None:
            score = getattr(self._score_function, "score", None)
            if score is not None:
                score(self, utc_now)
            else:
                self._score_function(self, utc_now)

    def set_insight_score_function(self, insight_score_function: Any) -> None:
        self._score_function = insight_score_function

    def expire(self, items: Any) -> None:
        """Expire insights now: given insights, or every open insight of the given symbols."""
        if items is None:
            return
        if isinstance(items, Insight):
            items = [items]
        elif not isinstance(items, (list, tuple, set, frozenset)) and not hasattr(items, "__iter__"):
            items = [items]
        elif isinstance(items, str):
            items = [items]
        now = self._algorithm.utc_time
        for item in list(items):
            if isinstance(item, Insight):
                item.expire(now)
                continue
            found, insights = self.try_get_value(item)
            if found and insights is not None:
                for insight in insights:
                    insight.expire(now)

    def cancel(self, items: Any) -> None:
        self.expire(items)


class GeneratedInsightsCollection:
    """The insights emitted in one time step (argument of ``insights_generated`` handlers)."""

    def __init__(self, date_time_utc: datetime, insights: Iterable[Insight]) -> None:
        self.date_time_utc = date_time_utc
        self.insights = list(insights)

    def __iter__(self) -> Iterator[Insight]:
        return iter(self.insights)

    def __len__(self) -> int:
        return len(self.insights)

