"""A deterministic, clearly labelled synthetic US-equity market written in LEAN's on-disk format.

``generate_market(folder)`` writes daily, hour and minute bars, factor and map files, the market-hours and
symbol-properties databases and an interest-rate file for ``SPY`` (a *synthetic* index fund) and ten
fictional ``SYN*`` stocks, so the engine can backtest on a machine without LEAN data. Nothing in it is real
market data; the folder says so in its ``README.md`` and ``SYNTHETIC_MARKET.json``.
"""
from __future__ import annotations

from lean_local.synthetic.corporate import SyntheticMarketError
from lean_local.synthetic.generator import RESOLUTIONS, generate_market
from lean_local.synthetic.manifest import (
    GENERATOR_VERSION,
    MANIFEST_NAME,
    DividendRecord,
    MarketManifest,
    SplitRecord,
    SymbolRange,
    TickerRecord,
)
from lean_local.synthetic.universe import RenameSpec, SplitSpec, SyntheticTicker, default_universe

__all__ = [
    "GENERATOR_VERSION",
    "MANIFEST_NAME",
    "RESOLUTIONS",
    "DividendRecord",
    "MarketManifest",
    "RenameSpec",
    "SplitRecord",
    "SplitSpec",
    "SymbolRange",
    "SyntheticMarketError",
    "SyntheticTicker",
    "TickerRecord",
    "default_universe",
    "generate_market",
]
