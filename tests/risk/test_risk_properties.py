"""Property-based: the policy module never allows an over-limit order.

The oracle below re-derives every limit independently of ``risk_policy.evaluate_order``: exposures are the
worst case over *every subset* of open orders (brute force), values are exact fractions. The decision must
match the oracle exactly: allowed ⇔ no limit broken.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_backtest.risk_policy import (
    MarketView,
    OrderIntent,
    PortfolioView,
    assess_tool_call,
    evaluate_order,
    parse_policy,
)
from mcp_backtest.trading.sandbox import policy_document
from risk_oracle import over_limit

SYMBOLS = ["SPY", "AAA", "BBB", "CCC"]
NOW = datetime(2024, 3, 27, 10, 0)
EXAMPLES = 2000

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2)
fraction = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.99"), places=2)


def mostly(p_true: int = 8) -> st.SearchStrategy[bool]:
    """True in ``p_true`` of 10 draws (so that allowed orders are common too)."""
    return st.integers(0, 9).map(lambda x: x < p_true)


@st.composite
def scenarios(draw: st.DrawFn):
    symbol = draw(st.sampled_from(SYMBOLS))
    allow = draw(st.lists(st.sampled_from(SYMBOLS), min_size=1, unique=True))
    if draw(mostly(9)) and symbol not in allow:
        allow.append(symbol)
    policy = parse_policy(policy_document(
        limits__max_order_notional=float(draw(st.decimals(min_value=100, max_value=100_000, places=0))),
        limits__max_position_weight=float(draw(fraction)),
        limits__max_gross_exposure=float(draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("3"), places=2))),
        limits__daily_loss_limit=float(draw(fraction)),
        symbols__allow=allow,
        market_hours__require_open=draw(st.booleans()),
    ))
    prices = {s: draw(money) for s in SYMBOLS}
    positions = {s: q for s in SYMBOLS if draw(st.booleans()) and (q := draw(st.integers(-300, 300))) != 0}
    open_orders = draw(st.lists(st.tuples(st.sampled_from(SYMBOLS), st.integers(-200, 200).filter(bool)), max_size=4))
    cash = draw(st.decimals(min_value=-20_000, max_value=1_000_000, places=2))
    equity = cash + sum(q * prices[s] for s, q in positions.items())
    sod = equity + draw(st.decimals(min_value=-50_000, max_value=50_000, places=2)) if draw(mostly(9)) else draw(
        st.decimals(min_value=-1000, max_value=10, places=2))
    side = draw(st.sampled_from(["buy", "sell"]))
    qty = draw(st.integers(1, 2000) if draw(mostly(2)) else st.integers(1, 60))
    limit = draw(st.none() | money)
    intent = OrderIntent(symbol, side, qty, "market" if limit is None else "limit", limit, "property test")
    price = prices[symbol] if draw(mostly(9)) else None
    age = timedelta(minutes=draw(st.integers(0, 8000) if draw(mostly(2)) else st.integers(0, 300)))
    open_flag = draw(st.just(True) if draw(mostly(8)) else st.none() | st.just(False))
    market = MarketView(NOW, price, open_flag, NOW - age)
    portfolio = PortfolioView(Decimal(cash), positions,
                              {s: p for s, p in prices.items() if s in positions or draw(mostly(9))},
                              open_orders, Decimal(sod))
    kill = not draw(mostly(9))
    return policy, intent, portfolio, market, kill


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_decision_matches_the_independent_oracle(case) -> None:
    policy, intent, portfolio, market, kill = case
    decision = evaluate_order(policy, intent, portfolio, market, kill)
    broken = over_limit(policy, intent, portfolio, market, kill)
    assert decision.allowed == (not broken), (decision.to_json(), case)
    if not decision.allowed:
        assert decision.reasons and all(isinstance(r, str) and r for r in decision.reasons)


@settings(max_examples=300, deadline=None)
@given(st.from_type(type(None)) | st.dictionaries(st.text(max_size=12), st.none() | st.booleans() | st.integers()
       | st.floats(allow_nan=True) | st.text(max_size=20) | st.lists(st.integers(), max_size=3), max_size=8),
       st.sampled_from(["mcp__paper_broker__place_order", "place_order", "mcp__paper_broker__cancel_order", "",
                        "mcp__paper_broker__transfer_funds", None, 7]))
def test_junk_tool_calls_never_raise_and_never_allow_an_order(args, tool) -> None:
    """No paper account, no data: whatever the arguments, an order tool call is denied (fail closed)."""
    from mcp_backtest.trading.workspace import Workspace
    from pathlib import Path

    ws = Workspace(Path("/nonexistent/ws"), Path("/nonexistent/data"), Path("/nonexistent/state"),
                   Path("/nonexistent/policy.toml"))
    decision = assess_tool_call(tool, args, ws)
    assert decision.allowed is False
    assert decision.reasons


def _flat(policy_changes: dict, cash: str = "100000") -> tuple:
    policy = parse_policy(policy_document(**policy_changes))
    portfolio = PortfolioView(Decimal(cash), {}, {}, [], Decimal(cash))
    return policy, portfolio


def test_limits_are_inclusive_and_exact() -> None:
    policy, portfolio = _flat({"limits__max_order_notional": 1000.0, "symbols__allow": ["SPY"]})
    market = MarketView(NOW, Decimal("100"), True, NOW)
    at_limit = OrderIntent("SPY", "buy", 10, "market", None, "r")
    assert evaluate_order(policy, at_limit, portfolio, market, False).allowed
    over = OrderIntent("SPY", "buy", 10, "limit", Decimal("100.01"), "r")
    d = evaluate_order(policy, over, portfolio, market, False)
    assert not d.allowed and d.checks["order_notional"] == "fail"
    # weight: 20 % of 100 000 = 20 000 -> 200 shares at 100 is exactly the limit, 201 is over
    policy, portfolio = _flat({"symbols__allow": ["SPY"], "limits__max_order_notional": 1e6})
    assert evaluate_order(policy, OrderIntent("SPY", "buy", 200, "market", None, "r"), portfolio, market, False).allowed
    d = evaluate_order(policy, OrderIntent("SPY", "sell", 201, "market", None, "r"), portfolio, market, False)
    assert not d.allowed and d.checks["position_weight"] == "fail" and d.checks["gross_exposure"] == "pass"


def test_reducing_orders_pass_a_breached_book_but_nothing_passes_the_kill_switch() -> None:
    policy = parse_policy(policy_document(symbols__allow=["SPY"]))
    market = MarketView(NOW, Decimal("100"), True, NOW)
    # 500 shares of SPY at 100 in a 60 000 book: 83 % weight, and the day is down 40 %
    book = PortfolioView(Decimal("10000"), {"SPY": 500}, {"SPY": Decimal("100")}, [], Decimal("100000"))
    sell = OrderIntent("SPY", "sell", 100, "market", None, "cut")
    d = evaluate_order(policy, sell, book, market, False)
    assert d.allowed and d.checks["position_weight"] == "skip" and d.checks["daily_loss"] == "skip"
    assert not evaluate_order(policy, OrderIntent("SPY", "buy", 1, "market", None, "add"), book, market, False).allowed
    d = evaluate_order(policy, sell, book, market, True)
    assert not d.allowed and "kill switch" in d.summary()
    # flipping through zero to a bigger short is risk-increasing
    flip = OrderIntent("SPY", "sell", 1100, "market", None, "flip")
    assert evaluate_order(policy, flip, book, market, False).metrics["risk_increasing"] is True


def test_open_orders_count_in_the_worst_case() -> None:
    policy = parse_policy(policy_document(symbols__allow=["SPY"]))
    market = MarketView(NOW, Decimal("100"), True, NOW)
    # 150 shares bought already pending: a further 60 would make 210 shares = 21 % > 20 %
    book = PortfolioView(Decimal("100000"), {}, {}, [("SPY", 150), ("SPY", -40)], Decimal("100000"))
    d = evaluate_order(policy, OrderIntent("SPY", "buy", 60, "market", None, "r"), book, market, False)
    assert not d.allowed and d.checks["position_weight"] == "fail"
    assert evaluate_order(policy, OrderIntent("SPY", "buy", 50, "market", None, "r"), book, market, False).allowed
