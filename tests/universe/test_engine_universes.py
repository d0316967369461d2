"""Universes through the engine on LEAN's sample data: timing of selections, shared data, removals."""
from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from lean_local.data.paths import DataFolder
from lean_local.runner import run_backtest
from lean_local.universe import CoarseFundamental, CoarseFundamentalReader, Fundamental


def run(tmp_path: Path, lean_data: Path, source: str) -> Any:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", f"{result.runtime_error}\n{result.stack_trace}"
    return result.engine.algorithm


def test_coarse_reader_reads_every_row(data_folder: DataFolder) -> None:
    reader = CoarseFundamentalReader(data_folder)
    rows = reader.read(date(2014, 3, 24))
    assert len(rows) == 7111
    spy = next(r for r in rows if r.symbol.value == "SPY")
    assert isinstance(spy, Fundamental) and spy.price > 100 and spy.dollar_volume > 1e10
    assert spy.has_fundamental_data is False, "LEAN's coarse-backed Fundamental reports no fine data"
    coarse = reader.read(date(2014, 3, 24), CoarseFundamental)
    assert any(r.has_fundamental_data for r in coarse), "CoarseFundamental keeps the file's flag"
    assert reader.read(date(2014, 3, 22)) == [], "no file on a weekend: no rows, no error"


def test_fundamental_selection_runs_at_midnight_after_each_file_date(tmp_path: Path, lean_data: Path) -> None:
    algorithm = run(tmp_path, lean_data, """
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2014, 3, 24)
                self.set_end_date(2014, 3, 31)
                self.universe_settings.resolution = Resolution.DAILY
                self.calls = []
                self.add_universe(self.select)

            def select(self, rows):
                self.calls.append((self.time, len(rows), rows[0].time if rows else None))
                return [max(rows, key=lambda r: r.dollar_volume).symbol] if rows else []
    """)
    times = [(t, n) for t, n, _ in algorithm.calls if n]
    assert times[0] == (datetime(2014, 3, 25), 7111), "Monday's file is selected on at Tuesday midnight"
    assert all(t.weekday() in (1, 2, 3, 4, 5) for t, _ in times), "no selection data after weekend days"
    assert all(row_time.date() < t.date() for t, n, row_time in algorithm.calls if n), "never the same day's file"


def test_shared_data_survives_when_one_universe_drops_the_security(tmp_path: Path, lean_data: Path) -> None:
    algorithm = run(tmp_path, lean_data, """
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 9)
                self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
                spy = self.spy
                self.add_universe(ScheduledUniverse(self.date_rules.every_day(), self.time_rules.at(0, 0),
                                                    lambda when: [spy] if when.day == 7 else []))
                self.bars_by_day = {}
                self.changes = []

            def on_securities_changed(self, changes):
                self.changes.append((self.time, [s.symbol.value for s in changes.removed_securities]))

            def on_data(self, data):
                if data.bars.contains_key(self.spy):
                    self.bars_by_day[self.time.day] = self.bars_by_day.get(self.time.day, 0) + 1
    """)
    assert algorithm.bars_by_day == {7: 390, 8: 390, 9: 390}, "add_equity's universe still holds SPY"
    assert any(removed == ["SPY"] for _, removed in algorithm.changes), "the scheduled universe's removal is reported"


def test_remove_security_liquidates_and_stops_data(tmp_path: Path, lean_data: Path) -> None:
    algorithm = run(tmp_path, lean_data, """
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 8)
                self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
                self.ibm = self.add_equity("IBM", Resolution.MINUTE).symbol
                self.last_spy_bar = None
                self.removed = []

            def on_data(self, data):
                if data.bars.contains_key(self.spy):
                    self.last_spy_bar = self.time
                if self.time == datetime(2013, 10, 7, 10, 0):
                    self.market_order(self.spy, 10)
                if self.time == datetime(2013, 10, 7, 11, 0):
                    self.remove_security(self.spy)

            def on_securities_changed(self, changes):
                self.removed += [(self.time, s.symbol.value) for s in changes.removed_securities]
    """)
    orders = algorithm.transactions.get_orders()
    assert [(o.quantity, o.tag) for o in orders] == [(10, ""), (-10, "Removed")]
    assert algorithm.removed == [(datetime(2013, 10, 7, 11, 0), "SPY")], "removed in the same minute, on a second slice"
    assert algorithm.last_spy_bar == datetime(2013, 10, 7, 11, 0)
    security = algorithm.securities[algorithm.spy]
    assert not security.is_tradable and security.holdings.quantity == 0
    assert algorithm.spy not in [kvp.key for kvp in algorithm.securities], "no longer among the active securities"


def test_add_equity_during_the_run_joins_on_the_next_slice(tmp_path: Path, lean_data: Path) -> None:
    algorithm = run(tmp_path, lean_data, """
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
                self.added = []
                self.ibm = None
                self.first_ibm_bar = None

            def on_data(self, data):
                if self.time == datetime(2013, 10, 7, 12, 0):
                    self.ibm = self.add_equity("IBM", Resolution.MINUTE).symbol
                if self.ibm is not None and self.first_ibm_bar is None and data.bars.contains_key(self.ibm):
                    self.first_ibm_bar = self.time

            def on_securities_changed(self, changes):
                self.added += [(self.time, s.symbol.value) for s in changes.added_securities]
    """)
    assert algorithm.added[0][1] == "SPY"
    # LEAN starts the user-defined universe one tick after now, so IBM joins on an extra slice just after 12:00
    # (LEAN's tick is 100 ns; Python datetimes hold microseconds, so lean_local uses 1 us)
    assert algorithm.added[1] == (datetime(2013, 10, 7, 12, 0, 0, 1), "IBM")
    assert algorithm.first_ibm_bar == datetime(2013, 10, 7, 12, 1), "its first bar is the one after it joined"


@pytest.mark.parametrize("bad", ["42", "None", "lambda: 1, 2, 3"])
def test_add_universe_with_a_wrong_argument_says_what_is_accepted(tmp_path: Path, lean_data: Path, bad: str) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent(f"""
        from AlgorithmImports import *

        class Probe(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.add_universe({bad})
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "RuntimeError"
    assert "add_universe" in result.runtime_error
