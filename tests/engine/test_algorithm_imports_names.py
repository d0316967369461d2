"""LEAN names that algorithms and library code use in annotations and helpers resolve in AlgorithmImports."""
from __future__ import annotations

from datetime import timedelta

from lean_local.algorithm_imports import build_module


def test_interfaces_and_helpers_are_importable() -> None:
    module = build_module()
    for name in ("IAlgorithm", "IBaseData", "IDataConsolidator", "IPortfolioTarget", "Extensions", "QCAlgorithm"):
        assert hasattr(module, name), name
    assert issubclass(module.TradeBarConsolidator, module.IDataConsolidator)
    assert issubclass(module.TradeBar, module.IBaseData)
    assert module.Extensions.to_time_span(module.Resolution.HOUR) == timedelta(hours=1)
