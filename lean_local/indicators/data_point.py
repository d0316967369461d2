"""``IndicatorDataPoint`` and the number conversions every indicator shares.

LEAN's indicators compute in C# ``decimal``. Here every value is a ``Decimal`` handled with the exact C#
operations of :mod:`lean_local.csharp`; the Python API shows them as ``float`` (pythonnet turns a C# decimal
into a float with ``(double)value``), with the exact value one attribute away (``exact_value``).
"""
from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from enum import IntEnum
from typing import Any

from lean_local.csharp import ZERO, decimal_to_string, to_decimal, to_double
from lean_local.market_data import BaseData

DATETIME_MIN = datetime.min


def exact(value: Any) -> Decimal:
    """A Python number as the C# decimal LEAN would receive (floats keep 15 significant digits)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"cannot convert {value!r} to decimal")
        return to_decimal(value)
    if hasattr(value, "item"):  # numpy scalars
        return exact(value.item())
    if hasattr(value, "exact_value"):  # an indicator data point or bar used as a number
        result: Decimal = value.exact_value
        return result
    return exact(float(value))


def exact_value_of(data: Any) -> Decimal:
    """``data.Value`` as an exact decimal (bars keep the decimal LEAN computed from the raw file)."""
    value = getattr(data, "exact_value", None)
    if isinstance(value, Decimal):
        return value
    return exact(data.value)


def exact_field(data: Any, name: str) -> Decimal:
    """An OHLC field of a bar as an exact decimal (``exact_high`` when the bar has it)."""
    value = getattr(data, "exact_" + name, None)
    if isinstance(value, Decimal):
        return value
    return exact(getattr(data, name))


def as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise TypeError(f"expected a datetime, got {type(value).__name__}")


class IndicatorStatus(IntEnum):
    SUCCESS = 0
    INVALID_INPUT = 1
    MATH_ERROR = 2
    VALUE_NOT_READY = 3


class IndicatorResult:
    """A computed value and whether the indicator should publish it."""

    __slots__ = ("_value", "status")

    def __init__(self, value: Any, status: IndicatorStatus = IndicatorStatus.SUCCESS) -> None:
        self._value = exact(value)
        self.status = IndicatorStatus(status)

    @property
    def value(self) -> float:
        return to_double(self._value)

    @property
    def exact_value(self) -> Decimal:
        return self._value

    def __repr__(self) -> str:
        return f"IndicatorResult({decimal_to_string(self._value)}, {self.status.name})"


class IndicatorDataPoint(BaseData):
    """A value at a time: ``IndicatorDataPoint(time, value)`` or ``IndicatorDataPoint(symbol, time, value)``.

    ``end_time`` equals ``time`` (a data point has no period). ``value`` reads as a float; ``exact_value``
    is the decimal the indicator computed.
    """

    __slots__ = ("_value", "_float")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        symbol: Any = kwargs.pop("symbol", None)
        when: Any = kwargs.pop("time", None)
        value: Any = kwargs.pop("value", None)
        if kwargs:
            raise TypeError(f"unexpected arguments {sorted(kwargs)}")
        if len(args) == 3:
            symbol, when, value = args
        elif len(args) == 2:
            when, value = args
        elif len(args) == 1:
            when = args[0]
        elif args:
            raise TypeError("IndicatorDataPoint takes (time, value) or (symbol, time, value)")
        self.symbol = symbol
        self.time = as_datetime(when) if when is not None else DATETIME_MIN
        self.is_fill_forward = False
        self._value = exact(value) if value is not None else ZERO
        self._float: float | None = None

    @classmethod
    def create(cls, symbol: Any, when: datetime, value: Decimal) -> "IndicatorDataPoint":
        """Fast constructor for the engine's own points (``value`` already a C# decimal)."""
        point = cls.__new__(cls)
        point.symbol = symbol
        point.time = when
        point.is_fill_forward = False
        point._value = value
        point._float = None
        return point

    @property  # type: ignore[override]
    def end_time(self) -> datetime:
        return self.time

    @end_time.setter
    def end_time(self, value: datetime) -> None:
        self.time = value

    @property
    def value(self) -> float:
        cached = self._float
        if cached is None:
            cached = self._float = to_double(self._value)
        return cached

    @value.setter
    def value(self, new_value: Any) -> None:
        self._value = exact(new_value)
        self._float = None

    @property
    def exact_value(self) -> Decimal:
        return self._value

    @property
    def price(self) -> float:
        return self.value

    @property
    def period(self) -> Any:
        return self.end_time - self.time

    def clone(self) -> "IndicatorDataPoint":
        return IndicatorDataPoint.create(self.symbol, self.time, self._value)

    # --- comparisons: by value, like IComparable<IndicatorDataPoint> ---------------------------------------------
    def _other(self, other: Any) -> Decimal:
        if isinstance(other, IndicatorDataPoint):
            return other._value
        if isinstance(other, (int, float, Decimal)) and not isinstance(other, bool):
            return exact(other)
        raise TypeError(f"Object must be of type IndicatorDataPoint, got {type(other).__name__}")

    def compare_to(self, other: Any) -> int:
        if other is None:
            return 1
        mine, theirs = self._value, self._other(other)
        return (mine > theirs) - (mine < theirs)

    def __lt__(self, other: Any) -> bool:
        return self._value < self._other(other)

    def __le__(self, other: Any) -> bool:
        return self._value <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return self._value > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return self._value >= self._other(other)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IndicatorDataPoint):
            return other.time == self.time and other._value == self._value
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((self._value, self.time))

    def equals(self, other: object) -> bool:
        return self.__eq__(other)

    def to_string(self) -> str:
        return f"{self.time:%Y-%m-%dT%H:%M:%S} - {decimal_to_string(self._value)}"

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"IndicatorDataPoint({self.to_string()})"
