"""Universe settings: how the securities a universe selects are subscribed (LEAN's ``UniverseSettings``)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lean_local.enums import DataMappingMode, DataNormalizationMode, Resolution


class Schedule:
    """An optional date rule that limits on which dates a data-driven universe selects."""

    def __init__(self) -> None:
        self._date_rule: Any = None

    @property
    def initialized(self) -> bool:
        return self._date_rule is not None

    def on(self, date_rule: Any) -> None:
        self._date_rule = date_rule

    def get(self, start: datetime, end: datetime) -> list[datetime]:
        if self._date_rule is None:
            return []
        return list(self._date_rule.get_dates(start, end))

    def clone(self) -> Schedule:
        copy = Schedule()
        copy._date_rule = self._date_rule
        return copy


class UniverseSettings:
    """Resolution, leverage, fill-forward and normalisation applied to every security a universe adds.

    ``UniverseSettings(other)`` copies another instance, as LEAN's copy constructor does.
    """

    resolution: Resolution
    leverage: float
    fill_forward: bool
    extended_market_hours: bool
    minimum_time_in_universe: timedelta
    data_normalization_mode: DataNormalizationMode
    data_mapping_mode: Any
    contract_depth_offset: int
    subscription_data_types: list[Any] | None
    asynchronous: bool | None
    schedule: Schedule

    def __init__(
        self,
        resolution: Any = Resolution.MINUTE,
        leverage: float = 0.0,
        fill_forward: bool = True,
        extended_market_hours: bool = False,
        minimum_time_in_universe: timedelta = timedelta(days=1),
        data_normalization_mode: DataNormalizationMode = DataNormalizationMode.ADJUSTED,
        data_mapping_mode: Any = None,
        contract_depth_offset: int = 0,
        asynchronous: bool | None = None,
        selection_date_rule: Any = None,
    ) -> None:
        if isinstance(resolution, UniverseSettings):
            other = resolution
            self.resolution = other.resolution
            self.leverage = other.leverage
            self.fill_forward = other.fill_forward
            self.extended_market_hours = other.extended_market_hours
            self.minimum_time_in_universe = other.minimum_time_in_universe
            self.data_normalization_mode = other.data_normalization_mode
            self.data_mapping_mode = other.data_mapping_mode
            self.contract_depth_offset = other.contract_depth_offset
            self.subscription_data_types = other.subscription_data_types
            self.asynchronous = other.asynchronous
            self.schedule = other.schedule.clone()
            return
        self.resolution = Resolution(resolution)
        self.leverage = float(leverage)
        self.fill_forward = bool(fill_forward)
        self.extended_market_hours = bool(extended_market_hours)
        self.minimum_time_in_universe = minimum_time_in_universe
        self.data_normalization_mode = DataNormalizationMode(data_normalization_mode)
        self.data_mapping_mode = data_mapping_mode if data_mapping_mode is not None else DataMappingMode.OPEN_INTEREST
        self.contract_depth_offset = int(contract_depth_offset)
        self.subscription_data_types = None
        self.asynchronous = asynchronous
        self.schedule = Schedule()
        if selection_date_rule is not None:
            self.schedule.on(selection_date_rule)

    def __repr__(self) -> str:
        return (
            f"UniverseSettings(resolution={self.resolution.name}, leverage={self.leverage}, fill_forward={self.fill_forward}, "
            f"extended_market_hours={self.extended_market_hours}, minimum_time_in_universe={self.minimum_time_in_universe}, "
            f"data_normalization_mode={self.data_normalization_mode.name})"
        )
