"""The indicator machinery: ``IndicatorBase`` and its typed variants, window/functional/constant/composite indicators.

Input kinds follow LEAN's generic parameter ``T`` of ``IndicatorBase<T>``:

* ``Indicator`` (``T = IndicatorDataPoint``): any data is turned into ``IndicatorDataPoint(symbol, end_time, value)``;
  ``update(time, value)`` is allowed.
* ``BarIndicator`` (``T = IBaseDataBar``): trade bars, quote bars, renko bars (anything with OHLC).
* ``TradeBarIndicator`` (``T = TradeBar``): trade bars only.

``update`` ignores an input that is the very object seen last for its symbol and logs (once) and ignores inputs
older than the previous one, as LEAN's forward-only check does.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lean_local.csharp import ZERO, decimal_add, decimal_div, decimal_mul, decimal_sub, to_double
from lean_local.indicators.data_point import (
    DATETIME_MIN,
    IndicatorDataPoint,
    IndicatorResult,
    IndicatorStatus,
    as_datetime,
    exact,
    exact_value_of,
)
from lean_local.indicators.window import EventHandler, RollingWindow, WindowBase
from lean_local.market_data import TradeBar

_log = logging.getLogger("lean_local.indicators")

POINT = "point"
BAR = "bar"
TRADE_BAR = "trade_bar"
DATA = "data"

_SUCCESS = IndicatorStatus.SUCCESS


def _symbol_key(symbol: Any) -> Any:
    if symbol is None:
        return None
    return getattr(symbol, "id", symbol)


def is_bar(data: Any) -> bool:
    """Has OHLC like ``IBaseDataBar`` (trade bars, quote bars, renko bars)."""
    return hasattr(data, "high") and hasattr(data, "low") and hasattr(data, "close") and hasattr(data, "open")


class IndicatorBase(WindowBase[IndicatorDataPoint]):
    """Base of every indicator. Subclasses implement ``compute_next_value(input)`` and ``is_ready``."""

    _input_kind = POINT

    def __init__(self, name: str | None = None) -> None:
        WindowBase.__init__(self, WindowBase.DEFAULT_WINDOW_SIZE)
        self.name = name
        self.samples = 0
        self.consolidators: set[Any] = set()
        self.updated = EventHandler()
        self._previous_input: dict[Any, Any] = {}
        self._logged_forward_only = False
        self.current = IndicatorDataPoint.create(None, DATETIME_MIN, ZERO)

    # --- state ------------------------------------------------------------------------------------------------
    @property
    def is_ready(self) -> bool:
        raise NotImplementedError

    @property
    def previous(self) -> IndicatorDataPoint:
        window = self.window
        if window.count > 1:
            return window[1]
        return IndicatorDataPoint.create(None, DATETIME_MIN, ZERO)

    @property
    def exact_value(self) -> Decimal:
        """The current value as the decimal LEAN holds (``Current.Value``)."""
        return self.current.exact_value

    # --- updating ---------------------------------------------------------------------------------------------
    def update(self, input: Any = None, value: Any = None, *, time: Any = None) -> bool:
        """``update(data)`` with a bar or data point, or ``update(time, value)`` for data-point indicators."""
        if input is None:
            input = time
        if input is None:
            raise TypeError("update() needs a data point, a bar, or a time and a value")
        if value is not None or isinstance(input, datetime):
            if self._input_kind != POINT:
                raise NotImplementedError(
                    f"{type(self).__name__} does not support the `Update(DateTime, decimal)` method. Use one of the "
                    "following methods instead: Update(TradeBar), Update(QuoteBar)"
                )
            if value is None:
                raise TypeError("update(time, value) needs a value")
            input = IndicatorDataPoint.create(None, as_datetime(input), exact(value))
        return self._update(input)

    def _update(self, input: Any) -> bool:
        key = _symbol_key(input.symbol)
        previous = self._previous_input.get(key)
        if previous is not None and input.end_time < previous.end_time:
            if not self._logged_forward_only:
                self._logged_forward_only = True
                _log.error(
                    "IndicatorBase.Update(): This is a forward only indicator: %s Input: %s Previous: %s. "
                    "It will not be updated with this input.", self.name, input.end_time, previous.end_time,
                )
            return self.is_ready
        if input is not previous:
            self.samples += 1
            kind = self._input_kind
            if kind == POINT:
                if not isinstance(input, IndicatorDataPoint):
                    input = IndicatorDataPoint.create(input.symbol, input.end_time, exact_value_of(input))
            elif kind == BAR:
                if not is_bar(input):
                    raise TypeError(
                        f"IndicatorBase.Update() 'input' expected to be of type IBaseDataBar but is of type "
                        f"{type(input).__name__}"
                    )
            elif kind == TRADE_BAR:
                if not isinstance(input, TradeBar):
                    raise TypeError(
                        f"IndicatorBase.Update() 'input' expected to be of type TradeBar but is of type "
                        f"{type(input).__name__}"
                    )
            self._previous_input[key] = input
            result = self.validate_and_compute_next_value(input)
            if result.status == _SUCCESS:
                point = IndicatorDataPoint.create(input.symbol, input.end_time, result._value)
                self.current = point
                self.on_updated(point)
        return self.is_ready

    def validate_and_compute_next_value(self, input: Any) -> IndicatorResult:
        return _result(self.compute_next_value(input))

    def compute_next_value(self, input: Any) -> Decimal:
        raise NotImplementedError

    def on_updated(self, consolidated: IndicatorDataPoint) -> None:
        self.updated(self, consolidated)

    def reset(self) -> None:
        self.samples = 0
        self._previous_input.clear()
        self.window.reset()
        self.current = IndicatorDataPoint.create(None, DATETIME_MIN, ZERO)

    # --- text and comparisons ---------------------------------------------------------------------------------
    def to_string(self) -> str:
        return _format_indicator_value(self.current.exact_value)

    def __str__(self) -> str:
        return self.to_string()

    def to_detailed_string(self) -> str:
        return f"{self.name} - {self}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_detailed_string()}>"

    def _operand(self, other: Any) -> Decimal | None:
        if isinstance(other, IndicatorBase):
            return other.current.exact_value
        if isinstance(other, IndicatorDataPoint):
            return other.exact_value
        if isinstance(other, (int, float, Decimal)) and not isinstance(other, bool):
            return exact(other)
        if hasattr(other, "item"):
            return exact(other)
        return None

    def compare_to(self, other: Any) -> int:
        if other is None:
            return 1
        theirs = self._operand(other)
        if theirs is None:
            raise TypeError(f"Object must be of type {type(self).__name__}")
        mine = self.current.exact_value
        return (mine > theirs) - (mine < theirs)

    def __lt__(self, other: Any) -> bool:
        theirs = self._operand(other)
        if theirs is None:
            return NotImplemented
        return self.current.exact_value < theirs

    def __le__(self, other: Any) -> bool:
        theirs = self._operand(other)
        if theirs is None:
            return NotImplemented
        return self.current.exact_value <= theirs

    def __gt__(self, other: Any) -> bool:
        theirs = self._operand(other)
        if theirs is None:
            return NotImplemented
        return self.current.exact_value > theirs

    def __ge__(self, other: Any) -> bool:
        theirs = self._operand(other)
        if theirs is None:
            return NotImplemented
        return self.current.exact_value >= theirs

    def __eq__(self, other: object) -> bool:
        # indicators compare by reference, numbers by the current value (LEAN's Equals/operator==)
        if isinstance(other, IndicatorBase) or other is None:
            return self is other
        if isinstance(other, (int, float, Decimal)) and not isinstance(other, bool):
            return self.current.exact_value == exact(other)
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def equals(self, other: object) -> bool:
        return self.__eq__(other)

    def get_hash_code(self) -> int:
        return id(self)


def _format_indicator_value(value: Decimal) -> str:
    """``decimal.ToString("#######0.0####")``: one to five decimals, rounded half away from zero."""
    rounded = value.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0") or "0"
    if whole in ("-0", "") and set(fraction) == {"0"}:
        whole = "0"
    return f"{whole}.{fraction}"


def _result(value: Any) -> IndicatorResult:
    if isinstance(value, IndicatorResult):
        return value
    result = IndicatorResult.__new__(IndicatorResult)
    result._value = value if isinstance(value, Decimal) else exact(value)
    result.status = _SUCCESS
    return result


class Indicator(IndicatorBase):
    """An indicator of ``IndicatorDataPoint`` inputs."""

    _input_kind = POINT


class BarIndicator(IndicatorBase):
    """An indicator of bar inputs (``IBaseDataBar``: trade, quote and renko bars)."""

    _input_kind = BAR


class TradeBarIndicator(IndicatorBase):
    """An indicator of ``TradeBar`` inputs."""

    _input_kind = TRADE_BAR


class WindowIndicator(IndicatorBase):
    """An indicator over a rolling window of its last ``period`` inputs; ready once the window is full."""

    _input_kind = POINT

    def __init__(self, name: str, period: int) -> None:
        if period < 1:
            raise ValueError("RollingWindow must have size of at least 1.")
        super().__init__(name)
        self._inputs: RollingWindow[Any] = RollingWindow(period)

    @property
    def period(self) -> int:
        return self._inputs.size

    @property
    def is_ready(self) -> bool:
        return self._inputs.is_ready

    @property
    def warm_up_period(self) -> int:
        return self.period

    def compute_next_value(self, input: Any) -> Decimal:
        self._inputs.add(input)
        return self.compute_window_value(self._inputs, input)

    def compute_window_value(self, window: RollingWindow[Any], input: Any) -> Decimal:
        raise NotImplementedError

    def reset(self) -> None:
        super().reset()
        self._inputs.reset()


class FunctionalIndicator(IndicatorBase):
    """An indicator defined by functions: ``compute(input) -> value``, ``is_ready(indicator)``, optional reset."""

    def __init__(
        self,
        name: str,
        compute_next_value: Callable[[Any], Any],
        is_ready: Callable[[Any], bool],
        reset: Callable[[], None] | None = None,
        input_kind: str = DATA,
    ) -> None:
        super().__init__(name)
        self._compute = compute_next_value
        self._is_ready = is_ready
        self._reset = reset
        self._input_kind = input_kind

    @property
    def is_ready(self) -> bool:
        return bool(self._is_ready(self))

    def compute_next_value(self, input: Any) -> Decimal:
        return exact(self._compute(input))

    def reset(self) -> None:
        if self._reset is not None:
            self._reset()
        super().reset()


class ConstantIndicator(IndicatorBase):
    """Always ``value`` and always ready."""

    _input_kind = DATA

    def __init__(self, name: str, value: Any) -> None:
        super().__init__(name)
        self._value = exact(value)
        self.current = IndicatorDataPoint.create(None, DATETIME_MIN, self._value)

    @property
    def is_ready(self) -> bool:
        return True

    def compute_next_value(self, input: Any) -> Decimal:
        return self._value

    def reset(self) -> None:
        super().reset()
        self.current = IndicatorDataPoint.create(None, DATETIME_MIN, self._value)


Composer = Callable[[IndicatorBase, IndicatorBase], Any]


class CompositeIndicator(IndicatorBase):
    """Combines two indicators with ``composer(left, right)`` each time both have produced a new value
    (or one has, when the other is a constant). ``CompositeIndicator([name,] left, right, composer)``."""

    _input_kind = POINT

    def __init__(self, *args: Any) -> None:
        if len(args) == 4:
            name, left, right, composer = args
        elif len(args) == 3:
            name = None
            left, right, composer = args
        else:
            raise TypeError("CompositeIndicator([name,] left, right, composer)")
        from lean_local.indicators.python_indicator import as_indicator

        left = as_indicator(left)
        right = as_indicator(right)
        super().__init__(name)
        self._composer = composer
        self.left: IndicatorBase = left
        self.right: IndicatorBase = right
        if self.name is None:
            self.name = f"COMPOSE({left.name},{right.name})"
        self._configure_event_handlers()

    @property
    def is_ready(self) -> bool:
        return self.left.is_ready and self.right.is_ready

    def reset(self) -> None:
        self.left.reset()
        self.right.reset()
        super().reset()

    def validate_and_compute_next_value(self, input: Any) -> IndicatorResult:
        return _result(self._composer(self.left, self.right))

    def compute_next_value(self, input: Any) -> Decimal:
        return _result(self._composer(self.left, self.right))._value

    def _configure_event_handlers(self) -> None:
        left_is_constant = isinstance(self.left, ConstantIndicator)
        right_is_constant = isinstance(self.right, ConstantIndicator)
        pending: dict[str, Any] = {"left": None, "right": None}

        def on_left(sender: Any, updated: IndicatorDataPoint) -> None:
            pending["left"] = updated
            if pending["right"] is not None or right_is_constant:
                self._update(IndicatorDataPoint.create(None, self._max_time(updated), ZERO))
                pending["left"] = pending["right"] = None

        def on_right(sender: Any, updated: IndicatorDataPoint) -> None:
            pending["right"] = updated
            if pending["left"] is not None or left_is_constant:
                self._update(IndicatorDataPoint.create(None, self._max_time(updated), ZERO))
                pending["left"] = pending["right"] = None

        self.left.updated += on_left
        self.right.updated += on_right

    def _max_time(self, updated: IndicatorDataPoint) -> datetime:
        return max(updated.time, self.right.current.time, self.left.current.time)


class ResetCompositeIndicator(CompositeIndicator):
    """A composite that also runs ``extra_reset`` on reset."""

    def __init__(self, *args: Any) -> None:
        if len(args) == 5:
            name, left, right, composer, extra_reset = args
        elif len(args) == 4:
            left, right, composer, extra_reset = args
            name = f"RESET_COMPOSE({left.name},{right.name})"
        else:
            raise TypeError("ResetCompositeIndicator([name,] left, right, composer, extra_reset)")
        self._extra_reset = extra_reset
        super().__init__(name, left, right, composer)

    def reset(self) -> None:
        super().reset()
        self._extra_reset()


# --- composers used by the extensions (exact decimal arithmetic) ----------------------------------------------------
def compose_plus(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return decimal_add(left.current.exact_value, right.current.exact_value)


def compose_minus(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return decimal_sub(left.current.exact_value, right.current.exact_value)


def compose_times(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return decimal_mul(left.current.exact_value, right.current.exact_value)


def compose_over(left: IndicatorBase, right: IndicatorBase) -> IndicatorResult:
    denominator = right.current.exact_value
    if denominator == 0:
        return IndicatorResult(ZERO, IndicatorStatus.MATH_ERROR)
    return _result(decimal_div(left.current.exact_value, denominator))


__all__ = [
    "BarIndicator",
    "CompositeIndicator",
    "ConstantIndicator",
    "FunctionalIndicator",
    "Indicator",
    "IndicatorBase",
    "ResetCompositeIndicator",
    "TradeBarIndicator",
    "WindowIndicator",
    "to_double",
]
