"""``active_securities`` lists universe members (manual additions included) and a security that leaves every
universe loses its cached prices, so adding it again starts from nothing."""
from __future__ import annotations

import textwrap
from pathlib import Path

from lean_local.runner import run_backtest


def test_removed_security_is_inactive_and_comes_back_without_prices(tmp_path: Path, lean_data: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class ComeAndGo(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.add_equity("SPY", Resolution.MINUTE)
                self.log_ = []

            def on_data(self, slice):
                if len(self.log_) >= 4:
                    return
                active = self.active_securities
                if active.contains_key("AIG"):
                    self.log_.append(("remove", self.securities["AIG"].price > 0))
                    self.remove_security("AIG")
                else:
                    aig = self.add_equity("AIG", Resolution.MINUTE)
                    self.log_.append(("add", aig.price, aig.has_data, active.contains_key("NOT_A_TICKER")))
    """), encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    assert result.engine.algorithm.log_ == [
        ("add", 0, False, False), ("remove", True), ("add", 0, False, False), ("remove", True)]
