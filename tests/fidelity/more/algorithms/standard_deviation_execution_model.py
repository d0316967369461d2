# Our version of LEAN's StandardDeviationExecutionModelRegressionAlgorithm: AIG, BAC, IBM and SPY minute data with $1M, insights
# from an hourly 14-period RSI, equal weighting, and orders placed in slices only when the price is a standard deviation better
# than its recent mean (standard deviation execution model).
from AlgorithmImports import *


class StandardDeviationExecutionModelRegression(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(1000000)
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AIG", "BAC", "IBM", "SPY")]))
        self.set_alpha(RsiAlphaModel(14, Resolution.HOUR))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(StandardDeviationExecutionModel())

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.log(f"{self.time}: {order_event}")
