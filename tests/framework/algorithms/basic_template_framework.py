# Our version of LEAN's BasicTemplateFrameworkAlgorithm: SPY minute through the framework: a constant 20-minute
# up insight, equal weighting rebalanced daily, immediate execution and a 1% per-security drawdown stop.
from AlgorithmImports import *


class BasicTemplateFramework(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.set_universe_selection(ManualUniverseSelectionModel([spy]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(Resolution.DAILY))
        self.set_execution(ImmediateExecutionModel())
        self.set_risk_management(MaximumDrawdownPercentPerSecurity(0.01))

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.FILLED:
            self.debug(f"Purchased Stock: {order_event.symbol}")
