"""SectorBudgetPortfolioConstructionModel: the bucket arithmetic, and six ETFs in three buckets through the engine."""
from __future__ import annotations

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm

BUDGETS = {"equity": 0.6, "bonds": 0.3, "commodities": 0.1}


def bucket_weights():
    return library_module("portfolio_models.budgets").bucket_weights


def test_equal_split_inside_each_bucket() -> None:
    weights = bucket_weights()([1, 1, -1, 1, 1], ["equity", "equity", "equity", "bonds", None], [1] * 5, BUDGETS)
    assert weights == pytest.approx([0.2, 0.2, -0.2, 0.3, 0.0])  # no bucket: 0; commodities unused: stays in cash


def test_insight_weighted_split_and_flat_members() -> None:
    weights = bucket_weights()([1, 1, 0, 1], ["equity", "equity", "equity", "bonds"], [3, 1, 5, 0.5], BUDGETS)
    # the flat member neither gets weight nor dilutes the others
    assert weights == pytest.approx([0.45, 0.15, 0.0, 0.3])


def test_unused_budget_redistributed_on_request() -> None:
    weights = bucket_weights()([1, 1], ["equity", "bonds"], [1, 1], BUDGETS, redistribute_unused=True)
    # equity and bonds share the whole 1.0 in proportion 0.6 : 0.3
    assert weights == pytest.approx([0.6 / 0.9, 0.3 / 0.9])
    assert sum(weights) == pytest.approx(1.0)


def test_unknown_bucket_budget_and_zero_values() -> None:
    weights = bucket_weights()([1, 1, 1], ["other", "equity", "equity"], [1, 0, 0], BUDGETS)
    assert weights == [0.0, 0.0, 0.0]


def test_buckets_by_ticker_or_symbol_and_validation() -> None:
    module = library_module("portfolio_models.budgets")
    from lean_local.enums import SecurityType
    from lean_local.securities.symbol import Symbol

    spy = Symbol.create("SPY", SecurityType.EQUITY, "usa")
    tlt = Symbol.create("TLT", SecurityType.EQUITY, "usa")
    gld = Symbol.create("GLD", SecurityType.EQUITY, "usa")
    model = module.SectorBudgetPortfolioConstructionModel({"spy": "equity", tlt: "bonds"}, BUDGETS, default_bucket="commodities")
    assert [model.bucket_of(s) for s in (spy, tlt, gld)] == ["equity", "bonds", "commodities"]
    with pytest.raises(ValueError):
        module.SectorBudgetPortfolioConstructionModel({}, {"equity": -0.1})
    with pytest.raises(ValueError):
        module.SectorBudgetPortfolioConstructionModel({}, BUDGETS, weighting="magic")


EXPECTED = {
    "equal": {"SPY": 0.25, "QQQ": 0.25, "EEM": -0.2, "USO": 0.1, "BNO": 0.1, "IWM": 0.0},
    "insight": {"SPY": 0.375, "QQQ": 0.125, "EEM": -0.2, "USO": 0.05, "BNO": 0.15, "IWM": 0.0},
}


@needs_data
@pytest.mark.parametrize("weighting", ["equal", "insight"])
def test_budgets_hold_on_the_data(weighting: str) -> None:
    algorithm = run_model_algorithm("pcm_sector_budgets", (("weighting", weighting),)).engine.algorithm
    expected = EXPECTED[weighting]
    assert len(algorithm.decisions) > 55  # every trading day of the quarter
    for _, weights, exposure in algorithm.decisions:
        assert weights == pytest.approx(expected, rel=1e-12)
        assert exposure == pytest.approx({"us_equity": 0.5, "emerging": 0.2, "commodities": 0.2}, rel=1e-12)
    # the holdings match the budgets (the free-cash buffer, lot rounding and one day of drift aside)
    for _, held in algorithm.holdings[3:]:
        assert held == pytest.approx(expected, abs=0.015)
