from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lean_local.data.errors import CorruptDataError, MissingDataError
from lean_local.data.map_files import BEGINNING_OF_TIME, END_OF_TIME, MapFile, MapFileResolver, TickerChange
from lean_local.data.paths import DataFolder
from lean_local.enums import Resolution


@pytest.fixture(scope="module")
def resolver(data_folder: DataFolder) -> MapFileResolver:
    return MapFileResolver.for_data_folder(data_folder)


def test_aaa_1_delisting(resolver: MapFileResolver, data_folder: DataFolder) -> None:
    mf = resolver.resolve_security("AAA.1")
    assert mf.permtick == "AAA.1"
    assert mf.first_date == date(2002, 5, 22)
    assert mf.delisting_date == date(2007, 5, 18)
    assert mf.first_ticker == "AAA"
    assert mf.mapped_ticker(date(2007, 5, 15)) == "AAA"
    assert mf.has_data(date(2007, 5, 18)) and not mf.has_data(date(2007, 5, 21))
    # data lives under the mapped ticker, the factor file under the permtick
    assert data_folder.equity_zip(mf.mapped_ticker(date(2007, 5, 15)), Resolution.DAILY).name == "aaa.zip"
    assert data_folder.equity_daily_zip("aaa").exists()
    assert data_folder.factor_file(mf.permtick).exists()


def test_new_aaa_is_a_different_security(resolver: MapFileResolver) -> None:
    mf = resolver.resolve_security("AAA", resolve_date=date(2026, 1, 1))
    assert mf.permtick == "AAA" and mf.first_date == date(2020, 9, 9) and mf.delisting_date == END_OF_TIME
    # as of 2005 the ticker AAA pointed at the security that is now AAA.1
    assert resolver.resolve("AAA", date(2005, 1, 1)).permtick == "AAA.1"


def test_goog_was_goocv(resolver: MapFileResolver) -> None:
    goog = resolver.resolve_security("GOOG")
    assert goog.permtick == "GOOG"
    assert resolver.first_ticker_and_date("GOOG") == ("GOOCV", date(2014, 3, 27))
    assert goog.mapped_ticker(date(2014, 3, 27)) == "GOOCV"
    assert goog.mapped_ticker(date(2014, 4, 2)) == "GOOCV"
    assert goog.mapped_ticker(date(2014, 4, 3)) == "GOOG"
    assert goog.ticker_changes() == [TickerChange(date(2014, 4, 2), "GOOCV", "GOOG")]
    googl = resolver.resolve_security("GOOGL")
    assert googl.permtick == "GOOGL" and googl.first_ticker == "GOOG"
    assert googl.mapped_ticker(date(2010, 1, 4)) == "GOOG"
    assert googl.mapped_ticker(date(2015, 12, 24)) == "GOOGL"


def test_renames(resolver: MapFileResolver) -> None:
    qqq = resolver.resolve_security("QQQ")
    assert [(c.old, c.new) for c in qqq.ticker_changes()] == [("QQQ", "QQQQ"), ("QQQQ", "QQQ")]
    assert qqq.mapped_ticker(date(2005, 1, 3)) == "QQQQ"
    assert resolver.resolve_security("WM").first_ticker == "UW"


def test_unknown_ticker_gets_empty_map_file(resolver: MapFileResolver) -> None:
    mf = resolver.resolve_security("NOPE")
    assert mf.missing and len(mf) == 0 and mf.permtick == "NOPE"
    assert mf.has_data(date(2013, 10, 7))
    assert mf.first_date == BEGINNING_OF_TIME and mf.delisting_date == END_OF_TIME
    assert mf.mapped_ticker(date(2013, 10, 7)) == "NOPE"
    assert resolver.first_ticker_and_date("NOPE") == ("NOPE", BEGINNING_OF_TIME)


def test_get_mapped_symbol_default(resolver: MapFileResolver) -> None:
    mf = resolver.get_by_permtick("aaa.1")
    assert mf is not None
    assert mf.get_mapped_symbol(date(2008, 1, 1)) == ""
    assert mf.get_mapped_symbol(date(2008, 1, 1), "X") == "X"
    assert mf.primary_exchange(date(2007, 5, 15)) == "N"


def test_map_file_errors(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError):
        MapFile.load(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("20020522,aaa,N\n2002052,aaa,N\n")
    with pytest.raises(CorruptDataError) as err:
        MapFile.load(bad)
    assert err.value.line == 2
    with pytest.raises(MissingDataError):
        MapFileResolver.load(tmp_path / "no_such_dir")


def test_suffix_stripping(tmp_path: Path) -> None:
    (tmp_path / "twx.1.csv").write_text("19980102,twx.1\n20010111,twx.1\n")
    mf = MapFile.load(tmp_path / "twx.1.csv")
    assert mf.first_ticker == "TWX"
