# Our version of LEAN's SpreadExecutionModelRegressionAlgorithm: AIG, BAC, IBM and SPY minute data, insights from an hourly
# 14-period RSI, equal weighting, and orders placed only while the bid-ask spread is tight (spread execution model).
from AlgorithmImports import *


class SpreadExecutionModelRegression(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("AIG", "BAC", "IBM", "SPY")]))
        self.set_alpha(RsiAlphaModel(14, Resolution.HOUR))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(SpreadExecutionModel())
        self.insights_generated += self.log_insights

    def log_insights(self, algorithm: QCAlgorithm, generated: GeneratedInsightsCollection) -> None:
        self.log(f"{self.time}: {', '.join(str(insight) for insight in generated.insights)}")

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.debug(f"Order event for {order_event.symbol}")
