# Our version of LEAN's AddRemoveSecurityCacheRegressionAlgorithm (SPY minute with extended hours, 2013-10-07 to
# 10-11): SPY is bought with the whole portfolio. Until the 11th AIG is added and removed on alternate slices; each
# time it is added its cache must be empty again, so a market order for it is invalid (no price yet).
from AlgorithmImports import *


class AigComesAndGoes(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.MINUTE, extended_market_hours=True)

    def on_data(self, slice: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings("SPY", 1)
        if self.time.day == 11:
            return
        if self.active_securities.contains_key("AIG"):
            self.remove_security("AIG")
            return
        aig = self.add_equity("AIG", Resolution.MINUTE)
        ticket = self.market_order("AIG", 1)
        if ticket.status != OrderStatus.INVALID or aig.has_data or aig.price != 0:
            raise AssertionError("a freshly added AIG must have no data, so its order is invalid")
