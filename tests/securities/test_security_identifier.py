"""SecurityIdentifier encoding, decoding and map-file first dates, checked against SIDs LEAN prints."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.enums import OptionRight, OptionStyle, SecurityType
from lean_local.securities.identifier import (
    DEFAULT_DATE,
    MapFileFirstDateResolver,
    SecurityIdentifier,
    decode_base36,
    encode_base36,
    using_map_file_resolver,
)

LEAN_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "lean-data"
needs_data = pytest.mark.skipif(not LEAN_DATA.is_dir(), reason="shared LEAN sample data not available")


def test_base36_round_trip() -> None:
    for value in (0, 1, 35, 36, 12345678901234567890, 2**64 - 1):
        assert decode_base36(encode_base36(value) or "0") == value
    assert encode_base36(0) == ""
    assert encode_base36(35) == "Z"


@pytest.mark.parametrize("ticker", ["SPY", "AAPL", "IBM", "AIG"])
def test_equities_listed_since_1998(ticker: str) -> None:
    # their map files start on 1998-01-02, the first date of LEAN's data
    sid = SecurityIdentifier.generate_equity(date(1998, 1, 2), ticker, "usa")
    assert str(sid) == f"{ticker} R735QTJ8XC9X"
    assert sid.date == datetime(1998, 1, 2)
    assert sid.market == "usa"
    assert sid.security_type == SecurityType.EQUITY


def test_first_date_and_ticker_keyword_form() -> None:
    sid = SecurityIdentifier.generate_equity("AAA.1", "usa", first_date=date(2002, 5, 22), first_ticker="aaa")
    assert str(sid) == "AAA SEVKGI6HF885"


def test_equity_without_map_file_uses_default_date() -> None:
    sid = SecurityIdentifier.generate_equity("SPY", "usa")
    assert sid.date == DEFAULT_DATE == datetime(1899, 12, 30)
    assert str(sid) == "SPY 2T"  # properties = market 1 * 100 + security type 1


@needs_data
@pytest.mark.parametrize(
    ("ticker", "expected"),
    [
        ("SPY", "SPY R735QTJ8XC9X"),
        ("AAPL", "AAPL R735QTJ8XC9X"),
        ("IBM", "IBM R735QTJ8XC9X"),
        # aaa.1.csv: 20020522,aaa / 20070518,aaa -> first ticker AAA ('.1' is the file name), first date 2002-05-22
        ("AAA.1", "AAA SEVKGI6HF885"),
        # goog.csv starts 20140327 as goocv
        ("GOOG", "GOOCV VP83T1ZUHROL"),
        # googl.csv starts 20040819 as goog
        ("GOOGL", "GOOG T1AZ164W5VTX"),
        # bac.csv starts 19980102 as nb
        ("BAC", "NB R735QTJ8XC9X"),
    ],
)
def test_map_file_resolver(ticker: str, expected: str) -> None:
    with using_map_file_resolver(MapFileFirstDateResolver(LEAN_DATA)):
        assert str(SecurityIdentifier.generate_equity(ticker, "usa")) == expected


def test_goog_option_sid() -> None:
    underlying = SecurityIdentifier.generate_equity(date(2014, 3, 27), "GOOCV", "usa")
    assert str(underlying) == "GOOCV VP83T1ZUHROL"
    option = SecurityIdentifier.generate_option(
        datetime(2016, 1, 15), underlying, "usa", Decimal(745), OptionRight.CALL, OptionStyle.AMERICAN
    )
    assert str(option) == "GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL"
    assert option.security_type == SecurityType.OPTION
    assert option.underlying == underlying


@pytest.mark.parametrize(
    "text",
    [
        "GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL",
        "GOOCV 30AKMEIPOX2DI|GOOCV VP83T1ZUHROL",
        "GOOCV 306CZL2DIPERQ|GOOCV VP83T1ZUHROL",
        "GOOCV WBGM95TALCX2|GOOCV VP83T1ZUHROL",
    ],
)
def test_option_sids_decode_and_re_encode(text: str) -> None:
    parsed = SecurityIdentifier.parse(text)
    assert str(parsed) == text
    regenerated = SecurityIdentifier.generate_option(
        parsed.date, parsed.underlying, parsed.market, parsed.strike_price, parsed.option_right, parsed.option_style
    )
    assert regenerated == parsed
    assert str(regenerated) == text


def test_decoded_option_components() -> None:
    sid = SecurityIdentifier.parse("GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL")
    assert sid.date == datetime(2016, 1, 15)
    assert sid.strike_price == Decimal(745)
    assert sid.option_right == OptionRight.CALL
    assert sid.option_style == OptionStyle.AMERICAN
    assert sid.market == "usa"
    assert sid.symbol == "GOOCV"
    assert sid.underlying.date == datetime(2014, 3, 27)


@pytest.mark.parametrize("strike", ["17.5", "0.5", "1234.56", "-20", "-0.25", "95"])
def test_strike_round_trip(strike: str) -> None:
    underlying = SecurityIdentifier.generate_equity(date(1998, 1, 2), "SPY", "usa")
    sid = SecurityIdentifier.generate_option(
        date(2020, 6, 19), underlying, "usa", Decimal(strike), OptionRight.PUT, OptionStyle.EUROPEAN
    )
    parsed = SecurityIdentifier.parse(str(sid))
    assert parsed.strike_price == Decimal(strike)
    assert parsed.option_right == OptionRight.PUT
    assert parsed.option_style == OptionStyle.EUROPEAN
    assert parsed == sid
    assert hash(parsed) == hash(sid)


def test_round_trip_equity() -> None:
    sid = SecurityIdentifier.parse("AAA SEVKGI6HF885")
    assert sid.date == datetime(2002, 5, 22)
    assert sid.symbol == "AAA"
    assert not sid.has_underlying
    assert SecurityIdentifier.generate_equity(sid.date, "aaa", "usa") == sid


def test_empty_and_none() -> None:
    assert str(SecurityIdentifier.EMPTY) == " 0"
    assert SecurityIdentifier.parse("") == SecurityIdentifier.EMPTY
    assert SecurityIdentifier.parse(" 0") == SecurityIdentifier.EMPTY
    assert SecurityIdentifier.parse(None) == SecurityIdentifier.EMPTY
    assert str(SecurityIdentifier.NONE) == "NONE 0"


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError):
        SecurityIdentifier("A B", 0)
    with pytest.raises(ValueError):
        SecurityIdentifier.generate_equity(date(2000, 1, 1), "SPY", "no-such-market")
    with pytest.raises(ValueError):
        SecurityIdentifier.parse("SPY")
    ok, value = SecurityIdentifier.try_parse("not a sid at all")
    assert not ok and value == SecurityIdentifier.EMPTY
    with pytest.raises(ValueError):
        SecurityIdentifier.parse("SPY R735QTJ8XC9X").strike_price


def test_other_security_types() -> None:
    assert SecurityIdentifier.generate_forex("EURUSD", "oanda").security_type == SecurityType.FOREX
    assert SecurityIdentifier.generate_forex("EURUSD", "oanda").market == "oanda"
    crypto = SecurityIdentifier.generate_crypto("BTCUSD", "coinbase")
    assert SecurityIdentifier.parse(str(crypto)) == crypto
    base = SecurityIdentifier.generate_base("Bitcoin", "btc", "usa")
    assert base.symbol == "BTC.Bitcoin"
    future = SecurityIdentifier.generate_future(date(2020, 12, 18), "ES", "cmeglobex")
    assert future.date == datetime(2020, 12, 18)
    assert SecurityIdentifier.parse(str(future)).market == "cmeglobex"


def test_ordering_is_ordinal_on_text() -> None:
    a = SecurityIdentifier.generate_equity(date(1998, 1, 2), "AAPL", "usa")
    b = SecurityIdentifier.generate_equity(date(1998, 1, 2), "SPY", "usa")
    assert a < b and b > a and a.compare_to(b) == -1 and a.compare_to(None) == 1
