from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.factor_files import DividendEvent, FactorFile, SplitEvent, compute_distribution
from lean_local.data.market_hours import ExchangeHours, MarketHoursDatabase
from lean_local.data.paths import DataFolder
from lean_local.enums import DataNormalizationMode as Mode
from lean_local.enums import SecurityType, SplitType


@pytest.fixture(scope="module")
def nyse(data_folder: DataFolder) -> ExchangeHours:
    return MarketHoursDatabase.load(data_folder.market_hours_database()).get_exchange_hours(
        SecurityType.EQUITY, "usa", "SPY"
    )


def test_spy_price_scale_factor(data_folder: DataFolder) -> None:
    spy = FactorFile.for_permtick(data_folder, "SPY")
    assert not spy.missing
    assert spy.price_scale_factor(date(2013, 10, 7)) == Decimal("0.8646266")
    assert str(spy.price_scale_factor(date(2013, 10, 7))) == "0.8646266"
    # a row's own date still uses that row; the day after uses the next row
    assert spy.price_scale_factor(date(2013, 12, 19)) == Decimal("0.8646266")
    assert spy.price_scale_factor(date(2013, 12, 20)) != Decimal("0.8646266")
    assert spy.price_scale_factor(date(2013, 10, 7), Mode.SPLIT_ADJUSTED) == 1
    assert spy.price_scale_factor(date(2013, 10, 7), Mode.TOTAL_RETURN) == 1
    assert spy.price_scale_factor(date(2013, 10, 7), Mode.RAW) == 1
    assert spy.price_scale_factor(date(2051, 1, 1)) == 1  # after the last row
    assert spy.price_scale_factor(date(1990, 1, 1)) == Decimal("0.6566606")  # before the first row: first row
    assert spy.minimum_date == date(1998, 1, 1)
    scaled = spy.price_scale_factor(date(2013, 10, 7), Mode.SCALED_RAW, end_date=date(2013, 10, 11))
    assert scaled == 1
    with pytest.raises(ValueError):
        spy.price_scale_factor(date(2013, 10, 7), Mode.SCALED_RAW)


def test_aapl_split(data_folder: DataFolder, nyse: ExchangeHours) -> None:
    aapl = FactorFile.for_permtick(data_folder, "AAPL")
    before = aapl.price_scale_factor(date(2014, 6, 6))
    after = aapl.price_scale_factor(date(2014, 6, 9))
    assert before == Decimal("0.9011818") * Decimal("0.0357143")
    assert after == Decimal("0.9011818") * Decimal("0.25")
    assert aapl.split_on_next_trading_day(date(2014, 6, 6)) == (Decimal("0.1428572"), Decimal("645.57"))
    assert aapl.split_on_next_trading_day(date(2014, 6, 5)) is None
    assert aapl.dividend_on_next_trading_day(date(2014, 6, 6)) is None  # price factor unchanged
    events = aapl.splits_and_dividends(nyse)
    splits = [e for e in events if isinstance(e, SplitEvent)]
    split = next(e for e in splits if e.time == date(2014, 6, 9))
    assert split.split_factor == Decimal("0.1428572") and split.reference_price == Decimal("645.57")
    assert split.row_date == date(2014, 6, 6) and split.type == SplitType.SPLIT_OCCURRED
    assert [e.time for e in splits] == [date(2000, 6, 21), date(2005, 2, 28), date(2014, 6, 9), date(2020, 8, 31)]
    assert events == sorted(events, key=lambda e: e.time)


def test_aapl_dividend(data_folder: DataFolder, nyse: ExchangeHours) -> None:
    aapl = FactorFile.for_permtick(data_folder, "AAPL")
    ratio, reference = aapl.dividend_on_next_trading_day(date(2014, 5, 7)) or (None, None)
    assert reference == Decimal("592.33")
    assert ratio == Decimal("0.8961764") / Decimal("0.9011818")
    assert compute_distribution(Decimal("592.33"), ratio) == Decimal("3.29")
    dividend = next(e for e in aapl.splits_and_dividends(nyse) if e.time == date(2014, 5, 8))
    assert isinstance(dividend, DividendEvent)
    assert dividend.distribution == Decimal("3.29") and str(dividend.distribution) == "3.29"


def test_event_date_skips_holidays(tmp_path: Path, nyse: ExchangeHours) -> None:
    path = tmp_path / "xyz.csv"
    path.write_text("20131127,0.9,0.5,100\n20501231,1,1,0\n")
    events = FactorFile.load(path).splits_and_dividends(nyse)
    assert [type(e).__name__ for e in events] == ["DividendEvent", "SplitEvent"]
    assert {e.time for e in events} == {date(2013, 11, 29)}  # 11-28 is Thanksgiving
    assert events[0].distribution == Decimal("10.00")  # type: ignore[union-attr]


def test_missing_factor_file_means_no_adjustment(data_folder: DataFolder) -> None:
    ff = FactorFile.for_permtick(data_folder, "NOPE")
    assert ff.missing and ff.rows == ()
    assert ff.price_scale_factor(date(2013, 10, 7)) == 1
    assert ff.split_on_next_trading_day(date(2013, 10, 7)) is None
    assert ff.minimum_date is None
    with pytest.raises(MissingDataError, match="factor_files/nope.csv"):
        FactorFile.for_permtick(data_folder, "NOPE", required=True)


def test_lean_skips_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "abc.csv"
    path.write_text(
        "20100104,0.5,1,10\n20100104,0.5,1,10\n20100105,inf,1,10\n20100106,0,1,10\n20100107,0.8,1,12\n20501231,1,1,0\n"
    )
    ff = FactorFile.load(path)
    assert [r.date for r in ff.rows] == [date(2010, 1, 4), date(2010, 1, 7), date(2050, 12, 31)]
    assert ff.price_scale_factor(date(2010, 1, 5)) == Decimal("0.8")
    assert ff.most_recent_factor_change == date(2010, 1, 7)


def test_malformed_factor_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("20100104,0.5,1,10\n2010-01-05,0.5,1,10\n")
    with pytest.raises(CorruptDataError) as err:
        FactorFile.load(path)
    assert err.value.line == 2 and "bad.csv" in str(err.value)
    path.write_text("20100104,0.5,abc,10\n")
    with pytest.raises(CorruptDataError, match="abc"):
        FactorFile.load(path)
