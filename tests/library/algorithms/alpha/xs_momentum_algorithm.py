# CrossSectionalMomentumAlphaModel over nine daily ETFs and stocks from March 2010 to June 2011: 126-day lookback
# skipping the last 21 days, long the best 2 and short the worst 1, rebalanced monthly, equal weighting.
from AlgorithmImports import *

from alpha.xs_momentum import CrossSectionalMomentumAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm

# QQQ is left out: from 2004-12 to 2011-03 its data files carry the QQQQ ticker, which the sample data lacks
TICKERS = ("SPY", "IWM", "EEM", "USO", "AAPL", "IBM", "BAC", "AIG", "WM")


class CrossSectionalMomentumTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2010, 3, 1)
        self.set_end_date(2011, 6, 30)
        self.set_cash(1000000)
        for ticker in TICKERS:
            self.add_equity(ticker, Resolution.DAILY)
        self.alpha_model = CrossSectionalMomentumAlphaModel(lookback=126, skip=21, num_long=2, num_short=1,
                                                            rebalance="monthly")
        self.set_alpha(self.alpha_model)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.start_recording()
