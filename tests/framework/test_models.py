"""Framework models in isolation: weights, rebalancing rules, risk overrides, composition, universes, exports."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lean_local.enums import InsightDirection, InsightType, Resolution, SecurityType
from lean_local.framework import exports
from lean_local.framework.algorithm import FrameworkAlgorithm
from lean_local.framework.alphas import CompositeAlphaModel, ConstantAlphaModel, NullAlphaModel
from lean_local.framework.insights import Insight, InsightManager
from lean_local.framework.optimization import (
    BlackLittermanOptimizationPortfolioConstructionModel,
    MaximumSharpeRatioPortfolioOptimizer,
    MinimumVariancePortfolioOptimizer,
    RiskParityPortfolioOptimizer,
    UnconstrainedMeanVariancePortfolioOptimizer,
)
from lean_local.framework.portfolio import (
    AccumulativeInsightPortfolioConstructionModel,
    ConfidenceWeightedPortfolioConstructionModel,
    EqualWeightingPortfolioConstructionModel,
    InsightWeightingPortfolioConstructionModel,
    PortfolioBias,
    PortfolioConstructionModel,
    date_rule_function,
)
from lean_local.framework.portfolio_target import PortfolioTarget, PortfolioTargetCollection
from lean_local.framework.risk import (
    CompositeRiskManagementModel,
    MaximumDrawdownPercentPortfolio,
    NullRiskManagementModel,
    RiskManagementModel,
)
from lean_local.framework.selection import (
    CompositeUniverseSelectionModel,
    ManualUniverse,
    ManualUniverseSelectionModel,
    NullUniverseSelectionModel,
    ScheduledUniverseSelectionModel,
)
from lean_local.framework.serialization import alpha_results, alpha_results_json
from lean_local.securities.symbol import Symbol

SPY = Symbol.create("SPY", SecurityType.EQUITY, "usa")
AAPL = Symbol.create("AAPL", SecurityType.EQUITY, "usa")
IBM = Symbol.create("IBM", SecurityType.EQUITY, "usa")
T0 = datetime(2013, 10, 7, 14)


class FakeAlgorithm:
    def __init__(self) -> None:
        self.utc_time = T0
        self.time = T0 - timedelta(hours=4)
        self.insights = InsightManager(self)
        self.settings = SimpleNamespace(max_absolute_portfolio_target_percentage=1e9, min_absolute_portfolio_target_percentage=1e-10)
        self.portfolio = SimpleNamespace(total_portfolio_value_exact=Decimal(100000), total_portfolio_value=100000.0)
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)


def insight(symbol: Symbol, direction: InsightDirection, minutes: int = 60, start: datetime = T0, **kwargs: object) -> Insight:
    return Insight(start, symbol, timedelta(minutes=minutes), InsightType.PRICE, direction,
                   kwargs.get("magnitude"), kwargs.get("confidence"), kwargs.get("source_model"), kwargs.get("weight"))


def test_equal_weighting_splits_among_up_and_down_insights() -> None:
    model = EqualWeightingPortfolioConstructionModel()
    up, down, flat = insight(SPY, InsightDirection.UP), insight(AAPL, InsightDirection.DOWN), insight(IBM, InsightDirection.FLAT)
    assert model.determine_target_percent([up, down, flat]) == {up: 0.5, down: -0.5, flat: 0.0}
    long_only = EqualWeightingPortfolioConstructionModel(portfolio_bias=PortfolioBias.LONG)
    assert long_only.determine_target_percent([up, down]) == {up: 1.0, down: 0.0}
    thirds = model.determine_target_percent([insight(s, InsightDirection.UP) for s in (SPY, AAPL, IBM)])
    # C#: (double)(1m / 3), one ulp above Python's 1 / 3; sized identically after the 15-digit decimal cast
    assert set(thirds.values()) == {0.33333333333333337}


def test_insight_and_confidence_weighting_scale_down_above_one() -> None:
    a = insight(SPY, InsightDirection.UP, weight=0.75, confidence=0.2)
    b = insight(AAPL, InsightDirection.DOWN, weight=0.75, confidence=0.3)
    assert InsightWeightingPortfolioConstructionModel().determine_target_percent([a, b]) == {a: 0.5, b: -0.5}
    assert ConfidenceWeightedPortfolioConstructionModel().determine_target_percent([a, b]) == {a: 0.2, b: -0.3}
    assert not InsightWeightingPortfolioConstructionModel().should_create_target_for_insight(insight(SPY, InsightDirection.UP))


def test_accumulative_adds_percent_per_active_insight() -> None:
    algorithm = FakeAlgorithm()
    model = AccumulativeInsightPortfolioConstructionModel()
    model.algorithm = algorithm
    first = insight(SPY, InsightDirection.UP, start=T0 - timedelta(minutes=20))
    second = insight(SPY, InsightDirection.UP)
    third = insight(AAPL, InsightDirection.DOWN)
    algorithm.insights.add_range([first, second, third])
    percents = model.determine_target_percent([second, third])
    assert percents[second] == pytest.approx(0.06) and percents[third] == pytest.approx(-0.03)


def test_rebalance_due_on_function_insights_and_security_changes() -> None:
    algorithm = FakeAlgorithm()
    model = EqualWeightingPortfolioConstructionModel(timedelta(days=1))
    model.algorithm = algorithm
    assert not model.is_rebalance_due([], T0)  # first call only schedules the next rebalance (T0 + 1 day)
    assert not model.is_rebalance_due([], T0 + timedelta(hours=1))
    assert model.is_rebalance_due([insight(SPY, InsightDirection.UP)], T0 + timedelta(hours=2))
    model.rebalance_on_insight_changes = False
    assert not model.is_rebalance_due([insight(SPY, InsightDirection.UP)], T0 + timedelta(hours=3))
    model.on_securities_changed(algorithm, SimpleNamespace(added_securities=[object()], removed_securities=[]))
    assert model.is_rebalance_due([], T0 + timedelta(hours=4))
    assert model.is_rebalance_due([], T0 + timedelta(days=2))


def test_rebalance_function_from_date_rule_advances_once_reached() -> None:
    dates = [datetime(2013, 10, 8), datetime(2013, 10, 10)]
    function = date_rule_function(SimpleNamespace(get_dates=lambda start, end: iter(dates)))
    assert function(datetime(2013, 10, 7, 12)) == datetime(2013, 10, 8)
    assert function(datetime(2013, 10, 8, 1)) == datetime(2013, 10, 10)
    assert function(datetime(2013, 10, 11)) == datetime(2050, 12, 31)


def test_target_insights_are_the_latest_active_per_symbol() -> None:
    algorithm = FakeAlgorithm()
    model = EqualWeightingPortfolioConstructionModel()
    model.algorithm = algorithm
    old = insight(SPY, InsightDirection.UP, start=T0 - timedelta(minutes=30))
    new = insight(SPY, InsightDirection.DOWN, start=T0 - timedelta(minutes=10))
    expired = insight(AAPL, InsightDirection.UP, minutes=5, start=T0 - timedelta(minutes=30))
    algorithm.insights.add_range([old, new, expired])
    assert model.get_target_insights() == [new]


def test_subclass_written_for_lean_python_api() -> None:
    class Halves(PortfolioConstructionModel):
        def __init__(self) -> None:  # LEAN examples often skip super().__init__()
            pass

        def determine_target_percent(self, active_insights):
            return {i: 0.5 for i in active_insights}

    algorithm = FakeAlgorithm()
    model = Halves()
    model.algorithm = algorithm
    assert model.is_rebalance_due([], T0)
    assert model.rebalance_on_security_changes


def test_portfolio_target_collection_replaces_by_symbol() -> None:
    collection = PortfolioTargetCollection()
    first = PortfolioTarget(SPY, 10)
    collection.add(first)
    collection.add_range([PortfolioTarget(SPY, 20), PortfolioTarget(AAPL, -5)])
    assert collection.count == 2 and collection[SPY].quantity == 20
    assert not collection.remove(first) and collection.remove(SPY) and collection.keys == [AAPL]
    assert PortfolioTarget(SPY, InsightDirection.DOWN).quantity == -1


class Flatten(RiskManagementModel):
    def __init__(self, symbol: Symbol) -> None:
        self.symbol = symbol

    def manage_risk(self, algorithm, targets):
        return [PortfolioTarget(self.symbol, 0)]


def test_composite_risk_prefers_newer_targets_and_keeps_the_rest() -> None:
    composite = CompositeRiskManagementModel(Flatten(SPY), NullRiskManagementModel())
    targets = [PortfolioTarget(SPY, 100), PortfolioTarget(AAPL, 50)]
    result = composite.manage_risk(None, targets)
    assert [(t.symbol, t.quantity) for t in result] == [(SPY, 0), (AAPL, 50)]
    with pytest.raises(ValueError):
        CompositeRiskManagementModel()


def test_portfolio_drawdown_flattens_targets_and_cancels_insights() -> None:
    algorithm = FakeAlgorithm()
    active = insight(SPY, InsightDirection.UP)
    algorithm.insights.add(active)
    model = MaximumDrawdownPercentPortfolio(0.01)
    assert model.manage_risk(algorithm, [PortfolioTarget(SPY, 100)]) == []
    algorithm.portfolio.total_portfolio_value_exact = Decimal("98900")
    result = model.manage_risk(algorithm, [PortfolioTarget(SPY, 100)])
    assert [(t.symbol, t.quantity) for t in result] == [(SPY, 0)]
    assert active.is_expired(algorithm.utc_time)
    trailing = MaximumDrawdownPercentPortfolio(0.015, True)
    algorithm.portfolio.total_portfolio_value_exact = Decimal("100000")
    trailing.manage_risk(algorithm, [])
    algorithm.portfolio.total_portfolio_value_exact = Decimal("110000")
    assert trailing.manage_risk(algorithm, [PortfolioTarget(SPY, 1)]) == []  # new high
    algorithm.portfolio.total_portfolio_value_exact = Decimal("108000")
    assert len(trailing.manage_risk(algorithm, [PortfolioTarget(SPY, 1)])) == 1


def test_composite_alpha_names_insights_after_their_model() -> None:
    security = SimpleNamespace(symbol=SPY, price=100.0)
    first = ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025)
    second = ConstantAlphaModel(InsightType.PRICE, InsightDirection.DOWN, timedelta(minutes=5))
    changes = SimpleNamespace(added_securities=[security], removed_securities=[])
    composite = CompositeAlphaModel(first, second)
    composite.on_securities_changed(None, changes)
    algorithm = SimpleNamespace(utc_time=T0)
    result = composite.update(algorithm, None)
    assert [(i.direction, i.source_model) for i in result] == [
        (InsightDirection.UP, "ConstantAlphaModel(Price,Up,00:20:00,0.025)"),
        (InsightDirection.DOWN, "ConstantAlphaModel(Price,Down,00:05:00)"),
    ]
    # the constant model waits for its period before emitting again
    algorithm.utc_time = T0 + timedelta(minutes=10)
    assert [i.direction for i in composite.update(algorithm, None)] == [InsightDirection.DOWN]


def test_add_methods_compose_models() -> None:
    algorithm = FrameworkAlgorithm()
    assert isinstance(algorithm.alpha, NullAlphaModel)
    first, second, third = (ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=m)) for m in (1, 2, 3))
    algorithm.add_alpha(first)
    assert algorithm.alpha is first
    algorithm.add_alpha(second)
    algorithm.add_alpha(third)
    assert isinstance(algorithm.alpha, CompositeAlphaModel) and algorithm.alpha.alpha_models == [first, second, third]
    algorithm.add_risk_management(Flatten(SPY))
    algorithm.add_risk_management(Flatten(AAPL))
    assert isinstance(algorithm.risk_management, CompositeRiskManagementModel)
    assert isinstance(algorithm.universe_selection, NullUniverseSelectionModel)
    manual = ManualUniverseSelectionModel([SPY])
    algorithm.add_universe_selection(manual)
    assert algorithm.universe_selection is manual
    algorithm.add_universe_selection(ManualUniverseSelectionModel([AAPL]))
    assert isinstance(algorithm.universe_selection, CompositeUniverseSelectionModel)
    events: list[object] = []
    algorithm.insights_generated += lambda sender, args: events.append(args)
    algorithm.insights_generated(algorithm, "x")
    assert events == ["x"]


@pytest.mark.needs_data
def test_manual_universe_selection_groups_by_market_and_type() -> None:
    from lean_local.data.market_hours import MarketHoursDatabase

    from framework_testdata import DATA_FOLDER

    database = MarketHoursDatabase.load(DATA_FOLDER / "market-hours" / "market-hours-database.json")
    settings = SimpleNamespace(resolution=Resolution.MINUTE, fill_forward=True)
    algorithm = SimpleNamespace(universe_settings=settings, _engine=SimpleNamespace(market_hours=database))
    universes = ManualUniverseSelectionModel(SPY, AAPL).create_universes(algorithm)
    assert len(universes) == 1 and isinstance(universes[0], ManualUniverse)
    assert universes[0].symbols == [SPY, AAPL] and universes[0].universe_settings is settings
    assert universes[0].select_symbols(T0, None) == [SPY, AAPL]
    assert universes[0].configuration.symbol.value.upper().startswith("MANUAL-UNIVERSE-SELECTION-MODEL-EQUITY-USA-")


def test_scheduled_universe_selection_requires_a_function() -> None:
    every_day = SimpleNamespace(name="EveryDay", get_dates=None)
    midnight = SimpleNamespace(name="Midnight", create_utc_event_times=None)
    with pytest.raises(ValueError):
        ScheduledUniverseSelectionModel(every_day, midnight, [SPY])
    model = ScheduledUniverseSelectionModel(every_day, midnight, lambda dt: [SPY])
    universe = model.create_universes(SimpleNamespace(universe_settings="settings"))[0]
    assert universe.select_symbols(datetime(2014, 6, 2, 4), None) == [SPY]
    assert universe.universe_settings == "settings"


def test_exports_and_import_paths() -> None:
    names = exports.names()
    for name in ("Insight", "AlphaModel", "EqualWeightingPortfolioConstructionModel", "ImmediateExecutionModel",
                 "MaximumDrawdownPercentPerSecurity", "ManualUniverseSelectionModel", "PortfolioBias",
                 "MeanVarianceOptimizationPortfolioConstructionModel", "PortfolioTargetCollection"):
        assert name in names
    modules: dict[str, object] = {}
    installed = exports.install_import_paths(modules)
    assert "Alphas" in installed and "Alphas.RsiAlphaModel" in installed
    assert modules["Risk.MaximumDrawdownPercentPerSecurity"].MaximumDrawdownPercentPerSecurity is names["MaximumDrawdownPercentPerSecurity"]
    saved = {name: sys.modules.get(name) for name in installed}
    try:
        exports.install_import_paths(sys.modules)
        from Portfolio.EqualWeightingPortfolioConstructionModel import EqualWeightingPortfolioConstructionModel as Imported
        from Selection.ManualUniverseSelectionModel import ManualUniverseSelectionModel as ImportedManual

        assert Imported is EqualWeightingPortfolioConstructionModel and ImportedManual is ManualUniverseSelectionModel
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_alpha_results_shape() -> None:
    first = insight(SPY, InsightDirection.UP, magnitude=0.025, source_model="m")
    first.reference_value = Decimal("144.02")
    rows = alpha_results([first])
    assert list(rows[0])[:6] == ["id", "groupId", "sourceModel", "generatedTime", "createdTime", "closeTime"]
    assert rows[0]["direction"] == "up" and rows[0]["type"] == "price" and rows[0]["magnitude"] == "0.025"
    assert rows[0]["period"] == 3600.0 and rows[0]["ticker"] == "SPY" and rows[0]["symbol"] == str(SPY.id)
    assert alpha_results_json(SimpleNamespace(insights=InsightManager(None))) is None


def _returns() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(rng.normal(0.001, 0.01, size=(80, 3)), columns=["A", "B", "C"])


def test_optimizers() -> None:
    returns = _returns()
    weights = MinimumVariancePortfolioOptimizer(target_return=0.001).optimize(returns)
    assert np.sum(np.abs(weights)) == pytest.approx(1.0)
    sharpe = MaximumSharpeRatioPortfolioOptimizer().optimize(returns)
    assert np.sum(sharpe) == pytest.approx(1.0, abs=1e-6)
    parity = RiskParityPortfolioOptimizer().optimize(pd.DataFrame({"A": [0.01, -0.01] * 20, "B": [0.02, -0.02] * 20}))
    assert parity[0] == pytest.approx(2 / 3, rel=1e-3) and parity[1] == pytest.approx(1 / 3, rel=1e-3)
    unconstrained = UnconstrainedMeanVariancePortfolioOptimizer().optimize(returns)
    assert unconstrained.shape == (3,)


def test_black_litterman_views_from_insight_magnitudes() -> None:
    model = BlackLittermanOptimizationPortfolioConstructionModel()
    a = insight(SPY, InsightDirection.UP, magnitude=0.02, source_model="m")
    b = insight(AAPL, InsightDirection.DOWN, magnitude=0.01, source_model="m")
    p, q = model.get_views([a, b])
    assert q.tolist() == [[0.02]] and p.tolist() == [[1.0, -0.5]]
