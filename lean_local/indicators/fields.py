"""``Field``: LEAN's standard selectors (``Field.CLOSE``, ``Field.HIGH``, ``Field.VOLUME``, ``Field.TYPICAL``, ...).

They return exact decimals (LEAN's selectors are C# delegates, so no float round trip happens). A field that the
data does not have falls back to the data's value, as in LEAN.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from lean_local.csharp import decimal_add, decimal_div, decimal_mul
from lean_local.indicators.base import is_bar
from lean_local.indicators.data_point import exact, exact_field, exact_value_of
from lean_local.market_data import QuoteBar, Tick, TradeBar

_TWO, _THREE, _FOUR, _SEVEN = Decimal(2), Decimal(3), Decimal(4), Decimal(7)


def _bar_field(name: str) -> Any:
    def select(data: Any) -> Decimal:
        if is_bar(data):
            return exact_field(data, name)
        return exact_value_of(data)
    return select


def _quote_side(side: str, name: str) -> Any:
    def select(data: Any) -> Decimal:
        if isinstance(data, QuoteBar):
            return exact_field(getattr(data, side), name)
        return exact_value_of(data)
    return select


def _tick_or_quote(tick_field: str, side: str) -> Any:
    def select(data: Any) -> Decimal:
        if isinstance(data, Tick):
            return exact(getattr(data, tick_field))
        if isinstance(data, QuoteBar):
            return exact_field(getattr(data, side), "close")
        return exact_value_of(data)
    return select


def _close(data: Any) -> Decimal:
    return exact_value_of(data)


def _volume(data: Any) -> Decimal:
    if isinstance(data, TradeBar):
        return exact(data.volume)
    if isinstance(data, Tick):
        return exact(data.quantity)
    return exact_value_of(data)


def _combination(weights: tuple[int, int, int, int], divisor: Decimal) -> Any:
    def select(data: Any) -> Decimal:
        if not is_bar(data):
            return exact_value_of(data)
        total: Decimal | None = None
        for weight, name in zip(weights, ("open", "high", "low", "close")):
            if not weight:
                continue
            value = exact_field(data, name)
            term = value if weight == 1 else decimal_mul(Decimal(weight), value)
            total = term if total is None else decimal_add(total, term)
        assert total is not None
        return decimal_div(total, divisor)
    return select


class Field:
    """Selectors for indicator helpers and ``register_indicator`` (``selector=Field.HIGH``)."""

    BID_CLOSE = staticmethod(_quote_side("bid", "close"))
    BID_OPEN = staticmethod(_quote_side("bid", "open"))
    BID_LOW = staticmethod(_quote_side("bid", "low"))
    BID_HIGH = staticmethod(_quote_side("bid", "high"))
    ASK_CLOSE = staticmethod(_quote_side("ask", "close"))
    ASK_OPEN = staticmethod(_quote_side("ask", "open"))
    ASK_LOW = staticmethod(_quote_side("ask", "low"))
    ASK_HIGH = staticmethod(_quote_side("ask", "high"))
    ASK_PRICE = staticmethod(_tick_or_quote("ask_price", "ask"))
    BID_PRICE = staticmethod(_tick_or_quote("bid_price", "bid"))
    OPEN = staticmethod(_bar_field("open"))
    HIGH = staticmethod(_bar_field("high"))
    LOW = staticmethod(_bar_field("low"))
    CLOSE = staticmethod(_close)
    AVERAGE = staticmethod(_combination((1, 1, 1, 1), _FOUR))
    MEDIAN = staticmethod(_combination((0, 1, 1, 0), _TWO))
    TYPICAL = staticmethod(_combination((0, 1, 1, 1), _THREE))
    WEIGHTED = staticmethod(_combination((0, 1, 1, 2), _FOUR))
    SEVEN_BAR = staticmethod(_combination((2, 1, 1, 3), _SEVEN))
    VOLUME = staticmethod(_volume)


QUOTE_FIELDS = frozenset(
    id(f) for f in (Field.BID_PRICE, Field.ASK_PRICE, Field.BID_CLOSE, Field.BID_OPEN, Field.BID_LOW, Field.BID_HIGH,
                    Field.ASK_CLOSE, Field.ASK_OPEN, Field.ASK_LOW, Field.ASK_HIGH)
)


def data_type_from_selector(selector: Any) -> type | None:
    """LEAN's ``GetDataTypeFromSelector``: quote fields need quote bars, ``Field.VOLUME`` trade bars."""
    if selector is None:
        return None
    if id(selector) in QUOTE_FIELDS:
        return QuoteBar
    if selector is Field.VOLUME:
        return TradeBar
    return None
