"""Research with LEAN's ``QuantBook`` API on the lean_local engine, in any Jupyter kernel (no Docker, no .NET).

A notebook starts with::

    from lean_local.research import install_algorithm_imports
    install_algorithm_imports()
    from AlgorithmImports import *

    qb = QuantBook()                       # data: $LEAN_LOCAL_DATA_FOLDER, else lean.json's data-folder
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    frame = qb.history(spy, datetime(2020, 1, 1), datetime(2021, 1, 1), Resolution.DAILY)
    bands = qb.indicator(BollingerBands(20, 2), spy, datetime(2020, 1, 1), datetime(2021, 1, 1), Resolution.DAILY)
"""
from __future__ import annotations

from lean_local.research.imports import install_algorithm_imports, uninstall_algorithm_imports
from lean_local.research.indicator_history import IndicatorDataPoints, IndicatorHistory
from lean_local.research.quantbook import QuantBook
from lean_local.research.workspace import DATA_FOLDER_ENV, resolve_research_data_folder

__all__ = [
    "DATA_FOLDER_ENV",
    "IndicatorDataPoints",
    "IndicatorHistory",
    "QuantBook",
    "install_algorithm_imports",
    "resolve_research_data_folder",
    "uninstall_algorithm_imports",
]
