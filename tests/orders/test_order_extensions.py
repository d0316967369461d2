"""LEAN's order and buying-power extension methods as Python algorithms call them."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from lean_local.enums import OrderStatus
from lean_local.securities.buying_power import BuyingPowerModelExtensions


def test_order_status_extensions_are_methods() -> None:
    assert OrderStatus.FILLED.is_fill() and OrderStatus.PARTIALLY_FILLED.is_fill()
    assert not OrderStatus.SUBMITTED.is_fill()
    assert OrderStatus.CANCELED.is_closed() and OrderStatus.INVALID.is_closed()
    assert OrderStatus.PARTIALLY_FILLED.is_open() and not OrderStatus.FILLED.is_open()


def _portfolio(total: int, margin_remaining: int) -> Any:
    return SimpleNamespace(total_portfolio_value_exact=Decimal(total),
                           get_margin_remaining_exact=lambda value: Decimal(margin_remaining))


class _Model:
    def initial_margin_requirement(self, security: Any, quantity: Decimal) -> Decimal:
        return quantity * 10


def test_minimum_order_margin_check() -> None:
    check = BuyingPowerModelExtensions.above_minimum_order_margin_portfolio_percentage
    portfolio = _portfolio(100000, 50000)
    assert check(_Model(), None, 1, portfolio, 0)  # no minimum: always allowed
    assert not check(_Model(), None, 1, portfolio, 0.005)  # $10 of margin is under 0.5% of $100k
    assert check(_Model(), None, -50, portfolio, 0.005)  # $500 (absolute) reaches it
    assert check(_portfolio(100000, -1), 0.005, 10)  # no margin left: let reducing orders through
