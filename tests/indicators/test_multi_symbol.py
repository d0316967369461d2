"""Beta (a two-symbol indicator): inputs pair up by end time, returns feed sample covariance over variance."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from lean_local.indicators import Beta
from lean_local.market_data import TradeBar
from lean_local.securities.symbol import Symbol
from lean_local.enums import SecurityType

TARGET = Symbol.create("IBM", SecurityType.EQUITY, "usa")
REFERENCE = Symbol.create("SPY", SecurityType.EQUITY, "usa")


def daily(symbol: Symbol, day: int, close: float) -> TradeBar:
    return TradeBar(datetime(2013, 10, day, 9, 30), symbol, close, close, close, close, 0, timedelta(hours=6.5))


def test_beta_pairs_bars_by_end_time_and_matches_sample_statistics() -> None:
    target = [100.0, 101.0, 99.5, 102.0, 103.5, 103.0]
    reference = [50.0, 50.4, 50.1, 50.9, 51.2, 51.0]
    beta = Beta("B", TARGET, REFERENCE, 3)
    assert beta.warm_up_period == 4
    for day, (t, r) in enumerate(zip(target, reference), start=1):
        beta.update(daily(TARGET, day, t))
        beta.update(daily(REFERENCE, day, r))
    assert beta.is_ready
    # the very first bar (IBM day 1) only sets the resolution: pairs start on day 1 once SPY arrives
    t_returns = np.diff(target)[-3:] / np.array(target[-4:-1])
    r_returns = np.diff(reference)[-3:] / np.array(reference[-4:-1])
    expected = np.cov(t_returns, r_returns, ddof=1)[0, 1] / np.var(r_returns, ddof=1)
    assert float(beta.current.value) == pytest.approx(expected, rel=1e-9)


def test_beta_waits_for_both_symbols_and_rejects_others() -> None:
    beta = Beta(TARGET, REFERENCE, 3)
    assert beta.name == "B(3)"
    beta.update(daily(TARGET, 1, 100))
    beta.update(daily(TARGET, 2, 101))
    assert not beta.is_ready and float(beta.current.value) == 0
    with pytest.raises(ValueError):
        beta.update(daily(Symbol.create("AIG", SecurityType.EQUITY, "usa"), 3, 10))


def test_beta_period_below_two_is_rejected() -> None:
    with pytest.raises(ValueError):
        Beta("B", TARGET, REFERENCE, 1)
