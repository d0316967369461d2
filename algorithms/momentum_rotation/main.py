# Cross-sectional momentum rotation with sector budgets: once a month, rank a basket of large US stocks and ETFs by
# their 12-month return skipping the last month, and go long the strongest names. Capital is split by sector bucket
# (technology, financials, industrials, index ETFs) so the rotation cannot pile everything into one theme, and no
# single name may exceed a quarter of the portfolio.
from datetime import datetime

from AlgorithmImports import *

from alpha.xs_momentum import CrossSectionalMomentumAlphaModel
from portfolio_models.budgets import SectorBudgetPortfolioConstructionModel
from risk_models.concentration import ConcentrationLimitRiskModel

SECTORS = {
    "AAPL": "technology", "IBM": "technology", "GOOG": "technology",
    "BAC": "financials", "AIG": "financials",
    "WM": "industrials",
    "SPY": "index", "IWM": "index", "EEM": "index",
}
BUDGETS = {"technology": 0.35, "financials": 0.20, "industrials": 0.15, "index": 0.30}


class MomentumRotation(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2015-01-02"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2019-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        # skip rebalancing trades smaller than 1% of the portfolio (volatility estimates drift every day)
        self.settings.minimum_order_margin_portfolio_percentage = 0.01
        self.universe_settings.resolution = Resolution.DAILY
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(ticker, SecurityType.EQUITY, Market.USA) for ticker in SECTORS]))

        self.set_alpha(CrossSectionalMomentumAlphaModel(
            lookback=self.get_parameter("lookback", 252),
            skip=self.get_parameter("skip", 21),
            num_long=self.get_parameter("num_long", 4),
            rebalance="monthly",
        ))
        self.set_portfolio_construction(SectorBudgetPortfolioConstructionModel(
            buckets=SECTORS, budgets=BUDGETS, portfolio_bias=PortfolioBias.LONG))
        self.set_risk_management(ConcentrationLimitRiskModel(max_weight=self.get_parameter("max_weight", 0.25)))
        self.set_execution(ImmediateExecutionModel())
