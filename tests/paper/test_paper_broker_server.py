"""paper_broker and portfolio servers, in-process through MCP client sessions."""
from __future__ import annotations

import json

import pytest
from mcp import Client

from mcp_backtest import broker_server, portfolio_server
from mcp_backtest.audit import AuditTrail
from mcp_backtest.trading.account import AccountStore
from mcp_backtest.trading.sandbox import policy_document
from mcp_backtest.trading.server_base import RateLimiter
from mcp_backtest.risk_policy import RateLimit
from paper_testkit import call, call_error

pytestmark = pytest.mark.anyio
BUY = {"symbol": "SPY", "side": "buy", "quantity": 10, "rationale": "test buy"}


async def test_tool_list_and_annotations(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b, Client(portfolio_server.build_server(ws)) as p:
        bt = {t.name: t.annotations for t in (await b.list_tools()).tools}
        pt = {t.name: t.annotations for t in (await p.list_tools()).tools}
    assert set(bt) == {"place_order", "cancel_order", "list_orders", "get_order", "get_clock", "advance_clock"}
    assert bt["place_order"].read_only_hint is False and bt["place_order"].destructive_hint is False
    assert bt["cancel_order"].destructive_hint is True
    assert bt["advance_clock"].idempotent_hint is True
    assert all(bt[t].read_only_hint for t in ("list_orders", "get_order", "get_clock"))
    assert set(pt) == {"get_account", "get_positions", "get_exposure", "get_pnl", "get_risk_status",
                       "read_audit_trail", "verify_audit_trail"}
    assert all(a.read_only_hint for a in pt.values())


async def test_market_order_fills_at_the_ask_and_is_audited(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b, Client(portfolio_server.build_server(ws)) as p:
        from mcp_backtest.trading.prices import MarketData

        quote = MarketData(ws.data()).latest_quote("SPY", AccountStore(ws.account_path).read().clock)
        out = await call(b, "place_order", BUY)
        order = out["order"]
        assert order["status"] == "filled" and order["fill_price"] == float(quote.ask) and order["fee"] == 1.0
        assert out["risk_policy_version"] == 1 and out["risk_checks"]["order_notional"] == "pass"
        acct = await call(p, "get_account")
        assert acct["cash"] == pytest.approx(100000 - 10 * float(quote.ask) - 1.0)
        assert acct["open_orders"] == 0 and acct["mode"] == "paper"
        pos = await call(p, "get_positions")
        assert pos["positions"][0]["symbol"] == "SPY" and pos["positions"][0]["quantity"] == 10
        sell = await call(b, "place_order", {**BUY, "side": "sell", "quantity": 4, "rationale": "trim"})
        assert sell["order"]["fill_price"] == float(quote.bid)
        pnl = await call(p, "get_pnl")
        assert pnl["realized_pnl"] == pytest.approx(4 * (float(quote.bid) - float(quote.ask)))
        assert pnl["by_symbol"][0]["symbol"] == "SPY"
        trail = await call(p, "read_audit_trail", {"kind": "order_decision"})
        assert [r["data"]["order"]["id"] for r in trail["records"]] == [1, 2]
        assert trail["records"][0]["data"]["rationale"] == "test buy"
        assert (await call(p, "verify_audit_trail"))["ok"] is True


async def test_over_limit_order_is_rejected_server_side(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b:
        msg = await call_error(b, "place_order", {**BUY, "quantity": 1000})
        assert "rejected by risk policy v1" in msg and "order notional" in msg and "Nothing was traded" in msg
        orders = await call(b, "list_orders", {"status": "rejected"})
        assert orders["orders"][0]["reasons"] and orders["orders"][0]["quantity"] == 1000
    assert AccountStore(ws.account_path).read().positions == {}
    records = list(AuditTrail(ws.audit_path).records())
    assert records[-1].payload["decision"]["allowed"] is False


async def test_closed_market_kill_switch_and_symbol_list(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b:
        assert "not on the allow-list" in await call_error(b, "place_order", {**BUY, "symbol": "SYNGAS"})
        (ws.root / ".trading" / "KILL_SWITCH").write_text("stop")
        assert "kill switch is ON" in await call_error(b, "place_order", BUY)
        clock = await call(b, "get_clock")
        assert clock["kill_switch_on"] is True
        (ws.root / ".trading" / "KILL_SWITCH").unlink()
        await call(b, "advance_clock", {"to": "2024-03-27T17:00:00"})
        assert "market for SPY is closed" in await call_error(b, "place_order", BUY)


async def test_limit_orders_rest_fill_on_advance_and_cancel(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b, Client(portfolio_server.build_server(ws)) as p:
        bar_low = 1e9
        from mcp_backtest.trading.prices import MarketData
        from mcp_backtest.trading.account import parse_clock

        bars = MarketData(ws.data()).bars_between("SPY", "minute", parse_clock("2024-03-27T10:00:00"),
                                                   parse_clock("2024-03-27T15:00:00"))
        bar_low = min(float(x.low) for x in bars)
        limit = round(bar_low + 0.05, 2)
        rest = await call(b, "place_order", {**BUY, "order_type": "limit", "limit_price": limit})
        assert rest["order"]["status"] == "open"
        never = await call(b, "place_order", {**BUY, "order_type": "limit", "limit_price": 1.0, "quantity": 5})
        exposure = await call(p, "get_exposure")
        assert exposure["rows"][0]["open_order_quantity"] == 15
        moved = await call(b, "advance_clock", {"to": "2024-03-27T15:00:00"})
        assert [f["id"] for f in moved["fills"]] == [rest["order"]["id"]]
        assert moved["fills"][0]["fill_price"] <= limit
        again = await call(b, "advance_clock", {"to": "2024-03-27T15:00:00"})  # idempotent
        assert again["fills"] == [] and again["clock"] == "2024-03-27T15:00:00"
        cancelled = await call(b, "cancel_order", {"order_id": never["order"]["id"], "rationale": "stale"})
        assert cancelled["status"] == "canceled"
        assert "only open orders" in await call_error(b, "cancel_order", {"order_id": never["order"]["id"]})
        assert "no order 999" in await call_error(b, "cancel_order", {"order_id": 999})
        assert "only moves forward" in await call_error(b, "advance_clock", {"to": "2024-03-27T09:00:00"})
        assert "at most 31 days" in await call_error(b, "advance_clock", {"to": "2024-06-01T09:00:00"})


async def test_kill_switch_stops_resting_fills_but_not_cancels(ws) -> None:
    from mcp_backtest.trading.account import parse_clock
    from mcp_backtest.trading.prices import MarketData

    bars = MarketData(ws.data()).bars_between("SPY", "minute", parse_clock("2024-03-27T10:00:00"),
                                               parse_clock("2024-03-28T15:00:00"))
    limit = round(min(float(x.low) for x in bars) + 0.05, 2)  # would fill without the kill switch
    async with Client(broker_server.build_server(ws)) as b:
        rest = await call(b, "place_order", {**BUY, "order_type": "limit", "limit_price": limit})
        assert rest["order"]["status"] == "open"
        (ws.root / ".trading" / "KILL_SWITCH").write_text("")
        moved = await call(b, "advance_clock", {"to": "2024-03-28T15:00:00"})
        assert moved["fills"] == [] and "kill switch" in moved["note"]
        assert (await call(b, "cancel_order", {"order_id": rest["order"]["id"]}))["status"] == "canceled"


async def test_day_roll_and_daily_loss_limit(make_ws) -> None:
    ws = make_ws(policy=policy_document(limits__daily_loss_limit=0.000001, limits__max_order_notional=1e6,
                                        limits__max_position_weight=0.9))
    async with Client(broker_server.build_server(ws)) as b, Client(portfolio_server.build_server(ws)) as p:
        await call(b, "place_order", {**BUY, "quantity": 100})  # pays the spread and a fee: a (tiny) loss today
        status = await call(p, "get_risk_status")
        assert status["daily_loss_limit_reached"] is True and "daily loss" in status["orders_blocked_reason"]
        assert "daily loss" in await call_error(b, "place_order", BUY)
        # reducing is still allowed
        await call(b, "place_order", {**BUY, "side": "sell", "quantity": 50, "rationale": "reduce"})
        moved = await call(b, "advance_clock", {"to": "2024-03-28T10:00:00"})
        assert moved["clock"].startswith("2024-03-28")
        acct = await call(p, "get_account")
        assert acct["day_start_date"] == "2024-03-28"


async def test_client_order_id_makes_retries_idempotent(ws) -> None:
    async with Client(broker_server.build_server(ws)) as b:
        first = await call(b, "place_order", {**BUY, "client_order_id": "abc-1"})
        again = await call(b, "place_order", {**BUY, "client_order_id": "abc-1"})
        assert again["order"]["id"] == first["order"]["id"]
        assert "was used by order" in await call_error(b, "place_order", {**BUY, "quantity": 3, "client_order_id": "abc-1"})
        assert len((await call(b, "list_orders"))["orders"]) == 1


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        ({}, "validation error"),
        ({**BUY, "quantity": 0}, "greater than or equal to 1"),
        ({**BUY, "quantity": 2.5}, "quantity"),
        ({**BUY, "side": "short"}, "side"),
        ({**BUY, "order_type": "limit"}, "needs limit_price"),
        ({**BUY, "limit_price": 10.0}, "only for limit orders"),
        ({**BUY, "rationale": ""}, "rationale"),
        ({**BUY, "symbol": "S P Y"}, "ticker"),
        ({**BUY, "symbol": "NODATA"}, "allow-list"),
        ({**BUY, "api_key": "k"}, "credentials"),
        ({**BUY, "account": "live"}, "unknown argument"),
    ],
)
async def test_invalid_order_arguments(ws, args: dict, phrase: str) -> None:
    async with Client(broker_server.build_server(ws)) as b:
        assert phrase in await call_error(b, "place_order", args)
    assert AccountStore(ws.account_path).read().positions == {}


async def test_rate_limit_per_tool(ws) -> None:
    now = {"t": 0.0}
    limiter = RateLimiter(lambda tool: RateLimit(2, 60.0) if tool == "place_order" else RateLimit(100, 60.0),
                          clock=lambda: now["t"])
    async with Client(broker_server.build_server(ws, limiter=limiter)) as b:
        await call(b, "place_order", {**BUY, "quantity": 1})
        await call(b, "place_order", {**BUY, "quantity": 1})
        assert "rate limit for place_order" in await call_error(b, "place_order", {**BUY, "quantity": 1})
        await call(b, "get_clock")  # other tools have their own budget
        now["t"] = 61.0
        await call(b, "place_order", {**BUY, "quantity": 1})


async def test_policy_rate_limits_come_from_the_file(make_ws) -> None:
    ws = make_ws(policy=policy_document(rate_limits={"default": {"calls": 100, "per_seconds": 60},
                                                     "get_clock": {"calls": 1, "per_seconds": 3600}}))
    async with Client(broker_server.build_server(ws)) as b:
        await call(b, "get_clock")
        assert "rate limit for get_clock" in await call_error(b, "get_clock")


async def test_no_account_and_broken_policy_fail_closed(make_ws) -> None:
    ws = make_ws(cash=None)
    async with Client(broker_server.build_server(ws)) as b, Client(portfolio_server.build_server(ws)) as p:
        assert "no paper account" in await call_error(b, "place_order", BUY)
        assert "no paper account" in await call_error(p, "get_account")
    ws2 = make_ws()
    ws2.policy_path.write_text("version = 1\n[limits]\nmax_order_notional = 1\n")
    async with Client(broker_server.build_server(ws2)) as b, Client(portfolio_server.build_server(ws2)) as p:
        assert "risk policy" in await call_error(b, "place_order", BUY)
        status = await call(p, "get_risk_status")
        assert status["policy_error"] and status["kill_switch_on"] is True
    assert AccountStore(ws2.account_path).read().orders == []


async def test_corrupt_account_file_is_a_clear_error(ws) -> None:
    ws.account_path.write_text(json.dumps({"schema": 1, "mode": "live"}))
    async with Client(broker_server.build_server(ws)) as b:
        assert "not a paper account" in await call_error(b, "get_clock")
    ws.account_path.write_text("{not json")
    async with Client(broker_server.build_server(ws)) as b:
        assert "corrupt" in await call_error(b, "place_order", BUY)
