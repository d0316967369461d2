# All six Library/alpha models side by side on SPY, IWM and IBM in 2019; IBM is removed on 3 June and added back on
# 3 September. Records each model's IBM price window (and its consolidator) and IBM's subscriptions just before
# the removal, and every remove_consolidator call, so the test can check the models detached their consolidators
# and rebuilt their state.
from AlgorithmImports import *

from alpha.mean_reversion import ZScoreMeanReversionAlphaModel
from alpha.pairs import CointegratedPairsAlphaModel
from alpha.regime_trend import RegimeFilteredTrendAlphaModel
from alpha.reversal import ShortTermReversalAlphaModel
from alpha.ts_momentum import TimeSeriesMomentumAlphaModel
from alpha.xs_momentum import CrossSectionalMomentumAlphaModel
from alpha_recorder import AlphaRecordingAlgorithm


class UniverseChangesTestAlgorithm(AlphaRecordingAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2019, 1, 2)
        self.set_end_date(2019, 12, 31)
        self.set_cash(1000000)
        for ticker in ("SPY", "IWM", "IBM"):
            self.add_equity(ticker, Resolution.DAILY)
        self.ibm = self.symbol("IBM")
        self.models = [
            TimeSeriesMomentumAlphaModel(lookback=63, volatility_lookback=21, rebalance_bars=5),
            CrossSectionalMomentumAlphaModel(lookback=63, skip=5, num_long=1, rebalance="weekly"),
            ZScoreMeanReversionAlphaModel(lookback=20, entry_z=1.5),
            RegimeFilteredTrendAlphaModel(fast_period=20, slow_period=60, volatility_period=10,
                                          long_run_volatility_period=120, insight_bars=5),
            CointegratedPairsAlphaModel(lookback=60, retest_bars=5),
            ShortTermReversalAlphaModel(lookback=3, holding_bars=3, num_long=1, num_short=1),
        ]
        for model in self.models:
            self.add_alpha(model)
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.removed_windows: list[object] = []
        self.removed_configs: list[object] = []
        self.removed_at: datetime | None = None
        self.added_back_at: datetime | None = None
        self.removed_consolidators: list[tuple[datetime, Symbol, object]] = []
        manager = self.subscription_manager
        remove = manager.remove_consolidator

        def recording_remove(symbol: Symbol, consolidator: object) -> None:
            self.removed_consolidators.append((self.time, symbol, consolidator))
            remove(symbol, consolidator)

        manager.remove_consolidator = recording_remove
        self.start_recording()

    def on_data(self, data: Slice) -> None:
        super().on_data(data)
        if self.removed_at is None and self.time >= datetime(2019, 6, 3):
            self.removed_windows = [model.windows.get(self.ibm) for model in self.models]
            self.removed_configs = list(self.subscription_manager.subscription_data_config_service
                                        .get_subscription_data_configs(self.ibm))
            self.remove_security(self.ibm)
            self.removed_at = self.time
        elif self.removed_at is not None and self.added_back_at is None and self.time >= datetime(2019, 9, 3):
            self.add_equity("IBM", Resolution.DAILY)
            self.added_back_at = self.time
