# Our version of LEAN's VolumeWeightedAveragePriceExecutionModelRegressionAlgorithm: four stocks (minute), hourly
# RSI insights, equal weighting, and orders sliced to 1% of each bar's volume, placed only on the favourable side
# of the intraday VWAP.
from AlgorithmImports import *

from Alphas.RsiAlphaModel import RsiAlphaModel
from Portfolio.EqualWeightingPortfolioConstructionModel import EqualWeightingPortfolioConstructionModel
from Execution.VolumeWeightedAveragePriceExecutionModel import VolumeWeightedAveragePriceExecutionModel


class VwapExecution(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(1000000)
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AIG", "BAC", "IBM", "SPY")]))
        self.set_alpha(RsiAlphaModel(14, Resolution.HOUR))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(VolumeWeightedAveragePriceExecutionModel())
        self.insights_generated += self.log_insights

    def log_insights(self, algorithm: QCAlgorithm, data: GeneratedInsightsCollection) -> None:
        self.log(f"{self.time}: {', '.join(str(x) for x in data.insights)}")

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.log(f"{self.time}: {order_event}")
