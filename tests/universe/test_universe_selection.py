"""Universe selection rules, checked against a stand-in engine: additions, removals, pending removals, minimum time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from lean_local.enums import Resolution, SecurityType
from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.market_data import TradeBar
from lean_local.universe import (
    UNCHANGED,
    BaseDataCollection,
    FuncUniverse,
    SecurityChanges,
    UniverseSettings,
    UserDefinedUniverse,
)
from lean_local.universe.selection import UniverseSelection
from lean_local.universe.universes import universe_config

T0 = datetime(2014, 3, 25, 4)


def sym(ticker: str) -> Symbol:
    return Symbol.create(ticker, SecurityType.EQUITY, "usa", first_date=datetime(1998, 1, 2), first_ticker=ticker)


@dataclass
class FakeHoldings:
    quantity: float = 0.0
    target: Any = None


@dataclass
class FakeCache:
    cleared: bool = False

    def reset(self) -> None:
        self.cleared = True


@dataclass
class FakeSecurity:
    symbol: Symbol
    holdings: FakeHoldings = field(default_factory=FakeHoldings)
    is_delisted: bool = False
    is_tradable: bool = True
    subscriptions: list[Any] = field(default_factory=list)
    cache: FakeCache = field(default_factory=FakeCache)

    def reset(self) -> None:
        self.is_tradable = False


class FakeSecurities(dict):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.removed: list[Symbol] = []

    def remove(self, symbol: Symbol) -> None:
        self.pop(symbol, None)
        self.removed.append(symbol)


class FakeConfigService:
    def __init__(self) -> None:
        self.configs: dict[Symbol, list[SubscriptionDataConfig]] = {}

    def add(self, symbol: Symbol, resolution: Resolution, fill_forward: bool, extended: bool, mode: Any) -> list[SubscriptionDataConfig]:
        if symbol not in self.configs:
            self.configs[symbol] = [SubscriptionDataConfig(symbol, TradeBar, resolution, "America/New_York", "America/New_York")]
        return self.configs[symbol]


class FakeHost:
    def __init__(self, universes: list[Any]) -> None:
        self.end_utc = datetime(2014, 4, 8, 4)
        self.securities = FakeSecurities()
        self.config_service = FakeConfigService()
        self.universes = universes
        self.subscribed: list[Symbol] = []
        self.unsubscribed: list[Symbol] = []
        self.orders: dict[Symbol, list[Any]] = {}
        self.messages: list[str] = []

    def active_securities(self) -> dict[Symbol, Any]:
        active: dict[Symbol, Any] = {}
        for universe in self.universes:
            active.update(universe.members)
        return active

    def create_security(self, symbol: Symbol, leverage: float) -> FakeSecurity:
        existing = self.securities.get(symbol)
        if existing is None:
            existing = FakeSecurity(symbol)
            self.securities[symbol] = existing
        existing.is_tradable = True
        return existing

    def add_data_subscription(self, security: Any, config: SubscriptionDataConfig, start_utc: datetime, universe: Any) -> bool:
        self.subscribed.append(config.symbol)
        return True

    def remove_data_subscription(self, config: SubscriptionDataConfig, universe: Any) -> bool:
        self.unsubscribed.append(config.symbol)
        return True

    def open_orders(self, symbol: Symbol) -> list[Any]:
        return self.orders.get(symbol, [])

    def debug(self, message: str) -> None:
        self.messages.append(message)


def selector_universe(minimum: timedelta = timedelta(0)) -> tuple[FuncUniverse, list[list[Symbol]]]:
    answers: list[list[Symbol]] = []
    settings = UniverseSettings(Resolution.DAILY, minimum_time_in_universe=minimum)
    config = universe_config(sym("UNIVERSE"), BaseDataCollection, Resolution.DAILY, "America/New_York")
    universe = FuncUniverse(config, settings, lambda rows: answers.pop(0))
    return universe, answers


def select(selection: UniverseSelection, universe: Any, when: datetime) -> SecurityChanges:
    return selection.apply(universe, when, BaseDataCollection(when, universe.symbol, []))


def tickers(securities: list[Any]) -> list[str]:
    return [s.symbol.value for s in securities]


def test_new_selection_adds_members_in_ticker_order_and_subscribes() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers.append([sym("SPY"), sym("AAPL"), sym("QQQ")])
    changes = select(selection, universe, T0)
    assert tickers(changes.added_securities) == ["AAPL", "QQQ", "SPY"]
    assert changes.removed_securities == []
    assert set(universe.members) == {sym("SPY"), sym("AAPL"), sym("QQQ")}
    assert host.subscribed == [sym("SPY"), sym("AAPL"), sym("QQQ")]  # in selection order


def test_same_selection_is_unchanged_and_reports_nothing() -> None:
    universe, answers = selector_universe()
    selection = UniverseSelection(FakeHost([universe]))
    answers += [[sym("SPY")], [sym("SPY")]]
    assert select(selection, universe, T0).count == 1
    assert select(selection, universe, T0 + timedelta(days=1)).count == 0


def test_selector_may_return_unchanged() -> None:
    universe, answers = selector_universe()
    selection = UniverseSelection(FakeHost([universe]))
    answers += [[sym("SPY")], UNCHANGED]  # type: ignore[list-item]
    select(selection, universe, T0)
    assert select(selection, universe, T0 + timedelta(days=1)).count == 0
    assert list(universe.members) == [sym("SPY")]


def test_deselected_security_without_holdings_is_removed_and_unsubscribed() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers += [[sym("SPY"), sym("IBM")], [sym("SPY")]]
    select(selection, universe, T0)
    ibm = host.securities[sym("IBM")]
    changes = select(selection, universe, T0 + timedelta(days=1))
    assert tickers(changes.removed_securities) == ["IBM"]
    assert sym("IBM") not in universe.members
    assert host.unsubscribed == [sym("IBM")]
    assert host.securities.removed == [sym("IBM")]
    assert ibm.cache.cleared, "a security no universe streams any more loses its cached prices"


def test_deselected_security_with_holdings_stays_subscribed_until_flat() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers += [[sym("SPY"), sym("IBM")], [sym("SPY")], [sym("SPY")]]
    select(selection, universe, T0)
    host.securities[sym("IBM")].holdings.quantity = 10
    changes = select(selection, universe, T0 + timedelta(days=1))
    assert tickers(changes.removed_securities) == ["IBM"], "the removal is announced at once"
    assert sym("IBM") in universe.members and host.unsubscribed == [], "but data keeps flowing while held"
    host.securities[sym("IBM")].holdings.quantity = 0
    later = select(selection, universe, T0 + timedelta(days=2))
    assert later.count == 0, "not announced twice"
    assert host.unsubscribed == [sym("IBM")]
    assert sym("IBM") not in universe.members


def test_open_orders_also_keep_a_deselected_security() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers += [[sym("IBM")], []]
    select(selection, universe, T0)
    host.orders[sym("IBM")] = ["open limit order"]
    select(selection, universe, T0 + timedelta(days=1))
    assert sym("IBM") in universe.members


def test_reselecting_a_held_pending_removal_cancels_it() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers += [[sym("IBM")], [], [sym("IBM")], []]
    select(selection, universe, T0)
    host.securities[sym("IBM")].holdings.quantity = 5
    select(selection, universe, T0 + timedelta(days=1))
    changes = select(selection, universe, T0 + timedelta(days=2))
    assert changes.count == 0 and sym("IBM") in universe.members and host.unsubscribed == []
    host.securities[sym("IBM")].holdings.quantity = 0
    changes = select(selection, universe, T0 + timedelta(days=3))
    assert tickers(changes.removed_securities) == ["IBM"], "no longer pending, so the next removal is announced"
    assert host.unsubscribed == [sym("IBM")]


def test_reselecting_a_flat_pending_removal_removes_then_adds_it_again() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers += [[sym("IBM")], [], [sym("IBM")]]
    select(selection, universe, T0)
    host.securities[sym("IBM")].holdings.quantity = 5
    select(selection, universe, T0 + timedelta(days=1))
    host.securities[sym("IBM")].holdings.quantity = 0
    changes = select(selection, universe, T0 + timedelta(days=2))
    # LEAN first completes the pending removal (it is safe now), then the selection adds the security back
    assert host.unsubscribed == [sym("IBM")]
    assert tickers(changes.added_securities) == ["IBM"]
    assert sym("IBM") in universe.members


def test_minimum_time_in_universe_delays_removal() -> None:
    universe, answers = selector_universe(minimum=timedelta(days=2))
    selection = UniverseSelection(FakeHost([universe]))
    answers += [[sym("IBM")], [], []]
    select(selection, universe, T0)
    assert select(selection, universe, T0 + timedelta(days=1)).count == 0
    assert sym("IBM") in universe.members
    # the next selection is different again ([] vs [] is unchanged), so make it differ: remove at day 2 via a new answer
    answers[:] = [[sym("SPY")]]
    changes = select(selection, universe, T0 + timedelta(days=2))
    assert tickers(changes.removed_securities) == ["IBM"]
    assert tickers(changes.added_securities) == ["SPY"]


def test_selection_after_the_end_date_is_ignored() -> None:
    universe, answers = selector_universe()
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    answers.append([sym("SPY")])
    assert select(selection, universe, host.end_utc + timedelta(seconds=1)).count == 0
    assert answers == [[sym("SPY")]], "the selector is not even called"


def test_user_defined_universe_keeps_configs_for_removal() -> None:
    config = universe_config(UserDefinedUniverse.create_symbol(SecurityType.EQUITY, "usa"), BaseDataCollection,
                             Resolution.MINUTE, "UTC")
    universe = UserDefinedUniverse(config, UniverseSettings(minimum_time_in_universe=timedelta(0)), timedelta.max, [])
    host = FakeHost([universe])
    selection = UniverseSelection(host)
    spy_config = SubscriptionDataConfig(sym("SPY"), TradeBar, Resolution.MINUTE, "America/New_York", "America/New_York")
    assert universe.add(spy_config) and not universe.add(spy_config)
    changes = select(selection, universe, T0)
    assert tickers(changes.added_securities) == ["SPY"]
    assert host.securities[sym("SPY")].subscriptions == [spy_config]
    assert universe.remove(sym("SPY"))
    changes = select(selection, universe, T0 + timedelta(minutes=1))
    assert tickers(changes.removed_securities) == ["SPY"]
    assert host.unsubscribed == [sym("SPY")], "the removed config is still known when the member leaves"
    assert universe.symbol.value == "QC-UNIVERSE-USERDEFINED-USA-EQUITY"


def test_security_changes_addition_cancels_removal_and_filters_internal() -> None:
    a, b = FakeSecurity(sym("AAA")), FakeSecurity(sym("BBB"))
    merged = SecurityChanges(removed=[a]) + SecurityChanges(added=[a], internal_added=[b])
    assert tickers(merged.added_securities) == ["AAA", "BBB"]
    assert merged.removed_securities == []
    assert tickers(merged.for_algorithm().added_securities) == ["AAA"]
    assert str(SecurityChanges()) == "SecurityChanges: None"


@pytest.mark.parametrize("bad", [None, [42]])
def test_selector_returning_garbage_is_a_clear_error(bad: Any) -> None:
    universe, answers = selector_universe()
    selection = UniverseSelection(FakeHost([universe]))
    answers.append(bad)
    with pytest.raises(TypeError, match="Symbol"):
        select(selection, universe, T0)
