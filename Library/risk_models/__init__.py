"""Risk management models (LEAN library project ``risk_models``).

* ``risk_models.circuit_breaker.PortfolioCircuitBreakerRiskModel`` — daily loss limit and drawdown kill switch that
  liquidate and block new targets until reset.
* ``risk_models.stops.TrailingAndHardStopRiskModel`` — per-position trailing stop and hard stop from the entry price.
* ``risk_models.exposure.ExposureLimitRiskModel`` — leverage, net exposure and gross notional caps, scaling the book.
* ``risk_models.concentration.ConcentrationLimitRiskModel`` — maximum weight per position.

Import the model from its module, e.g. ``from risk_models.stops import TrailingAndHardStopRiskModel``.
"""
