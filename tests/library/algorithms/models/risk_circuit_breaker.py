# PortfolioCircuitBreakerRiskModel on a fully invested SPY book through the 2008 crash (daily bars): a 4% daily loss
# limit and a 15% drawdown kill switch. The kill switch is reset by hand on 2009-01-05. Records the portfolio value
# and the SPY position every day, and when reset() was called.
from datetime import date, datetime, timedelta

from AlgorithmImports import *

from risk_models.circuit_breaker import PortfolioCircuitBreakerRiskModel

RESET_DAY = date(2009, 1, 5)


class CircuitBreakerTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2008, 9, 1)
        self.set_end_date(2009, 3, 31)
        self.set_cash(1000000)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.breaker = PortfolioCircuitBreakerRiskModel(daily_loss_limit=0.04, max_drawdown=0.15)
        self.set_risk_management(self.breaker)
        self.days: list = []
        self.reset_time = datetime.max

    def on_data(self, slice: Slice) -> None:
        # on_data runs before the framework at each time step: this is the value the risk model sees next
        self.days.append((self.time, self.portfolio.total_portfolio_value, self.portfolio[self.spy].quantity))
        if self.time.date() >= RESET_DAY and self.reset_time == datetime.max:
            self.breaker.reset()
            self.reset_time = self.time
