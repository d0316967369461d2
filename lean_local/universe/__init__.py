"""Universe selection: universe types, selection data feeds, and applying selections to the algorithm."""
from lean_local.universe.changes import SecurityChanges, SecurityChangesConstructor
from lean_local.universe.fundamental import CoarseFundamental, CoarseFundamentalReader, Fundamental
from lean_local.universe.manager import UniverseManager
from lean_local.universe.settings import Schedule, UniverseSettings
from lean_local.universe.universes import (
    UNCHANGED,
    BaseDataCollection,
    CoarseFundamentalUniverse,
    FineFundamentalFilteredUniverse,
    FuncUniverse,
    FundamentalFilteredUniverse,
    FundamentalUniverse,
    FundamentalUniverseFactory,
    ScheduledUniverse,
    Universe,
    UniverseMember,
    UserDefinedUniverse,
)

__all__ = [
    "UNCHANGED", "BaseDataCollection", "CoarseFundamental", "CoarseFundamentalReader", "CoarseFundamentalUniverse",
    "FineFundamentalFilteredUniverse", "FuncUniverse", "Fundamental", "FundamentalFilteredUniverse",
    "FundamentalUniverse", "FundamentalUniverseFactory", "Schedule", "ScheduledUniverse", "SecurityChanges",
    "SecurityChangesConstructor", "Universe", "UniverseManager", "UniverseMember", "UniverseSettings",
    "UserDefinedUniverse",
]
