"""Run our re-implementations of LEAN regression algorithms and compare with LEAN's expected statistics.

The expected values come from ``../shared/fidelity/cases.json`` (LEAN at commit 24863901). Each case maps to
our own algorithm file in ``tests/fidelity/algorithms``. ``python tests/fidelity/harness.py`` prints the table.

Further LEAN regression algorithms, not in ``cases.json``, are described by ``tests/fidelity/more/*.json``: each
file maps a LEAN algorithm name to ``source`` (the LEAN file whose ``ExpectedStatistics`` were transcribed),
``algorithm`` (our re-implementation, relative to that JSON file), optional ``parameters`` and ``data_points``,
and ``expected_statistics``. They run as tier 4 ("more") in the same table and the same tests.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CASES_FILE = SHARED / "fidelity" / "cases.json"
DATA_FOLDER = SHARED / "lean-data"
ALGORITHMS = Path(__file__).resolve().parent / "algorithms"
MORE_CASES = Path(__file__).resolve().parent / "more"
MORE_TIER = 4

# statistics the acceptance criteria call "core": they must match as exact strings
CORE_STATISTICS = ("Total Orders", "Start Equity", "End Equity", "Net Profit", "Total Fees")
# statistics compared separately (byte-exact order JSON, and the volume-based estimator)
SECONDARY_STATISTICS = ("OrderListHash", "Estimated Strategy Capacity", "Lowest Capacity Asset")

ALGORITHM_FILES: dict[str, str] = {
    "BasicTemplateAlgorithm": "basic_template.py",
    "BasicTemplateDailyAlgorithm": "basic_template_daily.py",
    "BasicTemplateAxosAlgorithm": "basic_template_axos.py",
    "SetHoldingsRegressionAlgorithm": "set_holdings.py",
    "SetHoldingsMultipleTargetsRegressionAlgorithm": "set_holdings_multiple_targets.py",
    "ZeroedBenchmarkRegressionAlgorithm": "zeroed_benchmark.py",
    "HourSplitRegressionAlgorithm": "hour_split.py",
    "DelistingEventsAlgorithm": "delisting_events.py",
    "CoarseFundamentalTop3Algorithm": "coarse_top3.py",
    "ParameterizedAlgorithm": "parameterized.py",
    "OnWarmupFinishedRegressionAlgorithm": "on_warmup_finished.py",
    "ClassicRenkoConsolidatorAlgorithm": "classic_renko.py",
    "OrderTicketDemoAlgorithm": "order_ticket_demo.py",
    "StopLimitOrderRegressionAlgorithm": "stop_limit_order.py",
}

# Algorithm Framework cases: our algorithms live with the framework tests
FRAMEWORK_ALGORITHMS = ROOT / "tests" / "framework" / "algorithms"
FRAMEWORK_FILES: dict[str, str] = {
    "BasicTemplateFrameworkAlgorithm": "basic_template_framework.py",
    "AccumulativeInsightPortfolioRegressionAlgorithm": "accumulative_insight.py",
    "AddAlphaModelAlgorithm": "add_alpha_model.py",
    "InsightWeightingFrameworkAlgorithm": "insight_weighting.py",
    "MaximumDrawdownPercentPerSecurityFrameworkRegressionAlgorithm": "max_drawdown_per_security.py",
    "MaximumDrawdownPercentPortfolioFrameworkRegressionAlgorithm": "max_drawdown_portfolio.py",
    "CompositeAlphaModelFrameworkAlgorithm": "composite_alpha.py",
    "VolumeWeightedAveragePriceExecutionModelRegressionAlgorithm": "vwap_execution.py",
    "RsiAlphaModelFrameworkRegressionAlgorithm": "rsi_framework.py",
    "EmaCrossAlphaModelFrameworkRegressionAlgorithm": "ema_cross_framework.py",
}


# LEAN runs its regression algorithms with the "parameters" of Launcher/config.json, so those cases need them too
CASE_PARAMETERS: dict[str, dict[str, str]] = {
    "ParameterizedAlgorithm": {"ema-fast": "10", "ema-slow": "20"},
}


def algorithm_path(name: str) -> Path:
    case = cases()[name]
    if "algorithm_path" in case:
        return Path(case["algorithm_path"])
    if name in FRAMEWORK_FILES:
        return FRAMEWORK_ALGORITHMS / FRAMEWORK_FILES[name]
    return ALGORITHMS / ALGORITHM_FILES[name]


def case_names() -> list[str]:
    """Every case we have an algorithm for, tier by tier."""
    names = list(ALGORITHM_FILES) + list(FRAMEWORK_FILES) + list(more_cases())
    return sorted(names, key=lambda name: (cases()[name]["tier"], name))


@dataclass
class CaseResult:
    name: str
    tier: int
    expected: dict[str, str]
    actual: dict[str, str]
    status: str
    error: str = ""
    data_points: int = 0
    expected_data_points: int = 0

    def mismatches(self, keys: tuple[str, ...] | None = None) -> dict[str, tuple[str, str | None]]:
        # some LEAN files list fewer statistics (older regression files have no Start/End Equity): compare those listed
        names = tuple(k for k in (keys if keys is not None else self.expected) if k in self.expected)
        return {k: (self.expected[k], self.actual.get(k)) for k in names if _norm(self.actual.get(k)) != _norm(self.expected[k])}

    @property
    def core_match(self) -> bool:
        return not self.mismatches(CORE_STATISTICS)

    @property
    def full_match(self) -> bool:
        keys = tuple(k for k in self.expected if k not in SECONDARY_STATISTICS)
        return not self.mismatches(keys)


def _norm(value: str | None) -> str | None:
    return "0" if value == "-0" else value


@lru_cache(maxsize=1)
def more_cases() -> dict[str, dict[str, Any]]:
    """The cases of ``tests/fidelity/more/*.json``, with the algorithm resolved to an absolute path."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(MORE_CASES.glob("*.json")):
        for name, case in json.loads(path.read_text(encoding="utf-8")).items():
            if name in found:
                raise ValueError(f"{path}: case {name} is also defined in another file of {MORE_CASES}")
            found[name] = {
                **case, "name": name, "tier": MORE_TIER,
                "algorithm_path": str((path.parent / case["algorithm"]).resolve()),
            }
    return found


@lru_cache(maxsize=1)
def cases() -> dict[str, dict[str, Any]]:
    data = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    listed = {case["name"]: case for case in data["cases"]}
    overlap = set(listed) & set(more_cases())
    if overlap:
        raise ValueError(f"{MORE_CASES}: {sorted(overlap)} already in {CASES_FILE}; remove them from more/")
    return {**listed, **more_cases()}


def run_case(name: str) -> CaseResult:
    from lean_local.runner import run_backtest

    case = cases()[name]
    algorithm = algorithm_path(name)
    parameters = case.get("parameters") or CASE_PARAMETERS.get(name)
    result = run_backtest(algorithm, data_folder=DATA_FOLDER, write_output=False, parameters=parameters)
    actual = dict(result.statistics)
    actual["OrderListHash"] = result.order_list_hash
    return CaseResult(
        name, case["tier"], case["expected_statistics"], actual, result.status,
        result.runtime_error, result.data_points, case.get("data_points", 0),
    )


def print_table(names: list[str]) -> int:
    results = [run_case(n) for n in names]
    for result in results:
        print(f"\n== {result.name} (tier {result.tier}) status={result.status} "
              f"data points {result.data_points}/{result.expected_data_points}")
        if result.error:
            print(f"   error: {result.error}")
        for key, expected in result.expected.items():
            actual = result.actual.get(key)
            mark = "  " if _norm(actual) == _norm(expected) else "!!"
            print(f"   {mark} {key:<30} expected {expected:<36} ours {actual}")
    core = sum(r.core_match for r in results)
    full = sum(r.full_match for r in results)
    print(f"\n{len(results)} cases: {core} match the core statistics, {full} match every statistic "
          f"(except {', '.join(SECONDARY_STATISTICS)})")
    for tier in sorted({r.tier for r in results}):
        of_tier = [r for r in results if r.tier == tier]
        secondary = sum(not r.mismatches(SECONDARY_STATISTICS) for r in of_tier)
        data_points = sum(r.data_points == r.expected_data_points for r in of_tier)
        label = "more (LEAN regressions outside cases.json)" if tier == MORE_TIER else str(tier)
        print(f"tier {label}: {len(of_tier)} cases, core {sum(r.core_match for r in of_tier)}, "
              f"every statistic {sum(r.full_match for r in of_tier)}, OrderListHash/capacity {secondary}, "
              f"data points {data_points}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    wanted = sys.argv[1:] or case_names()
    sys.exit(print_table(wanted))
