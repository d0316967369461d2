"""Test support for scheduling: a minimal scheduling context and an engine-loop stand-in."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lean_local.data.market_hours import ExchangeHours, MarketHoursDatabase
from lean_local.enums import SecurityType
from lean_local.scheduling import RealTimeScheduler, ScheduleManager
from lean_local.timeutil import to_utc

MHDB_PATH = Path("/work/shared/lean-data/market-hours/market-hours-database.json")


@dataclass(frozen=True)
class FakeSymbol:
    value: str
    security_type: SecurityType = SecurityType.EQUITY
    market: str = "usa"
    root: str | None = None  # database key for futures

    def __str__(self) -> str:
        return self.value


KNOWN = {
    "SPY": FakeSymbol("SPY"),
    "AAPL": FakeSymbol("AAPL"),
    "BTCUSD": FakeSymbol("BTCUSD", SecurityType.CRYPTO, "coinbase"),
    "EURUSD": FakeSymbol("EURUSD", SecurityType.FOREX, "oanda"),
    "ES": FakeSymbol("/ES", SecurityType.FUTURE, "cme", "ES"),
}


@dataclass
class FakeContext:
    """What the engine would provide; ``utc_time`` is moved by the tests."""

    db: MarketHoursDatabase
    utc_time: datetime
    time_zone: str = "America/New_York"
    start_date: datetime = datetime(2013, 10, 7)
    end_date: datetime = datetime(2013, 10, 11)
    securities: list[FakeSymbol] = field(default_factory=list)

    def resolve_symbol(self, ticker_or_symbol: Any) -> FakeSymbol:
        if isinstance(ticker_or_symbol, FakeSymbol):
            return ticker_or_symbol
        return KNOWN.get(str(ticker_or_symbol).upper(), FakeSymbol(str(ticker_or_symbol).upper()))

    def exchange_hours_for(self, symbol: Any) -> ExchangeHours:
        sym = self.resolve_symbol(symbol)
        return self.db.get_exchange_hours(sym.security_type, sym.market, sym.root or sym.value)

    def security_exchange_hours(self) -> Iterable[ExchangeHours]:
        return [self.exchange_hours_for(s) for s in self.securities]


@dataclass
class Harness:
    """Engine stand-in: a context, the algorithm-facing manager and the real-time scheduler."""

    ctx: FakeContext
    schedule: ScheduleManager
    scheduler: RealTimeScheduler
    fired: list[tuple[str, datetime]] = field(default_factory=list)

    def record(self, label: str) -> Any:
        """A zero-argument callback that logs (label, algorithm UTC clock when called)."""
        return lambda: self.fired.append((label, self.ctx.utc_time))

    def start(self, sampling: bool = True, **setup: Any) -> None:
        """Engine start-up: ``setup`` (LEAN's RealTime.Setup), then AlgorithmManager's "Daily Sampling"
        event at midnight, which every LEAN backtest has and which affects same-time ordering."""
        self.scheduler.setup(**setup)
        if sampling:
            self.schedule.on("Daily Sampling", self.schedule.date_rules.every_day(),
                             self.schedule.time_rules.midnight, lambda: None)

    def set_time(self, utc: datetime) -> None:
        self.ctx.utc_time = utc

    def step(self, utc: datetime) -> None:
        """One time slice, in AlgorithmManager order."""
        self.scheduler.scan_past(utc, self.set_time)
        self.set_time(utc)
        self.scheduler.fire_due(utc)

    def run_minutes(self, start_local: datetime, end_local: datetime, *, market_only: bool = True) -> None:
        """Slices every minute (bar end times) between two New York times, optionally only 09:31-16:00 on
        SPY trading days, like minute equity data would."""
        hours = self.ctx.exchange_hours_for("SPY")
        t = start_local
        while t <= end_local:
            if not market_only or hours.is_open(t - timedelta(minutes=1), t, False):
                self.step(to_utc(t))
            t += timedelta(minutes=1)
