"""Security additions and removals delivered to ``on_securities_changed`` (LEAN's ``SecurityChanges``)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lean_local.enums import SecurityType


def _ordered(securities: Iterable[Any]) -> list[Any]:
    # LEAN orders by ticker with the invariant culture; case-folding first approximates that ordering.
    return sorted(securities, key=lambda s: (s.symbol.value.casefold(), s.symbol.value))


def _unique(securities: Iterable[Any]) -> list[Any]:
    seen: set[int] = set()
    result = []
    for security in securities:
        if id(security) not in seen:
            seen.add(id(security))
            result.append(security)
    return result


class SecurityChanges:
    """What a universe selection added and removed; internal (benchmark-like) securities are kept apart.

    ``added_securities``/``removed_securities`` are ordered by ticker, as LEAN orders them. The copy the algorithm
    receives filters internal and custom-data securities out.
    """

    def __init__(
        self,
        added: Iterable[Any] = (),
        removed: Iterable[Any] = (),
        internal_added: Iterable[Any] = (),
        internal_removed: Iterable[Any] = (),
    ) -> None:
        self._added = _unique(added)
        self._removed = _unique(removed)
        self._internal_added = _unique(internal_added)
        self._internal_removed = _unique(internal_removed)
        self.filter_internal_securities = False
        self.filter_custom_securities = False

    # factories LEAN exposes
    @classmethod
    def none(cls) -> SecurityChanges:
        return cls()

    @classmethod
    def added(cls, *securities: Any) -> SecurityChanges:
        return cls(added=securities)

    @classmethod
    def removed(cls, *securities: Any) -> SecurityChanges:
        return cls(removed=securities)

    @classmethod
    def internal_added(cls, *securities: Any) -> SecurityChanges:
        return cls(internal_added=securities)

    def for_algorithm(self) -> SecurityChanges:
        """The view user code sees: internal and custom securities filtered out."""
        view = SecurityChanges(self._added, self._removed, self._internal_added, self._internal_removed)
        view.filter_internal_securities = True
        view.filter_custom_securities = True
        return view

    def _view(self, public: list[Any], internal: list[Any]) -> list[Any]:
        items = list(public)
        if not self.filter_internal_securities:
            items += [s for s in internal if s not in items]
        if self.filter_custom_securities:
            items = [s for s in items if s.symbol.security_type != SecurityType.BASE]
        return _ordered(items)

    @property
    def added_securities(self) -> list[Any]:
        return self._view(self._added, self._internal_added)

    @property
    def removed_securities(self) -> list[Any]:
        return self._view(self._removed, self._internal_removed)

    @property
    def count(self) -> int:
        return len(self._added) + len(self._removed) + len(self._internal_added) + len(self._internal_removed)

    def __bool__(self) -> bool:
        return self.count > 0

    def __add__(self, other: SecurityChanges) -> SecurityChanges:
        if not self:
            return other
        if not other:
            return self
        added = _unique(self._added + other._added)
        internal_added = _unique(self._internal_added + other._internal_added)
        kept = {id(s) for s in added} | {id(s) for s in internal_added}
        removed = [s for s in _unique(self._removed + other._removed) if id(s) not in kept]
        internal_removed = [s for s in _unique(self._internal_removed + other._internal_removed) if id(s) not in kept]
        return SecurityChanges(added, removed, internal_added, internal_removed)

    def __str__(self) -> str:
        if self.count == 0:
            return "SecurityChanges: None"
        text = "SecurityChanges: "
        if self.added_securities:
            text += " Added: " + ",".join(str(s.symbol.id) for s in self.added_securities)
        if self.removed_securities:
            text += " Removed: " + ",".join(str(s.symbol.id) for s in self.removed_securities)
        return text

    __repr__ = __str__


class SecurityChangesConstructor:
    """Collects additions and removals during one selection pass, then flushes them as one :class:`SecurityChanges`."""

    def __init__(self) -> None:
        self._added: list[Any] = []
        self._removed: list[Any] = []
        self._internal_added: list[Any] = []
        self._internal_removed: list[Any] = []

    def add(self, security: Any, is_internal: bool) -> None:
        (self._internal_added if is_internal else self._added).append(security)

    def remove(self, security: Any, is_internal: bool) -> None:
        (self._internal_removed if is_internal else self._removed).append(security)

    def flush(self) -> SecurityChanges:
        changes = SecurityChanges(self._added, self._removed, self._internal_added, self._internal_removed)
        self._added, self._removed, self._internal_added, self._internal_removed = [], [], [], []
        return changes
