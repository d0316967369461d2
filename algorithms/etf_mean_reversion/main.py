# Z-score mean reversion on equity-index ETFs with capped-Kelly sizing: fade daily closes more than two standard
# deviations from their 20-day mean and exit when back inside half a standard deviation. Each bet is sized from the
# signal's expected move and confidence (half-Kelly, capped per position and in total); trailing and hard stops cut
# losers, and every fill's slippage against the decision price is recorded for later analysis.
from datetime import datetime

from AlgorithmImports import *

from alpha.mean_reversion import ZScoreMeanReversionAlphaModel
from execution_models.slippage_recorder import SlippageRecordingExecutionModel
from portfolio_models.kelly import CappedKellyPortfolioConstructionModel
from risk_models.stops import TrailingAndHardStopRiskModel


class EtfMeanReversion(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2015-01-02"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2019-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        tickers = [t.strip() for t in self.get_parameter("tickers", "SPY,IWM,EEM").split(",") if t.strip()]
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(ticker, SecurityType.EQUITY, Market.USA) for ticker in tickers]))

        self.set_alpha(ZScoreMeanReversionAlphaModel(
            lookback=self.get_parameter("lookback", 20),
            entry_z=self.get_parameter("entry_z", 2.0),
            exit_z=self.get_parameter("exit_z", 0.5),
        ))
        self.set_portfolio_construction(CappedKellyPortfolioConstructionModel(
            kelly_fraction=self.get_parameter("kelly_fraction", 0.5),
            max_position=self.get_parameter("max_position", 0.30),
            max_total=self.get_parameter("max_total", 1.0),
        ))
        self.set_risk_management(TrailingAndHardStopRiskModel(
            trailing_stop_percent=self.get_parameter("trailing_stop", 0.05),
            hard_stop_percent=self.get_parameter("hard_stop", 0.08),
        ))
        self.slippage = SlippageRecordingExecutionModel()
        self.set_execution(self.slippage)

    def on_end_of_algorithm(self) -> None:
        self.slippage.log_summary(self)
