"""Grid optimization: parameter grids, constraints on statistics, ranking, and the optimization folder.

An optimization runs one backtest per point of the grid (the cartesian product of every parameter's values)
and ranks the completed runs that meet every constraint by the target statistic. Statistics are LEAN's summary
names (``Sharpe Ratio``, ``Drawdown``, ``Net Profit``...) compared in the unit they are displayed in: percent
statistics as percent numbers (``Drawdown`` ``"12.5%"`` is 12.5), money without ``$``.

On disk (inside the project, like ``lean optimize``): ``optimizations/<YYYY-MM-DD_HH-MM-SS>/`` holding ``config``
(``{"id": <2xxxxxxxxx>, "optimization-name": ...}``), ``optimizer-config.json`` (the request),
``optimization-results.json`` (the ranked result, written at the end) and one LEAN backtest folder per run,
named by its backtest id.
"""
from __future__ import annotations

import itertools
import json
import operator
import os
import random
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mcp_backtest.errors import InvalidArgumentError
from mcp_backtest.models import OptimizationResult, OptimizationRun
from mcp_backtest.results import parse_statistic

#: the statistics a target or constraint may name (LEAN's summary statistics)
STATISTICS = (
    "Total Orders", "Average Win", "Average Loss", "Compounding Annual Return", "Drawdown", "Expectancy",
    "Start Equity", "End Equity", "Net Profit", "Sharpe Ratio", "Sortino Ratio", "Probabilistic Sharpe Ratio",
    "Loss Rate", "Win Rate", "Profit-Loss Ratio", "Alpha", "Beta", "Annual Standard Deviation", "Annual Variance",
    "Information Ratio", "Tracking Error", "Treynor Ratio", "Total Fees", "Estimated Strategy Capacity",
    "Portfolio Turnover", "Drawdown Recovery",
)
Statistic = Literal[
    "Total Orders", "Average Win", "Average Loss", "Compounding Annual Return", "Drawdown", "Expectancy",
    "Start Equity", "End Equity", "Net Profit", "Sharpe Ratio", "Sortino Ratio", "Probabilistic Sharpe Ratio",
    "Loss Rate", "Win Rate", "Profit-Loss Ratio", "Alpha", "Beta", "Annual Standard Deviation", "Annual Variance",
    "Information Ratio", "Tracking Error", "Treynor Ratio", "Total Fees", "Estimated Strategy Capacity",
    "Portfolio Turnover", "Drawdown Recovery",
]
Operator = Literal["<", "<=", ">", ">=", "==", "!=", "less", "lessOrEqual", "greater", "greaterOrEqual", "equals", "notEqual"]
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "less": operator.lt, "lessOrEqual": operator.le, "greater": operator.gt, "greaterOrEqual": operator.ge,
    "equals": operator.eq, "notEqual": operator.ne,
}
_PARAMETER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")
MAX_VALUES_PER_PARAMETER = 1000
RESULTS_FILE = "optimization-results.json"
REQUEST_FILE = "optimizer-config.json"


class GridParameter(BaseModel):
    """One optimized parameter: either ``values`` or the range ``min``..``max`` by ``step`` (inclusive)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="parameter name, as read by get_parameter()", min_length=1, max_length=100)
    min: float | None = Field(default=None, description="range start (inclusive)")
    max: float | None = Field(default=None, description="range end (inclusive)")
    step: float | None = Field(default=None, description="range step (> 0)")
    values: list[str | bool | int | float] | None = Field(default=None, description="explicit values, instead of min/max/step",
                                                   min_length=1, max_length=MAX_VALUES_PER_PARAMETER)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _PARAMETER_NAME.match(value):
            raise ValueError("must start with a letter or '_' and use letters, digits, '_', '.', '-' (max 100)")
        return value

    @model_validator(mode="after")
    def _shape(self) -> GridParameter:
        ranged = (self.min, self.max, self.step)
        if self.values is not None:
            if any(v is not None for v in ranged):
                raise ValueError("give either 'values' or 'min'/'max'/'step', not both")
            for value in self.values:
                if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                    raise ValueError("values must be finite numbers or strings")
                if isinstance(value, str) and (len(value) > 200 or any(ord(c) < 32 for c in value)):
                    raise ValueError("string values must be at most 200 printable characters")
            return self
        if any(v is None for v in ranged):
            raise ValueError("give 'min', 'max' and 'step' (or 'values')")
        assert self.min is not None and self.max is not None and self.step is not None
        for number in ranged:
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError("min, max and step must be finite numbers")
        if self.step <= 0:
            raise ValueError("'step' must be greater than 0")
        if self.max < self.min:
            raise ValueError("'max' must be at least 'min'")
        if (self.max - self.min) / self.step + 1 > MAX_VALUES_PER_PARAMETER:
            raise ValueError(f"the range gives more than {MAX_VALUES_PER_PARAMETER} values; use a larger step")
        return self

    def grid_values(self) -> list[str]:
        """The parameter's values as the strings the algorithm receives."""
        if self.values is not None:
            seen: dict[str, None] = {}
            for value in self.values:
                seen.setdefault(_format(value), None)
            return list(seen)
        assert self.min is not None and self.max is not None and self.step is not None
        try:
            low, high, step = (Decimal(repr(v)) for v in (self.min, self.max, self.step))
        except InvalidOperation:  # pragma: no cover - finite floats always convert
            raise InvalidArgumentError(f"parameter {self.name}: min/max/step are not numbers") from None
        values: list[str] = []
        current = low
        while current <= high and len(values) < MAX_VALUES_PER_PARAMETER:
            values.append(_format_decimal(current))
            current += step
        return values


class Constraint(BaseModel):
    """Keep only runs whose ``statistic`` compares true with ``value``, e.g. Drawdown < 25."""

    model_config = ConfigDict(extra="forbid")

    statistic: Statistic
    operator: Operator
    value: float

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        return value

    def holds(self, statistics: dict[str, str]) -> bool:
        number = parse_statistic(statistics.get(self.statistic))
        return number is not None and _OPERATORS[self.operator](number, self.value)

    def describe(self) -> dict[str, Any]:
        return {"statistic": self.statistic, "operator": self.operator, "value": self.value}


def _format(value: str | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_decimal(Decimal(repr(value)))
    return str(value)


def _format_decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def expand_grid(parameters: list[GridParameter], max_runs: int) -> list[dict[str, str]]:
    """Every combination of the parameters' values, in order; refuses grids larger than ``max_runs``."""
    if not parameters:
        raise InvalidArgumentError("Give at least one parameter to optimize (name with min/max/step or values).")
    names = [p.name for p in parameters]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidArgumentError(f"Parameter(s) {', '.join(duplicates)} appear more than once in the grid.")
    axes = [p.grid_values() for p in parameters]
    size = 1
    for axis in axes:
        size *= len(axis)
    if size > max_runs:
        raise InvalidArgumentError(
            f"The grid has {size} combinations ({' x '.join(str(len(a)) for a in axes)}); the limit is {max_runs}. "
            "Use fewer values or larger steps."
        )
    return [dict(zip(names, combination)) for combination in itertools.product(*axes)]


def rank_runs(runs: list[OptimizationRun], target: str, direction: str, constraints: list[Constraint]) -> list[OptimizationRun]:
    """Fill target values, constraint results and ranks; ranked runs first (best first), then the rest."""
    for run in runs:
        run.target_value = parse_statistic(run.statistics.get(target)) if run.status == "Completed" else None
        run.satisfies_constraints = run.status == "Completed" and all(c.holds(run.statistics) for c in constraints)
        run.rank = None
    eligible = [r for r in runs if r.satisfies_constraints and r.target_value is not None]
    sign = 1.0 if direction == "min" else -1.0
    eligible.sort(key=lambda r: sign * (r.target_value or 0.0))
    for position, run in enumerate(eligible, start=1):
        run.rank = position
    return eligible + [r for r in runs if r.rank is None]


def new_optimization_id() -> str:
    """An optimization id like the LEAN CLI's: 10 digits starting with 2."""
    return "2" + str(random.randint(100_000_000, 999_999_999))


def write_json(path: Path, data: Any) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=4) + "\n", encoding="utf-8")
    os.replace(partial, path)


def read_result(folder: Path) -> OptimizationResult | None:
    try:
        data = json.loads((folder / RESULTS_FILE).read_text(encoding="utf-8"))
        return OptimizationResult.model_validate(data)
    except (OSError, ValueError):
        return None
