# Our version of LEAN's RsiAlphaModelFrameworkRegressionAlgorithm: AAPL and AIG from a manual universe plus all four of
# AAPL, AIG, BAC, SPY from a universe scheduled every midnight (empty on the last day), hour bars in raw prices,
# the RSI alpha (14-day RSI warmed up from history), equal weighting and immediate execution.
from AlgorithmImports import *

from Alphas.RsiAlphaModel import RsiAlphaModel


class RsiAlphaModelFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 6, 1)
        self.set_end_date(2014, 6, 30)
        self.universe_settings.resolution = Resolution.HOUR
        self.universe_settings.data_normalization_mode = DataNormalizationMode.RAW
        symbols = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AAPL", "AIG", "BAC", "SPY")]
        self.set_universe_selection(ManualUniverseSelectionModel(symbols[:2]))
        self.add_universe_selection(ScheduledUniverseSelectionModel(
            self.date_rules.every_day(), self.time_rules.midnight,
            lambda when: symbols if when < self.end_date - timedelta(1) else []))
        self.set_alpha(RsiAlphaModel())
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(NullRiskManagementModel())
