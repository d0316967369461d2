"""ExposureLimitRiskModel: the scale factor, and a 170% gross / 110% net request on hour bars held to the caps."""
from __future__ import annotations

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def exposure():
    return library_module("risk_models.exposure")


def test_scale_is_the_tightest_cap() -> None:
    scale = exposure().exposure_scale
    values = [80.0, 60.0, -30.0]  # gross 170, net 110 on a portfolio of 100
    assert scale(values, 100.0, 1.2, 0.5, None) == pytest.approx(0.5 / 1.1)  # net binds
    assert scale(values, 100.0, 1.2, None, None) == pytest.approx(1.2 / 1.7)  # leverage binds
    assert scale(values, 100.0, None, None, 85.0) == pytest.approx(0.5)  # gross notional binds
    assert scale(values, 100.0, 2.0, 1.5, 1000.0) == 1.0  # within every cap
    assert scale([], 100.0, 1.0, 1.0, None) == 1.0
    assert scale(values, 0.0, 1.0, None, None) == 0.0  # no equity, no exposure
    factor = scale(values, 100.0, 1.2, 0.5, None)
    scaled = [v * factor for v in values]
    assert sum(abs(v) for v in scaled) <= 120.0 + 1e-9 and abs(sum(scaled)) <= 50.0 + 1e-9


def test_scaled_quantities_round_toward_zero() -> None:
    scale_quantity = exposure().scale_quantity
    assert scale_quantity(1000, 0.4545, 1) == 454
    assert scale_quantity(-1000, 0.4545, 1) == -454
    assert scale_quantity(1000, 0.4545, 100) == 400
    assert scale_quantity(10, 0.5, 1) == 5


@needs_data
@pytest.mark.parametrize(
    "parameters, gross_cap, net_cap, factor",
    [
        ((), 1.2, 0.5, 0.5 / 1.1),  # the net cap binds: everything scaled by 0.4545
        ((("max_net_exposure", "none"),), 1.2, None, 1.2 / 1.7),  # only the leverage cap: scaled by 0.7059
    ],
)
def test_caps_hold_every_hour(parameters: tuple, gross_cap: float, net_cap: float | None, factor: float) -> None:
    algorithm = run_model_algorithm("risk_exposure", parameters).engine.algorithm
    exposures = algorithm.exposures[1:]  # the first step is before the first order
    assert len(exposures) > 800
    for _, gross, net, weights in exposures:
        # the model leaves the book at the caps; an hour of price moves may push it slightly over before it trims
        assert gross <= gross_cap + 0.015
        if net_cap is not None:
            assert abs(net) <= net_cap + 0.015
    # right after each morning's rebalance the book is the requested 80 : 60 : -30 mix times the binding factor
    firsts: dict = {}
    for record in exposures:
        firsts.setdefault(record[0].date(), []).append(record)
    after_rebalance = [records[1] for records in firsts.values() if len(records) > 1]
    assert len(after_rebalance) > 120
    for _, _, _, weights in after_rebalance:
        assert weights["SPY"] == pytest.approx(0.8 * factor, rel=0.02)
        assert weights["AAPL"] == pytest.approx(0.6 * factor, rel=0.02)
        assert weights["IBM"] == pytest.approx(-0.3 * factor, rel=0.02)
    binding = net_cap if net_cap is not None else gross_cap
    measure = [abs(net) if net_cap is not None else gross for _, gross, net, _ in exposures]
    assert sum(measure) / len(measure) == pytest.approx(binding, abs=0.005)
    assert min(scale for _, scale in algorithm.scales[1:]) == pytest.approx(factor, rel=0.01)
