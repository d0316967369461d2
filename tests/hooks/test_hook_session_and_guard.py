"""hooks/load_context.py (SessionStart) and hooks/algo_change_guard.py (PreToolUse on edits)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from hook_testkit import payload, run_hook, tool_payload
from mcp_backtest.audit import AuditTrail
from mcp_backtest.trading.broker import PaperBroker


def _backtest(ws, project: str, stamp: str, stats: dict) -> None:
    folder = ws.root / project / "backtests" / stamp
    folder.mkdir(parents=True)
    (folder / "1234-summary.json").write_text(json.dumps({"statistics": stats, "state": {"Status": "Completed"}}))


def test_load_context_injects_account_limits_kill_switch_audit_and_backtests(ws) -> None:
    PaperBroker(ws).place_order({"symbol": "SPY", "side": "buy", "quantity": 10, "rationale": "seed"})
    _backtest(ws, "algorithms/alpha", "2026-11-01_10-00-00", {"Total Orders": "99", "Sharpe Ratio": "1.1",
                                                              "Drawdown": "7.5%", "Net Profit": "12%"})
    run = run_hook("load_context", payload("SessionStart", ws, source="startup", model="claude-sonnet-5-5"), ws)
    assert run.returncode == 0, run.stderr
    out = run.json["hookSpecificOutput"]
    assert out["hookEventName"] == "SessionStart"
    ctx = out["additionalContext"]
    assert "Paper account paper-1 (PAPER) at clock 2024-03-27T10:00:00" in ctx and "SPY: 10 @" in ctx
    assert "risk policy v1: max order notional $25,000" in ctx and "Kill switch: off" in ctx
    assert "Audit trail: 1 records, chain verifies." in ctx
    assert "algorithms/alpha 2026-11-01_10-00-00 (id 1234, Completed): Total Orders 99" in ctx and "Sharpe Ratio 1.1" in ctx


def test_load_context_reports_kill_switch_missing_account_and_broken_audit(make_ws) -> None:
    ws = make_ws(cash=None)
    (ws.root / ".trading" / "KILL_SWITCH").write_text("")
    run = run_hook("load_context", payload("SessionStart", ws, source="resume"), ws)
    ctx = run.context
    assert "Paper account: none yet" in ctx and "Kill switch: ON" in ctx and "Latest backtests: none" in ctx
    ws2 = make_ws()
    AuditTrail(ws2.audit_path).append("t", "test", {"a": 1})
    import sqlite3

    con = sqlite3.connect(ws2.audit_path)
    con.execute("DROP TRIGGER audit_no_update")
    con.execute("UPDATE audit SET data = '{\"a\":2}' WHERE seq = 1")
    con.commit()
    con.close()
    ws2.policy_path.write_text("broken")
    ctx = run_hook("load_context", payload("SessionStart", ws2, source="startup"), ws2).context
    assert "VERIFY FAILED at record 1" in ctx and "Risk policy: UNUSABLE" in ctx


def test_load_context_survives_a_bad_payload(ws) -> None:
    run = run_hook("load_context", None, ws, raw="nonsense")
    assert run.returncode == 0 and "without a valid hook input" in run.context


# ----- algo_change_guard ------------------------------------------------------------------------------------------
def _deploy(ws, project: str = "algorithms/live_algo") -> None:
    folder = ws.root / project
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text("# algo\n")
    (folder / "DEPLOYED").write_text("deployed 2026-11-01 by alice\n")


def _approve(ws, name: str = "a1.json", **fields) -> None:
    record = {"project": "algorithms/live_algo", "approved_by": "alice", "reason": "fix stop",
              "expires_at": (datetime.now(timezone.utc) + timedelta(days=1)).isoformat().replace("+00:00", "Z")}
    record.update(fields)
    record = {k: v for k, v in record.items() if v is not None}
    (ws.root / "approvals").mkdir(exist_ok=True)
    (ws.root / "approvals" / name).write_text(json.dumps(record))


def _edit(ws, path: str, tool: str = "Edit") -> dict:
    key = "notebook_path" if tool == "NotebookEdit" else "file_path"
    return tool_payload("PreToolUse", ws, tool, {key: path, "old_string": "a", "new_string": "b"})


def test_undeployed_and_outside_files_pass_silently(ws) -> None:
    (ws.root / "algorithms" / "dev").mkdir(parents=True)
    for path in [str(ws.root / "algorithms" / "dev" / "main.py"), "algorithms/dev/main.py", "/tmp/elsewhere.py"]:
        run = run_hook("algo_change_guard", _edit(ws, path), ws)
        assert run.returncode == 0 and run.stdout == "", path


@pytest.mark.parametrize("tool", ["Edit", "Write", "MultiEdit", "NotebookEdit"])
def test_deployed_project_edit_denied_without_approval(ws, tool: str) -> None:
    _deploy(ws)
    run = run_hook("algo_change_guard", _edit(ws, "algorithms/live_algo/main.py", tool), ws)
    assert run.decision == "deny" and "marked as deployed" in run.reason and "approvals/" in run.reason
    rec = [r.payload for r in AuditTrail(ws.audit_path).records()][-1]
    assert rec["verdict"] == "deny" and rec["project"] == "algorithms/live_algo"


def test_traversal_and_nested_paths_are_resolved(ws) -> None:
    _deploy(ws)
    (ws.root / "algorithms" / "dev").mkdir(parents=True)
    for path in ["algorithms/dev/../live_algo/main.py", str(ws.root / "algorithms/live_algo/sub/new.py")]:
        assert run_hook("algo_change_guard", _edit(ws, path, "Write"), ws).decision == "deny", path


def test_valid_approval_allows_and_is_audited(ws) -> None:
    _deploy(ws)
    _approve(ws, files=["main.py"])
    run = run_hook("algo_change_guard", _edit(ws, "algorithms/live_algo/main.py"), ws)
    assert run.returncode == 0 and run.decision is None and "approved by alice" in run.context
    rec = [r.payload for r in AuditTrail(ws.audit_path).records()][-1]
    assert rec["verdict"] == "allow" and rec["approval"]["record"] == "a1.json"
    # the approval covers main.py only
    run = run_hook("algo_change_guard", _edit(ws, "algorithms/live_algo/other.py", "Write"), ws)
    assert run.decision == "deny" and "does not cover other.py" in run.reason


@pytest.mark.parametrize(
    ("fields", "phrase"),
    [
        ({"expires_at": "2020-01-01T00:00:00Z"}, "expired"),
        ({"expires_at": "2999-01-01T00:00:00"}, "time zone"),
        ({"expires_at": "soon"}, "time zone"),
        ({"approved_by": ""}, "approved_by"),
        ({"reason": None}, "approved_by and reason"),
        ({"files": "main.py"}, "list of glob"),
    ],
)
def test_invalid_approvals_approve_nothing(ws, fields: dict, phrase: str) -> None:
    _deploy(ws)
    _approve(ws, **fields)
    run = run_hook("algo_change_guard", _edit(ws, "algorithms/live_algo/main.py"), ws)
    assert run.decision == "deny" and phrase in run.reason


def test_other_projects_approval_does_not_count(ws) -> None:
    _deploy(ws)
    _approve(ws, project="algorithms/other")
    assert run_hook("algo_change_guard", _edit(ws, "algorithms/live_algo/main.py"), ws).decision == "deny"


@pytest.mark.parametrize("path", ["approvals/new.json", "algorithms/dev/DEPLOYED", "algorithms/live_algo/DEPLOYED"])
def test_claude_cannot_write_markers_or_approvals(ws, path: str) -> None:
    _deploy(ws)
    _approve(ws)
    run = run_hook("algo_change_guard", _edit(ws, path, "Write"), ws)
    assert run.decision == "deny" and "only a human" in run.reason


@pytest.mark.parametrize(
    "raw",
    ["", "{}", "[]", "oops", '{"hook_event_name": "PreToolUse", "tool_name": "Edit"}',
     '{"hook_event_name": "PreToolUse", "tool_name": "Edit", "tool_input": {"content": "x"}}',
     '{"hook_event_name": "PreToolUse", "tool_name": "Write", "tool_input": {"file_path": ""}}'],
)
def test_guard_fails_closed(ws, raw: str) -> None:
    run = run_hook("algo_change_guard", None, ws, raw=raw)
    assert run.returncode == 0 and run.decision == "deny" and "fail closed" in run.reason
