"""All six Library/alpha models on one algorithm whose universe changes: IBM is removed on 2019-06-03 and added
back on 2019-09-03. The models must detach their consolidators, stop emitting for IBM, and rebuild (and warm up)
their state when it comes back."""
from __future__ import annotations

import pytest

from alpha_testkit import needs_data, run_alpha_algorithm, ticker

pytestmark = needs_data


@pytest.fixture(scope="module")
def algorithm():
    return run_alpha_algorithm("universe_changes").engine.algorithm


def test_removal_detaches_every_model_consolidator(algorithm) -> None:
    windows = algorithm.removed_windows
    assert len(windows) == 6 and all(window is not None for window in windows)
    removed = [(time, symbol, consolidator) for time, symbol, consolidator in algorithm.removed_consolidators]
    for window in windows:
        assert (algorithm.removed_at, algorithm.ibm, window.consolidator) in removed
        assert all(window.consolidator not in config.consolidators for config in algorithm.removed_configs)
    # nothing else was removed: SPY's and IWM's windows keep their consolidators
    assert {symbol for _, symbol, _ in removed} == {algorithm.ibm}
    assert len(removed) == 6


def test_no_insights_for_a_removed_security(algorithm) -> None:
    ibm = [time for time, batch in algorithm.generated for i in batch if ticker(i) == "IBM"]
    assert ibm and not [t for t in ibm if algorithm.removed_at < t < algorithm.added_back_at]
    assert any(t < algorithm.removed_at for t in ibm) and any(t >= algorithm.added_back_at for t in ibm)
    others = [time for time, batch in algorithm.generated for i in batch
              if ticker(i) != "IBM" and algorithm.removed_at < time < algorithm.added_back_at]
    assert others  # the models keep working on the rest of the universe


def test_re_added_security_gets_a_fresh_warmed_up_window(algorithm) -> None:
    for model, old_window in zip(algorithm.models, algorithm.removed_windows):
        window = model.windows.get(algorithm.ibm)
        assert window is not None and window is not old_window
        assert window.is_ready and window.consolidator is not old_window.consolidator
        # the new window was filled from history on re-entry, then kept current until the end
        assert window.end_time == algorithm.bar_times[-1]
        assert window.samples >= window.size


def test_warm_up_lets_the_models_signal_right_after_re_entry(algorithm) -> None:
    bars_after = [t for t in algorithm.bar_times if t > algorithm.added_back_at]
    first = {}
    for time, batch in algorithm.generated:
        for insight in batch:
            if ticker(insight) == "IBM" and time > algorithm.added_back_at:
                first.setdefault(insight.source_model.split("(")[0], time)
    # no waiting 63 bars for the lookback to fill: history warm-up makes the next bar usable
    assert first["TimeSeriesMomentumAlphaModel"] == bars_after[0]
    assert first["RegimeFilteredTrendAlphaModel"] == bars_after[0]
