# SlippageRecordingExecutionModel around an immediate (default) or a TWAP execution model ("inner" parameter), with
# SPY and IBM on minute bars 2013-10-07..08 and hourly up insights (so equal weighting re-targets every hour).
# Records the prices each minute and every fill event; logs the slippage summary at the end and, with save=1, saves
# the records to the ObjectStore.
from datetime import timedelta

from AlgorithmImports import *

from execution_models.slippage_recorder import SlippageRecordingExecutionModel
from execution_models.twap import TwapExecutionModel


class SlippageTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(1000000)
        self.symbols = [self.add_equity(ticker, Resolution.MINUTE).symbol for ticker in ("SPY", "IBM")]
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(hours=1)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(timedelta(hours=1)))
        inner = None
        if self.get_parameter("inner", "immediate") == "twap":
            inner = TwapExecutionModel(timedelta(minutes=10), timedelta(minutes=2), max_participation=0.02)
        self.recorder = SlippageRecordingExecutionModel(inner)
        self.set_execution(self.recorder)
        self.prices: dict = {}
        self.fills: list = []

    def on_data(self, slice: Slice) -> None:
        for symbol in self.symbols:
            self.prices[(self.time, symbol.value)] = self.securities[symbol].price

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.fill_quantity != 0:
            self.fills.append((self.time, order_event.order_id, order_event.symbol.value, order_event.fill_quantity,
                               order_event.fill_price))

    def on_end_of_algorithm(self) -> None:
        self.recorder.log_summary(self)
        if self.get_parameter("save", "0") == "1":
            self.recorder.save_to_object_store(self, "slippage/test.csv")
            self.saved = self.object_store.read("slippage/test.csv")
