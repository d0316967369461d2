# Our version of LEAN's AddUniverseSelectionModelAlgorithm: daily data, a 20-minute constant up insight, equal weighting and
# immediate execution over three manual universe models added one after another (SPY; AAPL; SPY again and FB). The duplicate
# SPY is only selected once, so three universes end with three active securities.
from AlgorithmImports import *


class AddUniverseSelectionModel(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.DAILY
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        equity = lambda ticker: Symbol.create(ticker, SecurityType.EQUITY, Market.USA)
        self.set_universe_selection(ManualUniverseSelectionModel([equity("SPY")]))
        self.add_universe_selection(ManualUniverseSelectionModel([equity("AAPL")]))
        self.add_universe_selection(ManualUniverseSelectionModel([equity("SPY"), equity("FB")]))

    def on_end_of_algorithm(self) -> None:
        if self.universe_manager.count != 3:
            raise AssertionError(f"expected 3 universes, got {self.universe_manager.count}")
        tickers = {symbol.value for symbol in self.universe_manager.active_securities.keys()}
        if self.universe_manager.active_securities.count != 3 or tickers != {"SPY", "AAPL", "FB"}:
            raise AssertionError(f"unexpected active securities {sorted(tickers)}")
