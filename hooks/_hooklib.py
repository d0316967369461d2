"""Helpers shared by the Claude Code hooks in this folder (stdin payload in, exit code / JSON out).

Contract (docs: ../shared/specs/agent-standards.md §1): the hook reads one JSON object on stdin; it answers by
printing one JSON object on stdout and exiting 0, or by writing a reason on stderr and exiting 2 (blocking).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

HOOKS_DIR = Path(__file__).resolve().parent
REPO = HOOKS_DIR.parent
if str(REPO) not in sys.path:  # import mcp_backtest from this checkout even without an installed package
    sys.path.insert(0, str(REPO))


class PayloadError(ValueError):
    """The hook input is empty, not JSON, or lacks a field this hook needs."""


def read_payload(expected_event: str | tuple[str, ...]) -> dict[str, Any]:
    raw = sys.stdin.read()
    if not raw.strip():
        raise PayloadError("empty hook input")
    try:
        payload = json.loads(raw)
    except ValueError as err:
        raise PayloadError(f"hook input is not JSON ({err})") from None
    if not isinstance(payload, dict):
        raise PayloadError("hook input is not a JSON object")
    events = (expected_event,) if isinstance(expected_event, str) else expected_event
    event = payload.get("hook_event_name")
    if event not in events:
        raise PayloadError(f"hook_event_name is {event!r}, expected {' or '.join(events)}")
    return payload


def require(payload: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = payload.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value):
        raise PayloadError(f"hook input lacks a valid {key!r}")
    return value


def workspace_for(payload: dict[str, Any] | None = None) -> Any:
    """The workspace: $LEAN_WORKSPACE / $CLAUDE_PROJECT_DIR, else the payload's cwd, else this checkout."""
    from mcp_backtest.trading.workspace import Workspace

    cwd = payload.get("cwd") if isinstance(payload, dict) else None
    start = Path(cwd) if isinstance(cwd, str) and cwd and Path(cwd).is_dir() else REPO
    return Workspace.discover(start)


def emit(obj: dict[str, Any]) -> NoReturn:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    sys.exit(0)


def pre_tool_decision(decision: str, reason: str, context: str | None = None) -> NoReturn:
    out: dict[str, Any] = {"hookEventName": "PreToolUse", "permissionDecision": decision,
                           "permissionDecisionReason": reason}
    if context:
        out["additionalContext"] = context
    emit({"hookSpecificOutput": out})


def additional_context(event: str, text: str) -> NoReturn:
    emit({"hookSpecificOutput": {"hookEventName": event, "additionalContext": text}})


def block(reason: str) -> NoReturn:
    sys.stderr.write(reason.rstrip() + "\n")
    sys.stderr.flush()
    sys.exit(2)


def hook_meta(payload: dict[str, Any]) -> dict[str, Any]:
    keys = ("session_id", "tool_use_id", "agent_id", "agent_type", "permission_mode", "cwd")
    meta = {k: payload.get(k) for k in keys if payload.get(k) is not None}
    server = payload.get("mcp_server")
    if isinstance(server, dict):
        meta["mcp_server"] = server.get("name")
    return meta


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")
