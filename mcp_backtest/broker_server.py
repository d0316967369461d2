"""Paper broker MCP server: place, cancel and list orders of the PAPER account; move its simulated clock.

**Paper only** — there is no live trading path in this server or anywhere in the package. Scope: writes the
paper account and appends to the audit trail; reads the data folder and the risk policy. Every
``place_order`` is re-checked server-side against the risk policy (the same ``risk_policy`` module the
``risk_validator`` hook runs), inside the account lock; a denied order is recorded as ``rejected`` and the call
fails with the reasons. Credentials are never accepted as arguments (see ``trading.server_base``).

Run: ``python -m mcp_backtest.broker_server [--transport stdio|streamable-http]``.
"""
from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_backtest.audit import AuditError
from mcp_backtest.risk_policy import PolicyError
from mcp_backtest.trading.account import AccountError, Order
from mcp_backtest.trading.broker import BrokerError, OrderRejected, PaperBroker
from mcp_backtest.trading.models import AdvanceOut, ClockOut, OrderList, OrderOut, PlaceOrderOut
from mcp_backtest.trading.prices import MarketDataError
from mcp_backtest.trading.server_base import GuardedServer, RateLimiter, policy_rate_limits, run_server, tool_errors
from mcp_backtest.trading.workspace import Workspace, WorkspaceError

NAME = "paper_broker"
EXPECTED = (BrokerError, AccountError, PolicyError, WorkspaceError, MarketDataError, AuditError)


def _order_out(order: Order) -> OrderOut:
    return OrderOut(**order.to_public())


def build_server(workspace: Workspace, limiter: RateLimiter | None = None) -> GuardedServer:
    server = GuardedServer(
        NAME,
        limiter=limiter or RateLimiter(policy_rate_limits(workspace)),
        instructions="PAPER trading only: orders fill on the workspace's LEAN data at the paper account's "
        "simulated clock. Every order passes the risk policy (config/risk_policy.toml) and is audited.",
    )
    broker = PaperBroker(workspace)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                                             open_world_hint=False))
    @tool_errors(*EXPECTED)
    def place_order(
        symbol: Annotated[str, Field(description="ticker on the risk policy's allow-list, e.g. SPY", min_length=1, max_length=10)],
        side: Literal["buy", "sell"],
        quantity: Annotated[int, Field(ge=1, le=1_000_000_000, description="whole shares")],
        rationale: Annotated[str, Field(min_length=1, max_length=2000, description="why this order; kept in the audit trail")],
        order_type: Literal["market", "limit"] = "market",
        limit_price: Annotated[float | None, Field(gt=0, description="required for limit orders only")] = None,
        client_order_id: Annotated[str | None, Field(min_length=1, max_length=64, description="idempotency key: "
                                                      "a retry with the same id returns the first order")] = None,
    ) -> PlaceOrderOut:
        """Place a paper order at the paper clock. Market orders fill at once (ask for buys, bid for sells);
        limit orders fill at once if marketable, else rest until advance_clock crosses them. Denied by the risk
        policy -> the call fails with the reasons (the order is kept as 'rejected')."""
        args = {"symbol": symbol, "side": side, "quantity": quantity, "rationale": rationale, "order_type": order_type}
        if limit_price is not None:
            args["limit_price"] = limit_price
        if client_order_id is not None:
            args["client_order_id"] = client_order_id
        try:
            order, decision = broker.place_order(args)
        except OrderRejected as err:
            raise ToolError(f"{err}. Nothing was traded.") from None
        return PlaceOrderOut(order=_order_out(order), risk_checks=decision.checks,
                             risk_policy_version=decision.policy_version, clock=order.submitted_at.isoformat())

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False,
                                             open_world_hint=False))
    @tool_errors(*EXPECTED)
    def cancel_order(
        order_id: Annotated[int, Field(ge=1)],
        rationale: Annotated[str | None, Field(max_length=2000)] = None,
    ) -> OrderOut:
        """Cancel an open (resting) paper order. Allowed even while the kill switch is on."""
        args: dict[str, object] = {"order_id": order_id}
        if rationale is not None:
            args["rationale"] = rationale
        return _order_out(broker.cancel_order(args))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    @tool_errors(*EXPECTED)
    def list_orders(
        status: Literal["open", "filled", "canceled", "rejected"] | None = None,
        limit: Annotated[int, Field(ge=1, le=1000)] = 50,
    ) -> OrderList:
        """Orders of the paper account, newest last, optionally only those with one status."""
        orders = broker.list_orders(status, limit)
        return OrderList(clock=broker.clock_status()["clock"], orders=[_order_out(o) for o in orders])

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    @tool_errors(*EXPECTED)
    def get_order(order_id: Annotated[int, Field(ge=1)]) -> OrderOut:
        """One order by id."""
        return _order_out(broker.get_order(order_id))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
    @tool_errors(*EXPECTED)
    def get_clock() -> ClockOut:
        """The paper clock (simulated now, New York time), whether US equities trade then, kill-switch state."""
        return ClockOut(**broker.clock_status())

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                                             open_world_hint=False))
    @tool_errors(*EXPECTED)
    def advance_clock(
        to: Annotated[str, Field(description="new paper time, ISO 8601 exchange time, not before the current clock "
                                             "and at most 31 days after it, e.g. 2024-12-03T15:30:00")],
    ) -> AdvanceOut:
        """Move the paper clock forward and fill resting limit orders on the bars in between (none fill while
        the kill switch is on). Calling again with the same time changes nothing."""
        result = broker.advance_clock(to)
        fills = [OrderOut(**f) for f in result.pop("fills")]
        return AdvanceOut(**result, fills=fills)

    return server


def main(argv: list[str] | None = None) -> int:
    return run_server(build_server, "Paper broker MCP server (paper only, risk-checked, audited)", argv)


if __name__ == "__main__":
    raise SystemExit(main())
