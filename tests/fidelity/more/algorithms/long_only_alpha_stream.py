# Our version of LEAN's LongOnlyAlphaStreamAlgorithm: the Alpha Streams brokerage model, $1M, SPY and IBM minute data; while
# flat the algorithm emits a one-day up insight for SPY and a down one for IBM. A long-only equal-weighting model (rebalanced
# daily) must turn that into a SPY position only; a short position is an error.
from AlgorithmImports import *


class LongOnlyAlphaStream(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_brokerage_model(BrokerageName.ALPHA_STREAMS)
        self.set_cash(1000000)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(Resolution.DAILY, PortfolioBias.LONG))
        self.set_execution(ImmediateExecutionModel())
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("SPY", "IBM")]))

    def on_data(self, slice: Slice) -> None:
        if self.portfolio.invested:
            return
        self.emit_insights(
            Insight.price("SPY", timedelta(days=1), InsightDirection.UP),
            Insight.price("IBM", timedelta(days=1), InsightDirection.DOWN),
        )

    def on_order_event(self, order_event: OrderEvent) -> None:
        if not order_event.status.is_fill():
            return
        if self.securities[order_event.symbol].holdings.is_short:
            raise AssertionError("a long-only portfolio went short")
        self.debug(f"Filled: {order_event}")
