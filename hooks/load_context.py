#!/usr/bin/env python3
"""SessionStart hook (matcher ``startup|resume|clear|compact``): tells Claude, before the first prompt,

* the paper account at its clock (cash, equity, positions, day P&L, open orders),
* the risk limits (policy version) and whether the kill switch is on,
* whether the audit trail verifies,
* the headline statistics of the latest backtests, read from the workspace's LEAN output folders
  (``<project>/backtests/<timestamp>/<id>-summary.json``, newest first).

It never blocks a session: each part that cannot be read is reported as such.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import _hooklib as lib

MAX_BACKTESTS = 5
HEADLINE = ("Total Orders", "Net Profit", "Compounding Annual Return", "Sharpe Ratio", "Drawdown")
PATTERNS = ("*/backtests/*/*-summary.json", "*/*/backtests/*/*-summary.json", "*/*/*/backtests/*/*-summary.json")
SKIP_PARTS = {".venv", ".git", "node_modules", ".trading", "data"}


def latest_backtests(root: Path, limit: int = MAX_BACKTESTS) -> list[str]:
    found: list[tuple[float, Path]] = []
    for pattern in PATTERNS:
        for path in root.glob(pattern):
            rel = path.relative_to(root).parts
            if SKIP_PARTS & set(rel):
                continue
            try:
                found.append((path.stat().st_mtime, path))
            except OSError:
                continue
    lines = []
    for _, path in sorted(found, key=lambda t: t[0], reverse=True)[:limit]:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            stats = doc.get("statistics") or {}
            status = (doc.get("state") or {}).get("Status", "?")
        except (OSError, ValueError, AttributeError):
            continue
        project = path.parent.parent.parent.relative_to(root)
        bid = path.name[: -len("-summary.json")]
        head = ", ".join(f"{k} {stats[k]}" for k in HEADLINE if k in stats)
        lines.append(f"- {project} {path.parent.name} (id {bid}, {status}): {head or 'no statistics'}")
    return lines


def portfolio_lines(ws: Any) -> list[str]:
    from mcp_backtest.trading.account import AccountError, AccountStore
    from mcp_backtest.trading.prices import MarketData

    store = AccountStore(ws.account_path)
    if not store.exists():
        return ["Paper account: none yet (a human creates it: python -m mcp_backtest.trading.account init ...)."]
    try:
        account = store.read()
        snap = account.snapshot(MarketData(ws.data()))
    except (AccountError, Exception) as err:  # noqa: BLE001
        return [f"Paper account: unreadable ({err})."]
    equity = "unknown" if snap["equity"] is None else f"${snap['equity']:,.2f}"
    day = "" if snap["day_pnl"] is None else f", day P&L ${snap['day_pnl']:,.2f}"
    out = [f"Paper account {snap['account_id']} (PAPER) at clock {snap['clock']} New York: cash ${snap['cash']:,.2f}, "
           f"equity {equity}{day}, open orders {snap['open_orders']}."]
    for p in snap["positions"]:
        weight = "" if p["weight"] is None else f" ({p['weight'] * 100:.1f}% of equity)"
        out.append(f"  {p['symbol']}: {p['quantity']} @ avg {p['average_price']:.2f}{weight}")
    return out


def policy_lines(ws: Any) -> list[str]:
    from mcp_backtest.risk_policy import PolicyError, load_policy

    try:
        policy = load_policy(ws.policy_path)
    except PolicyError as err:
        return [f"Risk policy: UNUSABLE, every order will be denied ({err})."]
    kill = policy.kill_switch_active(ws.root)
    return [
        policy.describe() + ".",
        f"Kill switch: {'ON - no new orders, resting orders do not fill' if kill else 'off'} ({policy.kill_switch_file}).",
    ]


def audit_line(ws: Any) -> str:
    from mcp_backtest.audit import AuditTrail

    if not ws.audit_path.exists():
        return "Audit trail: empty so far."
    result = AuditTrail(ws.audit_path).verify()
    if result.ok:
        return f"Audit trail: {result.count} records, chain verifies."
    first = result.errors[0]
    return f"Audit trail: VERIFY FAILED at record {first[0]} ({first[1]}); tell the user."


def main() -> None:
    try:
        payload = lib.read_payload("SessionStart")
    except lib.PayloadError as err:
        payload = {}
        note = f"(session context loaded without a valid hook input: {err})"
    else:
        note = ""
    ws = lib.workspace_for(payload)
    lines = ["# Trading workspace state (loaded by hooks/load_context.py)"]
    for part in (portfolio_lines, policy_lines):
        try:
            lines += part(ws)
        except Exception as err:  # noqa: BLE001
            lines.append(f"{part.__name__}: unavailable ({type(err).__name__}: {err})")
    try:
        lines.append(audit_line(ws))
    except Exception as err:  # noqa: BLE001
        lines.append(f"Audit trail: unreadable ({err}).")
    try:
        bts = latest_backtests(ws.root)
        lines.append("Latest backtests:" if bts else "Latest backtests: none in this workspace.")
        lines += bts
    except Exception as err:  # noqa: BLE001
        lines.append(f"Latest backtests: unavailable ({err}).")
    if note:
        lines.append(note)
    lib.additional_context("SessionStart", "\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001
        sys.stderr.write(f"load_context failed: {type(err).__name__}: {err}\n")
        sys.exit(1)
