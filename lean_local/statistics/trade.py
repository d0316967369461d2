"""A closed trade (entry to exit of a position) and the enums that describe how fills become trades."""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from lean_local.csharp import ZERO, json_utc_datetime, timedelta_to_ticks, timespan_to_string


class TradeDirection(IntEnum):
    """Written into the trade JSON as an integer."""

    LONG = 0
    SHORT = 1


class FillGroupingMethod(IntEnum):
    """Which fills make up one trade."""

    FILL_TO_FILL = 0  # each opening fill is its own trade, closed (partly) by opposite fills; LEAN's default
    FLAT_TO_FLAT = 1  # a trade runs from flat to flat again
    FLAT_TO_REDUCED = 2  # a trade runs from flat until the position is reduced


class FillMatchingMethod(IntEnum):
    """Which open fills a closing fill is matched against first."""

    FIFO = 0
    LIFO = 1


@dataclass
class Trade:
    """One closed trade, in the units LEAN uses.

    Times are naive UTC. Prices are in the security's quote currency; ``profit_loss``, ``total_fees``, ``mae``,
    ``mfe`` and ``end_trade_drawdown`` are in the account currency (rounded to 2 decimals by the builder,
    fees as charged). ``quantity`` is always positive; ``direction`` says long or short. ``symbols`` holds the
    Symbol JSON objects (``{"value": …, "id": …, "permtick": …}``) exactly as they should be written.
    """

    symbol_key: Hashable
    symbols: list[Any]
    entry_time: datetime
    entry_price: Decimal
    direction: TradeDirection
    quantity: Decimal
    exit_time: datetime | None = None
    exit_price: Decimal = ZERO
    profit_loss: Decimal = ZERO
    total_fees: Decimal = ZERO
    mae: Decimal = ZERO
    mfe: Decimal = ZERO
    end_trade_drawdown: Decimal = ZERO
    is_win: bool = False
    order_ids: list[int] = field(default_factory=list)
    id: str = ""

    @property
    def duration_ticks(self) -> int:
        """``ExitTime - EntryTime`` in .NET ticks (100 ns)."""
        if self.exit_time is None:
            return 0
        return timedelta_to_ticks(self.exit_time - self.entry_time)

    def add_order_id(self, order_id: int) -> None:
        """Add to the ordered set of order ids (a .NET ``HashSet`` keeps insertion order without removals)."""
        if order_id not in self.order_ids:
            self.order_ids.append(order_id)

    def to_json(self) -> dict[str, Any]:
        """LEAN's JSON object for a trade. Decimal values stay ``Decimal``: write them with
        :func:`lean_local.csharp.json_decimal_literal` (e.g. ``688.0``, ``144.78172417``)."""
        return {
            "id": self.id,
            "symbols": list(self.symbols),
            "entryTime": json_utc_datetime(self.entry_time),
            "entryPrice": self.entry_price,
            "direction": int(self.direction),
            "quantity": self.quantity,
            "exitTime": json_utc_datetime(self.exit_time) if self.exit_time is not None else "0001-01-01T00:00:00",
            "exitPrice": self.exit_price,
            "profitLoss": self.profit_loss,
            "totalFees": self.total_fees,
            "mae": self.mae,
            "mfe": self.mfe,
            "duration": timespan_to_string(self.duration_ticks),
            "endTradeDrawdown": self.end_trade_drawdown,
            "isWin": self.is_win,
            "orderIds": list(self.order_ids),
        }
