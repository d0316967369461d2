"""Selection-data streams for universes, merged into the data feed alongside market data.

Each yields :class:`BaseDataCollection` items whose ``end_time`` (in the stream's clock) is when selection runs.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from lean_local.feed import LocalClock
from lean_local.market_data import BaseData
from lean_local.universe.fundamental import CoarseFundamentalReader
from lean_local.universe.universes import BaseDataCollection, Universe

ONE_DAY = timedelta(days=1)


class TriggerPoint(BaseData):
    """The single data point of a time-triggered selection (LEAN uses a tick for it)."""

    __slots__ = ()


class UniverseSubscription:
    """Common shape the synchronizer expects: ``config``, ``clock``, ``removed``, iteration."""

    is_universe = True

    def __init__(self, universe: Universe, security: Any = None) -> None:
        self.universe = universe
        self.config = universe.configuration
        self.security = security
        self.clock = LocalClock(self.config.exchange_time_zone)
        self.removed = False
        self._iterator: Iterator[BaseDataCollection] = iter(())

    def __iter__(self) -> Iterator[BaseDataCollection]:
        return self._iterator


class TimeTriggeredUniverseSubscription(UniverseSubscription):
    """One point per trigger time of a user-defined or scheduled universe."""

    def __init__(self, universe: Universe, start_utc: datetime, end_utc: datetime, exchange_hours: Any) -> None:
        super().__init__(universe)
        times = universe.get_trigger_times(start_utc, end_utc, exchange_hours)  # type: ignore[attr-defined]
        self._iterator = (
            BaseDataCollection(moment, self.config.symbol, [TriggerPoint(self.config.symbol, moment, moment)])
            for moment in times
        )


class FundamentalUniverseSubscription(UniverseSubscription):
    """Each tradable day's coarse file, delivered at the following midnight (no look-ahead)."""

    def __init__(self, universe: Universe, start_local: datetime, end_local: datetime, exchange_hours: Any,
                 reader: CoarseFundamentalReader) -> None:
        super().__init__(universe)
        self._hours = exchange_hours
        self._reader = reader
        row_type = getattr(universe, "row_type", None)
        collections = self._collections(start_local.date(), end_local.date(), row_type)
        schedule = universe.universe_settings.schedule if universe.has_universe_settings else None
        if schedule is not None and schedule.initialized:
            scheduled = schedule.get(start_local, end_local)
            self._iterator = _on_schedule(collections, scheduled, start_local)
        else:
            self._iterator = collections

    def _collections(self, first: date, last: date, row_type: Any) -> Iterator[BaseDataCollection]:
        day = first
        while day <= last:
            if self._hours.is_date_open(day, False):
                rows = self._reader.read(day, row_type) if row_type is not None else self._reader.read(day)
                moment = datetime.combine(day + ONE_DAY, time())
                yield BaseDataCollection(moment, self.config.symbol, rows)
            day += ONE_DAY


def _on_schedule(collections: Iterator[BaseDataCollection], scheduled: list[datetime], start: datetime) -> Iterator[BaseDataCollection]:
    """Deliver, at each scheduled date, the newest collection available by then (LEAN's ``ScheduledEnumerator``)."""
    times = [moment for moment in scheduled if moment >= start]
    pending: BaseDataCollection | None = None
    last: BaseDataCollection | None = None
    source = iter(collections)
    upcoming = next(source, None)
    for moment in times:
        while upcoming is not None and upcoming.end_time <= moment:
            pending = upcoming
            upcoming = next(source, None)
        candidate = pending if pending is not None else last
        if candidate is None:
            if upcoming is None:
                return
            continue
        emitted = BaseDataCollection(min(candidate.time, moment), candidate.symbol, candidate.data, moment)
        emitted.is_fill_forward = pending is None
        last = candidate
        pending = None
        yield emitted

