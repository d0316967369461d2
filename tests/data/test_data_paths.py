from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lean_local.data.paths import DataFolder, scaled_strike
from lean_local.enums import OptionRight, OptionStyle, Resolution, TickType

F = DataFolder("/d")


def test_equity_daily_and_hour_paths() -> None:
    assert F.equity_daily_zip("SPY") == Path("/d/equity/usa/daily/spy.zip")
    assert F.equity_hour_zip("AAPL") == Path("/d/equity/usa/hour/aapl.zip")
    assert F.equity_zip_entry("SPY", Resolution.DAILY) == "spy.csv"
    assert F.equity_zip_entry("SPY", Resolution.HOUR) == "spy.csv"


def test_equity_minute_paths() -> None:
    d = date(2013, 10, 7)
    assert F.equity_minute_zip("SPY", d, TickType.QUOTE) == Path("/d/equity/usa/minute/spy/20131007_quote.zip")
    assert F.equity_zip("SPY", Resolution.MINUTE, d) == Path("/d/equity/usa/minute/spy/20131007_trade.zip")
    assert F.equity_zip_entry("SPY", Resolution.MINUTE, d, TickType.TRADE) == "20131007_spy_minute_trade.csv"
    assert F.equity_zip_entry("SPY", Resolution.SECOND, d, TickType.QUOTE) == "20131007_spy_second_quote.csv"
    assert F.equity_zip_entry("SPY", Resolution.TICK, d, TickType.QUOTE) == "20131007_spy_Quote_Tick.csv"


def test_auxiliary_paths() -> None:
    assert F.factor_file("AAA.1") == Path("/d/equity/usa/factor_files/aaa.1.csv")
    assert F.map_file("GOOG") == Path("/d/equity/usa/map_files/goog.csv")
    assert F.coarse_fundamental(date(2014, 3, 24)) == Path("/d/equity/usa/fundamental/coarse/20140324.csv")
    assert F.market_hours_database() == Path("/d/market-hours/market-hours-database.json")
    assert F.symbol_properties_database() == Path("/d/symbol-properties/symbol-properties-database.csv")
    assert F.interest_rate() == Path("/d/alternative/interest-rate/usa/interest-rate.csv")


def test_option_paths() -> None:
    d = date(2015, 12, 28)
    assert F.option_zip("GOOG", d, TickType.QUOTE) == Path("/d/option/usa/minute/goog/20151228_quote_american.zip")
    assert F.option_zip("GOOG", d, TickType.OPEN_INTEREST, Resolution.DAILY) == Path(
        "/d/option/usa/daily/goog_2015_openinterest_american.zip"
    )
    entry = F.option_zip_entry("GOOG", d, TickType.QUOTE, OptionRight.PUT, Decimal(750), date(2016, 6, 17))
    assert entry == "20151228_goog_minute_quote_american_put_7500000_20160617.csv"
    daily = F.option_zip_entry(
        "GOOG", d, TickType.TRADE, OptionRight.CALL, "752.5", date(2016, 6, 17), Resolution.DAILY, OptionStyle.AMERICAN
    )
    assert daily == "goog_trade_american_call_7525000_20160617.csv"
    assert F.option_universe("GOOG", date(2015, 12, 24)) == Path("/d/option/usa/universes/goog/20151224.csv")
    assert scaled_strike(Decimal("0.5")) == "5000"


def test_sample_files_exist_where_paths_say(data_folder: DataFolder) -> None:
    d = date(2013, 10, 7)
    assert data_folder.equity_minute_zip("SPY", d, TickType.QUOTE).exists()
    assert data_folder.equity_daily_zip("SPY").exists()
    assert data_folder.factor_file("aaa.1").exists()
    assert data_folder.option_zip("GOOG", date(2015, 12, 24), TickType.OPEN_INTEREST).exists()
    assert data_folder.option_universe("GOOG", date(2015, 12, 24)).exists()
    assert data_folder.coarse_fundamental(date(2014, 3, 24)).exists()
