"""Throw-away trading workspaces (tests, demos): a synthetic LEAN market, a policy file and a paper account.

    from mcp_backtest.trading.sandbox import make_workspace, synthetic_market
    data = synthetic_market(Path("/tmp/market"))          # ~3 s, deterministic, clearly fake prices
    ws = make_workspace(Path("/tmp/ws"), data, cash=100_000, clock="2024-03-27T10:00:00")
"""
from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from mcp_backtest.trading.account import AccountStore, parse_clock
from mcp_backtest.trading.workspace import POLICY_RELATIVE, STATE_DIR_NAME, Workspace

#: the synthetic market used by the tests: minute data on its last three sessions
SYNTHETIC_START = date(2024, 1, 2)
SYNTHETIC_END = date(2024, 3, 28)
MINUTE_DAYS = ("2024-03-26", "2024-03-27", "2024-03-28")
DEFAULT_CLOCK = "2024-03-27T10:00:00"

DEFAULT_POLICY: dict[str, Any] = {
    "version": 1,
    "limits": {
        "max_order_notional": 25000.0,
        "max_position_weight": 0.20,
        "max_gross_exposure": 1.0,
        "daily_loss_limit": 0.02,
    },
    "symbols": {"allow": ["SPY", "SYNBNK", "SYNCHP", "SYNCLD", "SYNINS", "SYNOIL", "SYNPAY", "SYNPWR", "SYNSFT", "SYNSUN"]},
    "kill_switch": {"file": f"{STATE_DIR_NAME}/KILL_SWITCH"},
    "market_hours": {"require_open": True, "extended_hours": False, "max_price_age_days": 4},
    "backtest_red_flags": {"min_total_orders": 30, "max_drawdown": 0.25, "max_sharpe_ratio": 3.0},
    "rate_limits": {"default": {"calls": 100000, "per_seconds": 60}},
}


def synthetic_market(folder: Path) -> Path:
    from lean_local.synthetic import generate_market

    generate_market(folder, seed=7, start=SYNTHETIC_START, end=SYNTHETIC_END, minute_days=len(MINUTE_DAYS))
    return folder


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def policy_toml(document: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in document.items() if not isinstance(v, dict)]
    for section, table in document.items():
        if isinstance(table, dict):
            lines.append(f"\n[{section}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def policy_document(**changes: Any) -> dict[str, Any]:
    """DEFAULT_POLICY with ``section__key=value`` changes (``limits__max_order_notional=1000``)."""
    doc = copy.deepcopy(DEFAULT_POLICY)
    for name, value in changes.items():
        section, _, key = name.partition("__")
        if key:
            doc[section][key] = value
        else:
            doc[section] = value
    return doc


def make_workspace(
    root: Path,
    data_folder: Path,
    *,
    cash: float | int | str | None = 100_000,
    clock: str = DEFAULT_CLOCK,
    policy: dict[str, Any] | None = None,
) -> Workspace:
    """A workspace at ``root`` (lean.json, config/risk_policy.toml, .trading/) over ``data_folder``;
    ``cash=None`` leaves it without a paper account."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "lean.json").write_text(json.dumps({"data-folder": str(data_folder), "organization-id": "0" * 32}))
    policy_path = root / POLICY_RELATIVE
    policy_path.parent.mkdir(parents=True, exist_ok=True)
    policy_path.write_text(policy_toml(policy if policy is not None else DEFAULT_POLICY), encoding="utf-8")
    ws = Workspace(root=root.resolve(), data_folder=Path(data_folder).resolve(),
                   state_dir=(root / STATE_DIR_NAME).resolve(), policy_path=policy_path.resolve())
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    if cash is not None:
        AccountStore(ws.account_path).create(Decimal(str(cash)), parse_clock(clock), force=True)
    return ws


def workspace_env(ws: Workspace) -> dict[str, str]:
    """Environment variables that point the servers, hooks and CLIs at ``ws``."""
    return {
        "LEAN_WORKSPACE": str(ws.root),
        "LEAN_DATA_FOLDER": str(ws.data_folder),
        "LEAN_TRADING_STATE": str(ws.state_dir),
        "LEAN_RISK_POLICY": str(ws.policy_path),
    }
