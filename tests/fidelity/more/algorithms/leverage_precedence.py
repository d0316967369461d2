# Our version of LEAN's LeveragePrecedenceRegressionAlgorithm (minute SPY, one week of October 2013): a brokerage
# model granting 10x leverage, with a framework universe of SPY, a constant up insight and equal weighting; on
# data, if not yet invested, set_holdings asks for 10x. The security's leverage must be the brokerage model's.
from AlgorithmImports import *


class TenTimesLeverage(DefaultBrokerageModel):
    def get_leverage(self, security: Security) -> float:
        return 10


class BrokerageLeverageWins(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_brokerage_model(TenTimesLeverage())
        self.spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.set_universe_selection(ManualUniverseSelectionModel(self.spy))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 10)
            self.debug("Purchased Stock")
        if self.securities[self.spy].leverage != 10:
            raise AssertionError(f"leverage is {self.securities[self.spy].leverage}, expected 10")
