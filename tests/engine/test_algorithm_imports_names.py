"""LEAN names that algorithms and library code use in annotations and helpers resolve in AlgorithmImports."""
from __future__ import annotations

from datetime import datetime, timedelta

from lean_local.algorithm_imports import build_module


def test_interfaces_and_helpers_are_importable() -> None:
    module = build_module()
    for name in ("IAlgorithm", "IBaseData", "IDataConsolidator", "IPortfolioTarget", "Extensions", "QCAlgorithm"):
        assert hasattr(module, name), name
    assert issubclass(module.TradeBarConsolidator, module.IDataConsolidator)
    assert issubclass(module.TradeBar, module.IBaseData)
    assert module.Extensions.to_time_span(module.Resolution.HOUR) == timedelta(hours=1)


def test_extensions_convert_between_utc_and_exchange_time() -> None:
    extensions = build_module().Extensions
    new_york = "America/New_York"
    assert extensions.convert_from_utc(datetime(2013, 10, 8, 20, 0), new_york) == datetime(2013, 10, 8, 16, 0)
    assert extensions.convert_to_utc(datetime(2013, 12, 9, 9, 30), new_york) == datetime(2013, 12, 9, 14, 30)
    # the repeated hour when daylight saving ends resolves to its first (daylight) occurrence, as LEAN's default
    assert extensions.convert_to_utc(datetime(2013, 11, 3, 1, 30), new_york) == datetime(2013, 11, 3, 5, 30)


def test_quote_currency_is_the_cash_book_entry(tmp_path, lean_data) -> None:  # type: ignore[no-untyped-def]
    import textwrap

    from lean_local.runner import run_backtest

    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class Quote(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                cash = self.add_equity("SPY", Resolution.DAILY).quote_currency
                self.seen = (cash.symbol, cash.conversion_rate, cash.currency_symbol)
    """))
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    assert result.engine.algorithm.seen == ("USD", 1.0, "$")


def test_currencies_names_codes_and_symbols() -> None:
    currencies = build_module().Currencies
    assert currencies.USD == "USD" and currencies.NULL_CURRENCY == "QCC"
    assert currencies.get_currency_symbol("USD") == "$"
    assert currencies.get_currency_symbol("IDR") == "Rp"
    assert currencies.get_currency_symbol("XYZ") == "XYZ"  # unknown codes are shown as they are
    assert currencies.get_currency_symbol("") == ""


def test_cash_book_entry_and_trade_builder_after_a_round_trip(tmp_path, lean_data) -> None:  # type: ignore[no-untyped-def]
    import textwrap

    from lean_local.runner import run_backtest

    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class RoundTrip(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.spy = self.add_equity("SPY").symbol

            def on_data(self, data):
                if self.time.hour == 10 and self.time.minute == 0:
                    self.market_order(self.spy, 10)
                elif self.time.hour == 11 and self.time.minute == 0:
                    self.liquidate()

            def on_end_of_algorithm(self):
                cash = self.portfolio.cash_book["USD"]
                trades = self.trade_builder.closed_trades
                self.seen = (type(cash.amount), cash.amount == self.portfolio.cash, "USD" in self.portfolio.cash_book,
                             self.portfolio.cash_book.contains_key(Currencies.NULL_CURRENCY), len(trades))
    """))
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error
    assert result.engine.algorithm.seen == (float, True, True, False, 1)
