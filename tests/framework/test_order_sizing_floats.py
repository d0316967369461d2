"""``OrderSizing`` gives algorithms floats, as LEAN's Python API does (pythonnet turns C# decimals into floats).

Library models do float arithmetic with its results (``quantity * 0.5``, ``min(quantity, cap)``); a ``Decimal`` there
raises ``TypeError`` under lean_local while the same code runs under LEAN.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from framework_testdata import DATA_FOLDER

pytestmark = pytest.mark.needs_data

ALGORITHM = '''
from AlgorithmImports import *


class OrderSizingTypes(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.symbol = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.results = None

    def on_data(self, slice: Slice) -> None:
        if self.results is not None:
            return
        security = self.securities[self.symbol]
        target = PortfolioTarget(self.symbol, 1234)
        self.results = {
            "unordered": OrderSizing.get_unordered_quantity(self, target),
            "unordered_security": OrderSizing.get_unordered_quantity(self, target, security),
            "lots": OrderSizing.adjust_by_lot_size(security, 10.7),
            "volume": OrderSizing.get_order_size_for_percent_volume(security, 0.001, 1234),
            "value": OrderSizing.get_order_size_for_maximum_value(security, 20000, 1234),
        }
        self.volume = security.volume
        self.price = security.price
'''


def test_order_sizing_returns_floats(tmp_path: Path) -> None:
    from lean_local.runner import run_backtest

    path = tmp_path / "order_sizing_types.py"
    path.write_text(ALGORITHM)
    result = run_backtest(path, data_folder=DATA_FOLDER, write_output=False)
    assert result.status == "Completed", result.stack_trace
    results = result.engine.algorithm.results
    assert {name: type(value) for name, value in results.items()} == {name: float for name in results}
    assert results["unordered"] == results["unordered_security"] == 1234.0
    assert results["lots"] == 10.0
    algorithm = result.engine.algorithm
    assert results["volume"] == float(int(0.001 * algorithm.volume))
    assert results["value"] == float(int(20000 / algorithm.price))
