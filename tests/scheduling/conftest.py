"""Fixtures for the scheduling tests: the real market-hours database and engine stand-ins."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from _sched_support import MHDB_PATH, FakeContext, Harness

from lean_local.data.market_hours import MarketHoursDatabase
from lean_local.scheduling import RealTimeScheduler, ScheduleManager


@pytest.fixture(scope="session")
def mhdb() -> MarketHoursDatabase:
    if not MHDB_PATH.exists():
        pytest.skip(f"market hours database not found at {MHDB_PATH}")
    return MarketHoursDatabase.load(MHDB_PATH)


@pytest.fixture
def make_harness(mhdb: MarketHoursDatabase) -> Any:
    def build(start_utc: datetime, **kwargs: Any) -> Harness:
        ctx = FakeContext(mhdb, start_utc, **kwargs)
        scheduler = RealTimeScheduler(lambda: ctx.utc_time)
        schedule = ScheduleManager(ctx, scheduler)
        return Harness(ctx, schedule, scheduler)

    return build


@pytest.fixture
def ctx(mhdb: MarketHoursDatabase) -> FakeContext:
    return FakeContext(mhdb, datetime(2013, 10, 7, 4, 0))
