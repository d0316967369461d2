"""Indicators fed by the bars of several symbols (LEAN's ``MultiSymbolIndicator``), and ``Beta`` on two symbols.

Each symbol keeps a rolling window of its bars. A bar of one symbol only becomes the symbol's "current input"; once
every symbol's current input ends at the same moment (UTC, truncated to the resolution seen in the very first bar),
all current inputs enter their windows together and the indicator value is computed. The first bar ever received
only sets that resolution and yields zero.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from lean_local.csharp import ZERO, decimal_div, decimal_sub, to_decimal, to_double
from lean_local.enums import Resolution
from lean_local.indicators.base import BAR, IndicatorBase
from lean_local.indicators.data_point import exact
from lean_local.indicators.window import RollingWindow
from lean_local.securities.symbol import to_symbol
from lean_local.statistics.mathnet import covariance, is_nan_or_zero, variance
from lean_local.timeutil import NEW_YORK, to_utc

# how an indicator learns a symbol's exchange time zone; the engine installs its market-hours database lookup
_time_zone_of: Callable[[Any], str] = lambda symbol: NEW_YORK


def set_exchange_time_zone_resolver(resolver: Callable[[Any], str]) -> None:
    """Install the market-hours lookup multi-symbol indicators use to align their inputs in UTC."""
    global _time_zone_of
    _time_zone_of = resolver


def _symbol_key(symbol: Any) -> Any:
    return getattr(symbol, "id", symbol)


class _SymbolData:
    """One symbol's window of bars and its latest bar, with that bar's end time aligned to the resolution."""

    def __init__(self, symbol: Any, period: int) -> None:
        self.symbol = symbol
        self.time_zone = _time_zone_of(symbol)
        self.data_points: RollingWindow[Any] = RollingWindow(period)
        self.resolution: Resolution | None = None
        self._current_input: Any = None
        self.current_end_utc: datetime | None = None

    @property
    def current_input(self) -> Any:
        return self._current_input

    @current_input.setter
    def current_input(self, value: Any) -> None:
        self._current_input = value
        self.current_end_utc = None if value is None else self._align(to_utc(value.end_time, self.time_zone))

    def _align(self, moment: datetime) -> datetime:
        if self.resolution == Resolution.DAILY:
            return moment.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.resolution == Resolution.HOUR:
            return moment.replace(minute=0, second=0, microsecond=0)
        if self.resolution == Resolution.MINUTE:
            return moment.replace(second=0, microsecond=0)
        return moment

    def reset(self) -> None:
        self.data_points.reset()
        self.current_input = None


def _resolution_of(bar: Any) -> Resolution:
    """LEAN's guess from the first bar: daily above an hour, else the finest resolution the span fits."""
    span = bar.end_time - bar.time
    if span > timedelta(hours=1):
        return Resolution.DAILY
    if span >= timedelta(hours=1):
        return Resolution.HOUR
    if span >= timedelta(minutes=1):
        return Resolution.MINUTE
    if span >= timedelta(seconds=1):
        return Resolution.SECOND
    return Resolution.TICK


class MultiSymbolIndicator(IndicatorBase):
    """Base of indicators over the bars of several symbols; subclasses implement ``compute_indicator()``."""

    _input_kind = BAR

    def __init__(self, name: str, symbols: list[Any], period: int) -> None:
        super().__init__(name)
        resolved = [to_symbol(s) for s in symbols]
        self.data_by_symbol: dict[Any, _SymbolData] = {_symbol_key(s): _SymbolData(s, period) for s in resolved}
        zones = {data.time_zone for data in self.data_by_symbol.values()}
        self.warm_up_period = period + (1 if len(zones) > 1 else 0)
        self.indicator_value = ZERO

    @property
    def is_ready(self) -> bool:
        return all(data.data_points.is_ready for data in self.data_by_symbol.values())

    def compute_next_value(self, input: Any) -> Decimal:
        data = self.data_by_symbol.get(_symbol_key(input.symbol))
        if data is None:
            symbols = ", ".join(str(d.symbol) for d in self.data_by_symbol.values())
            raise ValueError(f"Input symbol {input.symbol} does not correspond to any of the symbols this indicator "
                             f"works on ({symbols})")
        if self.samples == 1:
            resolution = _resolution_of(input)
            for each in self.data_by_symbol.values():
                each.resolution = resolution
            data.current_input = input
            return ZERO
        data.current_input = input
        if len({each.current_end_utc for each in self.data_by_symbol.values()}) == 1:
            for each in self.data_by_symbol.values():
                each.data_points.add(each.current_input)
            self.indicator_value = self.compute_indicator()
        return self.indicator_value

    def compute_indicator(self) -> Decimal:
        raise NotImplementedError

    def reset(self) -> None:
        self.indicator_value = ZERO
        for data in self.data_by_symbol.values():
            data.reset()
        super().reset()


class DualSymbolIndicator(MultiSymbolIndicator):
    """A multi-symbol indicator of a target and a reference symbol."""

    def __init__(self, name: str, target_symbol: Any, reference_symbol: Any, period: int) -> None:
        super().__init__(name, [target_symbol, reference_symbol], period)
        self.target_symbol = to_symbol(target_symbol)
        self.reference_symbol = to_symbol(reference_symbol)
        self.target_data_points = self.data_by_symbol[_symbol_key(self.target_symbol)].data_points
        self.reference_data_points = self.data_by_symbol[_symbol_key(self.reference_symbol)].data_points


def _exact_close(bar: Any) -> Decimal:
    exact_close = getattr(bar, "exact_close", None)
    return exact_close if isinstance(exact_close, Decimal) else exact(bar.close)


def _latest_return(window: RollingWindow[Any]) -> float:
    previous = _exact_close(window[1])
    ratio = ZERO if previous == 0 else decimal_div(_exact_close(window[0]), previous)
    return to_double(decimal_sub(ratio, Decimal(1)))


class Beta(DualSymbolIndicator):
    """Covariance of the target's returns with the reference's over their variance (sample statistics over
    ``period`` returns), 0 while undefined."""

    def __init__(self, *args: Any) -> None:
        name, target, reference, period = _beta_arguments(args)
        if period < 2:
            raise ValueError(f"Period parameter for Beta indicator must be greater than 2 but was {period}.")
        super().__init__(name, target, reference, 2)
        self._target_returns: RollingWindow[float] = RollingWindow(period)
        self._reference_returns: RollingWindow[float] = RollingWindow(period)
        self.warm_up_period += period - 1

    @property
    def is_ready(self) -> bool:
        return self._target_returns.is_ready and self._reference_returns.is_ready

    def compute_indicator(self) -> Decimal:
        if self.target_data_points.is_ready:
            self._target_returns.add(_latest_return(self.target_data_points))
        if self.reference_data_points.is_ready:
            self._reference_returns.add(_latest_return(self.reference_data_points))
        target = list(self._target_returns)
        reference = list(self._reference_returns)
        reference_variance = variance(reference)
        comovement = covariance(target, reference) if len(target) == len(reference) else float("nan")
        divisor = 1.0 if is_nan_or_zero(reference_variance) else reference_variance
        numerator = 0.0 if is_nan_or_zero(comovement) else comovement
        return to_decimal(numerator / divisor)

    def reset(self) -> None:
        self._target_returns.reset()
        self._reference_returns.reset()
        super().reset()


def _beta_arguments(args: tuple[Any, ...]) -> tuple[str, Any, Any, int]:
    """LEAN's three constructors: (name, target, reference, period), (target, reference, period) and
    (name, period, target, reference)."""
    if len(args) == 3:
        target, reference, period = args
        return f"B({period})", target, reference, int(period)
    if len(args) == 4 and isinstance(args[1], int):
        name, period, target, reference = args
        return str(name), target, reference, int(period)
    if len(args) == 4:
        name, target, reference, period = args
        return str(name), target, reference, int(period)
    raise TypeError("Beta(name, target, reference, period), Beta(target, reference, period) or "
                    "Beta(name, period, target, reference)")
