""".NET numeric format strings used in LEAN's runtime statistics ("N2", "P")."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def number_n2(value: Decimal) -> str:
    """``ToString("N2")``: thousands separators, two decimals, midpoints away from zero."""
    quantized = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{quantized:,.2f}"
    return text[1:] if text.startswith("-") and quantized == 0 else text


def currency(value: Decimal, symbol: str = "$") -> str:
    return symbol + number_n2(value)


def percent_text(value: Decimal) -> str:
    """``ToString("P")`` with the invariant culture: the value × 100, two decimals, then " %"."""
    return number_n2(value * 100) + " %"
