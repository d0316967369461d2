"""Portfolio MCP server (read-only): positions, cash, exposure, P&L and risk headroom of the paper account.

Scope: reads the paper account (shared lock, never writes), the data folder (to value positions at the clock),
the risk policy and the audit trail. It cannot place, cancel or change anything.

Run: ``python -m mcp_backtest.portfolio_server [--transport stdio|streamable-http]``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from mcp.types import ToolAnnotations

from mcp_backtest.audit import AuditError, AuditTrail
from mcp_backtest.risk_policy import PolicyError, load_policy
from mcp_backtest.trading.account import AccountError, AccountStore, PaperAccount
from mcp_backtest.trading.models import (
    AccountOut,
    AuditRecordOut,
    AuditTrailOut,
    AuditVerifyOut,
    ExposureOut,
    ExposureRow,
    PnlOut,
    PnlRow,
    PositionOut,
    PositionsOut,
    RiskStatusOut,
)
from mcp_backtest.trading.prices import MarketData, MarketDataError
from mcp_backtest.trading.server_base import GuardedServer, RateLimiter, policy_rate_limits, run_server, tool_errors
from mcp_backtest.trading.workspace import Workspace, WorkspaceError

NAME = "portfolio"
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
EXPECTED = (AccountError, WorkspaceError, MarketDataError, PolicyError, AuditError)


def build_server(workspace: Workspace, limiter: RateLimiter | None = None) -> GuardedServer:
    server = GuardedServer(
        NAME,
        limiter=limiter or RateLimiter(policy_rate_limits(workspace)),
        instructions="Read-only view of the PAPER trading account: positions, cash, exposure, P&L and risk "
        "headroom, valued at the paper clock.",
    )
    store = AccountStore(workspace.account_path)
    cache: dict[str, MarketData] = {}

    def market() -> MarketData:
        if "m" not in cache:
            cache["m"] = MarketData(workspace.data())
        return cache["m"]

    def load() -> tuple[PaperAccount, dict[str, Any]]:
        account = store.read()
        return account, account.snapshot(market())

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_account() -> AccountOut:
        """Cash, equity, exposure ratios, realized/unrealized/day P&L and fees of the paper account at its clock."""
        _, snap = load()
        return AccountOut(**{k: v for k, v in snap.items() if k in AccountOut.model_fields})

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_positions() -> PositionsOut:
        """Open positions with quantity, average price, market price and value, P&L and weight in equity."""
        _, snap = load()
        return PositionsOut(
            clock=snap["clock"], cash=snap["cash"], equity=snap["equity"],
            positions=[PositionOut(**row) for row in snap["positions"]],
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_exposure() -> ExposureOut:
        """Gross and net exposure, per-symbol weights and open-order quantities, against the policy limits."""
        account, snap = load()
        policy = load_policy(workspace.policy_path)
        pending: dict[str, int] = {}
        for o in account.open_orders():
            pending[o.symbol] = pending.get(o.symbol, 0) + o.signed_quantity
        rows = {r["symbol"]: r for r in snap["positions"]}
        return ExposureOut(
            clock=snap["clock"],
            equity=snap["equity"],
            gross_exposure=snap["gross_exposure"],
            net_exposure=snap["net_exposure"],
            gross_exposure_ratio=snap["gross_exposure_ratio"],
            gross_exposure_limit=float(policy.max_gross_exposure),
            rows=[
                ExposureRow(
                    symbol=sym,
                    market_value=rows.get(sym, {}).get("market_value", 0.0),
                    weight=rows.get(sym, {}).get("weight", 0.0 if sym not in rows else None),
                    weight_limit=float(policy.max_position_weight),
                    open_order_quantity=pending.get(sym, 0),
                )
                for sym in sorted(set(rows) | set(pending))
            ],
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_pnl() -> PnlOut:
        """Realized, unrealized, total and today's P&L (vs start-of-day equity), and P&L per symbol."""
        account, snap = load()
        unrealized = {r["symbol"]: r["unrealized_pnl"] for r in snap["positions"]}
        symbols = sorted(set(unrealized) | set(account.realized_by_symbol))
        by_symbol = [
            PnlRow(symbol=s, realized_pnl=float(account.realized_by_symbol.get(s, Decimal(0))),
                   unrealized_pnl=unrealized.get(s, 0.0))
            for s in symbols
        ]
        return PnlOut(
            clock=snap["clock"],
            realized_pnl=snap["realized_pnl"],
            unrealized_pnl=snap["unrealized_pnl"],
            total_pnl=snap["total_pnl"],
            day_pnl=snap["day_pnl"],
            day_start_equity=snap["day_start_equity"],
            total_fees=snap["total_fees"],
            by_symbol=by_symbol,
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_risk_status() -> RiskStatusOut:
        """The risk policy's limits, kill-switch state and how much of today's loss limit is used."""
        try:
            policy = load_policy(workspace.policy_path)
        except PolicyError as err:
            return RiskStatusOut(policy_version=None, policy_error=str(err), limits={}, kill_switch_on=True,
                                 daily_loss=None, daily_loss_limit_amount=None, daily_loss_limit_reached=None,
                                 orders_blocked_reason=f"the risk policy is unusable, every order is denied: {err}")
        kill = policy.kill_switch_active(workspace.root)
        loss = limit_amount = reached = None
        blocked = f"kill switch on ({policy.kill_switch_file} exists)" if kill else None
        try:
            _, snap = load()
            if snap["equity"] is not None:
                loss = snap["day_start_equity"] - snap["equity"]
                limit_amount = float(policy.daily_loss_limit) * snap["day_start_equity"]
                reached = loss >= limit_amount
                if reached and blocked is None:
                    blocked = "daily loss limit reached: only risk-reducing orders until tomorrow"
        except AccountError as err:
            blocked = blocked or str(err)
        return RiskStatusOut(
            policy_version=policy.version, policy_error=None, limits=policy.limits_json(), kill_switch_on=kill,
            daily_loss=loss, daily_loss_limit_amount=limit_amount, daily_loss_limit_reached=reached,
            orders_blocked_reason=blocked,
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def read_audit_trail(
        limit: Annotated[int, Field(ge=1, le=500)] = 50,
        kind: Annotated[str | None, Field(max_length=40, description="only records of this kind, e.g. "
                                          "order_decision, hook_verdict, order_event, backtest_launch")] = None,
    ) -> AuditTrailOut:
        """The newest audit-trail records (order decisions, hook verdicts, order events, backtest launches)."""
        trail = AuditTrail(workspace.audit_path)
        if not workspace.audit_path.exists():
            return AuditTrailOut(path=str(workspace.audit_path), records=[])
        records = [r for r in trail.records() if kind is None or r.kind == kind][-limit:]
        return AuditTrailOut(path=str(workspace.audit_path), records=[
            AuditRecordOut(seq=r.seq, ts=r.ts, kind=r.kind, actor=r.actor, data=r.payload, hash=r.hash) for r in records
        ])

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def verify_audit_trail() -> AuditVerifyOut:
        """Check the audit trail's hash chain; names the first altered, missing or reordered record."""
        result = AuditTrail(workspace.audit_path).verify()
        return AuditVerifyOut(ok=result.ok, count=result.count, head=result.head,
                              errors=[f"record {seq}: {why}" for seq, why in result.errors])

    return server


def main(argv: list[str] | None = None) -> int:
    return run_server(build_server, "Portfolio MCP server (read-only paper account)", argv)


if __name__ == "__main__":
    raise SystemExit(main())
