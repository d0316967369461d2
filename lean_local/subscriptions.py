"""Subscription configuration: which data type of which symbol at which resolution the engine reads.

LEAN equities at minute (and finer) resolution carry both a TradeBar and a QuoteBar subscription; hour and
daily carry TradeBar only. The benchmark's internal hour feed is flagged ``is_internal_feed``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from lean_local.enums import DataNormalizationMode, Resolution, SecurityType, TickType
from lean_local.market_data import QuoteBar, TradeBar

RESOLUTION_SPAN: dict[Resolution, timedelta] = {
    Resolution.TICK: timedelta(0),
    Resolution.SECOND: timedelta(seconds=1),
    Resolution.MINUTE: timedelta(minutes=1),
    Resolution.HOUR: timedelta(hours=1),
    Resolution.DAILY: timedelta(days=1),
}


def resolution_span(resolution: Resolution) -> timedelta:
    return RESOLUTION_SPAN[resolution]


class ConsolidatorCollection(list):
    """The consolidators attached to a subscription.

    LEAN exposes them as a .NET set whose ``Count`` is a property, so algorithms write
    ``config.consolidators.count`` without calling it; a plain list would hand back its ``count`` method.
    """

    @property
    def count(self) -> int:  # type: ignore[override]
        return len(self)

    @property
    def Count(self) -> int:  # noqa: N802 - LEAN's PascalCase spelling
        return len(self)


@dataclass(eq=False)
class SubscriptionDataConfig:
    """One data stream of one symbol (LEAN's ``SubscriptionDataConfig``)."""

    symbol: Any
    type: type
    resolution: Resolution
    data_time_zone: str
    exchange_time_zone: str
    fill_forward: bool = True
    extended_market_hours: bool = False
    is_internal_feed: bool = False
    data_normalization_mode: DataNormalizationMode = DataNormalizationMode.ADJUSTED
    tick_type: TickType = TickType.TRADE
    is_custom_data: bool = False
    # mapped ticker used for file names (changes on renames); set by the feed from the map file
    mapped_ticker: str = ""
    consolidators: list[Any] = field(default_factory=ConsolidatorCollection)

    def __post_init__(self) -> None:
        if not isinstance(self.consolidators, ConsolidatorCollection):
            self.consolidators = ConsolidatorCollection(self.consolidators)

    @property
    def increment(self) -> timedelta:
        return RESOLUTION_SPAN[self.resolution]

    @property
    def security_type(self) -> SecurityType:
        return SecurityType(self.symbol.security_type)

    @property
    def is_trade(self) -> bool:
        return self.type is TradeBar

    @property
    def is_quote(self) -> bool:
        return self.type is QuoteBar

    def __repr__(self) -> str:
        internal = " internal" if self.is_internal_feed else ""
        return f"{self.symbol},{self.type.__name__},{self.resolution.name}{internal}"


def data_types_for(security_type: SecurityType, resolution: Resolution) -> list[tuple[type, TickType]]:
    """LEAN's default data types for a security at a resolution (``LookupSubscriptionConfigDataTypes``)."""
    if security_type == SecurityType.EQUITY:
        if resolution in (Resolution.HOUR, Resolution.DAILY):
            return [(TradeBar, TickType.TRADE)]
        return [(TradeBar, TickType.TRADE), (QuoteBar, TickType.QUOTE)]
    if security_type in (SecurityType.OPTION, SecurityType.INDEX_OPTION, SecurityType.FUTURE_OPTION):
        return [(QuoteBar, TickType.QUOTE), (TradeBar, TickType.TRADE)]
    return [(TradeBar, TickType.TRADE)]


def highest_resolution(configs: list[SubscriptionDataConfig]) -> Resolution:
    """The finest resolution among the configs (LEAN's ``GetHighestResolution``); daily when there are none."""
    if not configs:
        return Resolution.DAILY
    return min((config.resolution for config in configs), key=lambda r: int(r))
