# Z-score mean reversion on equity-index ETFs: the backtest that research/notebooks/zscore_mean_reversion.ipynb
# studies. The alpha (Library/alpha/mean_reversion.py) fades closes more than entry_z standard deviations away
# from their lookback mean and exits once back within exit_z (or after max_holding_bars bars); every open
# insight gets an equal share of the portfolio. Daily bars, so orders fill at the next session's open.
from datetime import datetime

from AlgorithmImports import *

from alpha.mean_reversion import ZScoreMeanReversionAlphaModel


class ZScoreReversionStudy(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2014-01-02"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2020-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        tickers = [t.strip() for t in self.get_parameter("tickers", "SPY,QQQ,IWM,EEM").split(",") if t.strip()]
        symbols = [Symbol.create(ticker, SecurityType.EQUITY, Market.USA) for ticker in tickers]
        self.set_universe_selection(ManualUniverseSelectionModel(symbols))
        self.set_alpha(ZScoreMeanReversionAlphaModel(
            lookback=self.get_parameter("lookback", 20),
            entry_z=self.get_parameter("entry_z", 2.0),
            exit_z=self.get_parameter("exit_z", 0.5),
            max_holding_bars=self.get_parameter("max_holding_bars", 10),
            allow_short=self.get_parameter("allow_short", "true").strip().lower() == "true",
        ))
        # rebalance only when insights change (no daily drift trades)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(lambda time: None))
        self.set_execution(ImmediateExecutionModel())
        self.set_benchmark("SPY")
