# Our version of LEAN's CustomBrokerageModelRegressionAlgorithm (SPY and AIG daily, 2013-10-07 to 10-11): a brokerage
# model derived from the default one refuses every AIG order and every order update. The algorithm buys 100 SPY and
# 100 AIG on the first slice and tries to raise the SPY order by 10 shares on its first order event; the refusals
# must come back with the brokerage's messages.
from AlgorithmImports import *


class NoAigNoUpdatesBrokerage(DefaultBrokerageModel):
    default_markets = {SecurityType.EQUITY: Market.USA, SecurityType.CRYPTO: Market.BINANCE}

    def can_submit_order(self, security: Security, order: Order, message: BrokerageMessageEvent):
        if security.symbol.value == "AIG":
            return False, BrokerageMessageEvent(BrokerageMessageType.INFORMATION, "", "Symbol AIG can not be submitted")
        return True, None

    def can_update_order(self, security: Security, order: Order, request: UpdateOrderRequest, message: BrokerageMessageEvent):
        return False, BrokerageMessageEvent(BrokerageMessageType.INFORMATION, "", "This order can not be updated")


class RefusingBrokerageModel(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_brokerage_model(NoAigNoUpdatesBrokerage())
        self.add_equity("SPY", Resolution.DAILY)
        self.add_equity("AIG", Resolution.DAILY)
        self.spy_ticket = None
        markets = self.brokerage_model.default_markets
        if markets[SecurityType.EQUITY] != Market.USA or markets[SecurityType.CRYPTO] != Market.BINANCE:
            raise AssertionError(f"unexpected default markets {markets}")

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.market_order("SPY", 100.0)
            self.aig_ticket = self.market_order("AIG", 100.0)

    def on_order_event(self, order_event: OrderEvent) -> None:
        if self.spy_ticket is None:
            self.spy_ticket = self.transactions.get_order_ticket(order_event.order_id)
            fields = UpdateOrderFields()
            fields.quantity = self.spy_ticket.quantity + 10
            self.spy_ticket.update(fields)

    def on_end_of_algorithm(self) -> None:
        refused_submit = "BrokerageModel declared unable to submit order: [2] Information - Code:  - Symbol AIG can not be submitted"
        if self.aig_ticket.submit_request.response.error_message != refused_submit:
            raise AssertionError(f"AIG submit response: {self.aig_ticket.submit_request.response.error_message}")
        refused_update = "OrderID: 1 Information - Code:  - This order can not be updated"
        if self.spy_ticket.update_requests[0].response.error_message != refused_update:
            raise AssertionError(f"SPY update response: {self.spy_ticket.update_requests[0].response.error_message}")
