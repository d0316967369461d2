"""The rule abstractions: a date rule yields dates, a time rule turns dates into UTC event times.

These mirror LEAN's ``IDateRule``/``ITimeRule`` and their function-backed and composite forms so that
algorithms (and the fluent builder) can combine rules exactly as they do in LEAN.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class IDateRule(Protocol):
    """Produces the dates (naive midnights) an event should run on between two bounds."""

    @property
    def name(self) -> str: ...

    def get_dates(self, start: datetime, end: datetime) -> Iterable[datetime]: ...


@runtime_checkable
class ITimeRule(Protocol):
    """Turns a sequence of dates into ordered naive-UTC event times."""

    @property
    def name(self) -> str: ...

    def create_utc_event_times(self, dates: Iterable[datetime]) -> Iterable[datetime]: ...


DatesFunction = Callable[[datetime, datetime], Iterable[datetime]]
TimesFunction = Callable[[Iterable[datetime]], Iterable[datetime]]


class FuncDateRule:
    """A date rule defined by a ``(start, end) -> dates`` function; evaluated lazily, like LEAN's."""

    def __init__(self, name: str, get_dates_function: DatesFunction) -> None:
        if not callable(get_dates_function):
            raise TypeError("FuncDateRule needs a callable (start, end) -> dates")
        self._name = name
        self._function = get_dates_function

    @property
    def name(self) -> str:
        return self._name

    def get_dates(self, start: datetime, end: datetime) -> Iterable[datetime]:
        return self._function(start, end)

    def __repr__(self) -> str:
        return f"FuncDateRule({self._name!r})"


class FuncTimeRule:
    """A time rule defined by a ``dates -> utc times`` function; evaluated lazily, like LEAN's."""

    def __init__(self, name: str, create_utc_event_times_function: TimesFunction) -> None:
        if not callable(create_utc_event_times_function):
            raise TypeError("FuncTimeRule needs a callable dates -> utc times")
        self._name = name
        self._function = create_utc_event_times_function

    @property
    def name(self) -> str:
        return self._name

    def create_utc_event_times(self, dates: Iterable[datetime]) -> Iterable[datetime]:
        return self._function(dates)

    def __repr__(self) -> str:
        return f"FuncTimeRule({self._name!r})"


class CompositeTimeRule:
    """Several time rules applied per date; each date's times are de-duplicated and sorted.

    Accepts rules as separate arguments or as one iterable, as the LEAN constructors do.
    """

    def __init__(self, *time_rules: ITimeRule | Iterable[ITimeRule]) -> None:
        rules: list[ITimeRule] = []
        for item in time_rules:
            if isinstance(item, ITimeRule):
                rules.append(item)
            else:
                rules.extend(item)
        self._rules: tuple[ITimeRule, ...] = tuple(rules)

    @property
    def rules(self) -> Sequence[ITimeRule]:
        return self._rules

    @property
    def name(self) -> str:
        return ",".join(rule.name for rule in self._rules)

    def create_utc_event_times(self, dates: Iterable[datetime]) -> Iterator[datetime]:
        for day in dates:
            one = [day]
            times: set[datetime] = set()
            for rule in self._rules:
                times.update(rule.create_utc_event_times(one))
            yield from sorted(times)
