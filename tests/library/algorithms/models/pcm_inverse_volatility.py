# InverseVolatilityPortfolioConstructionModel on SPY (calm) and AAPL (volatile), both always up, daily bars.
# Parameters: target volatility, leverage cap and end date, so one file serves the volatility-target and the
# leverage-cap tests. Records the model's decisions, the portfolio value each day and one history frame.
from datetime import datetime, timedelta

from AlgorithmImports import *

from portfolio_models.risk_parity import InverseVolatilityPortfolioConstructionModel


class InverseVolatilityTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2015, 1, 1)
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2016-12-31"), "%Y-%m-%d"))
        self.set_cash(1000000)
        self.symbols = [self.add_equity(ticker, Resolution.DAILY).symbol for ticker in ("SPY", "AAPL")]
        self.model = InverseVolatilityPortfolioConstructionModel(
            target_volatility=float(self.get_parameter("target_volatility", "0.10")),
            max_leverage=float(self.get_parameter("max_leverage", "1.5")),
            lookback=63,
        )
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(days=1)))
        self.set_portfolio_construction(self.model)
        self.decisions: list = []
        self.equity: list = []
        self.check_frame = None
        self.check_time = datetime.min

    def on_data(self, slice: Slice) -> None:
        self.equity.append((self.time, self.portfolio.total_portfolio_value))
        if self.model.last_weights:
            self.decisions.append((self.time, dict(self.model.last_weights), dict(self.model.last_volatilities),
                                   self.model.last_portfolio_volatility))
        if self.check_frame is None and self.time >= datetime(2015, 3, 2):
            # the 64 closes the model uses at this time step's rebalance (which runs after on_data, so its decision
            # is the next entry of self.decisions), for an independent recomputation
            self.check_frame = self.history(self.symbols, 64, Resolution.DAILY)
            self.check_time = self.time
