# Our version of LEAN's MaximumDrawdownPercentPerSecurityFrameworkRegressionAlgorithm: AAPL hour bars in raw prices
# (the 7:1 split of 2014-06-09 included), a 31-day constant up insight, equal weighting, and a 0.4% per-security
# drawdown stop imported from LEAN's Python module path.
from AlgorithmImports import *

from Risk.MaximumDrawdownPercentPerSecurity import MaximumDrawdownPercentPerSecurity


class MaximumDrawdownPerSecurityFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 1)
        self.set_end_date(2014, 6, 30)
        self.universe_settings.resolution = Resolution.HOUR
        self.universe_settings.data_normalization_mode = DataNormalizationMode.RAW
        self.set_universe_selection(ManualUniverseSelectionModel(Symbol.create("AAPL", SecurityType.EQUITY, Market.USA)))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(31), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(MaximumDrawdownPercentPerSecurity(0.004))

    def on_end_of_algorithm(self) -> None:
        active = self.insights.get_insights(lambda insight: insight.is_active(self.utc_time))
        if active:
            raise AssertionError(f"expected no active insights at the end, found {len(active)}")
