"""Execution models (LEAN library project ``execution_models``).

* ``execution_models.twap.TwapExecutionModel`` — TWAP slicing over a horizon with a cap on the share of bar volume.
* ``execution_models.spread_aware.SpreadAwareLimitExecutionModel`` — limit orders inside the spread when it is tight,
  cancel/replace on timeout, market-order fallback.
* ``execution_models.slippage_recorder.SlippageRecordingExecutionModel`` — wraps another execution model and records
  each fill's slippage versus the price when its target arrived.

Import the model from its module, e.g. ``from execution_models.twap import TwapExecutionModel``.
"""
