"""Runs ``hooks/<name>.py`` as Claude Code does: a subprocess fed one real hook payload on stdin."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp_backtest.trading.sandbox import workspace_env
from mcp_backtest.trading.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
HOOKS = REPO / "hooks"


@dataclass
class HookRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    @property
    def decision(self) -> str | None:
        if not self.stdout.strip():
            return None
        return self.json.get("hookSpecificOutput", {}).get("permissionDecision")

    @property
    def reason(self) -> str:
        return self.json["hookSpecificOutput"].get("permissionDecisionReason", "")

    @property
    def context(self) -> str:
        return self.json["hookSpecificOutput"].get("additionalContext", "")


def run_hook(name: str, payload: Any, ws: Workspace | None, raw: str | None = None, timeout: float = 120) -> HookRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEAN_", "CLAUDE_"))}
    if ws is not None:
        env.update(workspace_env(ws))
        env["CLAUDE_PROJECT_DIR"] = str(ws.root)
    text = raw if raw is not None else json.dumps(payload)
    proc = subprocess.run([sys.executable, str(HOOKS / f"{name}.py")], input=text, capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(ws.root) if ws else str(REPO))
    return HookRun(proc.returncode, proc.stdout, proc.stderr)


def payload(event: str, ws: Workspace | None = None, **fields: Any) -> dict[str, Any]:
    """A hook input as Claude Code sends it (common fields + the event's own)."""
    base = {
        "session_id": "5f0c2a9e-1d7b-4c33-9d1e-7a2f0e4b8c11",
        "transcript_path": "/home/alice/.claude/projects/x/5f0c2a9e.jsonl",
        "cwd": str(ws.root) if ws else str(REPO),
        "permission_mode": "default",
        "hook_event_name": event,
    }
    base.update(fields)
    return base


def tool_payload(event: str, ws: Workspace, tool: str, tool_input: dict[str, Any], **fields: Any) -> dict[str, Any]:
    server = tool.split("__")[1] if tool.startswith("mcp__") else None
    extra: dict[str, Any] = {"tool_name": tool, "tool_input": tool_input, "tool_use_id": "toolu_01AbCdEf"}
    if server:
        extra["mcp_server"] = {"name": server, "source": "project"}
    extra.update(fields)
    return payload(event, ws, **extra)
