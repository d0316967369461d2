"""Rebuild, from the sample data, the chart series LEAN's result handler records for a buy-and-hold backtest.

This is the sampling an engine has to reproduce (``BaseResultsHandler.Sample`` and
``BacktestingResultHandler.ProcessSynchronousEvents``), reduced to one security bought once:

* a daily sample at midnight (New York) of every calendar day from the start date to the end date: equity
  candle close, "Return" (``round((V - Vprev) * 100 / Vprev, 10)``), benchmark price, and portfolio turnover
  (``(sales volume - sales volume at the previous sample) / V``, not at the start-date sample);
* an equity sample at every time slice later than the previous such sample + 4 minutes;
* a final sample at the last slice time (the equity point only if later than the last one).

Every chart value goes through SmartRounding; equity values are first rounded to 4 decimals.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from lean_local.csharp import (
    ZERO,
    decimal_add,
    decimal_div,
    decimal_mul,
    decimal_sub,
    round_decimal,
    smart_rounding,
)
from lean_local.timeutil import to_utc

LEAN_DATA = Path("/work/shared/lean-data")
CASES = Path("/work/shared/fidelity/cases.json")
SPY_FACTOR = Decimal("0.8646266")  # factor-file row 20131219, which covers October 2013
DECI_CENTS = Decimal("0.0001")
RESAMPLE = timedelta(minutes=4)
HUNDRED = Decimal(100)

SeriesPoint = tuple[datetime, Decimal]


def adjusted(raw: str) -> Decimal:
    """Deci-cent integer → adjusted price as LEAN computes it: ``raw * 0.0001 * factor + 0``."""
    return decimal_mul(decimal_mul(Decimal(int(raw)), DECI_CENTS), SPY_FACTOR)


def adjusted_volume(raw: str) -> Decimal:
    """``Math.Round(volume * (1 / factor))``."""
    return round_decimal(decimal_mul(Decimal(int(raw)), decimal_div(Decimal(1), SPY_FACTOR)), 0)


def _csv_lines(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.read(archive.namelist()[0]).decode().splitlines()


@dataclass(frozen=True)
class Bar:
    end_utc: datetime
    open: Decimal
    close: Decimal
    volume: Decimal
    period: timedelta


def spy_minute_bars(day: date) -> list[Bar]:
    """Regular-hours SPY minute TradeBars (09:30-16:00 New York) of one day."""
    bars = []
    for line in _csv_lines(LEAN_DATA / f"equity/usa/minute/spy/{day:%Y%m%d}_trade.zip"):
        millis, open_, _, _, close, volume = line.split(",")
        start = datetime.combine(day, time()) + timedelta(milliseconds=int(millis))
        if time(9, 30) <= start.time() < time(16, 0):
            end = start + timedelta(minutes=1)
            bars.append(Bar(to_utc(end), adjusted(open_), adjusted(close), adjusted_volume(volume), timedelta(minutes=1)))
    return bars


def spy_hour_bars(first: date, last: date) -> list[Bar]:
    """SPY hour TradeBars between two dates; the 09:00 file row is the 09:30-10:00 bar."""
    bars = []
    for line in _csv_lines(LEAN_DATA / "equity/usa/hour/spy.zip"):
        stamp, open_, _, _, close, volume = line.split(",")
        start = datetime.strptime(stamp, "%Y%m%d %H:%M")
        if first <= start.date() <= last:
            end = start + timedelta(hours=1)
            period = end - max(start, datetime.combine(start.date(), time(9, 30)))
            bars.append(Bar(to_utc(end), adjusted(open_), adjusted(close), adjusted_volume(volume), period))
    return bars


def spy_daily_bars(first: date, last: date) -> dict[date, Bar]:
    """SPY daily TradeBars, 09:30-16:00 (``DailyPreciseEndTime``), by date."""
    bars = {}
    for line in _csv_lines(LEAN_DATA / "equity/usa/daily/spy.zip"):
        stamp, open_, _, _, close, volume = line.split(",")
        day = datetime.strptime(stamp[:8], "%Y%m%d").date()
        if first <= day <= last:
            end = datetime.combine(day, time(16, 0))
            bars[day] = Bar(to_utc(end), adjusted(open_), adjusted(close), adjusted_volume(volume), timedelta(hours=6.5))
    return bars


@dataclass(frozen=True)
class BuyAndHold:
    """One buy order filled at ``fill_time_utc``; ``prices`` are the security's price updates by slice."""

    start_date: date
    end_date: date
    cash: Decimal
    quantity: Decimal
    fill_price: Decimal
    fee: Decimal
    fill_time_utc: datetime
    prices: list[tuple[datetime, Decimal]]
    price_before_start: Decimal

    @property
    def cash_after_fill(self) -> Decimal:
        return decimal_sub(decimal_sub(self.cash, decimal_mul(self.quantity, self.fill_price)), self.fee)

    def portfolio_value(self, utc: datetime, price: Decimal) -> Decimal:
        if utc < self.fill_time_utc:
            return self.cash
        return decimal_add(self.cash_after_fill, decimal_mul(self.quantity, price))


@dataclass
class SampledSeries:
    equity: list[SeriesPoint]
    performance: list[SeriesPoint]
    benchmark: list[SeriesPoint]
    portfolio_turnover: list[SeriesPoint]


def sample(strategy: BuyAndHold) -> SampledSeries:
    series = SampledSeries([], [], [], [])
    midnights = []
    day = strategy.start_date
    while day <= strategy.end_date:
        midnights.append(to_utc(datetime.combine(day, time())))
        day += timedelta(days=1)
    events = sorted([(t, 0) for t in midnights] + [(t, 1) for t, _ in strategy.prices])
    price_at = dict(strategy.prices)
    price = strategy.price_before_start
    daily_value = strategy.cash
    sales_volume = ZERO
    previous_sales_volume = ZERO
    next_equity_sample: datetime | None = None

    def daily_sample(utc: datetime, value: Decimal, is_start: bool) -> None:
        nonlocal daily_value, previous_sales_volume
        if not series.equity or utc > series.equity[-1][0]:
            series.equity.append((utc, smart_rounding(round_decimal(value, 4))))
        change = decimal_div(decimal_mul(decimal_sub(value, daily_value), HUNDRED), daily_value)
        series.performance.append((utc, smart_rounding(round_decimal(change, 10))))
        series.benchmark.append((utc, smart_rounding(smart_rounding(price))))
        if not is_start:
            turnover = decimal_div(decimal_sub(sales_volume, previous_sales_volume), value)
            series.portfolio_turnover.append((utc, smart_rounding(turnover)))
            previous_sales_volume = sales_volume
        daily_value = value

    last_slice = strategy.prices[-1][0]
    for utc, kind in events:
        if kind == 0:
            daily_sample(utc, strategy.portfolio_value(utc, price), utc == midnights[0])
            continue
        price = price_at[utc]
        if utc == strategy.fill_time_utc:
            sales_volume = decimal_add(sales_volume, decimal_mul(strategy.quantity, strategy.fill_price))
        if next_equity_sample is None or utc > next_equity_sample:
            next_equity_sample = utc + RESAMPLE
            value = strategy.portfolio_value(utc, price)
            series.equity.append((utc, smart_rounding(round_decimal(value, 4))))
    daily_sample(last_slice, strategy.portfolio_value(last_slice, price), False)
    return series


def basic_template() -> tuple[BuyAndHold, list[Bar]]:
    """BasicTemplateAlgorithm: SPY minute, 2013-10-07..11, set_holdings(1) at the first slice (09:31)."""
    bars = [bar for day in range(7, 12) for bar in spy_minute_bars(date(2013, 10, day))]
    first_quote_ask_close = decimal_mul(decimal_mul(Decimal(1674500), DECI_CENTS), SPY_FACTOR)
    previous_close = [bar for bar in spy_hour_bars(date(2013, 10, 4), date(2013, 10, 4))][-1].close
    strategy = BuyAndHold(
        start_date=date(2013, 10, 7),
        end_date=date(2013, 10, 11),
        cash=Decimal(100000),
        quantity=Decimal(688),
        fill_price=first_quote_ask_close,
        fee=Decimal("3.44"),
        fill_time_utc=bars[0].end_utc,
        prices=[(bar.end_utc, bar.close) for bar in bars],
        price_before_start=previous_close,
    )
    return strategy, bars


def basic_template_daily() -> tuple[BuyAndHold, list[Bar], dict[date, Bar]]:
    """BasicTemplateDailyAlgorithm: SPY daily (plus the internal hourly benchmark feed that also moves the
    price), 2013-10-08..17; the market-on-open order fills with the 10/09 daily bar at its open."""
    hours = spy_hour_bars(date(2013, 10, 8), date(2013, 10, 17))
    daily = spy_daily_bars(date(2013, 10, 8), date(2013, 10, 17))
    previous_close = spy_hour_bars(date(2013, 10, 7), date(2013, 10, 7))[-1].close
    fill_bar = daily[date(2013, 10, 9)]
    strategy = BuyAndHold(
        start_date=date(2013, 10, 8),
        end_date=date(2013, 10, 17),
        cash=Decimal(100000),
        quantity=Decimal(697),
        fill_price=fill_bar.open,
        fee=Decimal("3.485"),
        fill_time_utc=fill_bar.end_utc,
        prices=[(bar.end_utc, bar.close) for bar in hours],
        price_before_start=previous_close,
    )
    return strategy, hours, daily
