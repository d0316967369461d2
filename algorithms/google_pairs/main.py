# Statistical arbitrage on Alphabet's two share classes (GOOG and GOOGL): trade the spread when the pair is
# cointegrated (Engle-Granger on a rolling year), with a rolling hedge ratio; go long the cheap leg and short the rich
# one when the spread is two standard deviations wide, exit when it converges or a stop is hit. Legs are weighted
# by the hedge ratio and the book's gross and net exposure are capped.
from datetime import datetime

from AlgorithmImports import *

from alpha.pairs import CointegratedPairsAlphaModel
from risk_models.exposure import ExposureLimitRiskModel


class GooglePairs(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2016-01-04"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2020-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        goog = Symbol.create("GOOG", SecurityType.EQUITY, Market.USA)
        googl = Symbol.create("GOOGL", SecurityType.EQUITY, Market.USA)
        self.set_universe_selection(ManualUniverseSelectionModel([goog, googl]))

        self.set_alpha(CointegratedPairsAlphaModel(
            pairs=[(goog, googl)],
            lookback=self.get_parameter("lookback", 252),
            entry_z=self.get_parameter("entry_z", 2.0),
            exit_z=self.get_parameter("exit_z", 0.5),
            stop_z=self.get_parameter("stop_z", 4.0),
        ))
        self.set_portfolio_construction(InsightWeightingPortfolioConstructionModel(lambda time: None))
        self.set_risk_management(ExposureLimitRiskModel(
            max_leverage=self.get_parameter("max_leverage", 1.0),
            max_net_exposure=self.get_parameter("max_net_exposure", 0.2),
        ))
        self.set_execution(ImmediateExecutionModel())
