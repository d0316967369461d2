"""``IPortfolioTarget`` is in ``AlgorithmImports`` as in LEAN, so framework models annotated with it (without
``from __future__ import annotations``) load, and every ``PortfolioTarget`` is one."""
from __future__ import annotations

from lean_local import algorithm_imports
from lean_local.enums import SecurityType
from lean_local.securities.symbol import Symbol

SOURCE = '''
from typing import List
from AlgorithmImports import *


class PassThroughRiskModel(RiskManagementModel):
    def manage_risk(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> List[IPortfolioTarget]:
        return [t for t in targets if isinstance(t, IPortfolioTarget)]
'''


def test_portfolio_target_interface_is_exported() -> None:
    with algorithm_imports.installed():
        namespace: dict[str, object] = {}
        exec(compile(SOURCE, "risk_model.py", "exec"), namespace)
        target_class = namespace["PortfolioTarget"]
        model = namespace["PassThroughRiskModel"]()  # type: ignore[operator]
        target = target_class(Symbol.create("SPY", SecurityType.EQUITY, "usa"), 10)  # type: ignore[operator]
        assert model.manage_risk(None, [target]) == [target]
