# Volatility-targeted time-series momentum on a cross-asset ETF basket (US large and small caps, emerging markets,
# crude oil). Each ETF is long when its own 12-month return is positive and short when negative; positions are sized
# by inverse volatility and the whole book is scaled to a 10% volatility target. A portfolio circuit breaker
# flattens everything after a bad day (until the next session) or a deep drawdown (until a human resets it).
from datetime import datetime

from AlgorithmImports import *

from alpha.ts_momentum import TimeSeriesMomentumAlphaModel
from portfolio_models.risk_parity import InverseVolatilityPortfolioConstructionModel
from risk_models.circuit_breaker import PortfolioCircuitBreakerRiskModel


class VolTargetMomentum(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2014-01-02"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2019-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        # skip rebalancing trades smaller than 1% of the portfolio (volatility estimates drift every day)
        self.settings.minimum_order_margin_portfolio_percentage = 0.01
        self.universe_settings.resolution = Resolution.DAILY
        tickers = [t.strip() for t in self.get_parameter("tickers", "SPY,IWM,EEM,USO").split(",") if t.strip()]
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(ticker, SecurityType.EQUITY, Market.USA) for ticker in tickers]))

        self.set_alpha(TimeSeriesMomentumAlphaModel(
            lookback=self.get_parameter("lookback", 252),
            rebalance_bars=self.get_parameter("rebalance_bars", 21),
        ))
        self.set_portfolio_construction(InverseVolatilityPortfolioConstructionModel(
            target_volatility=self.get_parameter("target_volatility", 0.10),
            max_leverage=self.get_parameter("max_leverage", 1.5),
        ))
        self.circuit_breaker = PortfolioCircuitBreakerRiskModel(
            daily_loss_limit=self.get_parameter("daily_loss_limit", 0.03),
            max_drawdown=self.get_parameter("max_drawdown", 0.20),
        )
        self.set_risk_management(self.circuit_breaker)
        self.set_execution(ImmediateExecutionModel())
