"""TWAP execution: slice each target into equal market orders over a time horizon, capped by bar volume."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, List

from AlgorithmImports import *


@dataclass
class TwapSlice:
    """One child order: when (algorithm time), what, how much, and the bar volume and cap it was sized against."""

    time: datetime
    symbol: Symbol
    quantity: float
    bar_volume: float
    participation_cap: float
    remaining_before: float


@dataclass
class _Schedule:
    target_quantity: float
    start: datetime
    end: datetime
    next_time: datetime


def slice_quantity(remaining: float, slices_left: int, lot_size: float) -> float:
    """The signed size of the next slice: an equal share of what remains over the slices left, at least one lot
    (or the whole remainder when it is smaller than a lot)."""
    if remaining == 0:
        return 0.0
    share = abs(remaining) / max(slices_left, 1)
    size = max(share, min(abs(remaining), lot_size))
    return math.copysign(size, remaining)


class TwapExecutionModel(ExecutionModel):
    """Works each portfolio target as a time-weighted series of market orders, each at most a share of bar volume.

    Why: sending a large order at once moves the price against us and shows our hand. Spreading it evenly in time
    (time-weighted average price, TWAP) averages the fill price over the horizon, and capping each child order at
    ``max_participation`` of the current bar's volume keeps the footprint small relative to the market.

    When a new target (a new quantity for a symbol) arrives, a schedule starts: one slice every ``interval`` until
    ``duration`` has passed. Each slice orders the still-unordered quantity divided by the number of slices left
    (at least one lot), cut to ``max_participation * security.volume`` and rounded down to whole lots
    (``OrderSizing.get_order_size_for_percent_volume``). A bar without volume skips the slice until a bar with
    volume arrives. Whatever the cap left over after the horizon is worked at the cap, one order per ``interval``,
    until the target is reached. A changed target restarts the schedule from the quantity then still unordered.

    Args:
        duration: the horizon over which a target is spread (default 30 minutes).
        interval: time between slices (default 5 minutes); with a coarser data resolution a slice happens at each bar.
        max_participation: largest child order as a fraction of the current bar's volume (default 0.10).
        asynchronous: passed on to ``market_order`` (default ``True``).

    ``slices`` lists every :class:`TwapSlice` placed.
    """

    def __init__(
        self, duration: timedelta = timedelta(minutes=30), interval: timedelta = timedelta(minutes=5),
        max_participation: float = 0.10, asynchronous: bool = True,
    ) -> None:
        super().__init__(asynchronous)
        if interval <= timedelta(0) or duration < timedelta(0):
            raise ValueError("TwapExecutionModel: interval must be positive and duration not negative")
        if not 0 < max_participation <= 1:
            raise ValueError("TwapExecutionModel: max_participation must be in (0, 1]")
        self.duration = duration
        self.interval = interval
        self.max_participation = max_participation
        self.targets_collection = PortfolioTargetCollection()
        self.slices: List[TwapSlice] = []
        self._schedules: Dict[Symbol, _Schedule] = {}

    def execute(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> None:
        now = algorithm.utc_time
        for target in targets:
            schedule = self._schedules.get(target.symbol)
            if schedule is None or schedule.target_quantity != target.quantity:
                self._schedules[target.symbol] = _Schedule(target.quantity, now, now + self.duration, now)
        self.targets_collection.add_range(targets)
        if self.targets_collection.is_empty:
            return
        for target in self.targets_collection.order_by_margin_impact(algorithm):
            symbol = target.symbol
            schedule = self._schedules.get(symbol)
            if schedule is None:
                schedule = _Schedule(target.quantity, now, now + self.duration, now)
                self._schedules[symbol] = schedule
            if now < schedule.next_time:
                continue
            security = algorithm.securities[symbol]
            remaining = OrderSizing.get_unordered_quantity(algorithm, target)
            if remaining == 0:
                continue
            slices_left = 1 if now >= schedule.end else math.ceil((schedule.end - now) / self.interval)
            desired = slice_quantity(remaining, slices_left, float(security.symbol_properties.lot_size))
            size = OrderSizing.get_order_size_for_percent_volume(security, self.max_participation, desired)
            if size == 0:
                continue
            algorithm.market_order(symbol, size, self.asynchronous, target.tag)
            volume = float(security.volume)
            self.slices.append(TwapSlice(algorithm.time, symbol, size, volume, self.max_participation * volume, remaining))
            schedule.next_time = now + self.interval
        self.targets_collection.clear_fulfilled(algorithm)
        for symbol in list(self._schedules):
            if not self.targets_collection.contains_key(symbol):
                del self._schedules[symbol]
