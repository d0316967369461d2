"""Security initializers and seeders: the default initializer applies the brokerage model, ``set_security_initializer``
replaces it, ``add_security_initializer`` chains after it, and seeders give a new security its last known prices
(``get_last_known_prices``: the last bar of each data type, trade before quote)."""
from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

from lean_local.runner import run_backtest


def _run(tmp_path: Path, lean_data: Path, body: str) -> Any:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 8)
                self.set_end_date(2013, 10, 8)
    """) + textwrap.indent(textwrap.dedent(body), " " * 8), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    return result.engine.algorithm


def test_func_seeder_sets_the_last_trade_and_quote_bars_before_the_first_slice(tmp_path: Path, lean_data: Path) -> None:
    algorithm = _run(tmp_path, lean_data, """
        self.set_security_initializer(BrokerageModelSecurityInitializer(
            self.brokerage_model, FuncSecuritySeeder(self.get_last_known_prices)))
        spy = self.add_equity("SPY", Resolution.MINUTE)
        self.seeded = (spy.price, spy.bid_price, spy.ask_price, spy.get_last_data().end_time)
        self.points = [(type(d).__name__, d.end_time) for d in self.get_last_known_prices(spy)]
    """)
    price, bid, ask, last_end = algorithm.seeded
    assert price > 0 and bid > 0 and ask > 0
    # the last minute of the previous session, trade bar first
    assert algorithm.points == [("TradeBar", datetime(2013, 10, 7, 16)), ("QuoteBar", datetime(2013, 10, 7, 16))]
    assert last_end == datetime(2013, 10, 7, 16)


def test_get_last_known_price_prefers_the_trade_bar(tmp_path: Path, lean_data: Path) -> None:
    algorithm = _run(tmp_path, lean_data, """
        spy = self.add_equity("SPY", Resolution.MINUTE)
        self.last = self.get_last_known_price(spy)
        self.unseeded_price = spy.price
        self.many = self.get_last_known_prices([spy.symbol])
    """)
    assert type(algorithm.last).__name__ == "TradeBar"
    assert algorithm.unseeded_price == 0  # the default initializer does not seed
    assert [type(d).__name__ for d in algorithm.many["SPY"]] == ["TradeBar", "QuoteBar"]


def test_set_security_initializer_replaces_the_brokerage_models(tmp_path: Path, lean_data: Path) -> None:
    algorithm = _run(tmp_path, lean_data, """
        self.set_brokerage_model(BrokerageName.DEFAULT, AccountType.CASH)
        self.set_security_initializer(lambda security: None)
        self.spy_leverage = self.add_equity("SPY", Resolution.DAILY).leverage
    """)
    assert algorithm.spy_leverage == 2.0  # the equity's own default, not the cash account's 1


def test_add_security_initializer_runs_after_the_brokerage_models(tmp_path: Path, lean_data: Path) -> None:
    algorithm = _run(tmp_path, lean_data, """
        self.set_brokerage_model(BrokerageName.DEFAULT, AccountType.CASH)
        self.seen_leverage = []
        self.add_security_initializer(lambda security: self.seen_leverage.append(security.leverage))
        self.add_equity("SPY", Resolution.DAILY)
    """)
    assert algorithm.seen_leverage == [1.0]


def test_seed_initial_prices_setting_seeds_new_securities(tmp_path: Path, lean_data: Path) -> None:
    algorithm = _run(tmp_path, lean_data, """
        self.settings.seed_initial_prices = True
        self.seeded_price = self.add_equity("SPY", Resolution.DAILY).price
    """)
    assert algorithm.seeded_price > 0
