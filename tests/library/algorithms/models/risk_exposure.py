# ExposureLimitRiskModel behind a portfolio model that asks every morning for SPY 80%, AAPL 60%, IBM -30% (gross
# 170%, net 110%), on hour bars in the first half of 2014. Parameters: the caps ("none" disables one). Records gross
# and net exposure at every step and the model's scale factor.
from datetime import date
from typing import List, Optional

from AlgorithmImports import *

from risk_models.exposure import ExposureLimitRiskModel

WEIGHTS = {"SPY": 0.8, "AAPL": 0.6, "IBM": -0.3}


def cap(text: str) -> Optional[float]:
    return None if text == "none" else float(text)


class FixedWeightsPortfolioConstructionModel(PortfolioConstructionModel):
    """The same weights once a day, at the first time step of the day."""

    def __init__(self) -> None:
        super().__init__()
        self.last_day = date.min

    def create_targets(self, algorithm: QCAlgorithm, insights: List[Insight]) -> List[IPortfolioTarget]:
        if algorithm.time.date() == self.last_day:
            return []
        self.last_day = algorithm.time.date()
        return [PortfolioTarget.percent(algorithm, ticker, weight) for ticker, weight in WEIGHTS.items()]


class ExposureTest(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2014, 1, 1)
        self.set_end_date(2014, 6, 30)
        self.set_cash(1000000)
        self.symbols = [self.add_equity(ticker, Resolution.HOUR).symbol for ticker in WEIGHTS]
        self.set_portfolio_construction(FixedWeightsPortfolioConstructionModel())
        self.limits = ExposureLimitRiskModel(
            max_leverage=cap(self.get_parameter("max_leverage", "1.2")),
            max_net_exposure=cap(self.get_parameter("max_net_exposure", "0.5")),
        )
        self.set_risk_management(self.limits)
        self.exposures: list = []
        self.scales: list = []

    def on_data(self, slice: Slice) -> None:
        total = self.portfolio.total_portfolio_value
        values = [self.portfolio[symbol].holdings_value for symbol in self.symbols]
        self.exposures.append((self.time, sum(abs(v) for v in values) / total, sum(values) / total,
                               {s.value: v / total for s, v in zip(self.symbols, values)}))
        self.scales.append((self.time, self.limits.last_scale))
