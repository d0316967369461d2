"""Portfolio construction models (LEAN library project ``portfolio_models``).

* ``portfolio_models.risk_parity.InverseVolatilityPortfolioConstructionModel`` — inverse-volatility weights scaled
  to a portfolio volatility target, with a leverage cap.
* ``portfolio_models.kelly.CappedKellyPortfolioConstructionModel`` — fractional Kelly sizing from insight magnitude
  and confidence, capped per position and in total.
* ``portfolio_models.budgets.SectorBudgetPortfolioConstructionModel`` — fixed budgets per sector/asset class, split
  equally or by insight weight inside each bucket.

Import the model from its module, e.g. ``from portfolio_models.kelly import CappedKellyPortfolioConstructionModel``.
"""
