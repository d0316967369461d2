# Our version of LEAN's AddAlphaModelAlgorithm: three one-shot alpha models added with add_alpha (merged into a
# composite), each emitting a single one-day down insight for its symbol; daily data, equal weighting.
from AlgorithmImports import *


class OneShotDownAlpha(AlphaModel):
    def __init__(self, symbol: Symbol) -> None:
        self.symbol = symbol
        self.fired = False

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list:
        if self.fired:
            return []
        self.fired = True
        return [Insight.price(self.symbol, Resolution.DAILY, 1, InsightDirection.DOWN)]


class AddAlphaModel(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        symbols = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("SPY", "FB", "IBM")]
        self.set_universe_selection(ManualUniverseSelectionModel(symbols))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        for symbol in symbols:
            self.add_alpha(OneShotDownAlpha(symbol))
