"""LEAN's data consolidators: period/count/calendar bar consolidators, identity, renko, market-hour aware daily bars,
and the engine-side registration and scan-past bookkeeping (:mod:`lean_local.consolidators.scanning`)."""
from __future__ import annotations

from lean_local.consolidators.bars import ConsolidatedBar, ConsolidatedTradeBar
from lean_local.consolidators.base import ConsolidatorBase, DataConsolidator, interface_event
from lean_local.consolidators.calendar import Calendar, CalendarInfo, CalendarType
from lean_local.consolidators.market_hours import MarketHourAwareConsolidator
from lean_local.consolidators.period import (
    BaseDataConsolidator,
    IdentityDataConsolidator,
    PeriodCountConsolidatorBase,
    QuoteBarConsolidator,
    TickConsolidator,
    TradeBarConsolidator,
)
from lean_local.consolidators.python_consolidator import PythonConsolidator
from lean_local.consolidators.renko import (
    BarDirection,
    ClassicRenkoConsolidator,
    RenkoBar,
    RenkoConsolidator,
    RenkoType,
    WickedRenkoConsolidator,
)
from lean_local.consolidators.scanning import (
    ConsolidatorScanner,
    scan_past_consolidators,
    scanner_for,
    select_subscription,
)

__all__ = [
    "BarDirection",
    "BaseDataConsolidator",
    "Calendar",
    "CalendarInfo",
    "CalendarType",
    "ClassicRenkoConsolidator",
    "ConsolidatedBar",
    "ConsolidatedTradeBar",
    "ConsolidatorBase",
    "ConsolidatorScanner",
    "DataConsolidator",
    "IdentityDataConsolidator",
    "MarketHourAwareConsolidator",
    "PeriodCountConsolidatorBase",
    "PythonConsolidator",
    "QuoteBarConsolidator",
    "RenkoBar",
    "RenkoConsolidator",
    "RenkoType",
    "TickConsolidator",
    "TradeBarConsolidator",
    "WickedRenkoConsolidator",
    "interface_event",
    "scan_past_consolidators",
    "scanner_for",
    "select_subscription",
]
