"""The engine's own readers (``lean_local.data``) read the synthetic market back as intended."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from synthetic_helpers import read_bars

from lean_local.synthetic import MarketManifest, calendar

bars = pytest.importorskip("lean_local.data.bars")
factor_files = pytest.importorskip("lean_local.data.factor_files")
map_files = pytest.importorskip("lean_local.data.map_files")
market_hours = pytest.importorskip("lean_local.data.market_hours")
interest_rate = pytest.importorskip("lean_local.data.interest_rate")
symbol_properties = pytest.importorskip("lean_local.data.symbol_properties")
enums = pytest.importorskip("lean_local.enums")


def _exchange_hours(root: Path):  # type: ignore[no-untyped-def]
    db = market_hours.MarketHoursDatabase.load(root / "market-hours" / "market-hours-database.json")
    return db.get_exchange_hours(enums.SecurityType.EQUITY, "usa")


def test_market_hours_reader(small_market: MarketManifest, small_root: Path) -> None:
    hours = _exchange_hours(small_root)
    assert hours.trading_days(small_market.start, small_market.end) == calendar.trading_days(
        small_market.start, small_market.end
    )
    assert hours.regular_close(date(2019, 12, 24)) == datetime.combine(date(2019, 12, 24), time(13, 0))
    assert hours.regular_close(date(2019, 12, 23)) == datetime.combine(date(2019, 12, 23), time(16, 0))
    assert hours.regular_open(date(2019, 12, 23)) == datetime.combine(date(2019, 12, 23), time(9, 30))
    assert not hours.is_date_open(date(2019, 12, 25))


def test_bar_readers(small_market: MarketManifest, small_root: Path) -> None:
    equity = small_root / "equity" / "usa"
    daily = bars.read_trade_bars(equity / "daily" / "spy.zip")
    _, values = read_bars(equity / "daily" / "spy.zip")
    assert len(daily) == small_market.trading_days
    assert (np.asarray(daily.close) == values[:, 3]).all()
    hour = bars.read_trade_bars(equity / "hour" / "spy.zip")
    assert len(hour) == sum(4 if calendar.is_early_close(d) else 7
                            for d in calendar.trading_days(small_market.start, small_market.end))
    day = small_market.minute_dates[0]
    trades = bars.read_trade_bars(equity / "minute" / "spy" / f"{day:%Y%m%d}_trade.zip", day=day)
    quotes = bars.read_quote_bars(equity / "minute" / "spy" / f"{day:%Y%m%d}_quote.zip", day=day)
    assert len(trades) > 390 and len(quotes) >= len(trades)
    first = np.datetime64(day, "ns") + np.timedelta64(4, "h")
    assert np.asarray(trades.time).min() >= first.astype(np.int64)


def test_factor_file_reader_recovers_the_events(small_market: MarketManifest, small_root: Path) -> None:
    hours = _exchange_hours(small_root)
    for record in small_market.tickers:
        ff = factor_files.FactorFile.load(small_root / "equity/usa/factor_files" / f"{record.ticker.lower()}.csv")
        events = ff.splits_and_dividends(hours)
        splits = [e for e in events if isinstance(e, factor_files.SplitEvent)]
        dividends = [e for e in events if isinstance(e, factor_files.DividendEvent)]
        assert [(s.time, s.row_date) for s in splits] == [(s.ex_date, s.factor_date) for s in record.splits]
        for s, expected in zip(splits, record.splits):
            assert s.split_factor * expected.ratio == pytest.approx(Decimal(1), abs=Decimal("1e-7"))
            assert s.reference_price == Decimal(expected.reference_price)
        assert [(d.time, d.distribution) for d in dividends] == [
            (d.ex_date, Decimal(d.amount)) for d in record.dividends
        ]


def test_map_file_reader(small_market: MarketManifest, small_root: Path) -> None:
    resolver = map_files.MapFileResolver.load(small_root / "equity/usa/map_files")
    renamed = small_market.ticker("SYNCLD")
    assert renamed.rename_date is not None
    mf = resolver.resolve_security("SYNCLD", date(2030, 1, 1))
    assert mf.mapped_ticker(renamed.first_date).upper() == "SYNNET"
    assert mf.mapped_ticker(renamed.rename_date).upper() == "SYNCLD"
    delisted = small_market.ticker("SYNGAS")
    gas = resolver.resolve_security("SYNGAS", date(2030, 1, 1))
    assert delisted.delisted is not None
    assert gas.has_data(delisted.delisted) and not gas.has_data(calendar.next_trading_day(delisted.delisted))


def test_interest_rate_and_symbol_properties_readers(small_market: MarketManifest, small_root: Path) -> None:
    rates = interest_rate.InterestRateProvider(small_root / "alternative/interest-rate/usa/interest-rate.csv")
    rate = rates.get_interest_rate(small_market.last_trading_day)
    assert Decimal("0") < rate < Decimal("0.1")  # percent in the file, a fraction once read
    db = symbol_properties.SymbolPropertiesDatabase.load(
        small_root / "symbol-properties/symbol-properties-database.csv"
    )
    props = db.get("usa", "SYNCHP", enums.SecurityType.EQUITY)
    assert props.minimum_price_variation == Decimal("0.01") and props.lot_size == Decimal(1)
