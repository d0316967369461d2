"""The paper account: cash, positions, orders and an explicit simulated clock, persisted as one JSON file.

State lives in ``<state dir>/paper_account.json`` (see ``workspace``). Every change happens inside
``AccountStore.transaction()``: an exclusive ``flock`` on ``paper_account.json.lock``, then an atomic rewrite
(temporary file, fsync, rename). Readers (portfolio server, hooks) take the shared lock and never write.

The clock ("now" of the simulation, naive New York exchange time) only moves when asked to
(``PaperBroker.advance_clock`` or the ``init``/``set-clock`` CLI), so runs are deterministic. Money is kept
as ``Decimal`` and written as strings.

CLI (humans only; the MCP tools cannot create or reset accounts)::

    python -m mcp_backtest.trading.account init --cash 100000 --clock 2024-12-03T10:00:00 [--force]
    python -m mcp_backtest.trading.account show
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from mcp_backtest.risk_policy import PortfolioView
from mcp_backtest.trading.prices import MarketData, MarketDataError

SCHEMA = 1
ORDER_STATUSES = ("open", "filled", "canceled", "rejected")
MAX_ORDERS_KEPT = 10_000
CENT = Decimal("0.01")


class AccountError(RuntimeError):
    """The paper account is missing, unreadable or cannot do what was asked."""


def parse_clock(text: Any) -> datetime:
    """ISO 8601 without a zone (exchange time), e.g. ``2024-12-03T10:00:00``; seconds precision."""
    if not isinstance(text, str):
        raise AccountError("a time must be an ISO 8601 string such as '2024-12-03T10:00:00'")
    try:
        t = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AccountError(f"{text!r} is not an ISO 8601 time such as '2024-12-03T10:00:00'") from None
    if t.tzinfo is not None:
        raise AccountError("give exchange (New York) time without a zone, e.g. '2024-12-03T10:00:00'")
    if not 1990 <= t.year <= 2100:
        raise AccountError(f"{text!r} is outside 1990-2100")
    return t.replace(microsecond=0)


def _dec(value: Any, where: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise AccountError(f"account file: {where} is not a number") from None
    if not d.is_finite():
        raise AccountError(f"account file: {where} is not finite")
    return d


def fee_for(quantity: int, price: Decimal) -> Decimal:
    """Interactive-Brokers-like fixed pricing: $0.005 a share, at least $1, at most 0.5 % of the notional."""
    notional = abs(quantity) * price
    fee = max(Decimal("1.00"), Decimal("0.005") * abs(quantity))
    return min(fee, notional * Decimal("0.005")).quantize(CENT) if notional > 0 else Decimal("0.00")


@dataclass
class Position:
    quantity: int
    average_price: Decimal
    realized_pnl: Decimal = Decimal(0)


@dataclass
class Order:
    id: int
    symbol: str
    side: str
    quantity: int
    order_type: str
    limit_price: Decimal | None
    status: str
    submitted_at: datetime
    rationale: str
    policy_version: int | None
    client_order_id: str | None = None
    filled_at: datetime | None = None
    fill_price: Decimal | None = None
    fee: Decimal | None = None
    canceled_at: datetime | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def signed_quantity(self) -> int:
        return self.quantity if self.side == "buy" else -self.quantity

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "side": self.side,
            "quantity": self.quantity,
            "order_type": self.order_type,
            "limit_price": None if self.limit_price is None else str(self.limit_price),
            "status": self.status,
            "submitted_at": self.submitted_at.isoformat(),
            "rationale": self.rationale,
            "policy_version": self.policy_version,
            "client_order_id": self.client_order_id,
            "filled_at": self.filled_at.isoformat() if self.filled_at else None,
            "fill_price": None if self.fill_price is None else str(self.fill_price),
            "fee": None if self.fee is None else str(self.fee),
            "canceled_at": self.canceled_at.isoformat() if self.canceled_at else None,
            "reasons": list(self.reasons),
        }

    def to_public(self) -> dict[str, Any]:
        """Numbers as JSON numbers, for tool results."""
        d = self.to_json()
        for key in ("limit_price", "fill_price", "fee"):
            d[key] = None if d[key] is None else float(d[key])
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Order:
        try:
            status = d["status"]
            if status not in ORDER_STATUSES or d["side"] not in ("buy", "sell"):
                raise AccountError(f"account file: order {d.get('id')} has a bad status or side")
            return cls(
                id=int(d["id"]),
                symbol=str(d["symbol"]),
                side=d["side"],
                quantity=int(d["quantity"]),
                order_type=str(d["order_type"]),
                limit_price=None if d["limit_price"] is None else _dec(d["limit_price"], "limit_price"),
                status=status,
                submitted_at=parse_clock(d["submitted_at"]),
                rationale=str(d["rationale"]),
                policy_version=d.get("policy_version"),
                client_order_id=d.get("client_order_id"),
                filled_at=parse_clock(d["filled_at"]) if d.get("filled_at") else None,
                fill_price=None if d.get("fill_price") is None else _dec(d["fill_price"], "fill_price"),
                fee=None if d.get("fee") is None else _dec(d["fee"], "fee"),
                canceled_at=parse_clock(d["canceled_at"]) if d.get("canceled_at") else None,
                reasons=[str(r) for r in d.get("reasons") or []],
            )
        except (KeyError, TypeError, ValueError) as err:
            raise AccountError(f"account file: malformed order ({err})") from None


@dataclass
class PaperAccount:
    account_id: str
    currency: str
    clock: datetime
    initial_cash: Decimal
    cash: Decimal
    positions: dict[str, Position]
    orders: list[Order]
    realized_pnl: Decimal
    total_fees: Decimal
    day_start_date: str
    day_start_equity: Decimal
    next_order_id: int
    created_at: str = ""
    realized_by_symbol: dict[str, Decimal] = field(default_factory=dict)

    # ----- persistence ------------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "mode": "paper",
            "account_id": self.account_id,
            "currency": self.currency,
            "clock": self.clock.isoformat(),
            "initial_cash": str(self.initial_cash),
            "cash": str(self.cash),
            "positions": {
                s: {"quantity": p.quantity, "average_price": str(p.average_price), "realized_pnl": str(p.realized_pnl)}
                for s, p in sorted(self.positions.items())
            },
            "realized_pnl": str(self.realized_pnl),
            "realized_by_symbol": {k: str(v) for k, v in sorted(self.realized_by_symbol.items())},
            "total_fees": str(self.total_fees),
            "day_start": {"date": self.day_start_date, "equity": str(self.day_start_equity)},
            "next_order_id": self.next_order_id,
            "created_at": self.created_at,
            "orders": [o.to_json() for o in self.orders[-MAX_ORDERS_KEPT:]],
        }

    @classmethod
    def from_json(cls, d: Any) -> PaperAccount:
        if not isinstance(d, dict) or d.get("schema") != SCHEMA or d.get("mode") != "paper":
            raise AccountError("account file: not a paper account of schema 1")
        try:
            positions = {}
            for sym, p in d["positions"].items():
                q = int(p["quantity"])
                if q != 0:
                    positions[str(sym)] = Position(q, _dec(p["average_price"], "average_price"), _dec(p["realized_pnl"], "realized_pnl"))
            return cls(
                account_id=str(d["account_id"]),
                currency=str(d["currency"]),
                clock=parse_clock(d["clock"]),
                initial_cash=_dec(d["initial_cash"], "initial_cash"),
                cash=_dec(d["cash"], "cash"),
                positions=positions,
                orders=[Order.from_json(o) for o in d["orders"]],
                realized_pnl=_dec(d["realized_pnl"], "realized_pnl"),
                total_fees=_dec(d["total_fees"], "total_fees"),
                day_start_date=str(d["day_start"]["date"]),
                day_start_equity=_dec(d["day_start"]["equity"], "day_start.equity"),
                next_order_id=int(d["next_order_id"]),
                created_at=str(d.get("created_at", "")),
                realized_by_symbol={
                    str(k): _dec(v, "realized_by_symbol") for k, v in (d.get("realized_by_symbol") or {}).items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise AccountError(f"account file: malformed ({err})") from None

    # ----- views --------------------------------------------------------------------------------------------------
    def open_orders(self) -> list[Order]:
        return [o for o in self.orders if o.status == "open"]

    def find_order(self, order_id: int) -> Order | None:
        for o in self.orders:
            if o.id == order_id:
                return o
        return None

    def symbols_in_play(self) -> set[str]:
        return set(self.positions) | {o.symbol for o in self.open_orders()}

    def marks(self, market: MarketData, at: datetime | None = None) -> dict[str, Decimal]:
        """Last trade price of every held or pending symbol at ``at`` (default: the clock); unknown ones left out."""
        out: dict[str, Decimal] = {}
        for sym in sorted(self.symbols_in_play()):
            try:
                out[sym] = market.latest_price(sym, at or self.clock)
            except (MarketDataError, OSError, ValueError):
                continue
        return out

    def equity(self, marks: dict[str, Decimal]) -> Decimal:
        missing = [s for s in self.positions if s not in marks]
        if missing:
            raise AccountError(f"cannot value {', '.join(missing)} at {self.clock.isoformat()}")
        return self.cash + sum((p.quantity * marks[s] for s, p in self.positions.items()), Decimal(0))

    def portfolio_view(self, marks: dict[str, Decimal]) -> PortfolioView:
        return PortfolioView(
            cash=self.cash,
            positions={s: p.quantity for s, p in self.positions.items()},
            prices=dict(marks),
            open_orders=[(o.symbol, o.signed_quantity) for o in self.open_orders()],
            day_start_equity=self.day_start_equity,
        )

    def snapshot(self, market: MarketData) -> dict[str, Any]:
        """Positions, cash, exposure and P&L at the clock (what the portfolio server and hooks report)."""
        marks = self.marks(market)
        rows: list[dict[str, Any]] = []
        gross = net = unrealized = Decimal(0)
        unpriced = []
        for sym, p in sorted(self.positions.items()):
            price = marks.get(sym)
            if price is None:
                unpriced.append(sym)
                rows.append({"symbol": sym, "quantity": p.quantity, "average_price": float(p.average_price),
                             "market_price": None, "market_value": None, "unrealized_pnl": None,
                             "realized_pnl": float(p.realized_pnl), "weight": None})
                continue
            value = p.quantity * price
            upnl = (price - p.average_price) * p.quantity
            gross += abs(value)
            net += value
            unrealized += upnl
            rows.append({"symbol": sym, "quantity": p.quantity, "average_price": float(p.average_price),
                         "market_price": float(price), "market_value": float(value), "unrealized_pnl": float(upnl),
                         "realized_pnl": float(p.realized_pnl), "weight": None})
        equity = None if unpriced else self.cash + net
        if equity is not None and equity > 0:
            for row in rows:
                row["weight"] = row["market_value"] / float(equity)
        return {
            "account_id": self.account_id,
            "mode": "paper",
            "currency": self.currency,
            "clock": self.clock.isoformat(),
            "cash": float(self.cash),
            "equity": None if equity is None else float(equity),
            "initial_cash": float(self.initial_cash),
            "positions": rows,
            "open_orders": len(self.open_orders()),
            "gross_exposure": float(gross),
            "net_exposure": float(net),
            "gross_exposure_ratio": None if not equity or equity <= 0 else float(gross / equity),
            "net_exposure_ratio": None if not equity or equity <= 0 else float(net / equity),
            "realized_pnl": float(self.realized_pnl),
            "unrealized_pnl": float(unrealized),
            "total_pnl": None if equity is None else float(equity - self.initial_cash),
            "total_fees": float(self.total_fees),
            "day_start_date": self.day_start_date,
            "day_start_equity": float(self.day_start_equity),
            "day_pnl": None if equity is None else float(equity - self.day_start_equity),
            "unpriced_symbols": unpriced,
        }

    # ----- mutations ---------------------------------------------------------------------------------------------
    def apply_fill(self, order: Order, price: Decimal, at: datetime) -> None:
        q = order.signed_quantity
        fee = fee_for(order.quantity, price)
        self.cash -= q * price + fee
        self.total_fees += fee
        pos = self.positions.get(order.symbol)
        if pos is None or pos.quantity == 0:
            self.positions[order.symbol] = Position(q, price)
        elif (pos.quantity > 0) == (q > 0):
            total = pos.quantity + q
            pos.average_price = (pos.average_price * pos.quantity + price * q) / total
            pos.quantity = total
        else:
            closed = min(abs(q), abs(pos.quantity))
            sign = 1 if pos.quantity > 0 else -1
            pnl = (price - pos.average_price) * closed * sign
            pos.realized_pnl += pnl
            self.realized_pnl += pnl
            self.realized_by_symbol[order.symbol] = self.realized_by_symbol.get(order.symbol, Decimal(0)) + pnl
            remaining = pos.quantity + q
            if remaining == 0:
                del self.positions[order.symbol]
            elif (remaining > 0) != (pos.quantity > 0):
                pos.quantity, pos.average_price = remaining, price
            else:
                pos.quantity = remaining
        order.status = "filled"
        order.filled_at = at
        order.fill_price = price
        order.fee = fee

    def roll_day(self, market: MarketData) -> None:
        """Start-of-day equity: the first time the clock is on a new date, value the book at that midnight
        (the previous session's closes)."""
        today = self.clock.date().isoformat()
        if self.day_start_date == today:
            return
        midnight = datetime.combine(self.clock.date(), time(0))
        marks = self.marks(market, midnight)
        try:
            self.day_start_equity = self.equity(marks)
        except AccountError:
            pass  # keep the previous value rather than invent one
        self.day_start_date = today


# ----- store ----------------------------------------------------------------------------------------------------
class AccountStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def exists(self) -> bool:
        return self.path.is_file()

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        if exclusive:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.lock_path.parent.is_dir():
            raise AccountError(f"no paper account at {self.path}")
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _load(self) -> PaperAccount:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise AccountError(
                f"no paper account at {self.path}; a human creates it with "
                "`python -m mcp_backtest.trading.account init --cash 100000 --clock 2024-12-03T10:00:00`"
            ) from None
        except OSError as err:
            raise AccountError(f"cannot read the paper account {self.path}: {err}") from None
        try:
            return PaperAccount.from_json(json.loads(text))
        except ValueError as err:
            raise AccountError(f"the paper account {self.path} is corrupt: {err}") from None

    def _save(self, account: PaperAccount) -> None:
        data = json.dumps(account.to_json(), indent=1, sort_keys=False).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=".paper_account.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        dfd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    def read(self) -> PaperAccount:
        with self._locked(exclusive=False):
            return self._load()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PaperAccount]:
        """Load under the exclusive lock, yield, save if the block did not raise."""
        with self._locked(exclusive=True):
            account = self._load()
            yield account
            self._save(account)

    def create(self, cash: Decimal, clock: datetime, *, force: bool = False, account_id: str = "paper-1") -> PaperAccount:
        if not cash.is_finite() or cash <= 0:
            raise AccountError("initial cash must be positive")
        with self._locked(exclusive=True):
            if self.path.exists() and not force:
                raise AccountError(f"a paper account already exists at {self.path} (use --force to replace it)")
            account = PaperAccount(
                account_id=account_id,
                currency="USD",
                clock=clock,
                initial_cash=cash,
                cash=cash,
                positions={},
                orders=[],
                realized_pnl=Decimal(0),
                total_fees=Decimal(0),
                day_start_date=clock.date().isoformat(),
                day_start_equity=cash,
                next_order_id=1,
                created_at=datetime.now().replace(microsecond=0).isoformat(),
            )
            self._save(account)
            return account


def main(argv: list[str] | None = None) -> int:
    from mcp_backtest.trading.workspace import Workspace, WorkspaceError

    parser = argparse.ArgumentParser(prog="python -m mcp_backtest.trading.account", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_init = sub.add_parser("init", help="create the paper account")
    p_init.add_argument("--cash", default="100000")
    p_init.add_argument("--clock", required=True, help="exchange time, e.g. 2024-12-03T10:00:00")
    p_init.add_argument("--force", action="store_true", help="replace an existing account")
    sub.add_parser("show", help="print the account with valuations")
    args = parser.parse_args(argv)
    ws = Workspace.discover()
    store = AccountStore(ws.account_path)
    try:
        if args.command == "init":
            account = store.create(_dec(args.cash, "--cash"), parse_clock(args.clock), force=args.force)
            print(f"paper account {account.account_id} at {store.path}: cash {account.cash}, clock {account.clock.isoformat()}")
            return 0
        account = store.read()
        print(json.dumps(account.snapshot(MarketData(ws.data())), indent=2))
        return 0
    except (AccountError, WorkspaceError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
