"""An independent statement of "over the limit" for property tests (brute-force worst case, exact fractions)."""
from __future__ import annotations

import itertools
from datetime import timedelta
from fractions import Fraction


def worst_exposure(position: int, pending: list[int]) -> int:
    return max(abs(position + sum(c)) for n in range(len(pending) + 1) for c in itertools.combinations(pending, n))


def over_limit(policy, intent, portfolio, market, kill) -> bool:
    if kill or intent.symbol not in policy.allowed_symbols:
        return True
    if policy.require_market_open and market.market_open is not True:
        return True
    if market.price is None or market.price <= 0:
        return True
    if market.now - market.price_time > timedelta(days=float(policy.max_price_age_days)):
        return True
    p = Fraction(market.price)
    ref = max(p, Fraction(intent.limit_price)) if intent.limit_price is not None else p
    if intent.quantity * ref > Fraction(policy.max_order_notional):
        return True
    involved = set(portfolio.positions) | {s for s, _ in portfolio.open_orders} | {intent.symbol}
    prices = {}
    for s in involved:
        if s == intent.symbol:
            prices[s] = p
        elif s not in portfolio.prices:
            return True  # cannot value the book
        else:
            prices[s] = Fraction(portfolio.prices[s])
    pending = {s: [q for t, q in portfolio.open_orders if t == s] for s in involved}
    before = worst_exposure(portfolio.positions.get(intent.symbol, 0), pending[intent.symbol])
    after = worst_exposure(portfolio.positions.get(intent.symbol, 0), pending[intent.symbol] + [intent.signed_quantity])
    if after <= before:
        return False  # does not add risk
    equity = Fraction(portfolio.cash) + sum(q * prices[s] for s, q in portfolio.positions.items())
    if equity <= 0:
        return True
    if after * p / equity > Fraction(policy.max_position_weight):
        return True
    gross = after * p + sum(worst_exposure(portfolio.positions.get(s, 0), pending[s]) * prices[s]
                            for s in involved if s != intent.symbol)
    if gross / equity > Fraction(policy.max_gross_exposure):
        return True
    sod = Fraction(portfolio.day_start_equity)
    return sod <= 0 or sod - equity >= Fraction(policy.daily_loss_limit) * sod
