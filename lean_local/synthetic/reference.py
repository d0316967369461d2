"""The databases a LEAN data folder carries next to the price data: market hours, symbol properties and
the risk-free interest rate, in LEAN's file shapes."""
from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np

from lean_local.synthetic import calendar
from lean_local.synthetic.model import STREAM_RATES, make_rng

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")

SYMBOL_PROPERTIES_HEADER = (
    "market,symbol,type,description,quote_currency,contract_multiplier,minimum_price_variation,lot_size,"
    "market_ticker,minimum_order_size,price_magnifier,strike_multiplier"
)


def _mdy(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def market_hours_json(first_year: int, last_year: int) -> str:
    """``market-hours/market-hours-database.json`` with the ``Equity-usa-[*]`` entry only."""
    sessions = [
        {"start": "04:00:00", "end": "09:30:00", "state": "premarket"},
        {"start": "09:30:00", "end": "16:00:00", "state": "market"},
        {"start": "16:00:00", "end": "20:00:00", "state": "postmarket"},
    ]
    entry: dict[str, object] = {
        "dataTimeZone": "America/New_York",
        "exchangeTimeZone": "America/New_York",
    }
    for name in WEEKDAYS:
        entry[name] = [] if name in ("saturday", "sunday") else [dict(s) for s in sessions]
    years = range(first_year, last_year + 1)
    entry["holidays"] = [_mdy(day) for year in years for day in calendar.holidays(year)]
    entry["earlyCloses"] = {_mdy(day): "13:00:00" for year in years for day in calendar.early_closes(year)}
    return json.dumps({"entries": {"Equity-usa-[*]": entry}}, indent=2) + "\n"


def symbol_properties_csv() -> str:
    """``symbol-properties/symbol-properties-database.csv``: LEAN's header and the US equity default row."""
    return (
        f"{SYMBOL_PROPERTIES_HEADER}\n"
        "\n"
        "#\n"
        "# SYNTHETIC MARKET (lean_local.synthetic): only the US equity default row is provided.\n"
        "#\n"
        "\n"
        "usa,[*],equity,,USD,1,0.01,1\n"
    )


def interest_rate_rows(seed: int, start: date, end: date) -> list[tuple[date, float]]:
    """A synthetic policy-rate path (percent): eight meetings a year, 25bp moves toward a drifting target,
    kept between 0.25% and 6%. Only the first day and the changes are listed, like LEAN's file."""
    rng = make_rng(seed, STREAM_RATES)
    rate = 1.00
    target = 1.0 + 2.0 * rng.random()
    rows = [(start, rate)]
    meeting = start + timedelta(days=int(rng.integers(20, 45)))
    while meeting <= end:
        while not calendar.is_trading_day(meeting):
            meeting += timedelta(days=1)
        target = 2.5 + 0.95 * (target - 2.5) + rng.normal(0.0, 0.4)
        gap = target - rate
        step = 0.0
        if abs(gap) > 0.5 and rng.random() < 0.75:
            step = 0.25 if abs(gap) < 1.5 else 0.5
        new_rate = float(np.clip(rate + np.sign(gap) * step, 0.25, 6.0))
        if new_rate != rate:
            rate = new_rate
            rows.append((meeting, rate))
        meeting += timedelta(days=int(rng.integers(40, 52)))
    return rows


def interest_rate_csv(seed: int, start: date, end: date) -> str:
    """``alternative/interest-rate/usa/interest-rate.csv``: ``DATE,PCREDIT8`` header, ISO dates, percent."""
    lines = ["DATE,PCREDIT8"]
    lines += [f"{day.isoformat()},{rate:.2f}" for day, rate in interest_rate_rows(seed, start, end)]
    return "\n".join(lines)
