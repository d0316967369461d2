"""hooks/risk_validator.py fed real PreToolUse payloads on stdin (subprocess)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hook_testkit import run_hook, tool_payload
from mcp_backtest.audit import AuditTrail
from mcp_backtest.risk_policy import MarketView, load_policy, parse_order_intent
from mcp_backtest.trading.account import AccountStore
from mcp_backtest.trading.broker import OrderRejected, PaperBroker
from mcp_backtest.trading.prices import MarketData
from mcp_backtest.trading.sandbox import make_workspace, policy_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "risk"))
from risk_oracle import over_limit  # noqa: E402

PLACE = "mcp__paper_broker__place_order"
CANCEL = "mcp__paper_broker__cancel_order"
BUY = {"symbol": "SPY", "side": "buy", "quantity": 10, "rationale": "trend signal"}


def _verdicts(ws) -> list[dict]:
    return [r.payload for r in AuditTrail(ws.audit_path).records() if r.kind == "hook_verdict"]


def test_allowed_order_gets_context_and_no_override(ws) -> None:
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, BUY), ws)
    assert run.returncode == 0, run.stderr
    out = run.json["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse"
    assert "permissionDecision" not in out  # the user's permission rules still apply
    assert "risk policy v1: allowed" in out["additionalContext"]
    v = _verdicts(ws)
    assert v[-1]["verdict"] == "allow" and v[-1]["tool_use_id"] == "toolu_01AbCdEf" and v[-1]["mcp_server"] == "paper_broker"


@pytest.mark.parametrize(
    ("tool_input", "phrase"),
    [
        ({**BUY, "quantity": 1000}, "exceeds the $25,000.00 limit"),
        ({**BUY, "quantity": 80}, "would reach"),  # ~22.9 % of equity, under the notional limit
        ({**BUY, "symbol": "SYNGAS"}, "not on the allow-list"),
        ({**BUY, "symbol": "ZZZZ"}, "not on the allow-list"),
        ({**BUY, "quantity": 0}, "quantity"),
        ({**BUY, "quantity": "10"}, "whole number"),
        ({k: v for k, v in BUY.items() if k != "rationale"}, "rationale"),
        ({**BUY, "order_type": "limit"}, "limit_price"),
        ({**BUY, "api_key": "sk-123"}, "unexpected argument"),
        ({}, "symbol"),
    ],
)
def test_over_limit_or_malformed_orders_are_denied(ws, tool_input: dict, phrase: str) -> None:
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, tool_input), ws)
    assert run.returncode == 0 and run.decision == "deny", run.stdout + run.stderr
    assert phrase in run.reason
    assert _verdicts(ws)[-1]["verdict"] == "deny"


def test_kill_switch_and_closed_market(make_ws) -> None:
    ws = make_ws()
    (ws.root / ".trading" / "KILL_SWITCH").write_text("")
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, BUY), ws)
    assert run.decision == "deny" and "kill switch is ON" in run.reason
    # cancelling stays possible with the kill switch on
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, CANCEL, {"order_id": 1}), ws)
    assert run.returncode == 0 and run.decision is None and "allowed" in run.context
    evening = make_ws(clock="2024-03-27T18:30:00")
    run = run_hook("risk_validator", tool_payload("PreToolUse", evening, PLACE, BUY), evening)
    assert run.decision == "deny" and "closed" in run.reason


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "not json", "[]", '"PreToolUse"', "{}", '{"hook_event_name": "PostToolUse", "tool_name": "x", "tool_input": {}}',
     '{"hook_event_name": "PreToolUse", "tool_input": {}}',
     '{"hook_event_name": "PreToolUse", "tool_name": "mcp__paper_broker__place_order"}',
     '{"hook_event_name": "PreToolUse", "tool_name": "mcp__paper_broker__place_order", "tool_input": "SPY"}'],
)
def test_empty_malformed_or_incomplete_payloads_are_denied(ws, raw: str) -> None:
    run = run_hook("risk_validator", None, ws, raw=raw)
    assert run.returncode == 0 and run.decision == "deny", (raw, run.stdout, run.stderr)
    assert "fail closed" in run.reason


def test_unknown_broker_tool_denied_read_tools_pass_silently(ws) -> None:
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, "mcp__paper_broker__withdraw_cash", {"amount": 5}), ws)
    assert run.decision == "deny" and "not a known paper-broker tool" in run.reason
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, "mcp__paper_broker__list_orders", {}), ws)
    assert run.returncode == 0 and run.stdout == ""
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, CANCEL, {"order_id": "1"}), ws)
    assert run.decision == "deny" and "order_id" in run.reason


def test_unusable_policy_missing_account_or_audit_deny(make_ws) -> None:
    ws = make_ws()
    ws.policy_path.write_text("version = 2\n")
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, BUY), ws)
    assert run.decision == "deny" and "risk policy" in run.reason
    ws = make_ws(cash=None)
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, BUY), ws)
    assert run.decision == "deny" and "no paper account" in run.reason
    ws = make_ws()
    ws.audit_path.mkdir()  # the audit database cannot be opened: an allowed order must still be denied
    run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, BUY), ws)
    assert run.decision == "deny" and "audit trail" in run.reason


orders = st.fixed_dictionaries({
    "symbol": st.sampled_from(["SPY", "SYNSFT", "SYNBNK", "SYNGAS"]),
    "side": st.sampled_from(["buy", "sell"]),
    "quantity": st.integers(1, 30) | st.integers(1, 300),
    "rationale": st.just("hypothesis"),
}, optional={"limit_price": st.decimals(min_value=50, max_value=400, places=2).map(float)})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(orders, min_size=1, max_size=3),
       weight=st.sampled_from([0.05, 0.2]), notional=st.sampled_from([3000.0, 25000.0]))
def test_hook_never_allows_an_over_limit_order_and_agrees_with_the_server(
        tmp_path_factory, market_folder, batch, weight, notional) -> None:
    ws = make_workspace(tmp_path_factory.mktemp("hookprop"), market_folder, policy=policy_document(
        limits__max_position_weight=weight, limits__max_order_notional=notional))
    policy = load_policy(ws.policy_path)
    market = MarketData(ws.data())
    broker = PaperBroker(ws)
    for args in batch:
        if "limit_price" in args:
            args["order_type"] = "limit"
        run = run_hook("risk_validator", tool_payload("PreToolUse", ws, PLACE, args), ws)
        assert run.returncode == 0
        hook_allows = run.decision != "deny"
        account = AccountStore(ws.account_path).read()
        intent = parse_order_intent(args)
        price, when = market.execution_quote(intent.symbol, intent.side, account.clock)
        view = MarketView(account.clock, price, market.is_market_open(intent.symbol, account.clock), when)
        assert hook_allows == (not over_limit(policy, intent, account.portfolio_view(account.marks(market)), view, False))
        try:
            broker.place_order(dict(args))
            server_allows = True
        except OrderRejected:
            server_allows = False
        assert server_allows == hook_allows, (args, run.stdout)
