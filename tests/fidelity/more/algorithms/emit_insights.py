# Our version of LEAN's EmitInsightsAlgorithm: daily SPY, a one-day constant up insight, equal weighting, a 1% per-security
# drawdown stop and the default execution. Every other data event the algorithm emits its own one-day down insight by hand,
# which must place a sell order right away (and no order may be open just before).
from AlgorithmImports import *


class EmitInsights(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.DAILY
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.set_universe_selection(ManualUniverseSelectionModel([self.spy]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_risk_management(MaximumDrawdownPercentPerSecurity(0.01))
        self.emit_now = False

    def on_data(self, slice: Slice) -> None:
        if not self.emit_now:
            self.emit_now = True
            return
        self.emit_now = False
        if self.transactions.get_open_orders(self.spy):
            raise AssertionError("no order should be open before emitting")
        self.emit_insights(Insight.price(self.spy, Resolution.DAILY, 1, InsightDirection.DOWN))
        open_orders = self.transactions.get_open_orders(self.spy)
        if not open_orders:
            raise AssertionError("the emitted insight should have placed an order")
        order = open_orders[0]
        if order.direction != OrderDirection.SELL or order.symbol != self.spy:
            raise AssertionError(f"unexpected order for the emitted insight: {order}")
