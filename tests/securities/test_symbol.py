"""Symbol creation, aliases, equality, string resolution through the symbol cache and JSON form."""
from __future__ import annotations

import copy
import pickle
from datetime import date, datetime
from decimal import Decimal

import pytest

from lean_local.enums import OptionRight, OptionStyle, SecurityType
from lean_local.securities.identifier import SecurityIdentifier, using_map_file_resolver
from lean_local.securities.symbol import Symbol, SymbolCache, active_symbol_cache, to_symbol


def _resolver(ticker: str, market: str, security_type: SecurityType, when: date | None) -> tuple[str, datetime] | None:
    table = {"SPY": ("SPY", datetime(1998, 1, 2)), "GOOG": ("GOOCV", datetime(2014, 3, 27)),
             "AAA.1": ("AAA", datetime(2002, 5, 22))}
    return table.get(ticker.upper())


def spy() -> Symbol:
    return Symbol.create("SPY", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))


def test_create_equity() -> None:
    symbol = spy()
    assert symbol.value == "SPY"
    assert str(symbol) == "SPY"
    assert str(symbol.id) == "SPY R735QTJ8XC9X"
    assert symbol.security_type == SecurityType.EQUITY
    assert symbol.permtick == "SPY"
    assert not symbol.has_underlying and symbol.underlying is None
    assert not symbol.is_canonical()


def test_create_uses_map_file_resolver_and_keeps_ticker_as_value() -> None:
    with using_map_file_resolver(_resolver):
        symbol = Symbol.create("AAA.1", SecurityType.EQUITY, "usa")
    assert symbol.value == "AAA.1"
    assert str(symbol.id) == "AAA SEVKGI6HF885"
    assert symbol.permtick == "AAA"


def test_equality_and_hash_by_sid() -> None:
    a = spy()
    b = Symbol(a.id, "SPDR")  # same SID, another ticker
    assert a == b and hash(a) == hash(b)
    assert a == a.id
    assert {a: 1}[b] == 1
    other = Symbol.create("IBM", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))
    assert a != other


def test_strings_resolve_through_the_active_cache() -> None:
    cache = SymbolCache()
    symbol = spy()
    with cache.activate():
        assert symbol != "SPY"  # unknown ticker: placeholder symbol with its own SID
        cache.set("SPY", symbol)
        assert symbol == "SPY" and symbol == "spy"
        assert cache.get_symbol("spy") is symbol
        assert cache.get_ticker(symbol) == "SPY"
        assert to_symbol("SPY") is symbol
        assert symbol == "SPY R735QTJ8XC9X"  # SID strings parse
    assert active_symbol_cache() is not cache


def test_cache_custom_data_prefix_fallback_and_remove() -> None:
    cache = SymbolCache()
    btc = Symbol.create("BTC", SecurityType.BASE, "usa", base_data_type="Bitcoin")
    assert cache.try_get_symbol("BTC") == (False, None)  # miss is cached...
    cache.set("BTC.Bitcoin", btc)  # ...and cleared by a dotted ticker
    assert cache.try_get_symbol("BTC") == (True, btc)
    assert cache.try_remove(btc)
    assert cache.try_get_ticker(btc) == (False, None)
    with pytest.raises(KeyError):
        cache.get_symbol("NOPE")


def test_option_symbol_value_and_json() -> None:
    with using_map_file_resolver(_resolver):
        option = Symbol.create_option("GOOG", "usa", OptionStyle.AMERICAN, OptionRight.CALL, 745, date(2016, 1, 15))
    assert option.value == "GOOG  160115C00745000"
    assert str(option.id) == "GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL"
    assert option.underlying is not None and option.underlying.value == "GOOG"
    assert option.id.strike_price == Decimal(745)
    assert option.to_json_dict() == {
        "value": "GOOG  160115C00745000",
        "id": "GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL",
        "permtick": "GOOG  160115C00745000",
        "underlying": {"value": "GOOG", "id": "GOOCV VP83T1ZUHROL", "permtick": "GOOG"},
    }
    assert list(option.to_json_dict()) == ["value", "id", "permtick", "underlying"]
    assert option.canonical.value == "?GOOG"
    assert option.canonical.is_canonical()
    assert option.has_canonical()
    assert option.has_underlying_symbol(option.underlying)


def test_option_from_sid_and_public_constructor() -> None:
    sid = SecurityIdentifier.parse("GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL")
    # the public constructor rebuilds the underlying from the SID (value = first ticker)
    assert Symbol(sid, "ignored").value == "GOOCV 160115C00745000"
    underlying = Symbol(sid.underlying, "GOOG")
    option = Symbol.create_option(sid, "GOOG  160115C00745000", underlying)
    assert option.underlying is underlying
    assert option.value == "GOOG  160115C00745000"


def test_canonical_option_and_future() -> None:
    canonical = Symbol.create("SPY", SecurityType.OPTION, "usa")
    assert canonical.value == "?SPY"
    assert canonical.is_canonical()
    future = Symbol.create_future("ES", "cmeglobex", date(2020, 12, 18))
    assert future.value == "ES18Z20"
    assert Symbol.create("ES", SecurityType.FUTURE, "cmeglobex").value == "/ES"


def test_update_mapped_symbol_keeps_identity() -> None:
    with using_map_file_resolver(_resolver):
        goog = Symbol.create("GOOG", SecurityType.EQUITY, "usa")
    renamed = goog.update_mapped_symbol("GOOCV")
    assert renamed.value == "GOOCV" and renamed == goog


def test_immutable_copyable_picklable() -> None:
    symbol = spy()
    with pytest.raises(AttributeError):
        symbol._value = "X"  # type: ignore[misc]
    assert copy.deepcopy(symbol) is symbol
    restored = pickle.loads(pickle.dumps(symbol))
    assert restored == symbol and restored.value == "SPY"


def test_sorting_by_ticker_ignoring_case() -> None:
    symbols = [Symbol.create(t, SecurityType.EQUITY, "usa") for t in ("SPY", "aapl", "IBM")]
    assert [s.value for s in sorted(symbols)] == ["AAPL", "IBM", "SPY"]


def test_empty_symbol() -> None:
    assert Symbol.EMPTY.value == ""
    assert Symbol.EMPTY.id == SecurityIdentifier.EMPTY
