"""IndicatorHelpers against a minimal algorithm: names, consolidator choice, registration, warm-up from history."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from lean_local.consolidators import (
    IdentityDataConsolidator,
    MarketHourAwareConsolidator,
    QuoteBarConsolidator,
    TradeBarConsolidator,
)
from lean_local.engine import SubscriptionManager
from lean_local.enums import Resolution, TickType
from lean_local.indicators import Field, MovingAverageType, SimpleMovingAverage
from lean_local.indicators.helpers import IndicatorHelpers
from lean_local.market_data import QuoteBar, TradeBar
from lean_local.subscriptions import SubscriptionDataConfig

NY = "America/New_York"


class StubAlgorithm(IndicatorHelpers):
    def __init__(self, resolution: Resolution, history: list[TradeBar] | None = None) -> None:
        self.subscription_manager = SubscriptionManager()
        self.subscription_manager.add(SubscriptionDataConfig("SPY", TradeBar, resolution, NY, NY))
        if resolution <= Resolution.MINUTE:
            self.subscription_manager.add(
                SubscriptionDataConfig("SPY", QuoteBar, resolution, NY, NY, tick_type=TickType.QUOTE))
        self.securities: dict[str, Any] = {}
        self.settings = SimpleNamespace(automatic_indicator_warm_up=False, daily_precise_end_time=True,
                                        daily_consolidation_use_extended_market_hours=False)
        self.history_requests: list[tuple[Any, int, Any]] = []
        bars = history or []

        def history_bars(symbol: Any, count: int, resolution: Any = None, data_type: Any = None) -> list[TradeBar]:
            self.history_requests.append((symbol, count, resolution))
            return bars[-count:]

        self._engine = SimpleNamespace(history_bars=history_bars, market_hours=None)
        self.utc_time = datetime(2013, 10, 8, 4)
        self.time = datetime(2013, 10, 8)
        self.debugs: list[str] = []

    def resolve_symbol(self, value: Any) -> Any:
        return value

    def debug(self, message: str) -> None:
        self.debugs.append(message)

    def consolidators(self, data_type: type = TradeBar) -> list[Any]:
        config = next(c for c in self.subscription_manager.get_subscription_data_configs("SPY") if c.type is data_type)
        return list(config.consolidators)


def daily_bars(count: int) -> list[TradeBar]:
    start = datetime(2013, 9, 2, 9, 30)
    return [TradeBar(start + timedelta(days=i), "SPY", 100 + i, 101 + i, 99 + i, 100.5 + i, 1000,
                     timedelta(hours=6, minutes=30)) for i in range(count)]


def test_indicator_names() -> None:
    algorithm = StubAlgorithm(Resolution.MINUTE)
    assert algorithm.create_indicator_name("SPY", "SMA(10)", None) == "SMA(10,SPY_min)"
    assert algorithm.create_indicator_name("SPY", "RSI(14,Wilders)", Resolution.DAILY) == "RSI(14,Wilders,SPY_day)"
    assert algorithm.rsi("SPY", 14).name == "RSI(14,Wilders,SPY_min)"
    assert algorithm.bb("SPY", 20, 2.5, resolution=Resolution.HOUR).name == "BB(20,2.5,SPY_hr)"
    assert algorithm.macd("SPY", 12, 26, 9, MovingAverageType.SIMPLE).name == "MACD(12,26,9,SPY_min)"
    assert algorithm.dch("SPY", 20, 10).name == "DCH(20,10,SPY_min)"
    assert algorithm.dch("SPY", 20).name == "DCH(20,20,SPY_min)"
    assert algorithm.ema("SPY", 10, 0.5).name == "EMA(10,SPY_min)"
    assert algorithm.kch("SPY", 20, 2).name == "KCH(20,2,SPY_min)"


def test_consolidator_choice_follows_the_requested_resolution() -> None:
    algorithm = StubAlgorithm(Resolution.MINUTE)
    assert isinstance(algorithm.resolve_consolidator("SPY", None), IdentityDataConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", Resolution.MINUTE), IdentityDataConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", timedelta(minutes=1)), IdentityDataConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", Resolution.HOUR), TradeBarConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", Resolution.DAILY), MarketHourAwareConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", timedelta(days=1)), TradeBarConsolidator)
    assert isinstance(algorithm.resolve_consolidator("SPY", Resolution.HOUR, QuoteBar), QuoteBarConsolidator)
    with pytest.raises(ValueError, match="Consolidators require higher resolution data"):
        StubAlgorithm(Resolution.DAILY).resolve_consolidator("SPY", Resolution.HOUR)


def test_helpers_register_on_the_right_subscription_and_unregister() -> None:
    algorithm = StubAlgorithm(Resolution.MINUTE)
    sma = algorithm.sma("SPY", 5, Resolution.HOUR)
    bid = algorithm.sma("SPY", 5, selector=Field.BID_CLOSE)  # quote fields consolidate quote bars
    (trade_consolidator,) = algorithm.consolidators(TradeBar)
    (quote_consolidator,) = algorithm.consolidators(QuoteBar)
    assert trade_consolidator in sma.consolidators and quote_consolidator in bid.consolidators
    algorithm.unregister_indicator(sma)
    assert algorithm.consolidators(TradeBar) == [] and sma.consolidators == set()


def test_registered_indicator_sees_consolidated_values() -> None:
    algorithm = StubAlgorithm(Resolution.MINUTE)
    average = SimpleMovingAverage(2)
    algorithm.register_indicator("SPY", average, timedelta(minutes=2), lambda bar: bar.high)
    (consolidator,) = algorithm.consolidators()
    start = datetime(2013, 10, 7, 9, 30)
    for i in range(5):
        bar = TradeBar(start + timedelta(minutes=i), "SPY", 10 + i, 10.5 + i, 9.5 + i, 10 + i, 1, timedelta(minutes=1))
        consolidator.update(bar)
        consolidator.scan(bar.end_time)
    # 2-minute highs 11.5 and 13.5
    assert average.samples == 2 and average.current.value == 12.5
    assert average.current.time == start + timedelta(minutes=4)


def test_warm_up_from_history() -> None:
    bars = daily_bars(30)
    algorithm = StubAlgorithm(Resolution.DAILY, bars)
    sma = SimpleMovingAverage(10)
    sma.update(datetime(2000, 1, 1), 1000)  # warm-up resets first
    algorithm.warm_up_indicator("SPY", sma, Resolution.DAILY)
    assert algorithm.history_requests == [("SPY", 10, Resolution.DAILY)]
    assert sma.is_ready and sma.samples == 10
    assert sma.current.value == pytest.approx(sum(b.close for b in bars[-10:]) / 10)
    atr = algorithm.atr("SPY", 5)
    algorithm.warm_up_indicator("SPY", atr)
    assert atr.is_ready and atr.samples == 5 and algorithm.history_requests[-1] == ("SPY", 5, None)


def test_automatic_warm_up() -> None:
    algorithm = StubAlgorithm(Resolution.DAILY, daily_bars(40))
    algorithm.settings.automatic_indicator_warm_up = True
    rsi = algorithm.rsi("SPY", 14)
    macd = algorithm.macd("SPY", 12, 26, 9)
    assert rsi.is_ready and rsi.samples == 15
    assert macd.is_ready and macd.samples == 34
