"""Fill models: when and at what price a resting order fills (LEAN's ``FillModel`` and ``EquityFillModel``).

The generic model lives in :mod:`lean_local.orders.fill_model`, the equity model in
:mod:`lean_local.orders.equity_fill_model`; this module gathers the public names.
"""
from lean_local.orders.equity_fill_model import BestEffortPrice, EquityFillModel
from lean_local.orders.fill_model import (
    AlphaStreamsSlippageModel,
    ConstantSlippageModel,
    Fill,
    FillModel,
    FillModelParameters,
    ImmediateFillModel,
    NullSlippageModel,
    Prices,
)

__all__ = [
    "AlphaStreamsSlippageModel",
    "BestEffortPrice",
    "ConstantSlippageModel",
    "EquityFillModel",
    "Fill",
    "FillModel",
    "FillModelParameters",
    "ImmediateFillModel",
    "NullSlippageModel",
    "Prices",
]
