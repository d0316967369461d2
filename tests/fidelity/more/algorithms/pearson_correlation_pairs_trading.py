# Our version of LEAN's PearsonCorrelationPairsTradingAlphaModelFrameworkAlgorithm: SPY and AIG from the start, plus a scheduled
# universe that adds SPY, AIG, BAC and IBM each midnight until the day before the end (so the universe keeps changing); the
# Pearson-correlation pairs alpha trades the best-correlated pair with equal weights. Removed securities must leave no
# consolidators behind.
from AlgorithmImports import *


class PearsonPairsTradingFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        symbols = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("SPY", "AIG", "BAC", "IBM")]
        last_selection_day = (self.end_date - timedelta(days=1)).date()
        self.set_universe_selection(ManualUniverseSelectionModel(symbols[:2]))
        self.add_universe_selection(ScheduledUniverseSelectionModel(
            self.date_rules.every_day(), self.time_rules.midnight,
            lambda now: symbols if now.date() <= last_selection_day else []))
        self.set_alpha(PearsonCorrelationPairsTradingAlphaModel(252, Resolution.DAILY))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(NullRiskManagementModel())

    def on_end_of_algorithm(self) -> None:
        remaining = sum(s.consolidators.count for s in self.subscription_manager.subscriptions)
        if remaining > 0:
            raise AssertionError(f"removed securities left {remaining} consolidators behind")
