"""Renko bars and consolidators.

* ``RenkoConsolidator(bar_size)`` ("wicked" renko): the first price is rounded to the nearest multiple of the
  brick size; each move of more than one brick beyond the last brick's close emits bricks (several at once for
  large moves), carrying the extreme reached as the wick; a reversal needs a move beyond the last brick's open.
* ``ClassicRenkoConsolidator(bar_size[, selector, volume_selector], even_bars=True)``: one bar at a time; a bar
  closes when the value moves a brick from its open (the close is capped at that brick), the next bar opens at
  that close. With ``even_bars`` the first open is rounded up to a multiple of the brick size.
"""
from __future__ import annotations

import builtins

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import IntEnum
from typing import Any

from lean_local.consolidators.base import ConsolidatorBase
from lean_local.csharp import (
    ZERO,
    decimal_add,
    decimal_div,
    decimal_max,
    decimal_min,
    decimal_mul,
    decimal_sub,
    round_decimal,
    to_double,
)
from lean_local.indicators.data_point import DATETIME_MIN, exact, exact_value_of
from lean_local.indicators.window import EventHandler
from lean_local.market_data import BaseData, Tick, TradeBar

_DECIMAL_EPSILON = Decimal("1E-27")


class RenkoType(IntEnum):
    CLASSIC = 0
    WICKED = 1


class BarDirection(IntEnum):
    RISING = 0
    NO_DELTA = 1
    FALLING = 2


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def _ceiling(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


class RenkoBar(TradeBar):
    """A renko brick. Prices read as floats like every bar; ``exact_*`` give the decimals."""

    __slots__ = ("type", "_brick_size", "is_closed", "_o", "_h", "_l", "_c")

    def __init__(self, *args: Any) -> None:
        TradeBar.__init__(self, DATETIME_MIN, None, 0.0, 0.0, 0.0, 0.0, 0.0, None)
        self.end_time = DATETIME_MIN
        self.type = RenkoType.CLASSIC
        self._brick_size = ZERO
        self.is_closed = False
        self._o = self._h = self._l = self._c = ZERO
        if len(args) == 5:
            symbol, when, brick_size, open_, volume = args
            self.type = RenkoType.CLASSIC
            self.symbol = symbol
            self.time = self.end_time = when
            self._brick_size = exact(brick_size)
            price = exact(open_)
            self._o = self._c = self._h = self._l = price
            self.volume = float(volume)
        elif len(args) == 8:
            symbol, start, end_time, brick_size, open_, high, low, close = args
            self.type = RenkoType.WICKED
            self.symbol = symbol
            self.time = start
            self.end_time = end_time
            self._brick_size = exact(brick_size)
            self._o, self._h, self._l, self._c = exact(open_), exact(high), exact(low), exact(close)
            self.volume = 0.0
        elif args:
            raise TypeError("RenkoBar(symbol, time, brick_size, open, volume) or "
                            "RenkoBar(symbol, start, end_time, brick_size, open, high, low, close)")

    # prices: decimals inside, floats outside ---------------------------------------------------------------------
    @property  # type: ignore[override]
    def open(self) -> float:
        return to_double(self._o)

    @open.setter
    def open(self, value: Any) -> None:
        self._o = exact(value)

    @property  # type: ignore[override]
    def high(self) -> float:
        return to_double(self._h)

    @high.setter
    def high(self, value: Any) -> None:
        self._h = exact(value)

    @property  # type: ignore[override]
    def low(self) -> float:
        return to_double(self._l)

    @low.setter
    def low(self, value: Any) -> None:
        self._l = exact(value)

    @property  # type: ignore[override]
    def close(self) -> float:
        return to_double(self._c)

    @close.setter
    def close(self, value: Any) -> None:
        self._c = exact(value)

    @property
    def exact_open(self) -> Decimal:
        return self._o

    @property
    def exact_high(self) -> Decimal:
        return self._h

    @property
    def exact_low(self) -> Decimal:
        return self._l

    @property
    def exact_close(self) -> Decimal:
        return self._c

    @property
    def exact_value(self) -> Decimal:
        return self._c

    @property
    def brick_size(self) -> float:
        return to_double(self._brick_size)

    @property
    def exact_brick_size(self) -> Decimal:
        return self._brick_size

    @property
    def start(self) -> datetime:
        return self.time

    @property
    def end(self) -> datetime:
        return self.end_time

    @property
    def direction(self) -> BarDirection:
        if self._o < self._c:
            return BarDirection.RISING
        if self._o > self._c:
            return BarDirection.FALLING
        return BarDirection.NO_DELTA

    @property
    def spread(self) -> float:
        return to_double(decimal_sub(self._c, self._o).copy_abs())

    def update(self, time: datetime, current_value: Any, volume_since_last_update: Any) -> bool:  # type: ignore[override]
        """Classic bars only: move the close (capped one brick from the open); True once the bar closed."""
        if self.type == RenkoType.WICKED:
            raise RuntimeError('A "Wicked" RenkoBar cannot be updated!')
        if self.is_closed:
            return True
        if self.time == DATETIME_MIN:
            self.time = time
        self.end_time = time
        value = exact(current_value)
        low_close = decimal_sub(self._o, self._brick_size)
        high_close = decimal_add(self._o, self._brick_size)
        self._c = decimal_min(high_close, decimal_max(low_close, value))
        self.volume += float(volume_since_last_update)
        if value <= low_close or value >= high_close:
            self.is_closed = True
        if self._c > self._h:
            self._h = self._c
        if self._c < self._l:
            self._l = self._c
        return self.is_closed

    def clone(self) -> "RenkoBar":
        copy = RenkoBar()
        copy.type = self.type
        copy._brick_size = self._brick_size
        copy._o, copy._h, copy._l, copy._c = self._o, self._h, self._l, self._c
        copy.volume = self.volume
        copy.end_time = self.end_time
        copy.is_closed = self.is_closed
        copy.time = self.time
        copy.symbol = self.symbol
        return copy

    def __repr__(self) -> str:
        return (f"RenkoBar({self.symbol} {self.time} -> {self.end_time} {self.type.name} o={self.open} h={self.high} "
                f"l={self.low} c={self.close})")


def get_closest_multiple(price: Decimal, bar_size: Decimal) -> Decimal:
    """``RenkoConsolidator.GetClosestMultiple``: the multiple of ``bar_size`` nearest ``price`` (ties to even)."""
    if bar_size <= 0:
        raise ValueError("BarSize must be strictly greater than zero")
    floor = _floor(decimal_div(price, bar_size))
    modulus = decimal_sub(price, decimal_mul(bar_size, floor))
    rounded = round_decimal(decimal_div(modulus, bar_size))
    return decimal_mul(bar_size, decimal_add(floor, rounded))


class RenkoConsolidator(ConsolidatorBase):
    """Wicked renko bricks of ``bar_size`` from any data's price."""

    def __init__(self, bar_size: Any) -> None:
        size = exact(bar_size)
        if size <= 0:
            raise ValueError("Renko consolidator BarSize must be strictly greater than zero")
        super().__init__()
        self.data_consolidated = EventHandler()
        self._bar_size = size
        self._first_tick = True
        self._last_wicko: RenkoBar | None = None
        self._current_bar: RenkoBar | None = None
        self._open_on = self._close_on = DATETIME_MIN
        self._open_rate = self._high_rate = self._low_rate = self._close_rate = ZERO

    @property
    def type(self) -> RenkoType:
        return RenkoType.WICKED

    @property
    def input_type(self) -> builtins.type:
        return BaseData

    @property
    def output_type(self) -> builtins.type:
        return RenkoBar

    @property
    def working_data(self) -> Any:
        return self._current_bar.clone() if self._current_bar is not None else None

    @property
    def bar_size(self) -> float:
        return to_double(self._bar_size)

    def update(self, data: Any) -> None:
        rate = exact_value_of(data)
        size = self._bar_size
        if self._first_tick:
            self._first_tick = False
            rate = get_closest_multiple(rate, size)
            self._open_on = self._close_on = data.time
            self._open_rate = self._high_rate = self._low_rate = self._close_rate = rate
            return
        self._close_on = data.time
        if rate > self._high_rate:
            self._high_rate = rate
        if rate < self._low_rate:
            self._low_rate = rate
        self._close_rate = rate
        last = self._last_wicko
        if self._close_rate > self._open_rate:
            if last is None or last.direction == BarDirection.RISING:
                self._rising(data)
                return
            limit = decimal_add(last.exact_open, size)
            if self._close_rate > limit:
                wicko = RenkoBar(data.symbol, self._open_on, self._close_on, size, last.exact_open, limit,
                                 self._low_rate, limit)
                self._last_wicko = wicko
                self.on_data_consolidated(wicko)
                self._open_on = self._close_on
                self._open_rate = limit
                self._low_rate = limit
                self._rising(data)
        elif self._close_rate < self._open_rate:
            if last is None or last.direction == BarDirection.FALLING:
                self._falling(data)
                return
            limit = decimal_sub(last.exact_open, size)
            if self._close_rate < limit:
                wicko = RenkoBar(data.symbol, self._open_on, self._close_on, size, last.exact_open,
                                 self._high_rate, limit, limit)
                self._last_wicko = wicko
                self.on_data_consolidated(wicko)
                self._open_on = self._close_on
                self._open_rate = limit
                self._high_rate = limit
                self._falling(data)

    def _rising(self, data: Any) -> None:
        size = self._bar_size
        while True:
            limit = decimal_add(self._open_rate, size)
            if not self._close_rate > limit:
                break
            wicko = RenkoBar(data.symbol, self._open_on, self._close_on, size, self._open_rate, limit,
                             self._low_rate, limit)
            self._last_wicko = wicko
            self.on_data_consolidated(wicko)
            self._open_on = self._close_on
            self._open_rate = limit
            self._low_rate = limit

    def _falling(self, data: Any) -> None:
        size = self._bar_size
        while True:
            limit = decimal_sub(self._open_rate, size)
            if not self._close_rate < limit:
                break
            wicko = RenkoBar(data.symbol, self._open_on, self._close_on, size, self._open_rate, self._high_rate,
                             limit, limit)
            self._last_wicko = wicko
            self.on_data_consolidated(wicko)
            self._open_on = self._close_on
            self._open_rate = limit
            self._high_rate = limit

    def scan(self, current_local_time: datetime) -> None:
        pass

    def fire_data_consolidated(self, consolidated: Any) -> None:
        self.data_consolidated(self, consolidated)
        self._current_bar = consolidated

    def dispose(self) -> None:
        self.data_consolidated.clear()
        super().dispose()

    def reset(self) -> None:
        self._first_tick = True
        self._last_wicko = None
        self._current_bar = None
        self._open_on = self._close_on = DATETIME_MIN
        self._open_rate = self._high_rate = self._low_rate = self._close_rate = ZERO
        super().reset()


class WickedRenkoConsolidator(RenkoConsolidator):
    """Alias of :class:`RenkoConsolidator`."""


def _default_volume(data: Any) -> Any:
    if isinstance(data, TradeBar):
        return data.volume
    if isinstance(data, Tick):
        return data.quantity
    return 0


class ClassicRenkoConsolidator(ConsolidatorBase):
    """Classic renko bars of ``bar_size`` (see module docs)."""

    def __init__(self, bar_size: Any, *args: Any, **kwargs: Any) -> None:
        selector: Callable[[Any], Any] | None = kwargs.pop("selector", None)
        volume_selector: Callable[[Any], Any] | None = kwargs.pop("volume_selector", None)
        even_bars: bool = kwargs.pop("even_bars", True)
        if kwargs:
            raise TypeError(f"unexpected arguments {sorted(kwargs)}")
        rest = list(args)
        if rest and isinstance(rest[0], RenkoType):
            if rest[0] != RenkoType.CLASSIC:
                raise ValueError("Please use the new RenkoConsolidator type if RenkoType is not Classic")
            rest = []
        elif rest and isinstance(rest[0], bool):
            even_bars = rest.pop(0)
        else:
            if rest:
                selector = rest.pop(0)
            if rest:
                volume_selector = rest.pop(0)
            if rest:
                even_bars = bool(rest.pop(0))
        size = exact(bar_size)
        if size < _DECIMAL_EPSILON:
            raise ValueError("RenkoConsolidator bar size must be positve and greater than 1e-28")
        super().__init__()
        self.data_consolidated = EventHandler()
        self._bar_size = size
        self._even_bars = bool(even_bars)
        self._selector = selector
        self._volume_selector = volume_selector
        self._last_close: Decimal | None = None
        self._current_bar: RenkoBar | None = None

    @property
    def type(self) -> RenkoType:
        return RenkoType.CLASSIC

    @property
    def input_type(self) -> builtins.type:
        return BaseData

    @property
    def output_type(self) -> builtins.type:
        return RenkoBar

    @property
    def working_data(self) -> Any:
        return self._current_bar.clone() if self._current_bar is not None else None

    def _value(self, data: Any) -> Decimal:
        if self._selector is None:
            return exact_value_of(data)
        return exact(self._selector(data))

    def _volume(self, data: Any) -> Decimal:
        if self._volume_selector is None:
            return exact(_default_volume(data))
        return exact(self._volume_selector(data))

    def update(self, data: Any) -> None:
        value = self._value(data)
        volume = self._volume(data)
        if self._current_bar is not None:
            bar = self._current_bar
            bar.update(data.time, value, volume)
            if bar.is_closed:
                self._last_close = bar.exact_close
                self.on_data_consolidated(bar)
                self._current_bar = None
        if self._current_bar is None:
            opening = self._last_close if self._last_close is not None else value
            if self._even_bars and self._last_close is None:
                opening = decimal_mul(_ceiling(decimal_div(opening, self._bar_size)), self._bar_size)
            self._current_bar = RenkoBar(data.symbol, data.time, self._bar_size, opening, volume)

    def scan(self, current_local_time: datetime) -> None:
        pass

    def fire_data_consolidated(self, consolidated: Any) -> None:
        self.data_consolidated(self, consolidated)

    def dispose(self) -> None:
        self.data_consolidated.clear()
        super().dispose()

    def reset(self) -> None:
        self._current_bar = None
        super().reset()
        self._last_close = None
