"""Readers for LEAN's on-disk data (bars, factor and map files, market hours, symbol properties, rates).

Import from the submodules; the most used names are re-exported here.
"""
from lean_local.data.errors import CorruptDataError, DataError, MissingDataError
from lean_local.data.paths import DataFolder

__all__ = ["CorruptDataError", "DataError", "DataFolder", "MissingDataError"]
