"""An indicator run over historical bars: LEAN's ``IndicatorHistory`` and its DataFrame.

``QuantBook.indicator_history`` resets the indicator, pushes the bars through it and records, each time the
indicator produces a value for a new time once it is ready, its current value and the current value of every
sub-indicator it exposes (a Bollinger Bands' ``lower_band``, a MACD's ``signal``...). The DataFrame is indexed by
the values' end times and has one lower-case column per value, named as LEAN names it (the C# property name
lower-cased: ``lower_band`` becomes ``lowerband``), plus ``current``, sorted by name. Setting values that are
enums (a moving average type) become text columns, as in LEAN.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import pandas as pd

from lean_local.indicators.base import POINT, IndicatorBase
from lean_local.indicators.data_point import DATETIME_MIN, IndicatorDataPoint, exact, exact_value_of

#: Members LEAN leaves out of indicator histories (snake_case names of ``_ignoredProperties``), plus our event.
IGNORED_MEMBERS = frozenset({
    "consolidators", "current", "previous", "name", "samples", "is_ready", "window", "item", "warm_up_period",
    "period", "updated",
})


def snake_case(name: str) -> str:
    """``LowerBand`` / ``lowerBand`` / ``lower_band`` -> ``lower_band``."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return text.lower()


def column_name(name: str) -> str:
    """The DataFrame column of a member: LEAN lower-cases the C# property name (``lower_band`` -> ``lowerband``)."""
    return name.replace("_", "").lower()


class IndicatorDataPoints:
    """The values of an indicator and of its sub-indicators at one time (LEAN's ``IndicatorDataPoints``)."""

    def __init__(self, time: datetime, end_time: datetime) -> None:
        self.time = time
        self.end_time = end_time
        self._values: dict[str, Any] = {}

    @property
    def current(self) -> IndicatorDataPoint:
        point: IndicatorDataPoint = self._values["current"]
        return point

    @property
    def value(self) -> float:
        return float(self.current.value)

    def set_property(self, name: str, value: Any) -> None:
        self._values[snake_case(name)] = value

    def get_property(self, name: str) -> Any:
        key = snake_case(name)
        if key in self._values:
            return self._values[key]
        stripped = column_name(name)
        for candidate, value in self._values.items():
            if column_name(candidate) == stripped:
                return value
        return None

    def __getitem__(self, name: str) -> Any:
        value = self.get_property(name)
        return value if isinstance(value, IndicatorDataPoint) else None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = self.get_property(name)
        if value is None:
            raise AttributeError(f"'IndicatorDataPoints' has no value named '{name}' (it has: {', '.join(sorted(self._values))})")
        return value

    def keys(self) -> list[str]:
        return sorted(self._values)

    def __repr__(self) -> str:
        def text(value: Any) -> str:
            if isinstance(value, IndicatorDataPoint):
                return f"{float(value.value):g}"
            return "" if value is None else str(value)

        values = ", ".join(f"{key}: {text(self._values[key])}" for key in sorted(self._values))
        return f"{self.end_time} {values}"


class IndicatorHistory:
    """Historical values of an indicator: iterate for :class:`IndicatorDataPoints` by time, index by member name
    (``history["lower_band"]``) for a list of points, or take :attr:`data_frame` (LEAN's ``DataFrame``)."""

    def __init__(self, rows: list[IndicatorDataPoints], points_per_member: dict[str, list[IndicatorDataPoint]],
                 settings_per_member: dict[str, list[tuple[datetime, Any]]]) -> None:
        self._rows = rows
        self._points = points_per_member
        self._settings = settings_per_member
        self._frame: pd.DataFrame | None = None

    @property
    def current(self) -> list[IndicatorDataPoint]:
        return self._points["current"]

    @property
    def count(self) -> int:
        return len(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[IndicatorDataPoints]:
        return iter(self._rows)

    def __getitem__(self, name: str) -> list[IndicatorDataPoint] | None:
        key = snake_case(name)
        if key in self._points:
            return self._points[key]
        stripped = column_name(name)
        for candidate, points in self._points.items():
            if column_name(candidate) == stripped:
                return points
        return None

    @property
    def data_frame(self) -> pd.DataFrame:
        """One column per value (LEAN's lower-case names, sorted), indexed by end time."""
        if self._frame is None:
            self._frame = _frame(self._points, self._settings)
        return self._frame.copy()

    # LEAN's C# name, as pythonnet also exposes it
    @property
    def DataFrame(self) -> pd.DataFrame:  # noqa: N802 - LEAN's member name
        return self.data_frame

    def __repr__(self) -> str:
        return f"<IndicatorHistory {len(self._rows)} values: {', '.join(sorted(self._points))}>"


def _frame(points: dict[str, list[IndicatorDataPoint]], settings: dict[str, list[tuple[datetime, Any]]]) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    for name, values in points.items():
        kept = [p for p in values if p.end_time != DATETIME_MIN]
        columns[column_name(name)] = pd.Series([float(p.value) for p in kept], index=pd.DatetimeIndex([p.end_time for p in kept]), dtype=float)
    for name, entries in settings.items():
        columns[column_name(name)] = pd.Series([value for _, value in entries], index=pd.DatetimeIndex([t for t, _ in entries]), dtype=object)
    order = sorted(columns)
    if not any(len(series) for series in columns.values()):
        return pd.DataFrame(columns=order, index=pd.DatetimeIndex([]))
    return pd.DataFrame(columns, columns=order)


def indicator_members(indicator: Any) -> tuple[list[str], list[str]]:
    """(sub-indicator members, enum setting members) of ``indicator``, in a stable order.

    Public instance attributes and class properties whose value is an indicator are sub-indicators; those whose
    value is an enum (a moving average type) are settings. LEAN's ignored members are left out.
    """
    candidates: list[str] = [n for n in vars(indicator) if not n.startswith("_")] if hasattr(indicator, "__dict__") else []
    for klass in type(indicator).__mro__:
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_") and name not in candidates:
                candidates.append(name)
    indicators: list[str] = []
    settings: list[str] = []
    for name in candidates:
        if name in IGNORED_MEMBERS:
            continue
        try:
            value = getattr(indicator, name)
        except Exception:  # noqa: BLE001 - a property that cannot be read now is not a value to record
            continue
        if isinstance(value, IndicatorBase):
            indicators.append(name)
        elif isinstance(value, enum.Enum):
            settings.append(name)
    return indicators, settings


def _setting_text(value: Any) -> Any:
    return str(value) if isinstance(value, enum.Enum) else value


def run_indicator(indicator: IndicatorBase, bars: Iterable[Any], selector: Callable[[Any], Any] | None = None) -> IndicatorHistory:
    """Reset ``indicator``, update it with ``bars`` (oldest first) and record its values once ready."""
    indicator.reset()
    member_names, setting_names = indicator_members(indicator)
    points: dict[str, list[IndicatorDataPoint]] = {name: [] for name in member_names}
    points["current"] = []
    settings: dict[str, list[tuple[datetime, Any]]] = {name: [] for name in setting_names}
    rows: list[IndicatorDataPoints] = []
    state: dict[str, Any] = {"last_consumed": None, "last_point": None}

    def consume(new_input: IndicatorDataPoint | None) -> None:
        if new_input is None or state["last_consumed"] == new_input.end_time:
            return
        state["last_consumed"] = new_input.end_time
        row = IndicatorDataPoints(new_input.time, new_input.end_time)
        rows.append(row)
        for name in member_names:
            point = getattr(indicator, name).current
            values = points[name]
            if values and values[-1].end_time == point.end_time:
                values[-1] = point  # a sub-indicator that did not move keeps one value per time
            else:
                values.append(point)
            row.set_property(name, point)
        current = indicator.current
        points["current"].append(current)
        row.set_property("current", current)
        for name in setting_names:
            value = _setting_text(getattr(indicator, name))
            settings[name].append((new_input.end_time, value))
            row.set_property(name, value)

    def on_updated(sender: Any, point: IndicatorDataPoint) -> None:
        if not indicator.is_ready:
            return
        last = state["last_point"]
        if last is None or last.time != point.time:
            consume(point)
        state["last_point"] = point

    indicator.updated += on_updated
    try:
        point_input = indicator._input_kind == POINT
        for bar in bars:
            if point_input:
                value = selector(bar) if selector is not None else exact_value_of(bar)
                indicator.update(IndicatorDataPoint.create(bar.symbol, bar.end_time, exact(value)))
            else:
                indicator.update(selector(bar) if selector is not None else bar)
        consume(state["last_point"])
    finally:
        indicator.updated -= on_updated
    return IndicatorHistory(rows, points, settings)

