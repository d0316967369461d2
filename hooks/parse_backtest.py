#!/usr/bin/env python3
"""PostToolUse hook on the backtest server's ``create_backtest`` (matcher ``mcp__backtest__create_backtest``).

Finds the backtest's id, status and LEAN statistics in the tool result, whatever its shape (MCP structured
content, a list of text content blocks holding JSON, camelCase or snake_case keys), and adds for Claude a
compact summary plus red flags from the risk policy's ``[backtest_red_flags]``:

* too few trades (``Total Orders`` below ``min_total_orders``),
* drawdown beyond ``max_drawdown``,
* Sharpe ratio above ``max_sharpe_ratio`` (implausible: look for look-ahead, overfitting, data errors),
* a run that did not complete.

It also appends the launch (project, name, parameters, result, flags) to the audit trail (``backtest_launch``).
It never blocks: a result it cannot read still gets audited, with a note.
"""
from __future__ import annotations

import json
import re
import sys
from typing import Any

import _hooklib as lib

ACTOR = "hook:parse_backtest"
HEADLINE = ("Total Orders", "Net Profit", "Compounding Annual Return", "Sharpe Ratio", "Drawdown", "Win Rate",
            "Total Fees", "End Equity")
STAT_KEYS = {"Sharpe Ratio", "Total Orders", "Drawdown", "Net Profit"}
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


def _json_candidates(value: Any, depth: int = 0) -> list[Any]:
    """``value`` plus every JSON document found in strings inside it (text content blocks)."""
    out = [value]
    if depth > 4:
        return out
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "{[":
            try:
                out += _json_candidates(json.loads(text), depth + 1)
            except ValueError:
                pass
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (dict, list, str)):
                out += _json_candidates(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, (dict, list, str)):
                out += _json_candidates(v, depth + 1)
    return out


def find_result(response: Any) -> dict[str, Any] | None:
    """The dict that carries the backtest (has LEAN statistics, or an id and a status)."""
    best = None
    for c in _json_candidates(response):
        if not isinstance(c, dict):
            continue
        stats = c.get("statistics")
        if isinstance(stats, dict) and STAT_KEYS & set(stats):
            return c
        if STAT_KEYS & set(c) and best is None:
            best = {"statistics": c}
        if best is None and any(k in c for k in ("backtestId", "backtest_id")) and "status" in c:
            best = c
    return best


def number(text: Any) -> float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    m = _NUM.search(text.replace(",", ""))
    return float(m.group()) if m else None


def statistics_of(result: dict[str, Any] | None) -> dict[str, Any]:
    stats = (result or {}).get("statistics")
    return stats if isinstance(stats, dict) else {}


def red_flags(result: dict[str, Any], policy: Any) -> list[str]:
    flags: list[str] = []
    stats = statistics_of(result)
    status = result.get("status")
    if status not in (None, "Completed"):
        flags.append(f"status is {status}: the run did not complete, its statistics are not a result")
    orders = number(stats.get("Total Orders"))
    if orders is None:
        flags.append("no 'Total Orders' statistic: cannot tell how many trades the result rests on")
    elif orders < policy.min_total_orders:
        flags.append(f"too few trades: {orders:g} orders (< {policy.min_total_orders}); the statistics are noise")
    dd = number(stats.get("Drawdown"))
    if dd is not None and dd / 100 > float(policy.max_drawdown):
        flags.append(f"drawdown {dd:g}% beyond the {float(policy.max_drawdown) * 100:g}% limit")
    sharpe = number(stats.get("Sharpe Ratio"))
    if sharpe is not None and sharpe > float(policy.max_sharpe_ratio):
        flags.append(f"Sharpe ratio {sharpe:g} is implausibly high (> {float(policy.max_sharpe_ratio):g}): check for "
                     "look-ahead bias, survivorship, overfitting or data errors before trusting it")
    return flags


def main() -> None:
    try:
        payload = lib.read_payload("PostToolUse")
        tool_name = lib.require(payload, "tool_name", str)
    except lib.PayloadError as err:
        lib.block(f"parse_backtest: {err}")
    from mcp_backtest.audit import AuditTrail
    from mcp_backtest.risk_policy import PolicyError, load_policy

    ws = lib.workspace_for(payload)
    raw_input = payload.get("tool_input")
    tool_input: dict[str, Any] = raw_input if isinstance(raw_input, dict) else {}
    result = find_result(payload.get("tool_response"))
    stats = statistics_of(result)
    notes: list[str] = []
    try:
        policy = load_policy(ws.policy_path)
        flags = red_flags(result, policy) if result is not None else []
    except PolicyError as err:
        policy, flags = None, []
        notes.append(f"red flags unavailable: {err}")
    if result is None:
        summary = "Backtest result not recognised (no id/status/statistics in the tool result); check it with read_backtest."
    else:
        bid = result.get("backtestId") or result.get("backtest_id") or result.get("id") or "?"
        project = result.get("project") or tool_input.get("project") or tool_input.get("projectId") or "?"
        head = ", ".join(f"{k} {stats[k]}" for k in HEADLINE if k in stats)
        summary = f"Backtest {bid} of {project}: {result.get('status', '?')}" + (f"; {head}" if head else "")
    lines = [summary]
    lines += [f"RED FLAG: {f}" for f in flags]
    lines += notes
    if result is not None and not flags and policy is not None:
        lines.append("No red flags against risk policy v%d." % policy.version)
    record = {
        "tool_name": tool_name,
        "tool_input": tool_input,
        "backtest_id": (result or {}).get("backtestId") or (result or {}).get("backtest_id"),
        "status": (result or {}).get("status"),
        "statistics": {k: stats[k] for k in stats if k in HEADLINE or k in STAT_KEYS},
        "red_flags": flags,
        "recognised": result is not None,
        **lib.hook_meta(payload),
    }
    try:
        rec = AuditTrail(ws.audit_path).append("backtest_launch", ACTOR, record)
        lines.append(f"(audit record #{rec.seq})")
    except Exception as err:  # noqa: BLE001
        lines.append(f"WARNING: the backtest launch was not written to the audit trail ({err}).")
    lib.additional_context("PostToolUse", "\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - report, never crash silently
        lib.block(f"parse_backtest failed ({type(err).__name__}: {err})")
