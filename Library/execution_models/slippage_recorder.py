"""Slippage recording: wrap any execution model and measure every fill against the price when the target arrived."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional

import pandas as pd

from AlgorithmImports import *

LAST = "last"
MID = "mid"

COLUMNS = [
    "time", "symbol", "order_id", "quantity", "fill_price", "decision_time", "decision_price", "target_quantity",
    "slippage", "slippage_bps", "cost",
]


@dataclass
class Decision:
    """The moment a target arrived: when, the target quantity and the reference (decision) price then."""

    time: datetime
    symbol: Symbol
    target_quantity: float
    price: float


@dataclass
class SlippageRecord:
    """One fill measured against its decision price.

    ``slippage`` is ``fill_price - decision_price`` (per share, raw sign); ``slippage_bps`` and ``cost`` are signed
    so that positive means the fill was worse than the decision price for that side (paid more on a buy, received
    less on a sell): ``cost = (fill_price - decision_price) * quantity`` in account currency.
    """

    time: datetime
    symbol: Symbol
    order_id: int
    quantity: float
    fill_price: float
    decision_time: datetime
    decision_price: float
    target_quantity: float

    @property
    def slippage(self) -> float:
        return self.fill_price - self.decision_price

    @property
    def cost(self) -> float:
        return (self.fill_price - self.decision_price) * self.quantity

    @property
    def slippage_bps(self) -> float:
        if self.decision_price == 0 or self.quantity == 0:
            return 0.0
        side = 1.0 if self.quantity > 0 else -1.0
        return side * (self.fill_price - self.decision_price) / self.decision_price * 10000.0


class SlippageRecordingExecutionModel(ExecutionModel):
    """Delegates execution to another model and records each fill's slippage versus the decision price.

    Why: backtests and live trading lose money between deciding and filling (spread, market impact, delay, fill
    model). Measuring each fill against the price at the moment the portfolio target arrived ("arrival price") shows
    how much an execution model costs, per symbol and over time, so execution models and fee/slippage assumptions
    can be compared on the same strategy.

    Every target passed to :meth:`execute` whose quantity differs from the symbol's current decision starts a new
    :class:`Decision` at the security's price then (``security.price``, or the bid/ask mid with
    ``decision_price="mid"`` when both are quoted). Orders are bound to the symbol's decision at their first order
    event, and each fill (``fill_quantity != 0``) becomes a :class:`SlippageRecord`. Fills of orders placed while no
    decision exists for the symbol (e.g. manual orders) are not recorded.

    Args:
        execution_model: the model that places the orders (default ``ImmediateExecutionModel()``).
        decision_price: ``"last"`` (default, ``security.price``) or ``"mid"``.
        log_fills: write one log line per recorded fill (default ``False``).

    Read the results with ``records`` (list of :class:`SlippageRecord`), :meth:`to_data_frame` and :meth:`summary`;
    :meth:`log_summary` and :meth:`save_to_object_store` are meant for ``on_end_of_algorithm``.
    """

    def __init__(
        self, execution_model: Optional[ExecutionModel] = None, decision_price: str = LAST, log_fills: bool = False,
    ) -> None:
        super().__init__()
        if decision_price not in (LAST, MID):
            raise ValueError(f"SlippageRecordingExecutionModel: decision_price must be '{LAST}' or '{MID}'")
        self.execution_model: ExecutionModel = execution_model if execution_model is not None else ImmediateExecutionModel()
        self.decision_price = decision_price
        self.log_fills = log_fills
        self.records: List[SlippageRecord] = []
        self.decisions: List[Decision] = []
        self._current: Dict[Symbol, Decision] = {}
        self._by_order: Dict[int, Optional[Decision]] = {}

    def execute(self, algorithm: QCAlgorithm, targets: List[IPortfolioTarget]) -> None:
        for target in targets:
            current = self._current.get(target.symbol)
            if current is None or current.target_quantity != target.quantity:
                decision = Decision(algorithm.time, target.symbol, float(target.quantity), self._price(algorithm.securities[target.symbol]))
                self._current[target.symbol] = decision
                self.decisions.append(decision)
        self.execution_model.execute(algorithm, targets)

    def on_securities_changed(self, algorithm: QCAlgorithm, changes: SecurityChanges) -> None:
        self.execution_model.on_securities_changed(algorithm, changes)

    def on_order_event(self, algorithm: QCAlgorithm, order_event: OrderEvent) -> None:
        self.execution_model.on_order_event(algorithm, order_event)
        if order_event.order_id not in self._by_order:
            self._by_order[order_event.order_id] = self._current.get(order_event.symbol)
        decision = self._by_order[order_event.order_id]
        if decision is None or order_event.fill_quantity == 0:
            return
        record = SlippageRecord(
            algorithm.time, order_event.symbol, order_event.order_id, float(order_event.fill_quantity),
            float(order_event.fill_price), decision.time, decision.price, decision.target_quantity,
        )
        self.records.append(record)
        if self.log_fills:
            algorithm.log(
                f"Slippage {record.symbol.value}: {record.quantity:+g} @ {record.fill_price:.4f} vs decision "
                f"{record.decision_price:.4f} = {record.slippage_bps:+.2f} bps"
            )

    def _price(self, security: Security) -> float:
        if self.decision_price == MID:
            bid = float(security.bid_price)
            ask = float(security.ask_price)
            if bid > 0 and ask > 0:
                return (bid + ask) / 2.0
        return float(security.price)

    def to_data_frame(self) -> pd.DataFrame:
        """One row per fill with the columns of ``COLUMNS`` (symbol as its ticker)."""
        rows = [
            [r.time, r.symbol.value, r.order_id, r.quantity, r.fill_price, r.decision_time, r.decision_price,
             r.target_quantity, r.slippage, r.slippage_bps, r.cost]
            for r in self.records
        ]
        return pd.DataFrame(rows, columns=COLUMNS)

    def summary(self) -> Dict[str, float]:
        """Fill count, traded value, total cost (account currency) and the value-weighted and mean cost in bps."""
        traded = sum(abs(r.quantity) * r.decision_price for r in self.records)
        cost = sum(r.cost for r in self.records)
        count = len(self.records)
        return {
            "fills": float(count),
            "traded_value": traded,
            "total_cost": cost,
            "weighted_bps": cost / traded * 10000.0 if traded else 0.0,
            "mean_bps": sum(r.slippage_bps for r in self.records) / count if count else 0.0,
        }

    def log_summary(self, algorithm: QCAlgorithm) -> None:
        """Log :meth:`summary` as one line."""
        s = self.summary()
        algorithm.log(
            f"Slippage summary: {int(s['fills'])} fills, traded {s['traded_value']:.2f}, cost {s['total_cost']:.2f} "
            f"({s['weighted_bps']:.2f} bps value-weighted, {s['mean_bps']:.2f} bps mean)"
        )

    def save_to_object_store(self, algorithm: QCAlgorithm, key: str = "slippage_records.csv") -> bool:
        """Save the records as CSV under ``key`` in the algorithm's ObjectStore; returns what ``save`` returns."""
        return bool(algorithm.object_store.save(key, self.to_data_frame().to_csv(index=False)))
