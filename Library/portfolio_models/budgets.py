"""Sector / asset-class budgets: a fixed share of the portfolio per bucket, split among the bucket's insights."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from AlgorithmImports import *

from portfolio_models._common import rebalancing_func, respects_bias

EQUAL = "equal"
INSIGHT = "insight"


def bucket_weights(
    directions: Sequence[float],
    buckets: Sequence[Optional[str]],
    values: Sequence[float],
    budgets: Mapping[str, float],
    redistribute_unused: bool = False,
) -> List[float]:
    """Signed weights that give each bucket its budget, split among its members in proportion to ``values``.

    Member ``i`` (direction ``directions[i]``, bucket ``buckets[i]``, sizing value ``values[i] >= 0``) gets
    ``sign(direction) * budget[bucket] * value / sum(values of the bucket's members with a direction)``. Members with
    direction 0, without a bucket or in a bucket without a budget get 0, and so does a bucket whose values add up to 0.
    A bucket with no member keeps its budget in cash unless ``redistribute_unused`` is set: then the budgets of the
    buckets in use are scaled up so that together they use the sum of all budgets.
    """
    totals: Dict[str, float] = {}
    for direction, bucket, value in zip(directions, buckets, values):
        if direction != 0 and bucket is not None and bucket in budgets:
            totals[bucket] = totals.get(bucket, 0.0) + max(float(value), 0.0)
    used = {bucket for bucket, total in totals.items() if total > 0}
    factor = 1.0
    if redistribute_unused and used:
        used_budget = sum(float(budgets[bucket]) for bucket in used)
        all_budget = sum(float(budget) for budget in budgets.values())
        if used_budget > 0:
            factor = all_budget / used_budget
    weights: List[float] = []
    for direction, bucket, value in zip(directions, buckets, values):
        if direction == 0 or bucket is None or bucket not in used:
            weights.append(0.0)
            continue
        sign = 1.0 if direction > 0 else -1.0
        weights.append(sign * float(budgets[bucket]) * factor * max(float(value), 0.0) / totals[bucket])
    return weights


class SectorBudgetPortfolioConstructionModel(PortfolioConstructionModel):
    """Allocates a fixed budget to each sector or asset class and splits it among that bucket's active insights.

    Why: letting a signal decide everything can pile the whole portfolio into one theme (all tech, all rates). Fixing
    how much capital each bucket may use (e.g. 50% US equity, 20% emerging markets, 20% commodities) keeps the
    strategic allocation while the alpha picks the names and directions inside each bucket.

    ``buckets`` maps symbols (``Symbol`` objects or tickers) to a bucket name and ``budgets`` maps bucket names to the
    gross share of the portfolio they get. On every rebalance each bucket's budget is divided among the symbols of the
    bucket with an active up/down insight allowed by the portfolio bias: equally (``weighting="equal"``) or in
    proportion to the insights' ``weight`` (``weighting="insight"``; an insight without a weight counts as 0). The
    sign comes from the insight direction. Symbols outside every bucket go to ``default_bucket`` (if given), otherwise
    they get 0. Budgets of buckets without insights stay in cash, or are spread over the active buckets in proportion
    to their budgets with ``redistribute_unused=True``.

    Args:
        buckets: symbol or ticker -> bucket name.
        budgets: bucket name -> gross portfolio share (non-negative; they need not add up to 1).
        rebalance: LEAN's rebalancing parameter (``Resolution``, ``timedelta``, date rule or function); ``None``
            rebalances only on insight and security changes.
        portfolio_bias: ``PortfolioBias.LONG_SHORT`` (default), ``LONG`` or ``SHORT``.
        weighting: ``"equal"`` (default) or ``"insight"``.
        default_bucket: bucket for symbols missing from ``buckets`` (default ``None``: such symbols get 0).
        redistribute_unused: spread the budgets of empty buckets over the others (default ``False``).

    After each rebalance ``last_weights`` (by symbol) and ``last_bucket_exposure`` (gross weight by bucket) describe
    the allocation.
    """

    def __init__(
        self,
        buckets: Mapping[Union[Symbol, str], str],
        budgets: Mapping[str, float],
        rebalance: Any = Resolution.DAILY,
        portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
        weighting: str = EQUAL,
        default_bucket: Optional[str] = None,
        redistribute_unused: bool = False,
    ) -> None:
        super().__init__()
        if weighting not in (EQUAL, INSIGHT):
            raise ValueError(f"SectorBudgetPortfolioConstructionModel: weighting must be '{EQUAL}' or '{INSIGHT}', not {weighting!r}")
        negative = [name for name, budget in budgets.items() if budget < 0]
        if negative:
            raise ValueError(f"SectorBudgetPortfolioConstructionModel: budgets must not be negative: {negative}")
        self._by_ticker: Dict[str, str] = {}
        self._by_symbol: Dict[Symbol, str] = {}
        for key, bucket in buckets.items():
            if isinstance(key, str):
                self._by_ticker[key.upper()] = bucket
            else:
                self._by_symbol[key] = bucket
        self.budgets: Dict[str, float] = {name: float(budget) for name, budget in budgets.items()}
        self.portfolio_bias = portfolio_bias
        self.weighting = weighting
        self.default_bucket = default_bucket
        self.redistribute_unused = redistribute_unused
        self.last_weights: Dict[Symbol, float] = {}
        self.last_bucket_exposure: Dict[str, float] = {}
        func = rebalancing_func(rebalance)
        if func is not None:
            self.set_rebalancing_func(func)

    def bucket_of(self, symbol: Symbol) -> Optional[str]:
        """The bucket of a symbol: by ``Symbol``, then by ticker, then ``default_bucket``."""
        bucket = self._by_symbol.get(symbol)
        if bucket is None:
            bucket = self._by_ticker.get(symbol.value.upper())
        return bucket if bucket is not None else self.default_bucket

    # The stubs type this hook's result as a .NET Dictionary; LEAN's Python wrapper takes a Python dict, as its own
    # Python models return.
    def determine_target_percent(self, active_insights: List[Insight]) -> Dict[Insight, float]:  # type: ignore[override]
        directions = [
            int(insight.direction) if respects_bias(insight, self.portfolio_bias) else 0 for insight in active_insights
        ]
        buckets = [self.bucket_of(insight.symbol) for insight in active_insights]
        if self.weighting == INSIGHT:
            values = [abs(insight.weight) if insight.weight is not None else 0.0 for insight in active_insights]
        else:
            values = [1.0] * len(active_insights)
        weights = bucket_weights(directions, buckets, values, self.budgets, self.redistribute_unused)
        self.last_weights = {}
        self.last_bucket_exposure = {}
        result: Dict[Insight, float] = {}
        for insight, bucket, weight in zip(active_insights, buckets, weights):
            result[insight] = weight
            self.last_weights[insight.symbol] = weight
            if bucket is not None:
                self.last_bucket_exposure[bucket] = self.last_bucket_exposure.get(bucket, 0.0) + abs(weight)
        return result
