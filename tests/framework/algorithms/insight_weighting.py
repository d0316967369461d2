# Our version of LEAN's InsightWeightingFrameworkAlgorithm, importing the models by LEAN's Python module paths:
# constant SPY up insights with weight 0.25 sized by InsightWeightingPortfolioConstructionModel.
from AlgorithmImports import *

from Selection.ManualUniverseSelectionModel import ManualUniverseSelectionModel
from Alphas.ConstantAlphaModel import ConstantAlphaModel
from Portfolio.InsightWeightingPortfolioConstructionModel import InsightWeightingPortfolioConstructionModel
from Execution.ImmediateExecutionModel import ImmediateExecutionModel


class InsightWeightingFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel([Symbol.create("SPY", SecurityType.EQUITY, Market.USA)]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None, 0.25))
        self.set_portfolio_construction(InsightWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())

    def on_end_of_algorithm(self) -> None:
        value = self.portfolio.total_portfolio_value
        holdings = self.portfolio.total_holdings_value
        if holdings > value * 0.28 or holdings < value * 0.23:
            raise ValueError(f"Unexpected total holdings value: {holdings}")
