"""The framework's public names for ``from AlgorithmImports import *`` and LEAN's Python model import paths.

LEAN ships its Python framework models as modules such as ``Alphas/RsiAlphaModel.py`` and algorithms import
them with ``from Alphas.RsiAlphaModel import RsiAlphaModel``. :func:`install_import_paths` registers modules
under those names (for the duration of a run) that hold our implementations.
"""
from __future__ import annotations

import types
from typing import Any

# module path (as LEAN's Python files are named) → the names it provides
_MODULES: dict[str, tuple[str, ...]] = {
    "Alphas.AlphaModel": ("AlphaModel",),
    "Alphas.NullAlphaModel": ("NullAlphaModel",),
    "Alphas.CompositeAlphaModel": ("CompositeAlphaModel",),
    "Alphas.ConstantAlphaModel": ("ConstantAlphaModel",),
    "Alphas.EmaCrossAlphaModel": ("EmaCrossAlphaModel",),
    "Alphas.RsiAlphaModel": ("RsiAlphaModel", "RsiState"),
    "Alphas.MacdAlphaModel": ("MacdAlphaModel",),
    "Alphas.HistoricalReturnsAlphaModel": ("HistoricalReturnsAlphaModel",),
    "Alphas.BasePairsTradingAlphaModel": ("BasePairsTradingAlphaModel",),
    "Alphas.PearsonCorrelationPairsTradingAlphaModel": ("PearsonCorrelationPairsTradingAlphaModel",),
    "Portfolio.PortfolioConstructionModel": ("PortfolioConstructionModel",),
    "Portfolio.NullPortfolioConstructionModel": ("NullPortfolioConstructionModel",),
    "Portfolio.EqualWeightingPortfolioConstructionModel": ("EqualWeightingPortfolioConstructionModel",),
    "Portfolio.InsightWeightingPortfolioConstructionModel": ("InsightWeightingPortfolioConstructionModel",),
    "Portfolio.ConfidenceWeightedPortfolioConstructionModel": ("ConfidenceWeightedPortfolioConstructionModel",),
    "Portfolio.AccumulativeInsightPortfolioConstructionModel": ("AccumulativeInsightPortfolioConstructionModel",),
    "Portfolio.MeanVarianceOptimizationPortfolioConstructionModel": ("MeanVarianceOptimizationPortfolioConstructionModel",),
    "Portfolio.RiskParityPortfolioConstructionModel": ("RiskParityPortfolioConstructionModel",),
    "Portfolio.BlackLittermanOptimizationPortfolioConstructionModel": ("BlackLittermanOptimizationPortfolioConstructionModel",),
    "Portfolio.MinimumVariancePortfolioOptimizer": ("MinimumVariancePortfolioOptimizer",),
    "Portfolio.MaximumSharpeRatioPortfolioOptimizer": ("MaximumSharpeRatioPortfolioOptimizer",),
    "Portfolio.UnconstrainedMeanVariancePortfolioOptimizer": ("UnconstrainedMeanVariancePortfolioOptimizer",),
    "Portfolio.RiskParityPortfolioOptimizer": ("RiskParityPortfolioOptimizer",),
    "Execution.ExecutionModel": ("ExecutionModel",),
    "Execution.NullExecutionModel": ("NullExecutionModel",),
    "Execution.ImmediateExecutionModel": ("ImmediateExecutionModel",),
    "Execution.VolumeWeightedAveragePriceExecutionModel": ("VolumeWeightedAveragePriceExecutionModel", "IntradayVwap"),
    "Execution.StandardDeviationExecutionModel": ("StandardDeviationExecutionModel",),
    "Execution.SpreadExecutionModel": ("SpreadExecutionModel",),
    "Risk.RiskManagementModel": ("RiskManagementModel",),
    "Risk.NullRiskManagementModel": ("NullRiskManagementModel",),
    "Risk.CompositeRiskManagementModel": ("CompositeRiskManagementModel",),
    "Risk.MaximumDrawdownPercentPerSecurity": ("MaximumDrawdownPercentPerSecurity",),
    "Risk.MaximumDrawdownPercentPortfolio": ("MaximumDrawdownPercentPortfolio",),
    "Risk.MaximumUnrealizedProfitPercentPerSecurity": ("MaximumUnrealizedProfitPercentPerSecurity",),
    "Risk.TrailingStopRiskManagementModel": ("TrailingStopRiskManagementModel",),
    "Risk.MaximumSectorExposureRiskManagementModel": ("MaximumSectorExposureRiskManagementModel",),
    "Selection.UniverseSelectionModel": ("UniverseSelectionModel",),
    "Selection.NullUniverseSelectionModel": ("NullUniverseSelectionModel",),
    "Selection.CompositeUniverseSelectionModel": ("CompositeUniverseSelectionModel",),
    "Selection.ManualUniverseSelectionModel": ("ManualUniverseSelectionModel",),
    "Selection.ScheduledUniverseSelectionModel": ("ScheduledUniverseSelectionModel",),
    "Selection.FundamentalUniverseSelectionModel": ("FundamentalUniverseSelectionModel",),
    "Selection.CoarseFundamentalUniverseSelectionModel": ("CoarseFundamentalUniverseSelectionModel",),
    "Selection.FineFundamentalUniverseSelectionModel": ("FineFundamentalUniverseSelectionModel",),
}

def _module_extras(path: str) -> dict[str, Any]:
    """Helper names a LEAN module file defines besides its model (e.g. the RSI alpha's ``State``)."""
    if path == "Alphas.RsiAlphaModel":
        from lean_local.framework.alphas import RsiAlphaModel, RsiState

        return {"RsiState": RsiState, "State": RsiState, "SymbolData": RsiAlphaModel.SymbolData}
    if path == "Alphas.EmaCrossAlphaModel":
        from lean_local.framework.alphas import EmaCrossAlphaModel

        return {"SymbolData": EmaCrossAlphaModel.SymbolData}
    return {}


PACKAGES = ("Alphas", "Portfolio", "Execution", "Risk", "Selection")


def names() -> dict[str, object]:
    """Every framework name an algorithm may use after ``from AlgorithmImports import *``."""
    from lean_local.framework import alphas, execution, insights, portfolio, portfolio_target, risk, selection
    from lean_local.framework import algorithm as framework_algorithm

    result: dict[str, object] = {}
    for module, wanted in (
        (insights, ("Insight", "InsightScore", "InsightCollection", "InsightManager", "GeneratedInsightsCollection")),
        (alphas, ("AlphaModel", "NullAlphaModel", "CompositeAlphaModel", "ConstantAlphaModel", "EmaCrossAlphaModel",
                  "RsiAlphaModel", "MacdAlphaModel", "HistoricalReturnsAlphaModel", "BasePairsTradingAlphaModel",
                  "PearsonCorrelationPairsTradingAlphaModel")),
        (portfolio, ("PortfolioConstructionModel", "PortfolioBias", "NullPortfolioConstructionModel",
                     "EqualWeightingPortfolioConstructionModel", "InsightWeightingPortfolioConstructionModel",
                     "ConfidenceWeightedPortfolioConstructionModel", "AccumulativeInsightPortfolioConstructionModel")),
        (portfolio_target, ("IPortfolioTarget", "PortfolioTarget", "PortfolioTargetCollection")),
        (risk, ("RiskManagementModel", "NullRiskManagementModel", "CompositeRiskManagementModel",
                "MaximumDrawdownPercentPerSecurity", "MaximumDrawdownPercentPortfolio",
                "MaximumUnrealizedProfitPercentPerSecurity", "TrailingStopRiskManagementModel",
                "MaximumSectorExposureRiskManagementModel", "PositionSide")),
        (execution, ("ExecutionModel", "NullExecutionModel", "ImmediateExecutionModel",
                     "VolumeWeightedAveragePriceExecutionModel", "StandardDeviationExecutionModel", "SpreadExecutionModel",
                     "OrderSizing", "IntradayVwap")),
        (selection, ("UniverseSelectionModel", "NullUniverseSelectionModel", "CompositeUniverseSelectionModel",
                     "ManualUniverseSelectionModel", "ScheduledUniverseSelectionModel", "FundamentalUniverseSelectionModel",
                     "CoarseFundamentalUniverseSelectionModel", "FineFundamentalUniverseSelectionModel", "ManualUniverse")),
        (framework_algorithm, ("AlgorithmEvent",)),
    ):
        for name in wanted:
            result[name] = getattr(module, name)
    result.update(_optimization_names())
    return result


def _optimization_names() -> dict[str, object]:
    try:
        from lean_local.framework import optimization
    except ImportError:  # scipy missing: the optimisation models are unavailable
        return {}
    return {name: getattr(optimization, name) for name in optimization.__all__}


def install_import_paths(modules: dict[str, Any]) -> list[str]:
    """Register ``Alphas.*``, ``Portfolio.*``, ``Execution.*``, ``Risk.*`` and ``Selection.*`` modules in ``modules``
    (normally ``sys.modules``) without replacing existing entries; returns the names it added."""
    available = names()
    installed: list[str] = []
    for package in PACKAGES:
        if package in modules:
            continue
        module = types.ModuleType(package, f"LEAN's {package} framework models (lean_local)")
        module.__path__ = []  # a namespace-like package: submodules come from ``modules``
        modules[package] = module
        installed.append(package)
    for path, provided in _MODULES.items():
        if path in modules or provided[0] not in available:
            continue
        package, _, leaf = path.partition(".")
        module = types.ModuleType(path, f"LEAN's {leaf} (lean_local implementation)")
        module.__dict__.update(available)
        extras = _module_extras(path)
        module.__dict__.update(extras)
        module.__all__ = [name for name in provided if name in module.__dict__]  # type: ignore[attr-defined]
        modules[path] = module
        parent = modules.get(package)
        if parent is not None and path.startswith(package + "."):
            setattr(parent, leaf, module)
        installed.append(path)
    return installed
