"""``universe_manager.active_securities`` behaves like LEAN's read-only dictionary: count, contains_key, no duplicates."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from lean_local.enums import SecurityType
from lean_local.securities.symbol import Symbol
from lean_local.universe.manager import UniverseManager


def _universe(*tickers: str) -> Any:
    members = {}
    for ticker in tickers:
        symbol = Symbol.create(ticker, SecurityType.EQUITY, "usa")
        members[symbol] = SimpleNamespace(security=SimpleNamespace(symbol=symbol))
    return SimpleNamespace(securities=members)


def test_active_securities_merge_universes_and_expose_count() -> None:
    manager = UniverseManager()
    manager.add("first", _universe("SPY"))
    manager.add("second", _universe("SPY", "FB"))
    active = manager.active_securities
    assert active.count == 2 and manager.count == 2
    assert sorted(symbol.value for symbol in active.keys()) == ["FB", "SPY"]
    spy = Symbol.create("SPY", SecurityType.EQUITY, "usa")
    assert active.contains_key(spy) and spy in active
