"""The strategies in algorithms/: each runs on LEAN's sample data with its default parameters and behaves as its
description says; each project references, in config.json, every library it imports (as `lean library add` would)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from lean_local.runner import run_backtest

ROOT = Path(__file__).resolve().parents[2]
ALGORITHMS = ROOT / "algorithms"
LIBRARY_STRATEGIES = ["vol_target_momentum", "momentum_rotation", "etf_mean_reversion", "regime_trend", "google_pairs"]


@lru_cache(maxsize=None)
def backtest(name: str, lean_data: Path) -> Any:
    result = run_backtest(ALGORITHMS / name, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", f"{result.runtime_error}\n{result.stack_trace}"
    return result


def holdings_weights(algorithm: Any) -> dict[str, float]:
    value = algorithm.portfolio.total_portfolio_value
    return {kvp.key.value: kvp.value.holdings.holdings_value / value for kvp in algorithm.securities
            if kvp.value.holdings.quantity != 0}


@pytest.mark.parametrize("name", sorted(p.name for p in ALGORITHMS.iterdir() if (p / "main.py").is_file()))
def test_config_references_every_library_the_project_imports(name: str) -> None:
    project = ALGORITHMS / name
    config = json.loads((project / "config.json").read_text(encoding="utf-8"))
    assert config["algorithm-language"] == "Python"
    libraries = {entry["name"]: entry["path"] for entry in config.get("libraries", [])}
    imported = set(re.findall(r"^from (\w+)\.\w+ import", (project / "main.py").read_text(encoding="utf-8"), re.M))
    imported &= {p.name for p in (ROOT / "Library").iterdir() if p.is_dir()}
    assert imported == set(libraries), f"config.json libraries {sorted(libraries)} vs imports {sorted(imported)}"
    assert all(libraries[n] == f"Library/{n}" and (ROOT / libraries[n] / "config.json").is_file() for n in libraries)
    for key in config.get("parameters", {}):
        assert f'"{key}"' in (project / "main.py").read_text(encoding="utf-8"), f"parameter {key} is never read"


@pytest.mark.parametrize("name", LIBRARY_STRATEGIES)
def test_strategy_trades_on_sample_data(name: str, lean_data: Path) -> None:
    result = backtest(name, lean_data)
    assert int(result.statistics["Total Orders"]) > 10
    assert result.engine.algorithm.insights.total_count > 0, "the alpha model emitted insights"


def test_vol_target_momentum_breaker_caps_the_drawdown(lean_data: Path) -> None:
    result = backtest("vol_target_momentum", lean_data)
    breaker = result.engine.algorithm.circuit_breaker
    drawdown = float(result.statistics["Drawdown"].rstrip("%")) / 100
    assert drawdown <= 0.20 + 0.01, "the drawdown kill switch is at 20%"
    assert all(trip.portfolio_value <= trip.reference_value for trip in breaker.trips)


def test_momentum_rotation_respects_budgets_and_concentration(lean_data: Path) -> None:
    algorithm = backtest("momentum_rotation", lean_data).engine.algorithm
    weights = holdings_weights(algorithm)
    assert 0 < len(weights) <= 4, "long the four strongest names at most"
    assert all(0 < w <= 0.25 + 0.02 for w in weights.values()), weights


def test_etf_mean_reversion_records_every_fill(lean_data: Path) -> None:
    algorithm = backtest("etf_mean_reversion", lean_data).engine.algorithm
    fills = [o for o in algorithm.transactions.get_orders() if o.status.name == "FILLED"]
    records = algorithm.slippage.records
    assert len(records) == len(fills)
    assert all(abs(r.slippage - (r.fill_price - r.decision_price)) < 1e-9 for r in records)


def test_google_pairs_legs_are_opposite(lean_data: Path) -> None:
    algorithm = backtest("google_pairs", lean_data).engine.algorithm
    by_group: dict[str, set[str]] = {}
    for insight in algorithm.insights.get_insights(lambda i: i.group_id is not None):
        by_group.setdefault(str(insight.group_id), set()).add(f"{insight.symbol.value}:{int(insight.direction)}")
    assert by_group, "the pair alpha emits grouped insights"
    for legs in by_group.values():
        directions = {leg.split(":")[1] for leg in legs}
        assert directions in ({"1", "-1"}, {"0"}), legs


def test_regime_trend_is_long_only_and_within_the_exposure_cap(lean_data: Path) -> None:
    algorithm = backtest("regime_trend", lean_data).engine.algorithm
    orders = algorithm.transactions.get_orders()
    assert all(w >= 0 for w in holdings_weights(algorithm).values())
    assert sum(abs(w) for w in holdings_weights(algorithm).values()) <= 1.0 + 0.02
    assert orders
