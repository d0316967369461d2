"""Fuzzing: well over 1,000 generated argument sets across all tools, through one MCP client session.

No call may end in a traceback, the SDK's bare "Error executing tool X" (an unexpected exception) or a protocol
error, and the server must still run backtests afterwards. Arguments mix plausible values (real project names,
backtest ids, statistics) with arbitrary JSON, wrong types, extra keys and path tricks; the expensive tools
(create_backtest, create_optimization, check_syntax) name a runnable project only now and then.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import anyio.from_thread
import pytest
from _mcp_support import TOOLS, assert_clear_error, make_workspace, text_of, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from mcp_backtest.backtest_server import create_server
from mcp_backtest.service import BacktestService

EXAMPLES = 1200

TINY = '''
from AlgorithmImports import *


class Tiny(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2021, 1, 4)
        self.set_end_date(2021, 1, 8)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.DAILY)
        self.debug(f"p={self.get_parameter('p', 'none')}")
'''

JSON_LEAVES = (st.none() | st.booleans() | st.integers(min_value=-10**12, max_value=10**12)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
PATH_TRICKS = st.sampled_from([
    "", " ", "/", "//", ".", "..", "../..", "/etc/passwd", "~", "~root", "C:\\Windows", "algorithms/../..",
    "algorithms/./buy_hold", "algorithms//buy_hold/", "Library", "Library/..", "a\x00b", "a\nb", "\u202e", "*",
    "algorithms/*", "buy_hold/backtests", "x" * 300,
])


def _projects(valid: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), PATH_TRICKS, st.text(max_size=40))


def _sparse(valid: str) -> st.SearchStrategy[Any]:
    """Mostly not-runnable project references: the expensive tools run something only now and then."""
    invalid = ["nope", "", "../x", "/abs", "Library/helpers", "algorithms", "buy_hold/main.py", "raises/../..",
               "a" * 201, "tiny ", "TINY", "algorithms/tiny/backtests", "Library", "x/y/z", "~/tiny"]
    return st.sampled_from([*invalid, valid, valid, valid]) | st.integers() | st.none()


REQUIRED = {"project", "backtestId", "name", "library", "optimizationId", "parameters"}


def _args(tool: str, fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Half the time well-typed arguments (required ones present), half the time anything at all."""
    required = {k: v for k, v in fields.items() if k in REQUIRED and not (tool == "create_optimization" and k == "name")
                and not (tool == "create_project" and k == "parameters") and not (tool == "create_backtest" and k in ("name", "parameters"))}
    typed = st.fixed_dictionaries(required, optional={k: v for k, v in fields.items() if k not in required})
    anything = st.fixed_dictionaries({}, optional={k: v | JSON for k, v in fields.items()})
    extra = st.dictionaries(st.text(min_size=1, max_size=12), JSON, max_size=2)
    return st.tuples(typed | anything, extra, st.integers(0, 9)).map(lambda t: {**t[0], **t[1]} if t[2] == 0 else t[0])


def _call_strategy(ids: dict[str, str], valid: list[str]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    project = _projects(valid)
    pairs = st.sampled_from(sorted(ids.items()))
    backtest_id = st.one_of(st.sampled_from(sorted(ids.values())), st.sampled_from(sorted(ids.values())), st.from_regex(r"\A[0-9]{1,22}\Z"), st.text(max_size=25))
    small_int = st.integers(0, 120) | st.integers(-5, 3000)
    parameters = st.dictionaries(st.text(max_size=12), st.text(max_size=12) | st.integers() | st.booleans(), max_size=3)
    grid_entry = st.fixed_dictionaries({"name": st.sampled_from(["p", "fast", "", "bad name"]) | st.text(max_size=8)}, optional={
        "min": st.integers(-3, 3) | st.floats(-5, 5), "max": st.integers(-3, 6), "step": st.sampled_from([0, 1, 2, -1, 0.5]),
        "values": st.lists(st.integers(0, 3) | st.text(max_size=3), max_size=4), "junk": JSON})
    constraint = st.fixed_dictionaries({
        "statistic": st.sampled_from(["Drawdown", "Sharpe Ratio", "Total Orders", "Mood"]) | st.text(max_size=5),
        "operator": st.sampled_from(["<", ">=", "less", "~"]) | st.text(max_size=3),
        "value": st.integers(-5, 50) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=3)})
    statistics = st.sampled_from(["Sharpe Ratio", "Net Profit", "Drawdown", "Nope", ""])
    tools: dict[str, dict[str, st.SearchStrategy[Any]]] = {
        "list_projects": {},
        "read_project": {"project": project},
        "create_project": {"name": st.text(max_size=70) | st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,10}\Z"),
                           "description": st.text(max_size=50), "library": st.booleans(), "parameters": parameters},
        "add_library": {"project": project, "library": st.sampled_from(["helpers", "Library/helpers", "nope"]) | PATH_TRICKS},
        "check_syntax": {"project": _sparse("tiny")},
        "create_backtest": {"project": _sparse("tiny"), "name": st.text(max_size=30), "parameters": parameters,
                            "timeoutSeconds": st.integers(-5, 100) | st.floats(0, 60)},
        "read_backtest": {"project": project, "backtestId": backtest_id},
        "list_backtests": {"project": project, "includeStatistics": st.booleans(), "limit": small_int},
        "read_backtest_orders": {"project": project, "backtestId": backtest_id, "start": small_int, "end": small_int,
                                 "includeEvents": st.booleans()},
        "read_backtest_chart": {"project": project, "backtestId": backtest_id,
                                "name": st.sampled_from(["Strategy Equity", "Drawdown", "Benchmark", "nope"]) | st.text(max_size=10),
                                "count": small_int, "start": st.integers(-10, 2 * 10**9), "end": st.integers(-10, 2 * 10**9)},
        "read_backtest_logs": {"project": project, "backtestId": backtest_id, "startLine": small_int,
                               "endLine": small_int, "source": st.sampled_from(["algorithm", "engine", "docker"])},
        "create_optimization": {"project": _sparse("tiny"), "parameters": st.lists(grid_entry, max_size=3),
                                "target": statistics, "targetDirection": st.sampled_from(["max", "min", "up"]),
                                "constraints": st.lists(constraint, max_size=2), "name": st.text(max_size=10),
                                "maxParallel": st.integers(-1, 3), "timeoutSeconds": st.integers(-1, 60)},
        "read_optimization": {"project": project, "optimizationId": st.from_regex(r"\A2[0-9]{9}\Z") | backtest_id},
        "no_such_tool": {"project": project},
    }
    def arguments(name: str) -> st.SearchStrategy[dict[str, Any]]:
        generated = _args(name, tools[name])
        if "backtestId" not in tools[name]:
            return generated
        # half the time the project and the backtest id belong together
        coupled = st.tuples(generated, pairs).map(lambda t: {**t[0], "project": t[1][0], "backtestId": t[1][1]})
        return generated | coupled

    return st.sampled_from(sorted(tools)).flatmap(lambda name: st.tuples(st.just(name), arguments(name)))


@pytest.fixture(scope="module")
def fuzz_workspace(tmp_path_factory: pytest.TempPathFactory, synthetic_data: Path) -> tuple[Path, dict[str, str]]:
    root = make_workspace(tmp_path_factory.mktemp("mcp_fuzz") / "ws", synthetic_data, projects=("buy_hold", "raises"))
    write_project(root, "tiny", TINY)
    service = BacktestService(root, "local", timeout_seconds=60)
    ids = {name: service.create_backtest_sync(name).backtest_id for name in ("buy_hold", "raises", "tiny")}
    return root, ids


def test_fuzz_every_tool_never_crashes(fuzz_workspace: tuple[Path, dict[str, str]]) -> None:
    root, ids = fuzz_workspace
    service = BacktestService(root, "local", timeout_seconds=30, max_parallel=2, max_optimization_runs=3)
    valid = ["buy_hold", "algorithms/buy_hold", "raises", "tiny", "Library/helpers"]
    outcomes: Counter[str] = Counter()
    with anyio.from_thread.start_blocking_portal(backend="asyncio") as portal:
        with portal.wrap_async_context_manager(Client(create_server(service), raise_exceptions=True)) as client:

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(call=_call_strategy(ids, valid))
            def one_call(call: tuple[str, dict[str, Any]]) -> None:
                tool, arguments = call
                result = portal.call(client.call_tool, tool, arguments)
                if result.is_error:
                    assert_clear_error(result, tool)
                    outcomes[f"{tool}:error"] += 1
                else:
                    assert tool in TOOLS
                    assert isinstance(result.structured_content, dict), text_of(result)
                    json.dumps(result.structured_content)
                    outcomes[f"{tool}:ok"] += 1

            one_call()
            # the server still works after the storm
            listed = portal.call(client.call_tool, "list_projects", {})
            assert not listed.is_error
            final = portal.call(client.call_tool, "create_backtest", {"project": "tiny", "parameters": {"p": "after"}})
            assert not final.is_error and final.structured_content["status"] == "Completed", text_of(final)
    total = sum(outcomes.values())
    assert total >= 1000, outcomes
    for tool in TOOLS:  # every tool was exercised, and answered successfully at least once
        assert outcomes[f"{tool}:error"] + outcomes[f"{tool}:ok"] >= 20, (tool, outcomes)
    succeeded = {key.split(":")[0] for key, count in outcomes.items() if key.endswith(":ok") and count}
    assert {"list_projects", "read_project", "create_project", "read_backtest", "list_backtests", "read_backtest_logs",
            "read_backtest_orders", "read_backtest_chart"} <= succeeded, outcomes
    print(f"fuzz: {total} calls", dict(sorted(outcomes.items())))
