"""Helpers shared by the portfolio models: LEAN's rebalance parameter, the portfolio bias and the rolling closes."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from models_testkit import library_module


def common():
    return library_module("portfolio_models._common")


def test_rebalance_parameter_forms() -> None:
    from lean_local.enums import Resolution

    func = common().rebalancing_func
    now = datetime(2020, 1, 2, 15)
    assert func(Resolution.DAILY)(now) == now + timedelta(days=1)
    assert func(Resolution.HOUR)(now) == now + timedelta(hours=1)
    assert func(timedelta(days=7))(now) == now + timedelta(days=7)
    assert func(None) is None and func(timedelta(0)) is None and func(Resolution.TICK) is None
    custom = lambda utc: utc  # noqa: E731 - a function or a date rule passes through for set_rebalancing_func
    assert func(custom) is custom


def test_portfolio_bias() -> None:
    from lean_local.enums import InsightDirection
    from lean_local.framework.portfolio import PortfolioBias

    respects = common().respects_bias
    up = SimpleNamespace(direction=InsightDirection.UP)
    down = SimpleNamespace(direction=InsightDirection.DOWN)
    assert respects(up, PortfolioBias.LONG_SHORT) and respects(down, PortfolioBias.LONG_SHORT)
    assert respects(up, PortfolioBias.LONG) and not respects(down, PortfolioBias.LONG)
    assert respects(down, PortfolioBias.SHORT) and not respects(up, PortfolioBias.SHORT)


class Event:
    def __init__(self) -> None:
        self.handlers: list[Any] = []

    def __iadd__(self, handler: Any) -> "Event":
        self.handlers.append(handler)
        return self


class FakeAlgorithm:
    """History from a frame, consolidators that record their handlers, a subscription manager that tracks them."""

    def __init__(self, history: pd.DataFrame) -> None:
        self._history = history
        self.consolidators: dict[str, Any] = {}
        self.subscription_manager = SimpleNamespace(add_consolidator=self._add, remove_consolidator=self._remove)

    def history(self, symbols: list[str], periods: int, resolution: Any) -> pd.DataFrame:
        self.requested = (list(symbols), periods)
        return self._history

    def resolve_consolidator(self, symbol: str, resolution: Any) -> Any:
        return SimpleNamespace(data_consolidated=Event())

    def _add(self, symbol: str, consolidator: Any) -> None:
        self.consolidators[symbol] = consolidator

    def _remove(self, symbol: str, consolidator: Any) -> None:
        assert self.consolidators.pop(symbol) is consolidator


def changes(added: list[str] = (), removed: list[str] = ()) -> Any:  # type: ignore[assignment]
    return SimpleNamespace(added_securities=[SimpleNamespace(symbol=s) for s in added],
                           removed_securities=[SimpleNamespace(symbol=s) for s in removed])


def test_close_windows_warm_up_follow_bars_and_forget_removed_symbols() -> None:
    times = [datetime(2020, 1, d, 16) for d in (2, 3, 6, 7)]
    index = pd.MultiIndex.from_tuples([(s, t) for s in ("A", "B") for t in times], names=["symbol", "time"])
    history = pd.DataFrame({"close": [10, 11, 12, 12, 20, 19, 19, 21]}, index=index, dtype=float)
    algorithm = FakeAlgorithm(history)
    windows = common().CloseWindows(3, "daily")
    windows.on_securities_changed(algorithm, changes(["A", "B"]))
    assert algorithm.requested == (["A", "B"], 4)
    returns, kept = windows.returns(["A", "B", "C"])
    assert kept == [0, 1]
    assert returns == pytest.approx(np.array([[0.1, -0.05], [1 / 11, 0.0], [0.0, 2 / 19]]))

    # a new bar from each consolidator rolls the windows (lookback + 1 = 4 closes kept); a stale bar is ignored
    for symbol, close in (("A", 15.0), ("B", 21.0)):
        handler = algorithm.consolidators[symbol].data_consolidated.handlers[0]
        handler(None, SimpleNamespace(end_time=datetime(2020, 1, 8, 16), close=close))
        handler(None, SimpleNamespace(end_time=datetime(2020, 1, 7, 16), close=99.0))
    returns, _ = windows.returns(["A", "B"])
    assert returns[:, 0] == pytest.approx([1 / 11, 0.0, 0.25])
    assert returns[:, 1] == pytest.approx([0.0, 2 / 19, 0.0])

    windows.on_securities_changed(algorithm, changes(removed=["A"]))
    assert list(algorithm.consolidators) == ["B"]
    returns, kept = windows.returns(["A", "B"])
    assert kept == [1] and returns.shape == (3, 1)
