# Our version of LEAN's InsightTagAlphaRegressionAlgorithm: daily SPY, FB and IBM; three alpha models each emit a single
# one-day down insight for their symbol, tagged with a text naming the symbol. Every generated insight must carry its tag and
# each symbol must get exactly one; equal weighting and immediate execution trade them.
from AlgorithmImports import *


def tag_for(symbol: Symbol) -> str:
    return f"Insight generated for {symbol}"


class SingleInsightAlpha(AlphaModel):
    """Emits one tagged down insight for its symbol on the first update, then nothing."""

    def __init__(self, symbol: Symbol) -> None:
        super().__init__()
        self.symbol = symbol
        self.done = False

    def update(self, algorithm: QCAlgorithm, data: Slice) -> list[Insight]:
        if self.done:
            return []
        self.done = True
        return [Insight.price(self.symbol, Resolution.DAILY, 1, InsightDirection.DOWN, tag=tag_for(self.symbol))]


class InsightTagAlpha(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        symbols = [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("SPY", "FB", "IBM")]
        self.set_universe_selection(ManualUniverseSelectionModel(symbols))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        for symbol in symbols:
            self.add_alpha(SingleInsightAlpha(symbol))
        self.expected = symbols
        self.insight_symbols: list[Symbol] = []
        self.insights_generated += self.check_tags

    def check_tags(self, algorithm: QCAlgorithm, generated: GeneratedInsightsCollection) -> None:
        for insight in generated.insights:
            if insight.tag != tag_for(insight.symbol):
                raise AssertionError(f"insight for {insight.symbol} has tag {insight.tag!r}")
            self.insight_symbols.append(insight.symbol)

    def on_end_of_algorithm(self) -> None:
        if len(self.insight_symbols) != 3 or set(self.insight_symbols) != set(self.expected):
            raise AssertionError(f"unexpected insight symbols {self.insight_symbols}")
