"""Order arguments: only well-formed place/cancel arguments parse; everything else is a PolicyError."""
from __future__ import annotations

from decimal import Decimal

import pytest

from mcp_backtest.risk_policy import PolicyError, parse_cancel, parse_order_intent

GOOD = {"symbol": "spy", "side": "buy", "quantity": 10, "rationale": "momentum"}


def test_good_order_normalised() -> None:
    i = parse_order_intent(GOOD)
    assert (i.symbol, i.side, i.quantity, i.order_type, i.limit_price, i.signed_quantity) == ("SPY", "buy", 10, "market", None, 10)
    j = parse_order_intent({**GOOD, "side": "sell", "order_type": "limit", "limit_price": "101.5", "quantity": 3.0})
    assert (j.limit_price, j.signed_quantity) == (Decimal("101.5"), -3)


@pytest.mark.parametrize(
    "change",
    [
        {"symbol": ""}, {"symbol": None}, {"symbol": "SP Y"}, {"symbol": 5}, {"side": "hold"}, {"side": None},
        {"quantity": 0}, {"quantity": -5}, {"quantity": 1.5}, {"quantity": True}, {"quantity": "10"},
        {"quantity": 10**12}, {"quantity": float("nan")}, {"order_type": "stop"}, {"order_type": "limit"},
        {"order_type": "limit", "limit_price": -1}, {"order_type": "limit", "limit_price": float("inf")},
        {"order_type": "limit", "limit_price": "abc"}, {"limit_price": 10}, {"rationale": ""}, {"rationale": "  "},
        {"rationale": None}, {"rationale": "x" * 2001}, {"client_order_id": ""}, {"client_order_id": 7},
        {"api_key": "secret"}, {"extra": 1},
    ],
)
def test_bad_orders(change: dict) -> None:
    args = {**GOOD, **change}
    with pytest.raises(PolicyError):
        parse_order_intent(args)


@pytest.mark.parametrize("args", [None, [], "x", 5, {}])
def test_not_an_object_or_empty(args: object) -> None:
    with pytest.raises(PolicyError):
        parse_order_intent(args)


def test_cancel_arguments() -> None:
    assert parse_cancel({"order_id": 3}) == 3
    assert parse_cancel({"order_id": 3.0, "rationale": "risk"}) == 3
    for bad in [{}, {"order_id": 0}, {"order_id": "3"}, {"order_id": True}, {"order_id": 1, "x": 1}, None,
                {"order_id": 1, "rationale": 5}]:
        with pytest.raises(PolicyError):
            parse_cancel(bad)
