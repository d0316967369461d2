"""Applying a universe's selection: LEAN's ``UniverseSelection.ApplyUniverseSelection`` and pending removals.

A deselected security is announced as removed at once, but its data keeps flowing while it still has holdings or
open orders; it leaves the algorithm at a later selection, once it is safe to remove.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from lean_local.securities.symbol import Symbol
from lean_local.subscriptions import SubscriptionDataConfig
from lean_local.universe.changes import SecurityChanges, SecurityChangesConstructor
from lean_local.universe.fundamental import Fundamental
from lean_local.universe.universes import (
    UNCHANGED,
    BaseDataCollection,
    FundamentalFilteredUniverse,
    Universe,
    UniverseMember,
)


class SelectionHost(Protocol):
    """What selection needs from the engine."""

    @property
    def end_utc(self) -> datetime: ...

    @property
    def securities(self) -> Any: ...

    @property
    def config_service(self) -> Any: ...

    def active_securities(self) -> dict[Symbol, Any]: ...

    def create_security(self, symbol: Symbol, leverage: float) -> Any:
        """The security for ``symbol``: the existing object when there is one, else a new initialized one."""

    def add_data_subscription(self, security: Any, config: SubscriptionDataConfig, start_utc: datetime, universe: Any) -> bool:
        """Stream ``config`` for ``universe``; True only when the stream is new (shared streams are counted)."""

    def remove_data_subscription(self, config: SubscriptionDataConfig, universe: Any) -> bool:
        """``universe`` stops using ``config``; True when no universe uses it any more and the stream ended."""

    def open_orders(self, symbol: Symbol) -> list[Any]: ...

    def debug(self, message: str) -> None: ...


class PendingRemovals:
    """Deselected members that still carry holdings or open orders, per universe."""

    def __init__(self, open_orders: Callable[[Symbol], list[Any]]) -> None:
        self._open_orders = open_orders
        self._pending: dict[Universe, list[UniverseMember]] = {}

    def is_safe_to_remove(self, member: UniverseMember, universe: Universe) -> bool:
        security = member.security
        if security.holdings.quantity != 0 or self._open_orders(security.symbol):
            return False
        target = getattr(security.holdings, "target", None)
        if target is not None and target.quantity != 0:
            return False
        for symbol, other in universe.securities.items():
            underlying = symbol.underlying if symbol.has_underlying else None
            if underlying == security.symbol and not self.is_safe_to_remove(other, universe):
                return False
        return True

    def try_remove(self, member: UniverseMember, universe: Universe) -> list[tuple[Universe, Any]]:
        if self.is_safe_to_remove(member, universe):
            return [(universe, member.security)]
        pending = self._pending.setdefault(universe, [])
        if member not in pending:
            pending.append(member)
        return []

    def is_pending(self, security: Any, is_internal: bool) -> bool:
        return any(
            m.is_internal == is_internal and m.security.symbol == security.symbol
            for members in self._pending.values() for m in members
        )

    def check(self, selected: Iterable[Symbol], current: Universe) -> list[tuple[Universe, Any]]:
        """Members that became safe to remove (and forget those the current universe selected again)."""
        selected_set = set(selected)
        result: list[tuple[Universe, Any]] = []
        for universe, members in list(self._pending.items()):
            for member in list(members):
                safe = self.is_safe_to_remove(member, universe)
                if safe or (universe is current and member.security.symbol in selected_set):
                    if safe:
                        result.append((universe, member.security))
                    members.remove(member)
                    if not members:
                        del self._pending[universe]
        return result


class UniverseSelection:
    """Turns universe selections into security additions and removals, subscribing and unsubscribing data."""

    def __init__(self, host: SelectionHost) -> None:
        self._host = host
        self.pending_removals = PendingRemovals(host.open_orders)
        self._changes = SecurityChangesConstructor()
        self._pending_additions: dict[datetime, dict[Symbol, Any]] = {}
        self._warned_missing_fundamentals = False

    def apply(self, universe: Universe, utc: datetime, data: BaseDataCollection) -> SecurityChanges:
        host = self._host
        end_utc = host.end_utc
        if utc > end_utc:
            return SecurityChanges()
        result = self._select(universe, utc, data)
        if result is not UNCHANGED:
            universe.selected = dict.fromkeys(result)
        self._remove_from_universe(self.pending_removals.check(universe.selected, universe), utc, end_utc)
        if result is UNCHANGED:
            return SecurityChanges()
        members = sorted(universe.securities.values(), key=lambda m: (int(m.security.symbol.security_type), m.security.symbol.id))
        for member in members:
            security = member.security
            if security.symbol in universe.selected or not universe.can_remove_member(utc, security):
                continue
            if not security.is_delisted and not self.pending_removals.is_pending(security, member.is_internal):
                self._changes.remove(security, member.is_internal)
            self._remove_from_universe(self.pending_removals.try_remove(member, universe), utc, end_utc)
        additions = self._pending_additions.get(utc)
        if additions is None:
            self._pending_additions.clear()
            additions = self._pending_additions[utc] = {}
        for symbol in universe.selected:
            if symbol in universe.securities:
                continue
            security = additions.get(symbol)
            if security is None:
                # an existing security object (even one removed earlier) is reused, so holdings carry over
                security = additions[symbol] = host.create_security(symbol, universe.universe_settings.leverage)
            added_subscription = False
            data_feed_added = False
            internal = True
            for config in universe.get_subscription_requests(security, utc, end_utc, host.config_service):
                if config not in security.subscriptions:
                    security.subscriptions.append(config)
                data_feed_added = host.add_data_subscription(security, config, utc, universe)
                added_subscription = True
                internal &= config.is_internal_feed
            if added_subscription and universe.add_member(utc, security, internal) and data_feed_added:
                self._changes.add(security, internal)
        return self._changes.flush()

    def _select(self, universe: Universe, utc: datetime, data: BaseDataCollection) -> Any:
        if not isinstance(universe, FundamentalFilteredUniverse) or universe.dispose_requested:
            return universe.perform_selection(utc, data)
        first = universe.select_symbols(utc, data)
        if first is UNCHANGED:
            return UNCHANGED
        wanted = dict.fromkeys(universe._to_symbols(first))
        rows: list[Any] = []
        missing = False
        for row in data.data:
            if row.symbol in wanted:
                del wanted[row.symbol]
                if isinstance(row, Fundamental) and not row.has_fundamental_data:
                    missing = True
                    continue
                rows.append(row if isinstance(row, Fundamental) else _as_fundamental(row))
        if missing and not self._warned_missing_fundamentals:
            self._host.debug(
                "Note: Your coarse selection filter was updated to exclude symbols without fine fundamental data. "
                "Make sure your coarse filter excludes symbols where has_fundamental_data is False."
            )
            self._warned_missing_fundamentals = True
        fine = BaseDataCollection(data.time, data.symbol, rows, data.end_time)
        data.data = rows
        return universe.fundamental_universe.perform_selection(utc, fine)

    def _remove_from_universe(self, removed: list[tuple[Universe, Any]], utc: datetime, end_utc: datetime) -> None:
        host = self._host
        for universe, security in removed:
            universe.remove_member(utc, security)
            active = security.symbol in host.active_securities()
            for config in universe.get_subscription_requests(security, utc, end_utc, host.config_service):
                if host.remove_data_subscription(config, universe) and not active:
                    security.reset()
                    # once no universe streams it, the prices go too (a delisted security keeps them: see below)
                    security.cache.reset()
                    host.securities.remove(security.symbol)

    def handle_delisting(self, security: Any, is_internal: bool) -> SecurityChanges:
        """A delisted security leaves the algorithm's active securities; report it unless already reported."""
        security.is_delisted = True
        security.reset()
        self._host.securities.remove(security.symbol)
        if not self.pending_removals.is_pending(security, is_internal):
            self._changes.remove(security, is_internal)
            return self._changes.flush()
        return SecurityChanges()


def _as_fundamental(row: Any) -> Fundamental:
    return Fundamental(row.symbol, row.time, row.value, row.volume, row.dollar_volume, False, row.price_factor, row.split_factor)
