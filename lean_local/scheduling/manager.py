"""``self.schedule``: LEAN's ScheduleManager and its fluent builder.

``on`` turns a date rule and a time rule into a ``ScheduledEvent`` whose dates start the day before the
current UTC date (read lazily) and run to ``Time.EndOfTime``; the real-time scheduler skips the past ones.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from inspect import Parameter, signature
from typing import Any, Protocol

from lean_local.scheduling.clock import END_OF_TIME, as_date_time, from_utc
from lean_local.scheduling.context import SchedulingContext
from lean_local.scheduling.date_rules import DateRules
from lean_local.scheduling.events import ScheduledEvent
from lean_local.scheduling.rules import CompositeTimeRule, IDateRule, ITimeRule
from lean_local.scheduling.time_rules import TimeRules


class EventSchedule(Protocol):
    """Where events go once the engine is ready (LEAN's ``IEventSchedule``; the ``RealTimeScheduler``)."""

    def add(self, scheduled_event: ScheduledEvent) -> None: ...

    def remove(self, scheduled_event: ScheduledEvent) -> None: ...


def dates_deferred(date_rule: IDateRule, context: SchedulingContext) -> Iterator[datetime]:
    """The rule's dates from the day before the current *UTC* date through 2050-12-31, computed on first use."""
    start = as_date_time(context.utc_time) - timedelta(days=1)
    yield from date_rule.get_dates(start, END_OF_TIME)


class ScheduleManager:
    """Algorithm-facing scheduling API: ``on``, ``event`` (fluent), ``add``, ``remove``, the rule helpers."""

    def __init__(self, context: SchedulingContext, event_schedule: EventSchedule | None = None) -> None:
        self._context = context
        self.date_rules = DateRules(context)
        self.time_rules = TimeRules(context)
        self._event_schedule: EventSchedule | None = None
        # events declared before the engine attached its scheduler, handed over in order later
        self._pre_initialized: list[ScheduledEvent] = []
        if event_schedule is not None:
            self.set_event_schedule(event_schedule)

    def set_event_schedule(self, event_schedule: EventSchedule) -> None:
        """Attach the engine's scheduler and hand it every event declared so far, in declaration order."""
        if event_schedule is None:
            raise ValueError("event_schedule is required")
        self._event_schedule = event_schedule
        for scheduled_event in self._pre_initialized:
            event_schedule.add(scheduled_event)

    def set_time_zone(self, time_zone: Any) -> None:
        """Engine hook for ``set_time_zone``: LEAN resets both rule helpers' default zone."""
        self.time_rules.set_default_time_zone(time_zone)
        self.date_rules.set_default_time_zone(time_zone)

    def add(self, scheduled_event: ScheduledEvent) -> None:
        if self._event_schedule is not None:
            self._event_schedule.add(scheduled_event)
        else:
            self._pre_initialized.append(scheduled_event)

    def remove(self, scheduled_event: ScheduledEvent) -> None:
        if self._event_schedule is not None:
            self._event_schedule.remove(scheduled_event)
        else:
            self._pre_initialized = [e for e in self._pre_initialized if e is not scheduled_event]

    def on(self, *args: Any, **kwargs: Any) -> ScheduledEvent:
        """``on(date_rule, time_rule, callback)`` or ``on(name, date_rule, time_rule, callback)``.

        The callback is called with no arguments, as LEAN does for Python callables (its ``PyObject``
        overload). The default name is ``"<date rule name>: <time rule name>"``.
        """
        name: str | None = kwargs.pop("name", None)
        date_rule: IDateRule | None = kwargs.pop("date_rule", None)
        time_rule: ITimeRule | None = kwargs.pop("time_rule", None)
        callback: Callable[[], Any] | None = kwargs.pop("callback", None)
        if kwargs:
            raise TypeError(f"unexpected arguments for schedule.on: {sorted(kwargs)}")
        positional = list(args)
        if positional and isinstance(positional[0], str):
            name = positional.pop(0)
        for value in positional:
            if date_rule is None:
                date_rule = value
            elif time_rule is None:
                time_rule = value
            elif callback is None:
                callback = value
            else:
                raise TypeError("schedule.on([name,] date_rule, time_rule, callback)")
        if date_rule is None or time_rule is None or callback is None:
            raise TypeError("schedule.on([name,] date_rule, time_rule, callback)")
        if not callable(callback):
            raise TypeError(f"schedule.on callback must be callable, got {callback!r}")
        user_callback = callback
        return self.on_event(name if name is not None else f"{date_rule.name}: {time_rule.name}",
                             date_rule, time_rule, lambda _name, _time: user_callback())

    def on_event(self, name: str, date_rule: IDateRule, time_rule: ITimeRule,
                 callback: Callable[[str, datetime], Any]) -> ScheduledEvent:
        """The ``Action<string, DateTime>`` overload: ``callback(name, scheduled_utc_time)``."""
        times = time_rule.create_utc_event_times(dates_deferred(date_rule, self._context))
        scheduled_event = ScheduledEvent(name, times, callback)
        self.add(scheduled_event)
        return scheduled_event

    def event(self, name: str | None = None) -> FluentScheduledEventBuilder:
        """Fluent entry point: ``schedule.event("n").every_day("SPY").at(10, 0).run(callback)``."""
        return FluentScheduledEventBuilder(self, self._context, name)

    def training_now(self, training_code: Callable[[], Any]) -> ScheduledEvent:
        """Run ``training_code`` once, now (LEAN's ``TrainingNow``)."""
        stamp = self._context.utc_time.isoformat()
        return self.on(f"Training: Now: {stamp}", self.date_rules.today, self.time_rules.now, training_code)

    def training(self, date_rule: IDateRule, time_rule: ITimeRule, training_code: Callable[[], Any]) -> ScheduledEvent:
        """Scheduled training; backtests treat it like ``on``."""
        return self.on(date_rule, time_rule, training_code)

    # LEAN spellings
    On = on
    Event = event
    Add = add
    Remove = remove
    TrainingNow = training_now
    Training = training

    @property
    def DateRules(self) -> DateRules:  # noqa: N802
        return self.date_rules

    @property
    def TimeRules(self) -> TimeRules:  # noqa: N802
        return self.time_rules


def _adapt_callback(callback: Callable[..., Any]) -> Callable[[str, datetime], Any]:
    """Fluent ``run`` accepts ``f()``, ``f(time)`` or ``f(name, time)``, chosen by positional arity."""
    try:
        params = [p for p in signature(callback).parameters.values()
                  if p.kind in (Parameter.POSITIONAL_ONLY, Parameter.POSITIONAL_OR_KEYWORD)]
        required = [p for p in params if p.default is Parameter.empty]
    except (TypeError, ValueError):
        return lambda _name, _time: callback()
    if len(required) >= 2:
        return lambda name, time: callback(name, time)
    if len(required) == 1:
        return lambda _name, time: callback(time)
    return lambda _name, _time: callback()


class FluentScheduledEventBuilder:
    """LEAN's ``FluentScheduledEventBuilder``: pick a date rule, add one or more time rules, filter, run."""

    def __init__(self, schedule: ScheduleManager, context: SchedulingContext, name: str | None = None) -> None:
        self._schedule = schedule
        self._context = context
        self._name = name
        self._date_rule: IDateRule | None = None
        self._time_rule: ITimeRule | None = None
        self._predicate: Callable[[datetime], bool] | None = None

    # dates
    def on(self, *args: Any) -> FluentScheduledEventBuilder:
        self._date_rule = self._schedule.date_rules.on(*args)
        return self

    def every(self, *args: Any) -> FluentScheduledEventBuilder:
        """Days of week before a time rule is set; an interval (``timedelta``) afterwards, as in LEAN."""
        if args and isinstance(args[0], timedelta):
            return self._set_time_rule(self._schedule.time_rules.every(args[0]))
        self._date_rule = self._schedule.date_rules.every(*args)
        return self

    def every_day(self, symbol: Any = None) -> FluentScheduledEventBuilder:
        self._date_rule = self._schedule.date_rules.every_day(symbol)
        return self

    def month_start(self, symbol: Any = None) -> FluentScheduledEventBuilder:
        self._date_rule = self._schedule.date_rules.month_start(symbol)
        return self

    def where(self, predicate: Callable[[datetime], bool]) -> FluentScheduledEventBuilder:
        """Keep only UTC event times for which every predicate given so far is true."""
        previous = self._predicate
        self._predicate = predicate if previous is None else (lambda t: previous(t) and predicate(t))
        return self

    # times
    def _set_time_rule(self, rule: ITimeRule) -> FluentScheduledEventBuilder:
        if self._time_rule is None:
            self._time_rule = rule
        elif isinstance(self._time_rule, CompositeTimeRule):
            self._time_rule = CompositeTimeRule(list(self._time_rule.rules) + [rule])
        else:
            self._time_rule = CompositeTimeRule(self._time_rule, rule)
        return self

    def at(self, *args: Any, **kwargs: Any) -> FluentScheduledEventBuilder:
        return self._set_time_rule(self._schedule.time_rules.at(*args, **kwargs))

    def after_market_open(self, symbol: Any, minutes_after_open: float = 0,
                          extended_market_open: bool = False) -> FluentScheduledEventBuilder:
        return self._set_time_rule(
            self._schedule.time_rules.after_market_open(symbol, minutes_after_open, extended_market_open))

    def before_market_close(self, symbol: Any, minute_before_close: float = 0,
                            extended_market_close: bool = False) -> FluentScheduledEventBuilder:
        return self._set_time_rule(
            self._schedule.time_rules.before_market_close(symbol, minute_before_close, extended_market_close))

    def during_market_hours(self, symbol: Any, extended_market: bool = False) -> FluentScheduledEventBuilder:
        """Keep only times when the security's exchange is open (the symbol must be in the algorithm)."""
        hours = self._context.exchange_hours_for(self._context.resolve_symbol(symbol))

        def predicate(utc: datetime) -> bool:
            return hours.is_open_at(from_utc(utc, hours.time_zone), extended_market)

        return self.where(predicate)

    def run(self, callback: Callable[..., Any]) -> ScheduledEvent:
        if self._date_rule is None or self._time_rule is None:
            raise ValueError("schedule.event(): choose a date rule and a time rule before run()")
        name = self._name if self._name is not None else f"{self._date_rule.name}: {self._time_rule.name}"
        times: Iterable[datetime] = self._time_rule.create_utc_event_times(
            dates_deferred(self._date_rule, self._context))
        predicate = self._predicate
        if predicate is not None:
            times = (t for t in times if predicate(t))
        scheduled_event = ScheduledEvent(name, times, _adapt_callback(callback))
        self._schedule.add(scheduled_event)
        return scheduled_event

    # LEAN spellings
    On = on
    Every = every
    EveryDay = every_day
    MonthStart = month_start
    Where = where
    At = at
    AfterMarketOpen = after_market_open
    BeforeMarketClose = before_market_close
    DuringMarketHours = during_market_hours
    Run = run

