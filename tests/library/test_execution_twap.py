"""TwapExecutionModel: slice sizing, and a $1M SPY target worked over minute bars with a 0.1% participation cap."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from models_testkit import library_module, needs_data, run_model_algorithm


def test_slice_quantity() -> None:
    slice_quantity = library_module("execution_models.twap").slice_quantity
    assert slice_quantity(1200, 6, 1) == 200
    assert slice_quantity(-1200, 6, 1) == -200
    assert slice_quantity(5, 6, 1) == 1  # at least one lot
    assert slice_quantity(-0.5, 6, 1) == -0.5  # a remainder below one lot is asked for whole (and rounds to 0)
    assert slice_quantity(0, 3, 1) == 0


def test_parameters_are_validated() -> None:
    module = library_module("execution_models.twap")
    with pytest.raises(ValueError):
        module.TwapExecutionModel(interval=timedelta(0))
    with pytest.raises(ValueError):
        module.TwapExecutionModel(max_participation=1.5)


@needs_data
def test_twap_slices_in_time_under_the_participation_cap() -> None:
    algorithm = run_model_algorithm("execution_twap").engine.algorithm
    slices = algorithm.twap.slices
    orders = algorithm.transactions.get_orders()
    assert len(orders) == len(slices) == len(algorithm.submitted)
    first_day = [s for s in slices if s.time.date() == datetime(2013, 10, 7).date()]
    assert len(first_day) >= 10  # a 6,889-share target cut into many child orders

    start = first_day[0].time
    assert start == datetime(2013, 10, 7, 9, 31)  # the target arrives with the first bar
    for previous, current in zip(first_day, first_day[1:]):
        assert current.time - previous.time == timedelta(minutes=5)

    volumes = {order_id: volume for _, order_id, volume in algorithm.submitted}
    for order, child in zip(orders, slices):
        assert order.quantity == child.quantity
        assert order.status == 3  # filled
        # never more than 0.1% of the volume of the bar it was sized on (whole shares)
        assert abs(order.quantity) <= math.floor(0.001 * volumes[order.id])
        assert child.bar_volume == volumes[order.id]

    # within the 30-minute horizon each child is the remaining quantity over the slices left, or the cap if smaller;
    # after it, the cap (or what is left)
    end = start + timedelta(minutes=30)
    for child in first_day:
        slices_left = 1 if child.time >= end else math.ceil((end - child.time) / timedelta(minutes=5))
        wanted = max(child.remaining_before / slices_left, min(child.remaining_before, 1))
        assert child.quantity == min(math.floor(0.001 * child.bar_volume), math.floor(wanted))
    assert any(c.quantity == math.floor(0.001 * c.bar_volume) for c in first_day)  # the cap binds on this data
    assert first_day[-1].time > end  # so the work runs past the horizon, at the cap

    # the target is reached exactly: the first remaining quantity is what the portfolio model asked for
    target = first_day[0].remaining_before
    assert sum(c.quantity for c in first_day) == target
    assert sum(o.quantity for o in orders) == algorithm.portfolio[algorithm.spy].quantity
