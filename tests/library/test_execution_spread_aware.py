"""SpreadAwareLimitExecutionModel: prices and spread checks, and SPY targets on minute trade and quote bars (raw
prices): passive limit orders, cancel/replace after the timeout, and the market fallback."""
from __future__ import annotations

from datetime import datetime, timedelta


from models_testkit import library_module, needs_data, run_model_algorithm

LIMIT_TYPE, MARKET_TYPE = 1, 0
FILLED, CANCELED = 3, 5


def module():
    return library_module("execution_models.spread_aware")


def test_limit_price_inside_the_spread() -> None:
    limit_price = module().limit_price
    assert limit_price(100, 10.00, 10.10, 0.0, 0.01) == 10.00  # join the bid
    assert limit_price(100, 10.00, 10.10, 0.5, 0.01) == 10.05  # mid
    assert limit_price(100, 10.00, 10.10, 1.0, 0.01) == 10.10  # take the ask
    assert limit_price(-100, 10.00, 10.10, 0.0, 0.01) == 10.10  # sells join the ask
    assert limit_price(-100, 10.00, 10.10, 0.5, 0.01) == 10.05
    assert limit_price(100, 10.00, 10.01, 0.5, 0.01) == 10.00  # half a tick: rounded down for a buy
    assert limit_price(-100, 10.00, 10.01, 0.5, 0.01) == 10.01  # and up for a sell


def test_spread_acceptance() -> None:
    acceptable = module().spread_is_acceptable
    assert acceptable(99.95, 100.05, 0.001)  # 10 bps of the mid
    assert not acceptable(99.9, 100.1, 0.001)
    assert not acceptable(0.0, 100.0, 0.5) and not acceptable(100.0, 0.0, 0.5)
    assert not acceptable(100.1, 100.0, 0.5)  # crossed


def events_of(algorithm, order_id: int) -> list[tuple]:
    return [e for e in algorithm.events if e[1] == order_id]


@needs_data
def test_limit_orders_at_the_quote_and_cancel_replace_after_the_timeout() -> None:
    algorithm = run_model_algorithm("execution_spread_aware", (("timeout", "1"), ("replacements", "1"))).engine.algorithm
    records = algorithm.model.orders
    assert [(r.time, r.action, r.quantity) for r in records] == [
        (datetime(2013, 10, 7, 9, 31), "limit", 595),
        (datetime(2013, 10, 8, 9, 31), "limit", -1190),
        (datetime(2013, 10, 8, 9, 32), "replace", -1190),
    ]
    orders = {o.id: o for o in algorithm.transactions.get_orders()}
    assert all(o.type == LIMIT_TYPE for o in orders.values())
    for record in records:
        submitted = events_of(algorithm, record.order_id)[0]
        _, _, status, _, _, bid, ask = submitted
        assert status == 1
        # aggressiveness 0: buys join the bid, sells the ask, of the quote when the order was placed
        assert record.limit_price == (bid if record.quantity > 0 else ask)
        assert orders[record.order_id].limit_price == record.limit_price
    # the unfilled sell was cancelled one minute after it was placed and replaced at the new ask in the same minute
    statuses = [(t, s) for t, _, s, *_ in events_of(algorithm, 2)]
    assert statuses[-1] == (datetime(2013, 10, 8, 9, 32), CANCELED)
    assert orders[2].status == CANCELED
    # the limits filled at their prices (or better), reaching the -100% target
    for order_id in (1, 3):
        fill = [e for e in events_of(algorithm, order_id) if e[2] == FILLED][0]
        order = orders[order_id]
        assert fill[3] == order.quantity
        assert (fill[4] <= order.limit_price) if order.quantity > 0 else (fill[4] >= order.limit_price)
    assert algorithm.portfolio[algorithm.spy].quantity == -595


@needs_data
def test_market_fallback_when_the_limit_is_not_filled_in_time() -> None:
    algorithm = run_model_algorithm("execution_spread_aware", (("timeout", "1"), ("replacements", "0"))).engine.algorithm
    records = algorithm.model.orders
    assert [(r.time, r.action, r.quantity, r.reason) for r in records][1:] == [
        (datetime(2013, 10, 8, 9, 31), "limit", -1190, ""),
        (datetime(2013, 10, 8, 9, 32), "market", -1190, "limit order not filled in time"),
    ]
    orders = {o.id: o for o in algorithm.transactions.get_orders()}
    assert orders[2].status == CANCELED
    assert orders[3].type == MARKET_TYPE and orders[3].status == FILLED
    assert algorithm.portfolio[algorithm.spy].quantity == -595


@needs_data
def test_market_fallback_when_the_spread_stays_too_wide() -> None:
    # a 0.1 bp limit: SPY's one-cent spread (~0.6 bp) is never acceptable, so after the 2-minute timeout it pays up
    algorithm = run_model_algorithm("execution_spread_aware", (("max_spread", "0.00001"),)).engine.algorithm
    records = algorithm.model.orders
    assert [(r.time, r.action, r.reason) for r in records] == [
        (datetime(2013, 10, 7, 9, 33), "market", "spread too wide until timeout"),
        (datetime(2013, 10, 8, 9, 33), "market", "spread too wide until timeout"),
    ]
    assert all(r.time - timedelta(minutes=2) == r.time.replace(minute=31) for r in records)
    assert all(o.type == MARKET_TYPE and o.status == FILLED for o in algorithm.transactions.get_orders())
    for record in records:
        assert (record.ask - record.bid) / ((record.ask + record.bid) / 2) > 0.00001
