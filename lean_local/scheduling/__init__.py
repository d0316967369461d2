"""LEAN's scheduled events: date rules, time rules, ``ScheduledEvent``, ``ScheduleManager`` (``self.schedule``)
and the backtesting real-time scheduler that fires them. See ``realtime.py`` for the engine contract."""
from lean_local.scheduling.clock import END_OF_TIME, MAX_TIME
from lean_local.scheduling.context import ExchangeHoursLike, SchedulingContext
from lean_local.scheduling.date_rules import DateRules, DayOfWeek
from lean_local.scheduling.events import (
    ScheduledEvent,
    create_event_name,
    every_algorithm_end_of_day,
    every_day_at,
    every_security_end_of_day,
)
from lean_local.scheduling.manager import EventSchedule, FluentScheduledEventBuilder, ScheduleManager
from lean_local.scheduling.realtime import RealTimeScheduler, sort_first_element
from lean_local.scheduling.rules import CompositeTimeRule, FuncDateRule, FuncTimeRule, IDateRule, ITimeRule
from lean_local.scheduling.time_rules import TimeRules

__all__ = [
    "END_OF_TIME",
    "MAX_TIME",
    "CompositeTimeRule",
    "DateRules",
    "DayOfWeek",
    "EventSchedule",
    "ExchangeHoursLike",
    "FluentScheduledEventBuilder",
    "FuncDateRule",
    "FuncTimeRule",
    "IDateRule",
    "ITimeRule",
    "RealTimeScheduler",
    "ScheduleManager",
    "ScheduledEvent",
    "SchedulingContext",
    "TimeRules",
    "create_event_name",
    "every_algorithm_end_of_day",
    "every_day_at",
    "every_security_end_of_day",
    "sort_first_element",
]
