"""``algorithm.universe_manager``: the algorithm's universes by symbol, with changes queued to the data feed."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any

from lean_local.market_data import DataDictionary
from lean_local.universe.universes import Universe


class UniverseChange(Enum):
    ADD = "add"
    REPLACE = "replace"
    REMOVE = "remove"


class UniverseManager(Mapping[Any, Universe]):
    """Symbol → universe. Additions and updates take effect at the end of the time step (``process_changes``).

    Iterating yields ``KeyValuePair(symbol, universe)`` as LEAN's Python API does; ``keys``/``values``/``items``
    behave as for a dict.
    """

    def __init__(self, on_change: Callable[[UniverseChange, Universe], None] | None = None) -> None:
        self._universes: dict[Any, Universe] = {}
        self._pending: list[tuple[UniverseChange, Universe]] = []
        self.on_change = on_change

    def add(self, symbol: Any, universe: Universe) -> bool:
        if symbol in self._universes:
            return False
        self._universes[symbol] = universe
        self._pending.append((UniverseChange.ADD, universe))
        return True

    def update(self, symbol: Any, universe: Universe, change: UniverseChange) -> None:
        """Queue a change of an existing universe (its members changed), unless one is already queued."""
        if symbol in self._universes and not any(u is universe for _, u in self._pending):
            self._pending.append((change, universe))

    def process_changes(self) -> None:
        while self._pending:
            change, universe = self._pending.pop(0)
            if self.on_change is not None:
                self.on_change(change, universe)

    def remove(self, symbol: Any) -> bool:
        universe = self._universes.pop(symbol, None)
        if universe is None:
            return False
        universe.dispose()
        if self.on_change is not None:
            self.on_change(UniverseChange.REMOVE, universe)
        return True

    def __setitem__(self, symbol: Any, universe: Universe) -> None:
        existing = self._universes.get(symbol)
        if existing is not None and existing is not universe:
            raise ValueError(f"Unable to overwrite existing universe: {symbol}")
        if existing is None:
            self.add(symbol, universe)

    def __getitem__(self, symbol: Any) -> Universe:
        try:
            return self._universes[symbol]
        except KeyError:
            raise KeyError(f"This universe symbol ({symbol}) was not found in your universe list") from None

    def __len__(self) -> int:
        return len(self._universes)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._universes

    def __iter__(self) -> Iterator[Any]:
        from lean_local.market_data import KeyValuePair

        return (KeyValuePair(k, v) for k, v in list(self._universes.items()))

    def keys(self) -> Any:
        return self._universes.keys()

    def values(self) -> Any:
        return self._universes.values()

    def items(self) -> Any:
        return self._universes.items()

    def get(self, symbol: Any, default: Any = None) -> Any:
        return self._universes.get(symbol, default)

    def contains_key(self, symbol: Any) -> bool:
        return symbol in self._universes

    def try_get_value(self, symbol: Any) -> tuple[bool, Universe | None]:
        universe = self._universes.get(symbol)
        return universe is not None, universe

    @property
    def active_securities(self) -> DataDictionary[Any]:
        """Every security some universe currently holds as a member (a read-only dictionary in LEAN, so it has
        ``count``/``contains_key`` and iterates as key-value pairs)."""
        active: DataDictionary[Any] = DataDictionary()
        for universe in self._universes.values():
            for symbol, member in universe.securities.items():
                active.setdefault(symbol, member.security)
        return active

    @property
    def count(self) -> int:
        return len(self._universes)
