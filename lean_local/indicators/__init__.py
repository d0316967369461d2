"""LEAN's indicators with LEAN's decimal arithmetic, readiness and warm-up rules.

Values are C# decimals inside (``exact_value``) and floats to algorithms (``indicator.current.value``), as
LEAN's Python bridge shows them. The ``QCAlgorithm`` helpers (``self.sma(...)``) live in
:mod:`lean_local.indicators.helpers`.
"""
from __future__ import annotations

from lean_local.indicators.bar_indicators import (
    AverageDirectionalIndex,
    AverageTrueRange,
    DonchianChannel,
    KeltnerChannels,
    TrueRange,
)
from lean_local.indicators.base import (
    BarIndicator,
    CompositeIndicator,
    ConstantIndicator,
    FunctionalIndicator,
    Indicator,
    IndicatorBase,
    ResetCompositeIndicator,
    TradeBarIndicator,
    WindowIndicator,
)
from lean_local.indicators.data_point import IndicatorDataPoint, IndicatorResult, IndicatorStatus
from lean_local.indicators.extensions import IndicatorExtensions
from lean_local.indicators.fields import Field
from lean_local.indicators.moving_averages import (
    DoubleExponentialMovingAverage,
    ExponentialMovingAverage,
    LinearWeightedMovingAverage,
    MovingAverageType,
    SimpleMovingAverage,
    Sum,
    TriangularMovingAverage,
    TripleExponentialMovingAverage,
    WilderMovingAverage,
)
from lean_local.indicators.multi_symbol import Beta, DualSymbolIndicator, MultiSymbolIndicator
from lean_local.indicators.oscillators import BollingerBands, MovingAverageConvergenceDivergence, RelativeStrengthIndex
from lean_local.indicators.python_indicator import PythonIndicator
from lean_local.indicators.statistics import (
    Delay,
    Identity,
    LogReturn,
    Maximum,
    Minimum,
    Momentum,
    MomentumPercent,
    RateOfChange,
    RateOfChangePercent,
    StandardDeviation,
    Variance,
    WindowIdentity,
)
from lean_local.indicators.window import EventHandler, RollingWindow, WindowBase

__all__ = [
    "AverageDirectionalIndex",
    "AverageTrueRange",
    "BarIndicator",
    "Beta",
    "BollingerBands",
    "CompositeIndicator",
    "ConstantIndicator",
    "Delay",
    "DonchianChannel",
    "DoubleExponentialMovingAverage",
    "DualSymbolIndicator",
    "EventHandler",
    "ExponentialMovingAverage",
    "Field",
    "FunctionalIndicator",
    "Identity",
    "Indicator",
    "IndicatorBase",
    "IndicatorDataPoint",
    "IndicatorExtensions",
    "IndicatorResult",
    "IndicatorStatus",
    "KeltnerChannels",
    "MultiSymbolIndicator",
    "LinearWeightedMovingAverage",
    "LogReturn",
    "Maximum",
    "Minimum",
    "Momentum",
    "MomentumPercent",
    "MovingAverageConvergenceDivergence",
    "MovingAverageType",
    "PythonIndicator",
    "RateOfChange",
    "RateOfChangePercent",
    "RelativeStrengthIndex",
    "ResetCompositeIndicator",
    "RollingWindow",
    "SimpleMovingAverage",
    "StandardDeviation",
    "Sum",
    "TradeBarIndicator",
    "TriangularMovingAverage",
    "TripleExponentialMovingAverage",
    "TrueRange",
    "Variance",
    "WilderMovingAverage",
    "WindowBase",
    "WindowIdentity",
    "WindowIndicator",
]
