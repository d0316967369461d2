"""``algorithm.universe_manager``: the algorithm's universes by symbol, with changes queued to the data feed."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

from lean_local.universe.universes import Universe


class UniverseChange(Enum):
    ADD = "add"
    REPLACE = "replace"
    REMOVE = "remove"


class UniverseManager(dict):  # type: ignore[type-arg]
    """Symbol → universe. Additions and updates take effect at the end of the time step (``process_changes``)."""

    def __init__(self, on_change: Callable[[UniverseChange, Universe], None] | None = None) -> None:
        super().__init__()
        self._pending: list[tuple[UniverseChange, Universe]] = []
        self.on_change = on_change

    def add(self, symbol: Any, universe: Universe) -> bool:
        if symbol in self:
            return False
        dict.__setitem__(self, symbol, universe)
        self._pending.append((UniverseChange.ADD, universe))
        return True

    def update(self, symbol: Any, universe: Universe, change: UniverseChange) -> None:
        if symbol in self and not any(u is universe for _, u in self._pending):
            self._pending.append((change, universe))

    def process_changes(self) -> None:
        while self._pending:
            change, universe = self._pending.pop(0)
            if self.on_change is not None:
                self.on_change(change, universe)

    def remove(self, symbol: Any) -> bool:
        universe = self.pop(symbol, None)
        if universe is None:
            return False
        universe.dispose()
        if self.on_change is not None:
            self.on_change(UniverseChange.REMOVE, universe)
        return True

    def __setitem__(self, symbol: Any, universe: Universe) -> None:
        existing = self.get(symbol)
        if existing is not None and existing is not universe:
            raise ValueError(f"Unable to overwrite existing universe: {symbol}")
        if existing is None:
            self.add(symbol, universe)

    def __getitem__(self, symbol: Any) -> Universe:
        try:
            return dict.__getitem__(self, symbol)  # type: ignore[no-any-return]
        except KeyError:
            raise KeyError(f"This universe symbol ({symbol}) was not found in your universe list") from None

    def contains_key(self, symbol: Any) -> bool:
        return symbol in self

    def try_get_value(self, symbol: Any) -> tuple[bool, Universe | None]:
        universe = self.get(symbol)
        return universe is not None, universe

    @property
    def active_securities(self) -> dict[Any, Any]:
        """Every security some universe currently holds as a member."""
        active: dict[Any, Any] = {}
        for universe in self.values():
            for symbol, member in universe.securities.items():
                active.setdefault(symbol, member.security)
        return active

    def __iter__(self) -> Iterator[Any]:
        from lean_local.market_data import KeyValuePair

        return (KeyValuePair(k, v) for k, v in dict.items(self))

    @property
    def count(self) -> int:
        return len(self)
