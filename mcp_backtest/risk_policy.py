"""The risk policy: one versioned config file (``config/risk_policy.toml``) and this one module, used by the
Claude Code hooks (``hooks/risk_validator.py`` before an order tool runs, ``hooks/parse_backtest.py``,
``hooks/load_context.py``) and by the MCP servers (the paper broker re-checks every order server-side, inside
the same lock that fills it; the portfolio server reports headroom).

Checks on ``place_order`` (all are evaluated; every failing one is named in the decision):

* ``kill_switch``: the kill-switch file exists → deny;
* ``symbol_allowed``: the ticker is on the allow-list;
* ``market_open``: the symbol's exchange is open at the paper clock (LEAN market-hours database);
* ``price_known``, ``price_fresh``: a positive reference price exists at the paper clock and was set at most
  ``max_price_age_days`` before it (the price an order would fill at: ask for buys, bid for sells);
* ``order_notional``: ``quantity × max(reference price, limit price) <= max_order_notional``;
* ``position_weight``, ``gross_exposure``, ``daily_loss``: only for *risk-increasing* orders, i.e. orders that
  raise the symbol's worst-case exposure. Worst case means any subset of the open orders may still fill: the
  exposure of a symbol is ``max(|position + open buys|, |position + open sells|) × price``. After the order the
  symbol's worst-case weight must be ``<= max_position_weight`` and the sum over symbols ``<=
  max_gross_exposure`` (both relative to current equity, which must be positive); and the day's loss must not
  have reached ``daily_loss_limit × start-of-day equity``. Orders that do not raise exposure (closing, reducing)
  skip these three, so a breached limit can always be unwound.

``cancel_order`` only needs a well-formed order id (cancelling never adds risk, and must work while the kill
switch is on). Fail closed: any missing, malformed, non-finite or unexpected input, an unreadable policy file,
a missing paper account or price, or any internal error gives a *deny* decision, never an allow.

Arithmetic is exact (``fractions.Fraction`` from the decimal inputs), so a limit is never crossed by rounding.
"""
from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping, Sequence

from mcp_backtest.trading.prices import TICKER_RE

BROKER_SERVER = "paper_broker"
PLACE_ORDER = "place_order"
CANCEL_ORDER = "cancel_order"
ORDER_TOOLS = frozenset({PLACE_ORDER, CANCEL_ORDER})
BROKER_READ_TOOLS = frozenset({"list_orders", "get_order", "get_clock"})
BROKER_SIMULATION_TOOLS = frozenset({"advance_clock"})
MAX_QUANTITY = 10**9
MAX_RATIONALE = 2000
ORDER_ARGUMENTS = frozenset({"symbol", "side", "quantity", "order_type", "limit_price", "rationale", "client_order_id"})
CANCEL_ARGUMENTS = frozenset({"order_id", "rationale"})


class PolicyError(ValueError):
    """The policy file or an order's arguments are not usable; the message says why, for a human or a model."""


# ----- the policy file -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RateLimit:
    calls: int
    per_seconds: float


@dataclass(frozen=True)
class RiskPolicy:
    version: int
    max_order_notional: Decimal
    max_position_weight: Decimal
    max_gross_exposure: Decimal
    daily_loss_limit: Decimal
    allowed_symbols: frozenset[str]
    kill_switch_file: str
    require_market_open: bool
    extended_hours: bool
    max_price_age_days: Decimal
    min_total_orders: int
    max_drawdown: Decimal
    max_sharpe_ratio: Decimal
    rate_limits: Mapping[str, RateLimit]
    source: str = ""
    sha256: str = ""

    def rate_limit(self, tool: str) -> RateLimit:
        return self.rate_limits.get(tool) or self.rate_limits["default"]

    def kill_switch_path(self, root: Path) -> Path:
        p = Path(self.kill_switch_file)
        return p if p.is_absolute() else root / p

    def kill_switch_active(self, root: Path) -> bool:
        # an unreadable location counts as present: fail closed
        try:
            return self.kill_switch_path(root).exists()
        except OSError:
            return True

    def limits_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "max_order_notional": float(self.max_order_notional),
            "max_position_weight": float(self.max_position_weight),
            "max_gross_exposure": float(self.max_gross_exposure),
            "daily_loss_limit": float(self.daily_loss_limit),
            "allowed_symbols": sorted(self.allowed_symbols),
            "kill_switch_file": self.kill_switch_file,
            "require_market_open": self.require_market_open,
            "extended_hours": self.extended_hours,
            "max_price_age_days": float(self.max_price_age_days),
        }

    def describe(self) -> str:
        return (
            f"risk policy v{self.version}: max order notional ${self.max_order_notional:,.0f}; max position weight "
            f"{_pct(self.max_position_weight)}; max gross exposure {_pct(self.max_gross_exposure)}; daily loss limit "
            f"{_pct(self.daily_loss_limit)} of start-of-day equity; {len(self.allowed_symbols)} allowed symbols "
            f"({', '.join(sorted(self.allowed_symbols))}); market must be open: {self.require_market_open}; "
            f"kill-switch file {self.kill_switch_file}"
        )


def _pct(x: Decimal) -> str:
    return f"{float(x) * 100:g}%"


_SCHEMA: dict[str, dict[str, str]] = {
    "limits": {
        "max_order_notional": "positive",
        "max_position_weight": "positive",
        "max_gross_exposure": "positive",
        "daily_loss_limit": "fraction",
    },
    "symbols": {"allow": "tickers"},
    "kill_switch": {"file": "path"},
    "market_hours": {"require_open": "bool", "extended_hours": "bool", "max_price_age_days": "positive"},
    "backtest_red_flags": {"min_total_orders": "count", "max_drawdown": "fraction", "max_sharpe_ratio": "positive"},
    "rate_limits": {},
}


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PolicyError(f"{where} must be a number, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise PolicyError(f"{where} must be finite")
    return Decimal(str(value))


def _check_value(kind: str, value: Any, where: str) -> Any:
    if kind == "positive":
        d = _number(value, where)
        if d <= 0:
            raise PolicyError(f"{where} must be > 0")
        return d
    if kind == "fraction":
        d = _number(value, where)
        if not 0 < d < 1:
            raise PolicyError(f"{where} must be a fraction strictly between 0 and 1")
        return d
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PolicyError(f"{where} must be a non-negative integer")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise PolicyError(f"{where} must be true or false")
        return value
    if kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise PolicyError(f"{where} must be a non-empty path")
        return value
    if kind == "tickers":
        if not isinstance(value, list) or not value:
            raise PolicyError(f"{where} must be a non-empty list of tickers")
        out = set()
        for t in value:
            if not isinstance(t, str) or not TICKER_RE.match(t):
                raise PolicyError(f"{where} holds {t!r}, which is not an upper-case ticker")
            out.add(t)
        return frozenset(out)
    raise AssertionError(kind)


def _rate_limits(table: Mapping[str, Any]) -> dict[str, RateLimit]:
    out: dict[str, RateLimit] = {}
    for tool, spec in table.items():
        where = f"rate_limits.{tool}"
        if not isinstance(spec, dict) or set(spec) != {"calls", "per_seconds"}:
            raise PolicyError(f"{where} must be {{ calls = N, per_seconds = S }}")
        calls = spec["calls"]
        if isinstance(calls, bool) or not isinstance(calls, int) or calls < 1:
            raise PolicyError(f"{where}.calls must be a positive integer")
        per = _check_value("positive", spec["per_seconds"], f"{where}.per_seconds")
        out[tool] = RateLimit(calls, float(per))
    if "default" not in out:
        raise PolicyError("rate_limits.default is required")
    return out


def parse_policy(document: Mapping[str, Any], source: str = "", sha256: str = "") -> RiskPolicy:
    """Validate a parsed policy document; every key is required and unknown keys are errors."""
    if not isinstance(document, Mapping) or not document:
        raise PolicyError("the policy is empty")
    unknown = set(document) - set(_SCHEMA) - {"version"}
    if unknown:
        raise PolicyError(f"unknown policy section(s) {sorted(unknown)}")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PolicyError("version must be a positive integer")
    values: dict[str, Any] = {}
    for section, keys in _SCHEMA.items():
        table = document.get(section)
        if not isinstance(table, Mapping):
            raise PolicyError(f"section [{section}] is missing")
        if section == "rate_limits":
            values["rate_limits"] = _rate_limits(table)
            continue
        extra = set(table) - set(keys)
        if extra:
            raise PolicyError(f"unknown key(s) {sorted(extra)} in [{section}]")
        for key, kind in keys.items():
            if key not in table:
                raise PolicyError(f"{section}.{key} is missing")
            values[f"{section}.{key}"] = _check_value(kind, table[key], f"{section}.{key}")
    return RiskPolicy(
        version=version,
        max_order_notional=values["limits.max_order_notional"],
        max_position_weight=values["limits.max_position_weight"],
        max_gross_exposure=values["limits.max_gross_exposure"],
        daily_loss_limit=values["limits.daily_loss_limit"],
        allowed_symbols=values["symbols.allow"],
        kill_switch_file=values["kill_switch.file"],
        require_market_open=values["market_hours.require_open"],
        extended_hours=values["market_hours.extended_hours"],
        max_price_age_days=values["market_hours.max_price_age_days"],
        min_total_orders=values["backtest_red_flags.min_total_orders"],
        max_drawdown=values["backtest_red_flags.max_drawdown"],
        max_sharpe_ratio=values["backtest_red_flags.max_sharpe_ratio"],
        rate_limits=values["rate_limits"],
        source=source,
        sha256=sha256,
    )


def load_policy(path: Path | str) -> RiskPolicy:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise PolicyError(f"cannot read the risk policy {p}: {err.strerror or err}") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise PolicyError(f"the risk policy {p} is not valid TOML: {err}") from None
    try:
        return parse_policy(document, str(p), hashlib.sha256(raw).hexdigest())
    except PolicyError as err:
        raise PolicyError(f"the risk policy {p} is invalid: {err}") from None


# ----- order arguments -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderIntent:
    symbol: str
    side: str  # "buy" | "sell"
    quantity: int  # > 0
    order_type: str  # "market" | "limit"
    limit_price: Decimal | None
    rationale: str
    client_order_id: str | None = None

    @property
    def signed_quantity(self) -> int:
        return self.quantity if self.side == "buy" else -self.quantity


def _positive_decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PolicyError(f"{where} must be a positive number")
    try:
        d = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise PolicyError(f"{where} must be a positive number, not {value!r}") from None
    if not d.is_finite() or d <= 0:
        raise PolicyError(f"{where} must be a positive finite number, not {value!r}")
    if d > Decimal(10) ** 9:
        raise PolicyError(f"{where} is implausibly large ({value!r})")
    return d


def parse_order_intent(args: Any) -> OrderIntent:
    """The arguments of ``place_order`` as the broker server accepts them; anything else is a PolicyError."""
    if not isinstance(args, Mapping):
        raise PolicyError("place_order arguments must be an object")
    unexpected = set(args) - ORDER_ARGUMENTS
    if unexpected:
        raise PolicyError(f"unexpected argument(s) {sorted(map(str, unexpected))}")
    symbol = args.get("symbol")
    if not isinstance(symbol, str) or not TICKER_RE.match(symbol.strip().upper()):
        raise PolicyError("symbol must be a ticker such as 'SPY'")
    side = args.get("side")
    if side not in ("buy", "sell"):
        raise PolicyError("side must be 'buy' or 'sell'")
    qty = args.get("quantity")
    if isinstance(qty, float) and math.isfinite(qty) and qty.is_integer():
        qty = int(qty)
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise PolicyError("quantity must be a whole number of shares")
    if not 1 <= qty <= MAX_QUANTITY:
        raise PolicyError(f"quantity must be between 1 and {MAX_QUANTITY}")
    order_type = args.get("order_type", "market")
    if order_type not in ("market", "limit"):
        raise PolicyError("order_type must be 'market' or 'limit'")
    limit = args.get("limit_price")
    if order_type == "limit":
        if limit is None:
            raise PolicyError("a limit order needs limit_price")
        limit_price: Decimal | None = _positive_decimal(limit, "limit_price")
    else:
        if limit is not None:
            raise PolicyError("limit_price is only for limit orders")
        limit_price = None
    rationale = args.get("rationale")
    if not isinstance(rationale, str) or not rationale.strip():
        raise PolicyError("rationale (why this order) is required")
    if len(rationale) > MAX_RATIONALE:
        raise PolicyError(f"rationale is longer than {MAX_RATIONALE} characters")
    cid = args.get("client_order_id")
    if cid is not None and (not isinstance(cid, str) or not 1 <= len(cid) <= 64):
        raise PolicyError("client_order_id must be a string of 1-64 characters")
    return OrderIntent(symbol.strip().upper(), side, qty, order_type, limit_price, rationale.strip(), cid)


def parse_cancel(args: Any) -> int:
    if not isinstance(args, Mapping):
        raise PolicyError("cancel_order arguments must be an object")
    unexpected = set(args) - CANCEL_ARGUMENTS
    if unexpected:
        raise PolicyError(f"unexpected argument(s) {sorted(map(str, unexpected))}")
    oid = args.get("order_id")
    if isinstance(oid, float) and math.isfinite(oid) and oid.is_integer():
        oid = int(oid)
    if isinstance(oid, bool) or not isinstance(oid, int) or oid < 1:
        raise PolicyError("order_id must be a positive integer")
    rationale = args.get("rationale")
    if rationale is not None and (not isinstance(rationale, str) or len(rationale) > MAX_RATIONALE):
        raise PolicyError(f"rationale must be text of at most {MAX_RATIONALE} characters")
    return oid


# ----- the decision ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PortfolioView:
    """What the checks need from the account, valued at the paper clock."""

    cash: Decimal
    positions: Mapping[str, int]
    prices: Mapping[str, Decimal]  # a price for every held or pending symbol
    open_orders: Sequence[tuple[str, int]]  # (symbol, signed remaining quantity)
    day_start_equity: Decimal


@dataclass(frozen=True)
class MarketView:
    now: datetime | None
    price: Decimal | None  # reference price of the order's symbol at ``now``
    market_open: bool | None
    price_time: datetime | None = None  # when that price was set (end of its bar)


@dataclass
class Decision:
    allowed: bool
    reasons: list[str]
    checks: dict[str, str] = field(default_factory=dict)  # check -> "pass" | "fail" | "skip"
    metrics: dict[str, Any] = field(default_factory=dict)
    policy_version: int | None = None
    action: str = ""

    def summary(self) -> str:
        version = f"risk policy v{self.policy_version}" if self.policy_version else "risk policy (unavailable)"
        if self.allowed:
            return f"{version}: allowed ({', '.join(k for k, v in self.checks.items() if v == 'pass')} passed)"
        return f"{version}: DENIED - " + "; ".join(self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "action": self.action,
            "policy_version": self.policy_version,
            "reasons": list(self.reasons),
            "checks": dict(self.checks),
            "metrics": dict(self.metrics),
        }


def deny(reason: str, policy: RiskPolicy | None = None, action: str = "") -> Decision:
    return Decision(False, [reason], {}, {}, policy.version if policy else None, action)


def _frac(x: Decimal | int) -> Fraction:
    return Fraction(x)


def _worst(position: int, pending: Sequence[int]) -> int:
    buys = sum(q for q in pending if q > 0)
    sells = sum(q for q in pending if q < 0)
    return max(abs(position + buys), abs(position + sells))


def evaluate_order(
    policy: RiskPolicy,
    intent: OrderIntent,
    portfolio: PortfolioView,
    market: MarketView,
    kill_switch_active: bool,
) -> Decision:
    """The pure decision for one order (no I/O); see the module docstring for the rules."""
    checks: dict[str, str] = {}
    reasons: list[str] = []
    metrics: dict[str, Any] = {}

    def fail(check: str, reason: str) -> None:
        checks[check] = "fail"
        reasons.append(reason)

    if kill_switch_active:
        fail("kill_switch", f"kill switch is ON ({policy.kill_switch_file} exists): no new orders")
    else:
        checks["kill_switch"] = "pass"
    if intent.symbol in policy.allowed_symbols:
        checks["symbol_allowed"] = "pass"
    else:
        fail("symbol_allowed", f"{intent.symbol} is not on the allow-list")
    if not policy.require_market_open:
        checks["market_open"] = "skip"
    elif market.market_open is True:
        checks["market_open"] = "pass"
    elif market.market_open is False:
        when = market.now.isoformat() if market.now else "the paper clock"
        fail("market_open", f"the market for {intent.symbol} is closed at {when}")
    else:
        fail("market_open", f"cannot tell whether the market for {intent.symbol} is open")

    price = market.price
    if price is None or not isinstance(price, Decimal) or not price.is_finite() or price <= 0:
        fail("price_known", f"no reference price for {intent.symbol} at the paper clock")
        return Decision(False, reasons, checks, metrics, policy.version, PLACE_ORDER)
    checks["price_known"] = "pass"
    if market.now is None or market.price_time is None:
        fail("price_fresh", f"cannot tell how old the {intent.symbol} price is")
    else:
        age = market.now - market.price_time
        metrics["price_age_hours"] = round(age.total_seconds() / 3600, 3)
        if age.total_seconds() < 0 or Fraction(age.total_seconds()) > _frac(policy.max_price_age_days) * 86400:
            fail(
                "price_fresh",
                f"the last {intent.symbol} price is from {market.price_time.isoformat()}, older than "
                f"{policy.max_price_age_days} days at {market.now.isoformat()}: no current price",
            )
        else:
            checks["price_fresh"] = "pass"
    p = _frac(price)
    notional = intent.quantity * max(p, _frac(intent.limit_price) if intent.limit_price is not None else p)
    metrics["order_notional"] = float(notional)
    if notional <= _frac(policy.max_order_notional):
        checks["order_notional"] = "pass"
    else:
        fail(
            "order_notional",
            f"order notional ${float(notional):,.2f} exceeds the ${float(policy.max_order_notional):,.2f} limit",
        )

    # portfolio state, valued at the clock; every held or pending symbol needs a price
    prices: dict[str, Fraction] = {}
    for sym in set(portfolio.positions) | {s for s, _ in portfolio.open_orders}:
        if sym == intent.symbol:
            prices[sym] = p
            continue
        value = portfolio.prices.get(sym)
        if value is None or not value.is_finite() or value <= 0:
            fail("portfolio_valued", f"cannot value the portfolio: no price for {sym}")
            return Decision(False, reasons, checks, metrics, policy.version, PLACE_ORDER)
        prices[sym] = _frac(value)
    prices[intent.symbol] = p
    if not portfolio.cash.is_finite() or not portfolio.day_start_equity.is_finite():
        fail("portfolio_valued", "the account holds non-finite values")
        return Decision(False, reasons, checks, metrics, policy.version, PLACE_ORDER)
    equity = _frac(portfolio.cash) + sum(
        (qty * prices[sym] for sym, qty in portfolio.positions.items()), Fraction(0)
    )
    metrics["equity"] = float(equity)

    pending: dict[str, list[int]] = {}
    for sym, q in portfolio.open_orders:
        pending.setdefault(sym, []).append(q)
    position = portfolio.positions.get(intent.symbol, 0)
    before = _worst(position, pending.get(intent.symbol, []))
    after = _worst(position, pending.get(intent.symbol, []) + [intent.signed_quantity])
    increasing = after > before
    metrics["risk_increasing"] = increasing
    if not increasing:
        for check in ("position_weight", "gross_exposure", "daily_loss"):
            checks[check] = "skip"
    elif equity <= 0:
        for check in ("position_weight", "gross_exposure"):
            fail(check, f"equity is {float(equity):,.2f}: no risk-increasing orders")
    else:
        weight = after * p / equity
        metrics["position_weight_after"] = float(weight)
        if weight <= _frac(policy.max_position_weight):
            checks["position_weight"] = "pass"
        else:
            fail(
                "position_weight",
                f"{intent.symbol} would reach {float(weight) * 100:.2f}% of equity "
                f"(limit {_pct(policy.max_position_weight)}, open orders counted)",
            )
        gross = sum(
            (_worst(portfolio.positions.get(s, 0), pending.get(s, [])) * prices[s] for s in prices if s != intent.symbol),
            Fraction(0),
        ) + after * p
        metrics["gross_exposure_after"] = float(gross / equity)
        if gross / equity <= _frac(policy.max_gross_exposure):
            checks["gross_exposure"] = "pass"
        else:
            fail(
                "gross_exposure",
                f"gross exposure would reach {float(gross / equity) * 100:.2f}% of equity "
                f"(limit {_pct(policy.max_gross_exposure)}, open orders counted)",
            )
    if increasing:
        sod = _frac(portfolio.day_start_equity)
        loss = sod - equity
        metrics["daily_loss"] = float(loss)
        if sod <= 0:
            fail("daily_loss", "start-of-day equity is not positive: no risk-increasing orders")
        elif loss >= _frac(policy.daily_loss_limit) * sod:
            fail(
                "daily_loss",
                f"daily loss ${float(loss):,.2f} reached the {_pct(policy.daily_loss_limit)} limit "
                f"(${float(_frac(policy.daily_loss_limit) * sod):,.2f}): only risk-reducing orders today",
            )
        else:
            checks["daily_loss"] = "pass"
    return Decision(not reasons, reasons, checks, metrics, policy.version, PLACE_ORDER)


def tool_short_name(tool_name: str) -> tuple[str | None, str]:
    """``mcp__paper_broker__place_order`` → ("paper_broker", "place_order"); a bare name → (None, name)."""
    if tool_name.startswith("mcp__"):
        rest = tool_name[len("mcp__"):]
        server, sep, tool = rest.partition("__")
        if sep:
            return server, tool
    return None, tool_name


# ----- context: the same for the hook and the broker server --------------------------------------------------------
def assess_order(policy: RiskPolicy, intent: OrderIntent, account: Any, market: Any, root: Path) -> Decision:
    """Decide one order against a loaded paper account (``trading.account.PaperAccount``) and market data
    (``trading.prices.MarketData``) at the account's clock. Never raises: any failure is a deny."""
    try:
        now = account.clock
        price: Decimal | None = None
        price_time: datetime | None = None
        try:
            price, price_time = market.execution_quote(intent.symbol, intent.side, now)
        except Exception:  # noqa: BLE001 - unknown symbol, no data yet, unreadable file: no price, deny below
            pass
        try:
            market_open: bool | None = market.is_market_open(intent.symbol, now, policy.extended_hours)
        except Exception:  # noqa: BLE001
            market_open = None
        portfolio = account.portfolio_view(account.marks(market))
        return evaluate_order(policy, intent, portfolio, MarketView(now, price, market_open, price_time),
                              policy.kill_switch_active(root))
    except Exception as err:  # noqa: BLE001 - fail closed
        return deny(f"risk check failed ({type(err).__name__}: {err}); order denied", policy, PLACE_ORDER)


def assess_tool_call(tool_name: Any, tool_input: Any, workspace: Any = None) -> Decision:
    """The decision for one broker tool call, loading policy, account and data from the workspace.

    ``place_order`` → the full order checks; ``cancel_order`` → argument checks only; read-only and clock tools
    → allowed (no order); any other tool of the broker → denied (unknown tools are not trusted).
    Never raises; every failure is a deny naming its cause.
    """
    from mcp_backtest.trading.account import AccountError, AccountStore
    from mcp_backtest.trading.prices import MarketData
    from mcp_backtest.trading.workspace import Workspace, WorkspaceError

    if not isinstance(tool_name, str) or not tool_name:
        return deny("no tool name in the request")
    _, tool = tool_short_name(tool_name)
    if tool in BROKER_READ_TOOLS or tool in BROKER_SIMULATION_TOOLS:
        return Decision(True, [], {"order_tool": "skip"}, {}, None, tool)
    if tool not in ORDER_TOOLS:
        return deny(f"{tool_name} is not a known paper-broker tool", action=tool)
    policy: RiskPolicy | None = None
    try:
        ws = workspace or Workspace.discover()
        policy = load_policy(ws.policy_path)
        if tool == CANCEL_ORDER:
            parse_cancel(tool_input)
            return Decision(True, [], {"arguments": "pass"}, {}, policy.version, CANCEL_ORDER)
        intent = parse_order_intent(tool_input)
        account = AccountStore(ws.account_path).read()
        market = MarketData(ws.data())
        return assess_order(policy, intent, account, market, ws.root)
    except (PolicyError, AccountError, WorkspaceError) as err:
        return deny(str(err), policy, tool)
    except Exception as err:  # noqa: BLE001 - fail closed on anything unexpected
        return deny(f"risk check failed ({type(err).__name__}: {err})", policy, tool)
