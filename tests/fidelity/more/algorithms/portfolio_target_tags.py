# Our version of LEAN's PortfolioTargetTagsRegressionAlgorithm: SPY minute data and a 20-minute constant up insight. The
# portfolio model (equal weighting, daily rebalance) and the risk model (1% per-security drawdown) tag every target they return
# with its symbol and quantity; the execution model (immediate) checks each tag before ordering.
from AlgorithmImports import *


def target_tag(target: IPortfolioTarget) -> str:
    return f"Portfolio target tag: {target.symbol} - {target.quantity_exact}"


def tagged(targets: list[IPortfolioTarget]) -> list[IPortfolioTarget]:
    return [PortfolioTarget(t.symbol, t.quantity_exact, tag=target_tag(t)) for t in targets]


class TaggingPortfolioModel(EqualWeightingPortfolioConstructionModel):
    def __init__(self) -> None:
        super().__init__(Resolution.DAILY)

    def create_targets(self, algorithm: QCAlgorithm, insights: list[Insight]) -> list[IPortfolioTarget]:
        return tagged(super().create_targets(algorithm, insights))


class TaggingRiskModel(MaximumDrawdownPercentPerSecurity):
    def __init__(self) -> None:
        super().__init__(0.01)

    def manage_risk(self, algorithm: QCAlgorithm, targets: list[IPortfolioTarget]) -> list[IPortfolioTarget]:
        return tagged(super().manage_risk(algorithm, targets))


class TagCheckingExecution(ImmediateExecutionModel):
    def __init__(self, on_checked) -> None:
        super().__init__()
        self.on_checked = on_checked

    def execute(self, algorithm: QCAlgorithm, targets: list[IPortfolioTarget]) -> None:
        if targets:
            self.on_checked()
        for target in targets:
            if target.tag != target_tag(target):
                raise AssertionError(f"target tag {target.tag!r}, expected {target_tag(target)!r}")
        super().execute(algorithm, targets)


class PortfolioTargetTags(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_universe_selection(ManualUniverseSelectionModel([Symbol.create("SPY", SecurityType.EQUITY, Market.USA)]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(TaggingPortfolioModel())
        self.set_risk_management(TaggingRiskModel())
        self.tags_checked = False
        self.set_execution(TagCheckingExecution(self.mark_checked))

    def mark_checked(self) -> None:
        self.tags_checked = True

    def on_end_of_algorithm(self) -> None:
        if not self.tags_checked:
            raise AssertionError("no portfolio target tag was checked")
