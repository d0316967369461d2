"""Brokerage model checks written against LEAN's Python API: the ``out message`` parameter is an extra argument,
the answer an ``(accepted, message)`` tuple; messages print their type as C# prints the enum."""
from __future__ import annotations

from typing import Any

from lean_local.brokerages import BrokerageMessageEvent, DefaultBrokerageModel, ask_brokerage_model
from lean_local.enums import BrokerageMessageType, Market, SecurityType


class _Refusing(DefaultBrokerageModel):
    def can_submit_order(self, security: Any, order: Any, message: Any) -> Any:  # type: ignore[override]
        return False, BrokerageMessageEvent(BrokerageMessageType.INFORMATION, "", "no")


def test_lean_style_check_gets_a_message_argument() -> None:
    accepted, message = ask_brokerage_model(_Refusing().can_submit_order, object(), object())
    assert accepted is False and str(message) == "Information - Code:  - no"


def test_engine_style_check_is_called_as_is() -> None:
    assert ask_brokerage_model(DefaultBrokerageModel().can_update_order, object(), object(), object()) == (True, None)


def test_message_type_names_and_default_markets() -> None:
    assert str(BrokerageMessageEvent(BrokerageMessageType.ACTION_REQUIRED, "c", "m")) == "ActionRequired - Code: c - m"
    assert str(BrokerageMessageEvent("Warning", "c", "m")) == "Warning - Code: c - m"
    markets = DefaultBrokerageModel().default_markets
    assert markets[SecurityType.EQUITY] == Market.USA and markets[SecurityType.CRYPTO] == Market.COINBASE
