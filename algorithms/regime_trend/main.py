# Regime-filtered trend following on the S&P 500 and small caps: follow the 50/200-day moving-average trend only
# while realised volatility is calm relative to its one-year level, and stand aside in turbulent markets, where
# trends whipsaw. Positions are sized by inverse volatility to a volatility target and gross exposure is capped.
from datetime import datetime

from AlgorithmImports import *

from alpha.regime_trend import RegimeFilteredTrendAlphaModel
from portfolio_models.risk_parity import InverseVolatilityPortfolioConstructionModel
from risk_models.exposure import ExposureLimitRiskModel


class RegimeTrend(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(datetime.strptime(self.get_parameter("start", "2006-01-03"), "%Y-%m-%d"))
        self.set_end_date(datetime.strptime(self.get_parameter("end", "2012-12-31"), "%Y-%m-%d"))
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        tickers = [t.strip() for t in self.get_parameter("tickers", "SPY,IWM").split(",") if t.strip()]
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(ticker, SecurityType.EQUITY, Market.USA) for ticker in tickers]))

        self.set_alpha(RegimeFilteredTrendAlphaModel(
            fast_period=self.get_parameter("fast_period", 50),
            slow_period=self.get_parameter("slow_period", 200),
            volatility_threshold=self.get_parameter("volatility_threshold", 1.0),
        ))
        self.set_portfolio_construction(InverseVolatilityPortfolioConstructionModel(
            portfolio_bias=PortfolioBias.LONG,
            target_volatility=self.get_parameter("target_volatility", 0.12),
            max_leverage=1.0,
        ))
        self.set_risk_management(ExposureLimitRiskModel(max_leverage=self.get_parameter("max_leverage", 1.0)))
        self.set_execution(ImmediateExecutionModel())
