"""Indicator and consolidator helpers of ``QCAlgorithm`` (``self.sma(...)``, ``self.consolidate(...)``)."""
from __future__ import annotations


class IndicatorHelpers:
    """Mixed into ``QCAlgorithm``; the helper methods are added with the indicators package."""
