"""US equity exchange hours from the LEAN sample market-hours database."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lean_local.data.market_hours import MarketHoursDatabase
from lean_local.data.paths import DataFolder
from lean_local.enums import SecurityType


@pytest.fixture(scope="session")
def equity_hours(lean_data: Path) -> Any:
    database = MarketHoursDatabase.load(DataFolder(lean_data).market_hours_database())
    return database.get_exchange_hours(SecurityType.EQUITY, "usa", "SPY")
