"""The paper broker: places, cancels and fills orders of the paper account on the data folder's prices.

**Paper only.** There is no live path: no network code, no broker API, no credentials used.

* Every ``place_order`` is checked by ``risk_policy.assess_order`` inside the account's exclusive lock (the
  same check the ``risk_validator`` hook runs before the tool call), then either rejected (recorded with its
  reasons, and the call fails), filled at once (market orders, marketable limit orders: at the ask for a buy,
  the bid for a sell, from minute quote bars; else the last trade price), or left open (limit orders).
* ``advance_clock`` moves the simulated "now" forward and fills open limit orders on the bars that ended in
  between (minute bars where the day has them, else the daily bar): a buy limit fills when a bar's low
  goes below the limit, at ``min(open, limit)``; a sell limit when the high goes above it, at
  ``max(open, limit)`` (LEAN's limit fill rule). While the kill switch is on, nothing fills.
* Every decision, fill, cancel and clock move is appended to the audit trail inside the same lock; if the
  audit trail cannot be written the operation fails and the account is left unchanged.
* Fees: ``account.fee_for`` (IB-like). Corporate actions (splits, dividends) are not applied to paper positions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mcp_backtest.audit import AuditTrail
from mcp_backtest.risk_policy import (
    CANCEL_ORDER,
    PLACE_ORDER,
    Decision,
    PolicyError,
    RiskPolicy,
    assess_order,
    load_policy,
    parse_cancel,
    parse_order_intent,
)
from mcp_backtest.trading.account import AccountError, AccountStore, Order, PaperAccount, parse_clock
from mcp_backtest.trading.prices import Bar, MarketData, MarketDataError
from mcp_backtest.trading.workspace import Workspace

ACTOR = "server:paper_broker"
MAX_ADVANCE_DAYS = 31


class BrokerError(RuntimeError):
    """An order or request the broker refuses; the message is for the model."""


class OrderRejected(BrokerError):
    def __init__(self, order: Order, decision: Decision) -> None:
        super().__init__(f"order {order.id} rejected by {decision.summary()}")
        self.order = order
        self.decision = decision


@dataclass
class PaperBroker:
    workspace: Workspace

    def __post_init__(self) -> None:
        self.store = AccountStore(self.workspace.account_path)
        self.audit = AuditTrail(self.workspace.audit_path)
        self._market: MarketData | None = None

    @property
    def market(self) -> MarketData:
        if self._market is None:
            self._market = MarketData(self.workspace.data())
        return self._market

    def policy(self) -> RiskPolicy:
        """Re-read on every order so an edited policy applies at once (and a broken one blocks at once)."""
        return load_policy(self.workspace.policy_path)

    # ----- orders -----------------------------------------------------------------------------------------------
    def place_order(self, args: dict[str, Any]) -> tuple[Order, Decision]:
        try:
            policy = self.policy()
            intent = parse_order_intent(args)
        except PolicyError as err:
            self.audit.append("order_decision", ACTOR, {"tool": PLACE_ORDER, "arguments": args, "allowed": False,
                                                         "reasons": [str(err)]})
            raise BrokerError(str(err)) from None
        with self.store.transaction() as account:
            if intent.client_order_id:
                for existing in account.orders:
                    if existing.client_order_id == intent.client_order_id:
                        if (existing.symbol, existing.side, existing.quantity) != (intent.symbol, intent.side, intent.quantity):
                            raise BrokerError(f"client_order_id {intent.client_order_id!r} was used by order {existing.id}")
                        return existing, Decision(existing.status != "rejected", list(existing.reasons), {}, {},
                                                  existing.policy_version, PLACE_ORDER)
            account.roll_day(self.market)
            decision = assess_order(policy, intent, account, self.market, self.workspace.root)
            order = Order(
                id=account.next_order_id,
                symbol=intent.symbol,
                side=intent.side,
                quantity=intent.quantity,
                order_type=intent.order_type,
                limit_price=intent.limit_price,
                status="open",
                submitted_at=account.clock,
                rationale=intent.rationale,
                policy_version=policy.version,
                client_order_id=intent.client_order_id,
            )
            account.next_order_id += 1
            account.orders.append(order)
            if not decision.allowed:
                order.status = "rejected"
                order.reasons = list(decision.reasons)
            else:
                price = self.market.execution_price(intent.symbol, intent.side, account.clock)
                marketable = order.order_type == "market" or (
                    order.limit_price is not None
                    and (price <= order.limit_price if order.side == "buy" else price >= order.limit_price)
                )
                if marketable:
                    account.apply_fill(order, price, account.clock)
            self.audit.append("order_decision", ACTOR, {
                "tool": PLACE_ORDER, "clock": account.clock.isoformat(), "order": order.to_json(),
                "decision": decision.to_json(), "rationale": intent.rationale,
            })
        if order.status == "rejected":
            raise OrderRejected(order, decision)
        return order, decision

    def cancel_order(self, args: dict[str, Any]) -> Order:
        try:
            order_id = parse_cancel(args)
        except PolicyError as err:
            raise BrokerError(str(err)) from None
        with self.store.transaction() as account:
            order = account.find_order(order_id)
            if order is None:
                raise BrokerError(f"no order {order_id}")
            if order.status != "open":
                raise BrokerError(f"order {order_id} is {order.status}; only open orders can be cancelled")
            order.status = "canceled"
            order.canceled_at = account.clock
            self.audit.append("order_decision", ACTOR, {
                "tool": CANCEL_ORDER, "clock": account.clock.isoformat(), "order": order.to_json(),
                "rationale": args.get("rationale"),
            })
        return order

    def list_orders(self, status: str | None = None, limit: int = 50) -> list[Order]:
        account = self.store.read()
        orders = [o for o in account.orders if status is None or o.status == status]
        return orders[-limit:]

    def get_order(self, order_id: int) -> Order:
        order = self.store.read().find_order(order_id)
        if order is None:
            raise BrokerError(f"no order {order_id}")
        return order

    def clock_status(self) -> dict[str, Any]:
        account = self.store.read()
        return self._clock_json(account)

    def _clock_json(self, account: PaperAccount) -> dict[str, Any]:
        policy_ok = True
        try:
            policy = self.policy()
            kill = policy.kill_switch_active(self.workspace.root)
        except PolicyError:
            policy_ok, kill = False, True
        try:
            spy_open: bool | None = self.market.is_market_open("SPY", account.clock)
        except Exception:  # noqa: BLE001 - a data folder without market hours: unknown
            spy_open = None
        return {
            "clock": account.clock.isoformat(),
            "time_zone": "America/New_York",
            "us_equity_market_open": spy_open,
            "kill_switch_on": kill,
            "policy_readable": policy_ok,
            "open_orders": len(account.open_orders()),
        }

    # ----- the clock -------------------------------------------------------------------------------------------------
    def advance_clock(self, to: str) -> dict[str, Any]:
        target = parse_clock(to)
        policy = self.policy()
        with self.store.transaction() as account:
            start = account.clock
            if target < start:
                raise BrokerError(f"the clock is at {start.isoformat()}; it only moves forward")
            if (target - start).days > MAX_ADVANCE_DAYS:
                raise BrokerError(f"advance at most {MAX_ADVANCE_DAYS} days per call")
            kill = policy.kill_switch_active(self.workspace.root)
            fills: list[dict[str, Any]] = []
            if target > start and not kill:
                fills = self._fill_resting(account, start, target)
            account.clock = target
            account.roll_day(self.market)
            if target > start:
                self.audit.append("clock_advance", ACTOR, {
                    "from": start.isoformat(), "to": target.isoformat(), "fills": fills, "kill_switch_on": kill,
                })
            result = self._clock_json(account)
        result.update({"previous_clock": start.isoformat(), "fills": fills,
                       "note": "kill switch on: open orders were not filled" if kill else ""})
        return result

    def _bars(self, symbol: str, start: datetime, end: datetime) -> list[Bar]:
        minute = self.market.bars_between(symbol, "minute", start, end)
        minute_days = {b.start.date() for b in minute}
        daily = [b for b in self.market.bars_between(symbol, "daily", start, end) if b.start.date() not in minute_days]
        return sorted(minute + daily, key=lambda b: b.end)

    def _fill_resting(self, account: PaperAccount, start: datetime, end: datetime) -> list[dict[str, Any]]:
        open_orders = [o for o in account.open_orders() if o.order_type == "limit" and o.limit_price is not None]
        events: list[tuple[datetime, int, Order, Bar]] = []
        bars_by_symbol: dict[str, list[Bar]] = {}
        for o in open_orders:
            if o.symbol not in bars_by_symbol:
                try:
                    bars_by_symbol[o.symbol] = self._bars(o.symbol, start, end)
                except (MarketDataError, OSError):
                    bars_by_symbol[o.symbol] = []
            for bar in bars_by_symbol[o.symbol]:
                events.append((bar.end, o.id, o, bar))
        fills = []
        for _, _, order, bar in sorted(events, key=lambda e: (e[0], e[1])):
            if order.status != "open":
                continue
            limit = order.limit_price
            assert limit is not None
            price: Decimal | None = None
            if order.side == "buy" and bar.low < limit:
                price = min(bar.open, limit)
            elif order.side == "sell" and bar.high > limit:
                price = max(bar.open, limit)
            if price is not None:
                account.apply_fill(order, price, bar.end)
                fills.append(order.to_public())
        return fills


def broker_error_text(err: Exception) -> str:
    if isinstance(err, (BrokerError, AccountError, PolicyError)):
        return str(err)
    return f"{type(err).__name__}: {err}"
