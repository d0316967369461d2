#!/usr/bin/env python3
"""PreToolUse hook on file edits (matcher ``Edit|Write|MultiEdit|NotebookEdit``): blocks edits to algorithms
marked as deployed unless a human approved the change.

Conventions (also in CLAUDE.md):

* **Deployed marker**: a file named ``DEPLOYED`` in a project folder (e.g. ``algorithms/trend_basket/DEPLOYED``).
  Everything below that folder is protected. Its content is free (who deployed what, where, when).
* **Approval record**: a JSON file in ``approvals/`` at the workspace root, written by a human::

      {"project": "algorithms/trend_basket", "approved_by": "alice", "reason": "widen the stop to 3 ATR",
       "expires_at": "2026-12-01T18:00:00Z", "files": ["main.py"]}

  ``project`` is the deployed folder relative to the workspace root; ``expires_at`` is ISO 8601 with a zone and
  must be in the future; ``files`` (optional) are glob patterns relative to the project folder limiting what
  may change. A record missing any required field, or expired, approves nothing.
* Claude may never create or change ``DEPLOYED`` markers or anything in ``approvals/``: those edits are always
  denied here (a human makes them outside Claude).

Fails closed: an unreadable payload or a missing path is denied. Verdicts about deployed projects are
appended to the audit trail (``hook_verdict``); if that fails, the edit is denied.
"""
from __future__ import annotations

import fnmatch
import json
import sys
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

try:
    import _hooklib as lib
except Exception as err:  # noqa: BLE001
    sys.stdout.write(
        '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", '
        '"permissionDecisionReason": "algo change guard unavailable: %s"}}\n' % type(err).__name__
    )
    sys.exit(0)

ACTOR = "hook:algo_change_guard"
MARKER = "DEPLOYED"
APPROVALS = "approvals"
PATH_KEYS = ("file_path", "notebook_path", "path")


def deployed_project(path: Path, root: Path) -> Path | None:
    for folder in path.parents:
        if folder == root or root not in folder.parents:
            return None
        if (folder / MARKER).is_file():
            return folder
    return None


def parse_expiry(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def find_approval(root: Path, project_rel: str, file_rel: str, now: datetime) -> tuple[dict[str, Any] | None, list[str]]:
    """The first valid approval covering the file, and why the others were not accepted."""
    notes: list[str] = []
    folder = root / APPROVALS
    if not folder.is_dir():
        return None, notes
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            notes.append(f"{path.name}: not readable JSON")
            continue
        if not isinstance(record, dict) or record.get("project") != project_rel:
            continue
        who, why = record.get("approved_by"), record.get("reason")
        if not (isinstance(who, str) and who.strip() and isinstance(why, str) and why.strip()):
            notes.append(f"{path.name}: needs non-empty approved_by and reason")
            continue
        expiry = parse_expiry(record.get("expires_at"))
        if expiry is None:
            notes.append(f"{path.name}: expires_at must be ISO 8601 with a time zone")
            continue
        if expiry <= now:
            notes.append(f"{path.name}: expired at {expiry.isoformat()}")
            continue
        files = record.get("files")
        if files is not None:
            if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
                notes.append(f"{path.name}: files must be a list of glob patterns")
                continue
            if not any(fnmatch.fnmatch(file_rel, pattern) for pattern in files):
                notes.append(f"{path.name}: does not cover {file_rel}")
                continue
        return {**record, "record": path.name}, notes
    return None, notes


def audit(ws: Any, payload: dict[str, Any], verdict: str, reason: str, extra: dict[str, Any]) -> None:
    from mcp_backtest.audit import AuditTrail

    AuditTrail(ws.audit_path).append("hook_verdict", ACTOR, {
        "tool_name": payload.get("tool_name"), "verdict": verdict, "reason": reason, **extra, **lib.hook_meta(payload),
    })


def main() -> None:
    try:
        payload = lib.read_payload("PreToolUse")
        tool_name = lib.require(payload, "tool_name", str)
        tool_input = lib.require(payload, "tool_input", dict)
    except lib.PayloadError as err:
        lib.pre_tool_decision("deny", f"Algo change guard: {err}; edit denied (fail closed).")
    raw: str | None = next(
        (str(tool_input[k]) for k in PATH_KEYS if isinstance(tool_input.get(k), str) and tool_input[k]), None
    )
    if raw is None:
        lib.pre_tool_decision("deny", f"Algo change guard: {tool_name} input has no file path; edit denied (fail closed).")
    ws = lib.workspace_for(payload)
    root = ws.root.resolve()
    raw_cwd = payload.get("cwd")
    cwd: str = raw_cwd if isinstance(raw_cwd, str) and raw_cwd else str(root)
    target = Path(raw) if Path(raw).is_absolute() else Path(cwd) / raw
    target = target.resolve()
    if root not in target.parents:
        sys.exit(0)  # outside the workspace: not this guard's business
    rel = PurePosixPath(*target.relative_to(root).parts)
    if target.name == MARKER or rel.parts[0] == APPROVALS:
        reason = (f"{rel} is a deployment marker or approval record: only a human may create or change it "
                  "(outside Claude). Ask the user.")
        try:
            audit(ws, payload, "deny", reason, {"file": str(rel)})
        finally:
            lib.pre_tool_decision("deny", reason)
    project = deployed_project(target, root)
    if project is None:
        sys.exit(0)
    project_rel = PurePosixPath(*project.relative_to(root).parts).as_posix()
    file_rel = PurePosixPath(*target.relative_to(project).parts).as_posix()
    approval, notes = find_approval(root, project_rel, file_rel, datetime.now(timezone.utc))
    extra = {"file": str(rel), "project": project_rel}
    if approval is None:
        reason = (f"{project_rel} is marked as deployed ({project_rel}/{MARKER}); editing {file_rel} needs an "
                  f"approval record in {APPROVALS}/ (see CLAUDE.md) and none is valid"
                  + (f" ({'; '.join(notes)})" if notes else "") + ". Ask the user to approve the change, or work on "
                  "a copy of the project.")
        try:
            audit(ws, payload, "deny", reason, extra)
        finally:
            lib.pre_tool_decision("deny", reason)
    reason = (f"edit of deployed {project_rel}/{file_rel} approved by {approval['approved_by']} until "
              f"{approval['expires_at']} ({approval['record']}): {approval['reason']}")
    try:
        audit(ws, payload, "allow", reason, {**extra, "approval": approval})
    except Exception as err:  # noqa: BLE001
        lib.pre_tool_decision("deny", f"Algo change guard: cannot write the audit trail ({err}); edit denied.")
    lib.additional_context("PreToolUse", reason)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001
        lib.pre_tool_decision("deny", f"Algo change guard failed ({type(err).__name__}: {err}); edit denied.")
