# Our version of LEAN's MultiUniverseSharedSecurityRegressionAlgorithm (SPY minute, 2013-10-07 to 10-11): SPY is
# added by hand at minute resolution and also selected, on the 8th only, by a named universe at hour resolution. When
# that universe drops SPY again, the manually added SPY must stay tradable and priced.
from AlgorithmImports import *


class SharedSpyAcrossUniverses(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY", Resolution.MINUTE)
        self.universe_settings.resolution = Resolution.HOUR
        self.add_universe("my-universe", lambda time: ["SPY"] if time.day == 8 else [])

    def on_data(self, slice: Slice) -> None:
        spy = self.securities["SPY"]
        if not spy.is_tradable or spy.price == 0:
            raise AssertionError("SPY must stay tradable and priced whatever the universe selects")
