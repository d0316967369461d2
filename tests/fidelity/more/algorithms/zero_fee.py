# Our version of LEAN's ZeroFeeRegressionAlgorithm (minute SPY, one week of October 2013): with a fee model that
# charges nothing, go all in on the first slice and liquidate on the next. Cash must end as the starting cash plus
# the trade's profit, and neither the trade nor the holdings record a fee.
from AlgorithmImports import *


class NoFees(FeeModel):
    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee.ZERO


class TradeWithoutFees(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE)
        self.spy.fee_model = NoFees()
        self.traded = False

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested and not self.traded:
            self.traded = True
            self.set_holdings(self.spy.symbol, 1)
            self.debug("Purchased Stock")
        else:
            self.liquidate(self.spy.symbol)

    def on_end_of_algorithm(self) -> None:
        holdings = self.spy.holdings
        if self.portfolio.cash_book["USD"].amount - holdings.last_trade_profit != 100000:
            raise AssertionError(f"unexpected USD cash {self.portfolio.cash_book['USD'].amount}")
        if self.portfolio.cash_book.contains_key(Currencies.NULL_CURRENCY):
            raise AssertionError("no null-currency cash expected")
        if self.trade_builder.closed_trades[0].total_fees != 0 or holdings.total_fees != 0:
            raise AssertionError("no fees expected")
