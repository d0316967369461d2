#!/usr/bin/env python3
"""PreToolUse hook on the paper broker's tools (matcher ``mcp__paper_broker__.*``).

``place_order`` is checked against the risk policy (``mcp_backtest.risk_policy.assess_tool_call``: max order
notional, max position weight, max gross exposure, daily loss limit, symbol allow-list, kill switch, market
closed, fresh price) with the paper account and data at the paper clock; ``cancel_order`` needs well-formed
arguments. Read-only and clock tools pass without a verdict; any other broker tool is denied.

Fails closed: empty, malformed or incomplete input, an unreadable policy or account, an audit trail that
cannot be written, or any error → ``permissionDecision: deny`` with the reason. Every verdict on an order tool
is appended to the audit trail (kind ``hook_verdict``). An allowed order gets no permission decision (the
user's permission rules still apply) and the passed checks as ``additionalContext``.
"""
from __future__ import annotations

import sys

try:
    import _hooklib as lib
except Exception as err:  # noqa: BLE001 - cannot even load the helpers: deny
    sys.stdout.write(
        '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", '
        '"permissionDecisionReason": "risk validator unavailable: %s"}}\n' % type(err).__name__
    )
    sys.exit(0)

ACTOR = "hook:risk_validator"


def main() -> None:
    try:
        payload = lib.read_payload("PreToolUse")
        tool_name = lib.require(payload, "tool_name", str)
        tool_input = lib.require(payload, "tool_input", dict)
    except lib.PayloadError as err:
        lib.pre_tool_decision("deny", f"Risk validator: {err}; order denied (fail closed).")

    from mcp_backtest.audit import AuditTrail
    from mcp_backtest.risk_policy import ORDER_TOOLS, assess_tool_call, tool_short_name

    ws = lib.workspace_for(payload)
    decision = assess_tool_call(tool_name, tool_input, ws)
    _, tool = tool_short_name(tool_name)
    if tool not in ORDER_TOOLS and decision.allowed:
        sys.exit(0)  # read-only / clock tool: no verdict, normal permissions apply
    try:
        AuditTrail(ws.audit_path).append("hook_verdict", ACTOR, {
            "tool_name": tool_name, "tool_input": tool_input, "verdict": "allow" if decision.allowed else "deny",
            "decision": decision.to_json(), **lib.hook_meta(payload),
        })
    except Exception as err:  # noqa: BLE001 - an unrecorded verdict is not acceptable
        lib.pre_tool_decision("deny", f"Risk validator: cannot write the audit trail ({err}); order denied.")
    if not decision.allowed:
        lib.pre_tool_decision(
            "deny",
            f"{decision.summary()}. Change the order (smaller size, another symbol, wait for the market to open) "
            "or ask the user; do not retry the same order.",
        )
    lib.additional_context("PreToolUse", decision.summary())


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - fail closed on anything unexpected
        lib.pre_tool_decision("deny", f"Risk validator failed ({type(err).__name__}: {err}); order denied.")
