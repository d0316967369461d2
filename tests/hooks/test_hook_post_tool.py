"""hooks/log_trade.py and hooks/parse_backtest.py fed real PostToolUse(/Failure) payloads on stdin."""
from __future__ import annotations

import json

import pytest

from hook_testkit import run_hook, tool_payload
from mcp_backtest.audit import AuditTrail

PLACE = "mcp__paper_broker__place_order"
CREATE = "mcp__backtest__create_backtest"
ORDER_RESULT = {"order": {"id": 1, "symbol": "SPY", "status": "filled", "fill_price": 286.18}, "risk_policy_version": 1}


def _records(ws, kind: str) -> list[dict]:
    return [r.payload for r in AuditTrail(ws.audit_path).records() if r.kind == kind]


def test_log_trade_records_the_result(ws) -> None:
    response = [{"type": "text", "text": json.dumps(ORDER_RESULT)}]
    p = tool_payload("PostToolUse", ws, PLACE, {"symbol": "SPY", "side": "buy", "quantity": 10, "rationale": "r"},
                     tool_response=response, duration_ms=12)
    run = run_hook("log_trade", p, ws)
    assert run.returncode == 0, run.stderr
    out = run.json["hookSpecificOutput"]
    assert out["hookEventName"] == "PostToolUse" and "record #1" in out["additionalContext"]
    rec = _records(ws, "order_event")[-1]
    assert rec["outcome"] == "completed" and rec["tool_response"] == response and rec["session_id"]
    assert AuditTrail(ws.audit_path).verify().ok


def test_log_trade_records_failures(ws) -> None:
    p = tool_payload("PostToolUseFailure", ws, PLACE, {"symbol": "SPY"},
                     error="Error executing tool place_order: order 3 rejected by risk policy v1", is_interrupt=False)
    run = run_hook("log_trade", p, ws)
    assert run.returncode == 0 and run.json["hookSpecificOutput"]["hookEventName"] == "PostToolUseFailure"
    rec = _records(ws, "order_event")[-1]
    assert rec["outcome"] == "error" and "rejected" in rec["error"]


@pytest.mark.parametrize("raw", ["", "{", "[1]", '{"hook_event_name": "PostToolUse"}', '{"hook_event_name": "PreToolUse", "tool_name": "x"}'])
def test_log_trade_malformed_input_is_reported(ws, raw: str) -> None:
    run = run_hook("log_trade", None, ws, raw=raw)
    assert run.returncode == 2 and "NOT written" in run.stderr


def test_log_trade_unwritable_audit_blocks(ws) -> None:
    ws.audit_path.mkdir()
    run = run_hook("log_trade", tool_payload("PostToolUse", ws, PLACE, {}, tool_response={}), ws)
    assert run.returncode == 2 and "unaudited" in run.stderr


GOOD_STATS = {"Total Orders": "412", "Net Profit": "23.1%", "Compounding Annual Return": "7.2%", "Sharpe Ratio": "1.234",
              "Drawdown": "5.600%", "Win Rate": "55%", "Total Fees": "$120.00", "End Equity": "123100"}
BAD_STATS = {"Total Orders": "12", "Sharpe Ratio": "5.2", "Drawdown": "35.000%", "Net Profit": "80%"}


def _summary(stats: dict, status: str = "Completed") -> dict:
    # the backtest server's BacktestSummary, camelCase on the wire
    return {"backtestId": "1435300286", "project": "algorithms/trend_basket", "name": "run 1", "status": status,
            "outputDir": "algorithms/trend_basket/backtests/2026-11-23_19-40-59", "backend": "local",
            "parameters": {"fast": "10"}, "statistics": stats, "error": None, "elapsedSeconds": 2.5}


@pytest.mark.parametrize("shape", ["structured", "content_blocks", "wrapped", "snake_case", "stats_only"])
def test_parse_backtest_reads_every_result_shape(ws, shape: str) -> None:
    s = _summary(GOOD_STATS)
    response = {
        "structured": s,
        "content_blocks": [{"type": "text", "text": json.dumps(s, indent=2)}],
        "wrapped": {"content": [{"type": "text", "text": "see structured"}], "structuredContent": s, "isError": False},
        "snake_case": {"backtest_id": "1435300286", "status": "Completed", "statistics": GOOD_STATS},
        "stats_only": json.dumps(GOOD_STATS),
    }[shape]
    p = tool_payload("PostToolUse", ws, CREATE, {"project": "algorithms/trend_basket", "name": "run 1"},
                     tool_response=response)
    run = run_hook("parse_backtest", p, ws)
    assert run.returncode == 0, run.stderr
    ctx = run.context
    assert "Sharpe Ratio 1.234" in ctx and "Drawdown 5.600%" in ctx and "Total Orders 412" in ctx
    assert "RED FLAG" not in ctx and "No red flags against risk policy v1" in ctx
    rec = _records(ws, "backtest_launch")[-1]
    assert rec["recognised"] and rec["statistics"]["Sharpe Ratio"] == "1.234" and rec["red_flags"] == []


def test_parse_backtest_red_flags(ws) -> None:
    p = tool_payload("PostToolUse", ws, CREATE, {"project": "p"},
                     tool_response=[{"type": "text", "text": json.dumps(_summary(BAD_STATS))}])
    ctx = run_hook("parse_backtest", p, ws).context
    assert "RED FLAG: too few trades: 12 orders" in ctx
    assert "RED FLAG: drawdown 35% beyond the 25% limit" in ctx
    assert "RED FLAG: Sharpe ratio 5.2 is implausibly high" in ctx
    assert len(_records(ws, "backtest_launch")[-1]["red_flags"]) == 3
    failed = tool_payload("PostToolUse", ws, CREATE, {"project": "p"}, tool_response=_summary({}, "RuntimeError"))
    ctx = run_hook("parse_backtest", failed, ws).context
    assert "status is RuntimeError" in ctx and "no 'Total Orders'" in ctx


@pytest.mark.parametrize("response", [None, "", "ok", [], {"content": [{"type": "text", "text": "Backtest started"}]}, 42])
def test_parse_backtest_unrecognised_results_are_still_audited(ws, response) -> None:
    run = run_hook("parse_backtest", tool_payload("PostToolUse", ws, CREATE, {"project": "p"}, tool_response=response), ws)
    assert run.returncode == 0 and "not recognised" in run.context
    assert _records(ws, "backtest_launch")[-1]["recognised"] is False


def test_parse_backtest_malformed_payload(ws) -> None:
    run = run_hook("parse_backtest", None, ws, raw="garbage")
    assert run.returncode == 2 and "not JSON" in run.stderr
