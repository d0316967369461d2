from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.data.errors import CorruptDataError, DataError, MissingDataError
from lean_local.data.paths import DataFolder
from lean_local.data.symbol_properties import SymbolProperties, SymbolPropertiesDatabase
from lean_local.enums import SecurityType


@pytest.fixture(scope="module")
def db(data_folder: DataFolder) -> SymbolPropertiesDatabase:
    return SymbolPropertiesDatabase.load(data_folder.symbol_properties_database())


def test_us_equity(db: SymbolPropertiesDatabase) -> None:
    spy = db.get("usa", "SPY", SecurityType.EQUITY)
    assert spy == SymbolProperties.default("USD")
    assert spy.quote_currency == "USD"
    assert spy.contract_multiplier == 1 and str(spy.minimum_price_variation) == "0.01" and spy.lot_size == 1
    assert spy.price_magnifier == 1 and spy.strike_multiplier == 1 and spy.minimum_order_size is None


def test_equity_option_and_index_option(db: SymbolPropertiesDatabase) -> None:
    goog = db.get("usa", "GOOG", SecurityType.OPTION)
    assert goog.contract_multiplier == 100 and goog.minimum_price_variation == Decimal("0.01")
    nqx = db.get("usa", "NQX", SecurityType.INDEX_OPTION)
    assert nqx.strike_multiplier == 5 and nqx.description.startswith("Nasdaq-100")


def test_decimals_keep_their_scale(db: SymbolPropertiesDatabase) -> None:
    euro = db.get("cme", "6E", SecurityType.FUTURE)
    assert str(euro.minimum_price_variation) == "0.00005"
    assert str(euro.contract_multiplier) == "125000.0"
    assert db.try_get_market("6E", SecurityType.FUTURE) == "cme"


def test_fallbacks(db: SymbolPropertiesDatabase) -> None:
    assert db.get("nowhere", "SPY", SecurityType.EQUITY, "EUR") == SymbolProperties.default("EUR")
    with pytest.raises(DataError):
        db.require("nowhere", "SPY", SecurityType.EQUITY)


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError):
        SymbolPropertiesDatabase.load(tmp_path / "x.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("market,symbol,type,description,quote_currency,contract_multiplier,minimum_price_variation,lot_size\n"
                   "usa,[*],equity,,USD,1,0.01,1\nusa,[*],equity,,USD,1,0.01,1\n")
    with pytest.raises(CorruptDataError) as err:
        SymbolPropertiesDatabase.load(bad)
    assert err.value.line == 3
