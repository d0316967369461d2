# Our version of LEAN's UniverseSharingSecurityDifferentSubscriptionRequestRegressionAlgorithm (SPY and AIG minute,
# 2013-10-08 to 10-11): a second, daily universe selects SPY on even days with extended market hours. SPY's data
# must use extended hours exactly on even days; AIG is removed on the first slice and must lose its subscriptions.
from AlgorithmImports import *


class SharedSpyWithExtendedHours(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = Symbol.create("SPY", SecurityType.EQUITY, Market.USA)
        self.aig = Symbol.create("AIG", SecurityType.EQUITY, Market.USA)
        self.add_equity("SPY")
        self.add_equity("AIG")
        self.universe_settings.resolution = Resolution.MINUTE
        self.universe_settings.extended_market_hours = True
        self.add_universe(SecurityType.EQUITY, "SecondUniverse", Resolution.DAILY, Market.USA, self.universe_settings,
                          lambda time: ["SPY"] if time.day % 2 == 0 else [])
        self.on_data_calls = 0
        self.aig_removed = False

    def configs(self, symbol: Symbol) -> list:
        return list(self.subscription_manager.subscription_data_config_service.get_subscription_data_configs(symbol))

    def on_data(self, slice: Slice) -> None:
        self.on_data_calls += 1
        if self.aig_removed:
            if self.configs(self.aig):
                raise AssertionError(f"AIG still subscribed: {self.configs(self.aig)}")
        else:
            if not self.configs(self.aig):
                raise AssertionError("AIG should be subscribed before its removal")
            self.aig_removed = True
            self.remove_security(self.aig)
        extended = any(config.extended_market_hours for config in self.configs(self.spy))
        if extended != (self.time.day % 2 == 0):
            raise AssertionError(f"SPY extended market hours {extended} on day {self.time.day}")

    def on_end_of_algorithm(self) -> None:
        if self.on_data_calls == 0:
            raise AssertionError("on_data was never called")
