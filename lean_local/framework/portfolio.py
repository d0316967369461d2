"""Portfolio construction: insights → portfolio targets, with LEAN's rebalancing rules.

:class:`PortfolioConstructionModel` implements LEAN's template: decide whether a rebalance is due (a rebalancing
function, new insights, expired insights, security changes), take the last active insight per symbol, ask
``determine_target_percent`` for the weights, size them with ``PortfolioTarget.percent`` and flatten symbols
whose insights all expired. Subclasses override ``determine_target_percent`` (and optionally
``should_create_target_for_insight``/``get_target_insights``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import Any

from lean_local.csharp import DECIMAL_CONTEXT, to_double
from lean_local.enums import InsightDirection, Resolution
from lean_local.framework.insights import END_OF_TIME, Insight, resolution_to_timedelta
from lean_local.framework.portfolio_target import PortfolioTarget


class PortfolioBias(IntEnum):
    """Which side of the market a portfolio may take."""

    SHORT = -1
    LONG_SHORT = 0
    LONG = 1


def rebalancing_function(rebalance: Any) -> Callable[[datetime], datetime | None] | None:
    """A UTC time → next rebalance UTC time function from a function, ``timedelta``, ``Resolution`` or date rule."""
    if rebalance is None:
        return None
    if isinstance(rebalance, Resolution):
        rebalance = resolution_to_timedelta(rebalance)
    if isinstance(rebalance, timedelta):
        if rebalance == timedelta(0):
            return None
        span = rebalance
        return lambda utc: utc + span
    if hasattr(rebalance, "get_dates"):
        return date_rule_function(rebalance)
    if callable(rebalance):
        function: Callable[[datetime], datetime | None] = rebalance
        return function
    raise TypeError(f"unsupported rebalance parameter {rebalance!r}: use a function, timedelta, Resolution or date rule")


def date_rule_function(date_rule: Any) -> Callable[[datetime], datetime | None]:
    """``IDateRule.ToFunc()``: the next date of the rule at or after the given time, advancing when reached."""
    dates: Iterator[datetime] | None = None
    current: datetime | None = None

    def next_time(utc: datetime) -> datetime | None:
        nonlocal dates, current
        if dates is None:
            dates = iter(date_rule.get_dates(utc, END_OF_TIME))
            current = next(dates, None)
            if current is None:
                return END_OF_TIME
        if current is None:
            return END_OF_TIME
        if utc >= current:
            current = next(dates, None)
            if current is None:
                return END_OF_TIME
        return current

    return next_time


class PortfolioConstructionModel:
    """Base class of portfolio construction models (LEAN's ``PortfolioConstructionModel``)."""

    def __init__(self, rebalance: Any = None) -> None:
        self._rebalancing_func = rebalancing_function(rebalance)
        self._rebalancing_time: datetime | None = None
        self._security_changes = False
        self.rebalance_on_security_changes = True
        self.rebalance_on_insight_changes = True
        self._algorithm: Any = None

    def _state(self) -> None:
        # subclasses written for LEAN's Python API may skip ``super().__init__()``
        if "_rebalancing_time" not in self.__dict__:
            PortfolioConstructionModel.__init__(self)

    @property
    def algorithm(self) -> Any:
        return self.__dict__.get("_algorithm")

    @algorithm.setter
    def algorithm(self, value: Any) -> None:
        self.__dict__["_algorithm"] = value

    # --- the template ----------------------------------------------------------------------------------------
    def create_targets(self, algorithm: Any, insights: list[Insight]) -> list[PortfolioTarget]:
        self._state()
        self.algorithm = algorithm
        if not self.is_rebalance_due(insights, algorithm.utc_time):
            return []
        targets: list[PortfolioTarget] = []
        last_active = self.get_target_insights()
        error_symbols: set[Any] = set()
        percents = self.determine_target_percent(last_active)
        for insight in last_active:
            if insight not in percents:
                continue
            target = PortfolioTarget.percent(algorithm, insight.symbol, percents[insight])
            if target is not None:
                targets.append(target)
            else:
                error_symbols.add(insight.symbol)
        expired = algorithm.insights.remove_expired_insights(algorithm.utc_time)
        flattened: dict[Any, None] = {}
        for insight in expired:
            flattened.setdefault(insight.symbol, None)
        for symbol in flattened:
            if not algorithm.insights.has_active_insights(symbol, algorithm.utc_time) and symbol not in error_symbols:
                targets.append(PortfolioTarget(symbol, 0))
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        self._state()
        if self.algorithm is None:
            self.algorithm = algorithm
        self._security_changes = bool(changes.added_securities or changes.removed_securities)
        if algorithm is not None:
            algorithm.insights.expire([security.symbol for security in changes.removed_securities])

    def get_target_insights(self) -> list[Insight]:
        algorithm = self.algorithm
        active = [i for i in algorithm.insights.get_active_insights(algorithm.utc_time) if self.should_create_target_for_insight(i)]
        last: dict[Any, Insight] = {}
        for insight in active:
            current = last.get(insight.symbol)
            # OrderBy(GeneratedTimeUtc).Last(): the latest one, the last of equals
            if current is None or insight.generated_time_utc >= current.generated_time_utc:
                last[insight.symbol] = insight
        return list(last.values())

    def should_create_target_for_insight(self, insight: Insight) -> bool:
        return True

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        raise NotImplementedError(
            "Types deriving from 'PortfolioConstructionModel' must implement the 'determine_target_percent' method."
        )

    # --- rebalancing -----------------------------------------------------------------------------------------
    def set_rebalancing_func(self, rebalance: Any) -> None:
        self._state()
        try:
            self._rebalancing_func = rebalancing_function(rebalance)
        except TypeError:
            self._rebalancing_func = None

    def is_rebalance_due(self, insights: list[Insight], algorithm_utc: datetime) -> bool:
        self._state()
        if self._rebalancing_func is None:
            self.refresh_rebalance(algorithm_utc)
            return True
        next_expiry = self.algorithm.insights.get_next_expiry_time()
        if self._rebalancing_time is None:
            self._rebalancing_time = self._rebalancing_func(algorithm_utc)
            if self._rebalancing_time is not None and self._rebalancing_time <= algorithm_utc:
                self._rebalancing_time = None
                self._security_changes = False
                return True
        if (
            (self._rebalancing_time is not None and self._rebalancing_time <= algorithm_utc)
            or (self.rebalance_on_security_changes and self._security_changes)
            or (self.rebalance_on_insight_changes and (len(insights) != 0 or (next_expiry is not None and next_expiry < algorithm_utc)))
        ):
            self.refresh_rebalance(algorithm_utc)
            return True
        return False

    def refresh_rebalance(self, algorithm_utc: datetime) -> None:
        if self._rebalancing_func is not None:
            self._rebalancing_time = self._rebalancing_func(algorithm_utc)
        self._security_changes = False

    @staticmethod
    def filter_invalid_insight_magnitude(algorithm: Any, insights: list[Insight]) -> list[Insight]:
        settings = algorithm.settings
        result: list[Insight] = []
        for insight in insights:
            if not insight.magnitude:
                result.append(insight)
                continue
            magnitude = abs(insight.magnitude)
            if magnitude > settings.max_absolute_portfolio_target_percentage or magnitude < settings.min_absolute_portfolio_target_percentage:
                algorithm.error(
                    "PortfolioConstructionModel.FilterInvalidInsightMagnitude():"
                    f"The insight target Magnitude: {insight.magnitude}, will not comply with the current "
                    f"'Algorithm.Settings' 'MaxAbsolutePortfolioTargetPercentage': {settings.max_absolute_portfolio_target_percentage}"
                    f" or 'MinAbsolutePortfolioTargetPercentage': {settings.min_absolute_portfolio_target_percentage}. Skipping insight."
                )
                continue
            result.append(insight)
        return result


class NullPortfolioConstructionModel(PortfolioConstructionModel):
    """Creates no targets."""

    def create_targets(self, algorithm: Any, insights: list[Insight]) -> list[PortfolioTarget]:
        return []

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        pass


def _direction(insight: Insight) -> int:
    return int(insight.direction)


class EqualWeightingPortfolioConstructionModel(PortfolioConstructionModel):
    """1/N of the portfolio to each symbol with an active up/down insight (respecting the portfolio bias)."""

    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT) -> None:
        super().__init__(rebalance)
        self.portfolio_bias = PortfolioBias(portfolio_bias)

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        count = sum(1 for i in active_insights if i.direction != InsightDirection.FLAT and self.respect_portfolio_bias(i))
        percent = Decimal(0) if count == 0 else DECIMAL_CONTEXT.divide(Decimal(1), Decimal(count))
        result: dict[Insight, float] = {}
        for insight in active_insights:
            direction = _direction(insight) if self.respect_portfolio_bias(insight) else 0
            result[insight] = to_double(direction * percent)
        return result

    def respect_portfolio_bias(self, insight: Insight) -> bool:
        bias = getattr(self, "portfolio_bias", PortfolioBias.LONG_SHORT)
        return bias == PortfolioBias.LONG_SHORT or _direction(insight) == int(bias)


class InsightWeightingPortfolioConstructionModel(EqualWeightingPortfolioConstructionModel):
    """Targets the insight ``weight`` of each symbol's last active insight, scaled down so the weights sum to 1 at most."""

    def should_create_target_for_insight(self, insight: Insight) -> bool:
        return insight.weight is not None

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        weight_sum = sum(self.get_value(i) for i in active_insights if self.respect_portfolio_bias(i))
        factor = 1.0
        if weight_sum > 1:
            factor = 1 / weight_sum
        result: dict[Insight, float] = {}
        for insight in active_insights:
            direction = _direction(insight) if self.respect_portfolio_bias(insight) else 0
            result[insight] = direction * self.get_value(insight) * factor
        return result

    def get_value(self, insight: Insight) -> float:
        return abs(insight.weight) if insight.weight is not None else 0.0


class ConfidenceWeightedPortfolioConstructionModel(InsightWeightingPortfolioConstructionModel):
    """Like insight weighting, with the insight ``confidence`` as the weight."""

    def should_create_target_for_insight(self, insight: Insight) -> bool:
        return insight.confidence is not None

    def get_value(self, insight: Insight) -> float:
        return insight.confidence if insight.confidence is not None else 0.0


class AccumulativeInsightPortfolioConstructionModel(PortfolioConstructionModel):
    """Each active insight moves its symbol's target by ``percent`` (up: +, down: −, flat: toward 0); no rebalancing
    function by default."""

    def __init__(self, rebalance: Any = None, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT, percent: float = 0.03) -> None:
        super().__init__(rebalance)
        self.portfolio_bias = PortfolioBias(portfolio_bias)
        self.percent = abs(percent)
        self.current_utc_time: datetime | None = None

    def create_targets(self, algorithm: Any, insights: list[Insight]) -> list[PortfolioTarget]:
        self.current_utc_time = algorithm.utc_time
        return super().create_targets(algorithm, insights)

    def determine_target_percent(self, active_insights: list[Insight]) -> dict[Insight, float]:
        percent_per_symbol: dict[Any, float] = {}
        now = self.current_utc_time if self.current_utc_time is not None else self.algorithm.utc_time
        ordered = sorted(self.algorithm.insights.get_active_insights(now), key=lambda i: i.generated_time_utc)
        for insight in ordered:
            target = 0.0
            if insight.symbol in percent_per_symbol:
                target = percent_per_symbol[insight.symbol]
                if insight.direction == InsightDirection.FLAT:
                    if abs(target) < self.percent:
                        target = 0.0
                    else:
                        target += -self.percent if target > 0 else self.percent
            target += self.percent * _direction(insight)
            if self.portfolio_bias != PortfolioBias.LONG_SHORT and _sign(target) != int(self.portfolio_bias):
                target = 0.0
            percent_per_symbol[insight.symbol] = target
        return {insight: percent_per_symbol[insight.symbol] for insight in active_insights}


def _sign(value: float) -> int:
    return -1 if value < 0 else (1 if value > 0 else 0)
