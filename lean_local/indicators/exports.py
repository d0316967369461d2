"""Names the indicator and consolidator packages contribute to ``AlgorithmImports``."""
from __future__ import annotations


def names() -> dict[str, object]:
    """Everything an algorithm may reference by name: indicators, windows, consolidators, renko bars, calendars."""
    from lean_local import consolidators, indicators

    result: dict[str, object] = {}
    for module in (indicators, consolidators):
        for name in module.__all__:
            result[name] = getattr(module, name)
    # engine-side helpers are not part of LEAN's namespace
    for internal in ("ConsolidatedBar", "ConsolidatedTradeBar", "ConsolidatorScanner", "EventHandler",
                     "interface_event", "scan_past_consolidators", "scanner_for", "select_subscription"):
        result.pop(internal, None)
    return result
