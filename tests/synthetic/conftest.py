"""Synthetic markets shared by the tests of ``lean_local.synthetic`` (generated once per session)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lean_local.synthetic import MarketManifest, generate_market

#: two years ending on an early close week, so minute files include Christmas Eve (13:00 close)
SMALL_START = date(2018, 1, 2)
SMALL_END = date(2019, 12, 31)
SMALL_MINUTE_DAYS = 6


@pytest.fixture(scope="session")
def small_market(tmp_path_factory: pytest.TempPathFactory) -> MarketManifest:
    root = tmp_path_factory.mktemp("synthetic") / "small"
    return generate_market(root, start=SMALL_START, end=SMALL_END, minute_days=SMALL_MINUTE_DAYS)


@pytest.fixture(scope="session")
def small_root(small_market: MarketManifest) -> Path:
    return small_market.root


@pytest.fixture(scope="session")
def long_daily_market(tmp_path_factory: pytest.TempPathFactory) -> MarketManifest:
    """The default ten-year span, daily bars only (for the statistical tests)."""
    root = tmp_path_factory.mktemp("synthetic") / "long"
    return generate_market(root, resolutions=("daily",))
