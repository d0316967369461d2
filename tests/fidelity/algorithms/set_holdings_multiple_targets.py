# Our version of LEAN's SetHoldingsMultipleTargetsRegressionAlgorithm: rotate an 80/20 SPY/IBM split
# every minute with portfolio-target lists, unlevered and without fill-forward.
from AlgorithmImports import *


class RotateTargets(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.spy = self.add_equity("SPY", Resolution.MINUTE, Market.USA, False, 1).symbol
        self.ibm = self.add_equity("IBM", Resolution.MINUTE, Market.USA, False, 1).symbol

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings([PortfolioTarget(self.spy, 0.8), PortfolioTarget(self.ibm, 0.2)])
        else:
            self.set_holdings([PortfolioTarget(self.ibm, 0.8), PortfolioTarget(self.spy, 0.2)])
