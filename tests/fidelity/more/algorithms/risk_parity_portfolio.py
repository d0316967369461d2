# Our version of LEAN's RiskParityPortfolioAlgorithm (SPY and AAPL daily, 2021-02-21 to 03-30): a constant one-day
# "up" insight for both equities, weighted by the risk-parity portfolio construction model. Securities are seeded
# with their last known price when added.
from AlgorithmImports import *
from Portfolio.RiskParityPortfolioConstructionModel import *


class RiskParityOfTwoEquities(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2021, 2, 21)
        self.set_end_date(2021, 3, 30)
        self.set_cash(100000)
        self.set_security_initializer(lambda security: security.set_market_price(self.get_last_known_price(security)))
        self.add_equity("SPY", Resolution.DAILY)
        self.add_equity("AAPL", Resolution.DAILY)
        self.add_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1)))
        self.set_portfolio_construction(RiskParityPortfolioConstructionModel())
