"""A subscription's consolidators read like LEAN's .NET set: ``count`` is a property, not list.count."""
from __future__ import annotations

from dataclasses import replace

from lean_local.enums import Resolution, SecurityType
from lean_local.market_data import TradeBar
from lean_local.subscriptions import ConsolidatorCollection, SubscriptionDataConfig
from lean_local.securities.symbol import Symbol


def _config() -> SubscriptionDataConfig:
    spy = Symbol.create("SPY", SecurityType.EQUITY, "usa")
    return SubscriptionDataConfig(spy, TradeBar, Resolution.MINUTE, "America/New_York", "America/New_York")


def test_count_is_a_property() -> None:
    config = _config()
    assert config.consolidators.count == 0
    config.consolidators.append(object())
    assert config.consolidators.count == 1 and config.consolidators.Count == 1


def test_replaced_configs_keep_the_collection_type() -> None:
    copy = replace(_config(), consolidators=[])
    assert isinstance(copy.consolidators, ConsolidatorCollection)
    assert copy.consolidators.count == 0
