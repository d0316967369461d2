#!/usr/bin/env python3
"""PostToolUse / PostToolUseFailure hook on the paper broker's order tools
(matcher ``mcp__paper_broker__place_order|mcp__paper_broker__cancel_order``).

Appends what happened (tool, arguments, the tool's result or error, session and tool-use ids) to the audit
trail as an ``order_event`` record and tells Claude the record number. If the record cannot be written it
exits 2, so Claude is told the trade is unaudited (the tool has already run; PostToolUse cannot undo it).
"""
from __future__ import annotations

import sys

import _hooklib as lib

ACTOR = "hook:log_trade"


def main() -> None:
    try:
        payload = lib.read_payload(("PostToolUse", "PostToolUseFailure"))
        tool_name = lib.require(payload, "tool_name", str)
        tool_input = payload.get("tool_input")
    except lib.PayloadError as err:
        lib.block(f"log_trade: {err}; the order result was NOT written to the audit trail.")
    from mcp_backtest.audit import AuditTrail

    event = payload["hook_event_name"]
    record = {
        "tool_name": tool_name,
        "tool_input": tool_input,
        "outcome": "error" if event == "PostToolUseFailure" else "completed",
        **lib.hook_meta(payload),
    }
    if event == "PostToolUseFailure":
        record["error"] = payload.get("error")
        record["is_interrupt"] = payload.get("is_interrupt")
    else:
        record["tool_response"] = payload.get("tool_response")
    if "duration_ms" in payload:
        record["duration_ms"] = payload.get("duration_ms")
    try:
        ws = lib.workspace_for(payload)
        rec = AuditTrail(ws.audit_path).append("order_event", ACTOR, record)
    except Exception as err:  # noqa: BLE001
        lib.block(f"log_trade: cannot write the audit trail ({type(err).__name__}: {err}); this order is unaudited. "
                  "Stop trading and tell the user.")
    lib.additional_context(event, f"Audit trail: recorded {tool_name} as record #{rec.seq} ({rec.hash[:12]}).")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001
        lib.block(f"log_trade failed ({type(err).__name__}: {err}); the order result may be unaudited.")
