"""Registering consolidators on subscriptions, and LEAN's "scan past consolidators" step.

LEAN scans every registered consolidator once per time slice right after it was updated with the slice's data
(the engine does that). In addition, at the start of each slice, before the algorithm clock moves to the slice
time, ``SubscriptionManager.ScanPastConsolidators`` scans the consolidators whose next expected bar end lies
before the new time, with the algorithm clock set to that bar end. That is how a weekly bar is emitted at Monday
00:00 even though no data arrives then, and why its handler sees ``self.time`` = Monday 00:00.

Each consolidator gets a tracker (LEAN's ``ConsolidatorWrapper``) with its next scan time:

* after an emitted bar: bar end + bar span (the span learned from the first bar, at least the subscription
  increment and one second);
* otherwise: the working bar's end if still ahead, else now + the increment.

The engine calls :func:`scan_past_consolidators` once per slice (before setting the algorithm time). Trackers are
created when a consolidator is registered through :meth:`ConsolidatorScanner.add` (call it from
``SubscriptionManager.add_consolidator``) or, failing that, when the scanner first sees it on a subscription.
"""
from __future__ import annotations

import heapq
import itertools
import weakref
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from lean_local.consolidators.base import interface_event
from lean_local.timeutil import from_utc, to_utc

_ONE_SECOND = timedelta(seconds=1)
_ids = itertools.count(1)


def _is_assignable(base: Any, derived: Any) -> bool:
    """``base.IsAssignableFrom(derived)`` for the Python types that stand in for LEAN's data types."""
    if base is None or derived is None:
        return False
    try:
        return issubclass(derived, base)
    except TypeError:
        return False


def select_subscription(configs: Iterable[Any], consolidator: Any, tick_type: Any = None) -> Any:
    """The subscription a consolidator is attached to (LEAN's ``AddConsolidator``): the first config, in order,
    whose data type the consolidator accepts; for tick subscriptions the tick type must match too. Raises
    ``ValueError`` like LEAN when none does."""
    from lean_local.enums import TickType
    from lean_local.market_data import BaseData, Tick

    candidates = [config for config in configs if not getattr(config, "is_internal_feed", False)]
    if not candidates:
        raise ValueError("Please subscribe to this symbol before adding a consolidator for it.")
    input_type = getattr(consolidator, "input_type", None) or BaseData
    if input_type is BaseData and tick_type is None:
        tick_type = TickType.TRADE
    for config in candidates:
        if not _is_assignable(input_type, config.type):
            continue
        if config.type is Tick and getattr(config, "tick_type", None) != (tick_type if tick_type is not None else TickType.TRADE):
            continue
        return config
    types = ",".join(getattr(c.type, "__name__", str(c.type)) for c in candidates)
    symbol = getattr(candidates[0], "symbol", "")
    if tick_type is not None and not any(getattr(c, "tick_type", None) == tick_type for c in candidates):
        raise ValueError(
            f"No subscription with the requested Tick Type {tick_type} was found. Available Tick Types: "
            + ", ".join(str(getattr(c, "tick_type", "")) for c in candidates)
        )
    raise ValueError(
        f"Type mismatch found between consolidator and symbol. Symbol: {getattr(symbol, 'value', symbol)} does "
        f"not support input type: {getattr(input_type, '__name__', input_type)}. Supported types: {types}."
    )


class _Tracker:
    """Next scan time of one consolidator (LEAN's ``ConsolidatorWrapper``)."""

    __slots__ = ("consolidator", "time_zone", "minimum_increment", "id", "bar_span", "utc_scan_time", "disposed",
                 "on_subscription", "_algorithm", "_handler", "__weakref__")

    def __init__(self, consolidator: Any, config: Any, algorithm: Any) -> None:
        self.consolidator = consolidator
        self.time_zone: str = getattr(config, "exchange_time_zone", None) or "America/New_York"
        increment = getattr(config, "increment", _ONE_SECOND)
        self.minimum_increment = increment if increment >= _ONE_SECOND else _ONE_SECOND
        self.id = next(_ids)
        self.bar_span: timedelta | None = None
        self.utc_scan_time = datetime.min
        self.disposed = False
        self.on_subscription = False
        self._algorithm = algorithm
        self._handler = self._on_consolidated
        interface_event(consolidator).__iadd__(self._handler)

    def _now(self) -> datetime:
        return self._algorithm.utc_time  # type: ignore[no-any-return]

    def _on_consolidated(self, sender: Any, consolidated: Any) -> None:
        self.advance(consolidated)

    def advance(self, consolidated: Any = None) -> None:
        now = self._now()
        if consolidated is None and self.utc_scan_time > now:
            return
        if self.bar_span is not None:
            reference = now
            if consolidated is not None:
                reference = to_utc(consolidated.end_time, self.time_zone)
            self.utc_scan_time = reference + self.bar_span
            return
        if consolidated is not None:
            span = consolidated.end_time - consolidated.time
            self.bar_span = span if span >= self.minimum_increment else self.minimum_increment
            self.utc_scan_time = to_utc(consolidated.end_time, self.time_zone) + self.bar_span
            return
        working = self.consolidator.working_data
        if working is None:
            self.utc_scan_time = now + self.minimum_increment
            return
        potential_end = to_utc(working.end_time, self.time_zone)
        self.utc_scan_time = potential_end if potential_end > now else now + self.minimum_increment

    def scan(self) -> None:
        self.consolidator.scan(from_utc(self._now(), self.time_zone))
        self.advance()

    def dispose(self) -> None:
        self.disposed = True
        try:
            interface_event(self.consolidator).__isub__(self._handler)
        except AttributeError:
            pass


class ConsolidatorScanner:
    """Scan-time bookkeeping of the consolidators registered on an algorithm's subscriptions."""

    def __init__(self) -> None:
        self._trackers: dict[int, _Tracker] = {}
        self._to_add: list[_Tracker] = []
        self._queue: list[tuple[datetime, int, _Tracker]] = []

    def add(self, config: Any, consolidator: Any, algorithm: Any) -> None:
        """Track a consolidator just attached to ``config`` (call from ``SubscriptionManager.add_consolidator``)."""
        key = id(consolidator)
        previous = self._trackers.get(key)
        if previous is not None and not previous.disposed:
            return
        tracker = _Tracker(consolidator, config, algorithm)
        self._trackers[key] = tracker
        self._to_add.append(tracker)

    def remove(self, consolidator: Any) -> None:
        """Stop tracking (call from ``SubscriptionManager.remove_consolidator``)."""
        tracker = self._trackers.pop(id(consolidator), None)
        if tracker is not None:
            tracker.dispose()

    def _discover(self, algorithm: Any) -> None:
        manager = getattr(algorithm, "subscription_manager", None)
        if manager is None:
            return
        seen: set[int] = set()
        for config in manager.get_subscription_data_configs():
            for consolidator in list(getattr(config, "consolidators", ())):
                key = id(consolidator)
                seen.add(key)
                if key not in self._trackers:
                    self.add(config, consolidator, algorithm)
                self._trackers[key].on_subscription = True
        # a consolidator taken off its subscription is not scanned any more
        for key in [k for k, t in self._trackers.items() if t.on_subscription and k not in seen]:
            self._trackers.pop(key).dispose()

    def scan_past(self, algorithm: Any, new_utc_time: datetime) -> None:
        """LEAN's ``ScanPastConsolidators(newUtcTime)``: scan every consolidator whose scan time is before
        ``new_utc_time``, with the algorithm clock set to that scan time."""
        self._discover(algorithm)
        if self._to_add:
            for tracker in self._to_add:
                tracker.advance()
                heapq.heappush(self._queue, (tracker.utc_scan_time, tracker.id, tracker))
            self._to_add = []
        queue = self._queue
        while queue and queue[0][0] < new_utc_time:
            priority_time, _, tracker = heapq.heappop(queue)
            if tracker.disposed:
                continue
            if priority_time != algorithm.utc_time:
                algorithm.set_date_time(priority_time)
            if tracker.utc_scan_time <= priority_time:
                tracker.scan()
            heapq.heappush(queue, (tracker.utc_scan_time, tracker.id, tracker))


_SCANNERS: "weakref.WeakKeyDictionary[Any, ConsolidatorScanner]" = weakref.WeakKeyDictionary()


def scanner_for(algorithm: Any) -> ConsolidatorScanner:
    """The scanner of an algorithm (created on first use)."""
    scanner = _SCANNERS.get(algorithm)
    if scanner is None:
        scanner = _SCANNERS[algorithm] = ConsolidatorScanner()
    return scanner


def scan_past_consolidators(algorithm: Any, utc_time: datetime) -> None:
    """Engine hook, once per time slice before the algorithm time is set to ``utc_time``."""
    scanner_for(algorithm).scan_past(algorithm, utc_time)
