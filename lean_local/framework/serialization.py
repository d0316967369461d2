"""Insights as LEAN writes them to ``<algorithm id>/alpha-results.json`` (``BaseResultsHandler.StoreInsights``).

The file is a JSON array (indented) of every insight the algorithm emitted, ordered by generation time, each
in LEAN's ``SerializedInsight`` shape with camelCase keys::

    {"id": "<32 hex>", "groupId": null, "sourceModel": "...", "generatedTime": 1381152660.0,
     "createdTime": 1381152660.0, "closeTime": 1381153859.0, "symbol": "SPY R735QTJ8XC9X", "ticker": "SPY",
     "type": "price", "reference": 144.02, "referenceValueFinal": 0.0, "direction": "up", "period": 1200.0,
     "magnitude": "0.025", "confidence": null, "weight": null, "scoreIsFinal": false, "scoreMagnitude": "0",
     "scoreDirection": "0", "estimatedValue": "0", "tag": ""}

Times are Unix seconds (UTC), ``period`` is in seconds; magnitude, confidence-free scores and the estimated value
are strings rounded to 4 decimals (LEAN's ``JsonRoundingConverter``); no file is written without insights.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from lean_local.csharp import decimal_to_string, double_to_string, round_decimal, round_double
from lean_local.framework.insights import Insight
from lean_local.timeutil import unix_seconds


def _rounded_double(value: float) -> str:
    return double_to_string(round_double(float(value), 4))


def _rounded_decimal(value: Decimal) -> str:
    return decimal_to_string(round_decimal(value, 4))


def serialize_insight(insight: Insight) -> dict[str, Any]:
    """One insight as LEAN's ``SerializedInsight`` (camelCase keys, LEAN's key order)."""
    created = unix_seconds(insight.generated_time_utc)
    symbol = insight.symbol
    return {
        "id": insight.id.hex,
        "groupId": insight.group_id.hex if insight.group_id is not None else None,
        "sourceModel": insight.source_model,
        "generatedTime": created,
        "createdTime": created,
        "closeTime": unix_seconds(insight.close_time_utc),
        "symbol": str(symbol.id) if hasattr(symbol, "id") else str(symbol),
        "ticker": getattr(symbol, "value", str(symbol)),
        "type": insight.type.name.lower(),
        "reference": insight.reference_value,
        "referenceValueFinal": insight.reference_value_final,
        "direction": insight.direction.name.lower(),
        "period": insight.period.total_seconds(),
        "magnitude": None if insight.magnitude is None else _rounded_double(insight.magnitude),
        "confidence": None if insight.confidence is None else _rounded_double(insight.confidence),
        "weight": insight.weight,
        "scoreIsFinal": bool(insight.score.is_final_score),
        "scoreMagnitude": _rounded_double(insight.score.magnitude),
        "scoreDirection": _rounded_double(insight.score.direction),
        "estimatedValue": _rounded_decimal(insight.estimated_value),
        "tag": insight.tag,
    }


def alpha_results(insights: Iterable[Insight]) -> list[dict[str, Any]]:
    """Every insight, ordered by generation time (stable), serialized."""
    ordered = sorted(insights, key=lambda insight: insight.generated_time_utc)
    return [serialize_insight(insight) for insight in ordered]


def alpha_results_json(algorithm: Any) -> str | None:
    """The text of ``alpha-results.json`` for ``algorithm``, or ``None`` when it emitted no insight."""
    manager = getattr(algorithm, "insights", None)
    if manager is None:
        return None
    insights = manager.get_insights()
    if not insights:
        return None
    rows = alpha_results(insights)
    for row in rows:
        for key in ("reference", "referenceValueFinal"):
            row[key] = float(row[key])
    return json.dumps(rows, indent=2)


def write_alpha_results(algorithm: Any, results_dir: Path, algorithm_id: str) -> Path | None:
    """Write ``<results_dir>/<algorithm_id>/alpha-results.json`` when the algorithm emitted insights."""
    text = alpha_results_json(algorithm)
    if text is None:
        return None
    path = Path(results_dir) / algorithm_id / "alpha-results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
