"""Property-based and fuzz tests of the paper broker and the three trading servers.

* Random order sequences through the broker: every order it accepts passes the independent oracle
  (``tests/risk/risk_oracle.py``) evaluated on the account *before* the order; every order it refuses breaks it.
* 1,200 generated argument sets across all tools of the three servers, through one MCP client session each:
  every call returns a result or a readable tool error, never a crash or a traceback.
"""
from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from mcp_backtest import broker_server, market_server, portfolio_server
from mcp_backtest.risk_policy import MarketView, load_policy, parse_order_intent
from mcp_backtest.trading.account import AccountStore
from mcp_backtest.trading.broker import BrokerError, OrderRejected, PaperBroker
from mcp_backtest.trading.prices import MarketData
from mcp_backtest.trading.sandbox import make_workspace, policy_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "risk"))
from risk_oracle import over_limit  # noqa: E402

SYMBOLS = ["SPY", "SYNSFT", "SYNBNK", "SYNGAS"]  # SYNGAS is not on the sandbox allow-list
CLOCKS = ["2024-03-27T10:00:00", "2024-03-27T12:30:00", "2024-03-27T15:59:00", "2024-03-27T18:00:00",
          "2024-03-28T09:45:00", "2024-03-28T11:00:00"]

order_args = st.fixed_dictionaries({
    "symbol": st.sampled_from(SYMBOLS),
    "side": st.sampled_from(["buy", "sell"]),
    "quantity": st.integers(1, 40) | st.integers(1, 400),
    "rationale": st.just("property test"),
}, optional={"order_type": st.just("limit"), "limit_price": st.decimals(min_value=50, max_value=400, places=2).map(float)})
step = st.tuples(order_args, st.booleans())  # (order, advance the clock first?)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=8),
       limits=st.fixed_dictionaries({
           "limits__max_order_notional": st.sampled_from([2000.0, 10000.0, 50000.0]),
           "limits__max_position_weight": st.sampled_from([0.05, 0.2, 0.5]),
           "limits__max_gross_exposure": st.sampled_from([0.3, 1.0]),
           "limits__daily_loss_limit": st.sampled_from([0.0005, 0.02]),
       }))
def test_broker_accepts_exactly_the_orders_within_limits(tmp_path_factory, market_folder, steps, limits) -> None:
    ws = make_workspace(tmp_path_factory.mktemp("prop"), market_folder, policy=policy_document(**limits))
    broker = PaperBroker(ws)
    policy = load_policy(ws.policy_path)
    market = MarketData(ws.data())
    clock_index = 0
    for args, advance in steps:
        if advance and clock_index + 1 < len(CLOCKS):
            clock_index += 1
            broker.advance_clock(CLOCKS[clock_index])
        if args.get("order_type") != "limit":
            args.pop("limit_price", None)
        elif "limit_price" not in args:
            args["order_type"] = "market"
        account = AccountStore(ws.account_path).read()
        account.roll_day(market)
        intent = parse_order_intent(args)
        try:
            price, when = market.execution_quote(intent.symbol, intent.side, account.clock)
        except Exception:  # noqa: BLE001
            price, when = None, None
        view = MarketView(account.clock, price, market.is_market_open(intent.symbol, account.clock), when)
        broken = over_limit(policy, intent, account.portfolio_view(account.marks(market)), view, False)
        try:
            order, _ = broker.place_order(dict(args))
            accepted = True
        except OrderRejected:
            accepted = False
        assert accepted == (not broken), (args, account.to_json())
        if accepted and order.order_type == "market":
            assert order.status == "filled" and order.fill_price == price


# ----- fuzz: 1,200 argument sets across every tool ---------------------------------------------------------------
JUNK: list[Any] = [None, True, False, 0, -1, 1, 7, 2**63, 1.5, float("inf"), "", " ", "SPY", "spy", "NOPE", "S P Y",
                   "2024-03-27T11:00:00", "2024-03-27", "2030-01-01T00:00:00", "1990-01-01T00:00:00", "yesterday",
                   "2024-03-27T10:00:00Z", "x" * 3000, "'; DROP TABLE audit; --", "../../etc/passwd", "💥",
                   [], [1, 2], {}, {"a": 1}, "buy", "sell", "limit", "market", "minute", "daily", "open", "filled"]
VALID: dict[str, list[Any]] = {
    "symbol": ["SPY", "SYNSFT", "syncld", "SYNGAS"], "side": ["buy", "sell"], "quantity": [1, 5, 50, 5000],
    "rationale": ["fuzz"], "order_type": ["market", "limit"], "limit_price": [100.0, 286.0, 300.5],
    "client_order_id": ["c1", "c2"], "order_id": [1, 2, 3, 99], "status": ["open", "filled", "rejected"],
    "limit": [1, 10, 5000], "resolution": ["minute", "hour", "daily"], "at": ["2024-03-27T09:45:00", "2024-03-26T16:00:00"],
    "start": ["2024-03-20T00:00:00"], "end": ["2024-03-27T10:00:00", "2024-04-30T00:00:00"],
    "to": ["2024-03-27T10:30:00", "2024-03-27T16:30:00"], "kind": ["order_decision", "hook_verdict"],
}
CRASH = re.compile(r"(\w+ failed: \w*(Error|Exception)\b|Traceback|File \")")
N_CALLS = 1200


def _arguments(rng: random.Random, params: list[str]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for p in params:
        r = rng.random()
        if r < 0.55:
            args[p] = rng.choice(VALID.get(p, JUNK))
        elif r < 0.85:
            args[p] = rng.choice(JUNK)
    if rng.random() < 0.08:
        args[rng.choice(["extra", "password", "api_key", "live", "account"])] = rng.choice(JUNK)
    return args


@pytest.mark.anyio
async def test_fuzz_every_tool_gives_a_result_or_a_readable_error(ws) -> None:
    rng = random.Random(20261123)
    servers = [market_server.build_server(ws), portfolio_server.build_server(ws), broker_server.build_server(ws)]
    counts = {"ok": 0, "error": 0}
    async with Client(servers[0]) as m, Client(servers[1]) as p, Client(servers[2]) as b:
        tools = []
        for client in (m, p, b):
            for t in (await client.list_tools()).tools:
                tools.append((client, t.name, list((t.input_schema or {}).get("properties", {}))))
        for i in range(N_CALLS):
            client, name, params = tools[i % len(tools)] if i < len(tools) else rng.choice(tools)
            args = _arguments(rng, params)
            with anyio.fail_after(60):
                result = await client.call_tool(name, args)
            text = " ".join(getattr(c, "text", "") for c in result.content)
            if result.is_error:
                counts["error"] += 1
                assert text.strip(), (name, args)
                assert not CRASH.search(text), (name, args, text)
                assert text.strip() != f"Error executing tool {name}", (name, args)  # a sanitised crash
            else:
                counts["ok"] += 1
                assert result.structured_content is not None, (name, args)
    assert counts["ok"] + counts["error"] == N_CALLS
    assert counts["ok"] > 100 and counts["error"] > 100, counts
    # whatever happened, the account is consistent and the audit trail intact
    from mcp_backtest.audit import AuditTrail

    assert AuditTrail(ws.audit_path).verify().ok
    account = AccountStore(ws.account_path).read()
    assert account.cash.is_finite() and all(o.quantity > 0 for o in account.orders)
    assert Decimal(0) <= account.total_fees
