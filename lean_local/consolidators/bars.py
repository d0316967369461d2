"""Bars built by consolidators, keeping LEAN's exact decimal prices next to the float fields algorithms read.

A consolidated bar copies OHLC from the bars it aggregates; LEAN copies C# decimals, so these bars remember the
exact decimal of each field (``exact_close`` and friends) as long as the float field still holds the value
it was copied with. If user code overwrites a field, the float is what counts (converted as C# would).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from lean_local.csharp import to_decimal
from lean_local.indicators.data_point import exact_field
from lean_local.market_data import Bar, QuoteBar, TradeBar

_FIELDS = ("open", "high", "low", "close")


def price_of(data: Any, name: str) -> tuple[float, Decimal]:
    """(float, exact decimal) of an OHLC field of a bar."""
    return float(getattr(data, name)), exact_field(data, name)


class _ExactFields:
    """Mixin storage: per-field (float, Decimal) pairs; a field whose float changed falls back to the float."""

    __slots__ = ()
    _exact_values: list[Decimal | None]
    _exact_floats: list[float]

    def _exact(self, index: int, value: float) -> Decimal:
        stored = self._exact_values[index]
        if stored is not None and self._exact_floats[index] == value:
            return stored
        return to_decimal(value)

    def set_price(self, name: str, number: float, exact: Decimal) -> None:
        index = _FIELDS.index(name)
        setattr(self, name, number)
        self._exact_values[index] = exact
        self._exact_floats[index] = number

    def exact_price(self, name: str) -> Decimal:
        index = _FIELDS.index(name)
        return self._exact(index, getattr(self, name))


class ConsolidatedTradeBar(_ExactFields, TradeBar):
    """A ``TradeBar`` produced by a consolidator (a plain ``TradeBar`` to algorithms)."""

    __slots__ = ("_exact_values", "_exact_floats")

    def __init__(self, time: datetime, symbol: Any, period: timedelta | None = None, volume: float = 0.0) -> None:
        TradeBar.__init__(self, time, symbol, 0.0, 0.0, 0.0, 0.0, volume, period)
        self._exact_values = [None, None, None, None]
        self._exact_floats = [0.0, 0.0, 0.0, 0.0]

    def set_all(self, number: float, exact: Decimal) -> None:
        for name in _FIELDS:
            self.set_price(name, number, exact)

    def copy_prices(self, source: Any) -> None:
        for name in _FIELDS:
            number, exact = price_of(source, name)
            self.set_price(name, number, exact)

    def clone(self) -> "ConsolidatedTradeBar":
        copy = ConsolidatedTradeBar(self.time, self.symbol, None, self.volume)
        copy.end_time = self.end_time
        copy.is_fill_forward = self.is_fill_forward
        for index, name in enumerate(_FIELDS):
            setattr(copy, name, getattr(self, name))
            copy._exact_values[index] = self._exact_values[index]
            copy._exact_floats[index] = self._exact_floats[index]
        return copy


class ConsolidatedBar(_ExactFields, Bar):
    """One side (bid or ask) of a consolidated quote bar."""

    __slots__ = ("_exact_values", "_exact_floats")

    def __init__(self) -> None:
        Bar.__init__(self)
        self._exact_values = [None, None, None, None]
        self._exact_floats = [0.0, 0.0, 0.0, 0.0]

    @classmethod
    def flat(cls, number: float, exact: Decimal) -> "ConsolidatedBar":
        bar = cls()
        for name in _FIELDS:
            bar.set_price(name, number, exact)
        return bar

    @classmethod
    def copy_of(cls, source: Any) -> "ConsolidatedBar":
        bar = cls()
        for name in _FIELDS:
            number, exact = price_of(source, name)
            bar.set_price(name, number, exact)
        return bar

    def clone(self) -> "ConsolidatedBar":
        copy = ConsolidatedBar()
        for index, name in enumerate(_FIELDS):
            setattr(copy, name, getattr(self, name))
            copy._exact_values[index] = self._exact_values[index]
            copy._exact_floats[index] = self._exact_floats[index]
        return copy


def clone_side(side: Bar | None) -> Bar | None:
    if side is None:
        return None
    if isinstance(side, ConsolidatedBar):
        return side.clone()
    return ConsolidatedBar.copy_of(side)


def clone_data(data: Any) -> Any:
    """A copy of a data point (``BaseData.Clone()``), used for ``working_data``."""
    if data is None:
        return None
    clone = getattr(data, "clone", None)
    if callable(clone):
        return clone()
    if isinstance(data, QuoteBar):
        copy = QuoteBar.create(data.symbol, data.time, data.end_time, clone_side(data.bid), data.last_bid_size,
                               clone_side(data.ask), data.last_ask_size)
        copy.is_fill_forward = data.is_fill_forward
        return copy
    if isinstance(data, TradeBar):
        bar = ConsolidatedTradeBar(data.time, data.symbol, None, data.volume)
        bar.end_time = data.end_time
        bar.is_fill_forward = data.is_fill_forward
        bar.copy_prices(data)
        return bar
    import copy as _copy

    return _copy.copy(data)
