# Our version of LEAN's ExecutionModelOrderEventsRegressionAlgorithm: SPY minute data, a 20-minute constant up insight, equal
# weighting rebalanced daily, a 1% drawdown stop and a hand-written immediate execution model that places asynchronous market
# orders for unordered target quantities and records the order events it receives. The model must see exactly the events
# the algorithm sees, in the same order.
from AlgorithmImports import *


class RecordingExecution(ExecutionModel):
    """Orders what is still missing for each target (largest margin impact first) and records every order event."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = PortfolioTargetCollection()
        self.tickets: dict[int, OrderTicket] = {}
        self.order_events: list[OrderEvent] = []

    def execute(self, algorithm: QCAlgorithm, targets: list[IPortfolioTarget]) -> None:
        self.pending.add_range(targets)
        if self.pending.is_empty:
            return
        for target in self.pending.order_by_margin_impact(algorithm):
            security = algorithm.securities[target.symbol]
            quantity = OrderSizing.get_unordered_quantity(algorithm, target, security, True)
            if quantity != 0 and BuyingPowerModelExtensions.above_minimum_order_margin_portfolio_percentage(
                    security.buying_power_model, security, quantity, algorithm.portfolio,
                    algorithm.settings.minimum_order_margin_portfolio_percentage):
                ticket = algorithm.market_order(security.symbol, quantity, asynchronous=True, tag=target.tag)
                self.tickets[ticket.order_id] = ticket
        self.pending.clear_fulfilled(algorithm)

    def on_order_event(self, algorithm: QCAlgorithm, order_event: OrderEvent) -> None:
        algorithm.log(f"{algorithm.time} - order event: {order_event}")
        if order_event.order_id in self.tickets:
            if order_event.status.is_fill():
                algorithm.debug(f"Filled: {order_event.symbol}")
            if order_event.status.is_closed():
                del self.tickets[order_event.order_id]
        self.order_events.append(order_event)


class ExecutionModelOrderEvents(QCAlgorithm):
    def initialize(self) -> None:
        self.universe_settings.resolution = Resolution.MINUTE
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.set_universe_selection(ManualUniverseSelectionModel([Symbol.create("SPY", SecurityType.EQUITY, Market.USA)]))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), 0.025, None))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(Resolution.DAILY))
        self.execution = RecordingExecution()
        self.set_execution(self.execution)
        self.set_risk_management(MaximumDrawdownPercentPerSecurity(0.01))
        self.algorithm_events: list[OrderEvent] = []

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.algorithm_events.append(order_event)

    def on_end_of_algorithm(self) -> None:
        model_events = self.execution.order_events
        if len(model_events) != len(self.algorithm_events):
            raise AssertionError(f"{len(model_events)} model events vs {len(self.algorithm_events)} algorithm events")
        for i, (seen, expected) in enumerate(zip(model_events, self.algorithm_events)):
            if (seen.id, seen.order_id, seen.status) != (expected.id, expected.order_id, expected.status):
                raise AssertionError(f"event {i} differs: {seen} vs {expected}")
