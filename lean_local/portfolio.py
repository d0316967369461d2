"""The algorithm's portfolio: cash, holdings, portfolio value, fill accounting, splits and dividends.

Mirrors LEAN's ``SecurityPortfolioManager`` and ``SecurityPortfolioModel.ProcessFill`` for a single-currency
(USD) account, including LEAN's caching of total portfolio value (it is invalidated once per time slice and
after fills, and not after dividends — which is visible in the numbers, so we keep it).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, to_decimal
from lean_local.enums import DataNormalizationMode, OrderDirection, SecurityType
from lean_local.securities.holding import SecurityHolding
from lean_local.timeutil import to_utc

if TYPE_CHECKING:
    from lean_local.market_data import Dividend, Split
    from lean_local.securities.security import Security, SecurityManager


class TransactionRecord:
    """Closed-trade profit and loss keyed by UTC time (LEAN's ``TransactionRecord``)."""

    def __init__(self) -> None:
        self.records: dict[datetime, tuple[Decimal, bool]] = {}

    def add(self, time: datetime, profit_loss: Decimal, is_win: bool) -> None:
        from datetime import timedelta

        key = time
        while key in self.records:
            key = key + timedelta(milliseconds=1)
        self.records[key] = (profit_loss, is_win)

    @property
    def profit_loss(self) -> dict[datetime, Decimal]:
        return {time: value for time, (value, _) in self.records.items()}

    @property
    def win_count(self) -> int:
        return sum(1 for _, win in self.records.values() if win)

    @property
    def loss_count(self) -> int:
        return sum(1 for _, win in self.records.values() if not win)


class CashBook:
    """Account-currency cash; other currencies are out of scope for US equities. The book holds its one entry and
    is that entry (LEAN's ``Cash``) as well: ``cash_book["USD"].amount``."""

    def __init__(self, account_currency: str = "USD") -> None:
        self.account_currency = account_currency
        #: the exact balance; ``amount`` is its float view, as pythonnet shows LEAN's decimal ``Cash.Amount``
        self.amount_exact: Decimal = Decimal(100000)

    @property
    def amount(self) -> float:
        return float(self.amount_exact)

    @property
    def total_value_in_account_currency(self) -> Decimal:
        return ZERO + self.amount_exact * 1

    def __getitem__(self, currency: str) -> "CashBook":
        if currency.upper() != self.account_currency:
            raise KeyError(f"lean_local supports only {self.account_currency} cash; '{currency}' is not in the cash book")
        return self

    def __contains__(self, currency: object) -> bool:
        return isinstance(currency, str) and currency.upper() == self.account_currency

    def contains_key(self, currency: str) -> bool:
        return currency in self

    def add_amount(self, amount: Decimal) -> Decimal:
        self.amount_exact += amount
        return self.amount_exact

    def set_amount(self, amount: Decimal) -> None:
        self.amount_exact = amount

    @property
    def conversion_rate(self) -> float:
        return 1.0

    @property
    def symbol(self) -> str:
        """The currency code, as on LEAN's ``Cash`` (``security.quote_currency.symbol``)."""
        return self.account_currency

    @property
    def currency_symbol(self) -> str:
        return "$" if self.account_currency == "USD" else self.account_currency

    @property
    def value_in_account_currency(self) -> float:
        return float(self.amount_exact)

    def __repr__(self) -> str:
        return f"CashBook({self.account_currency} {self.amount_exact})"


class SecurityPortfolioManager:
    """``algorithm.portfolio``: holdings keyed by Symbol (or ticker), cash and aggregate values."""

    def __init__(self, securities: "SecurityManager", settings: Any) -> None:
        self.securities = securities
        self.settings = settings
        self.cash_book = CashBook()
        self.transaction_record = TransactionRecord()
        self._total_portfolio_value = ZERO
        self._total_portfolio_value_valid = False
        self.minimum_order_margin_warning_state: bool | None = None

    # --- dictionary-like access ---------------------------------------------------------------
    def __getitem__(self, key: Any) -> SecurityHolding:
        return self.securities[key].holdings

    def __contains__(self, key: object) -> bool:
        return key in self.securities

    def __iter__(self) -> Iterator[Any]:
        """Iterating yields ``KeyValuePair(symbol, holding)`` as LEAN's Python API does."""
        from lean_local.market_data import KeyValuePair

        return (KeyValuePair(symbol, security.holdings) for symbol, security in self.securities.items())

    def __len__(self) -> int:
        return len(self.securities)

    def keys(self) -> list[Any]:
        return list(self.securities.keys())

    def values(self) -> list[SecurityHolding]:
        return [security.holdings for security in self.securities.values()]

    def items(self) -> list[tuple[Any, SecurityHolding]]:
        return [(symbol, security.holdings) for symbol, security in self.securities.items()]

    def contains_key(self, key: Any) -> bool:
        return key in self.securities

    def get(self, key: Any, default: Any = None) -> Any:
        security = self.securities.get(key)
        return security.holdings if security is not None else default

    # --- cash ---------------------------------------------------------------------------------------
    def set_cash(self, cash: Any) -> None:
        self.cash_book.set_amount(cash if isinstance(cash, Decimal) else to_decimal(cash))
        self.invalidate_total_portfolio_value()

    @property
    def cash_exact(self) -> Decimal:
        return self.cash_book.total_value_in_account_currency

    @property
    def cash(self) -> float:
        return float(self.cash_exact)

    @property
    def unsettled_cash(self) -> float:
        return 0.0

    # --- aggregates (exact) ---------------------------------------------------------------------
    @property
    def total_portfolio_value_exact(self) -> Decimal:
        if not self._total_portfolio_value_valid:
            holdings_value = ZERO
            for security in self.securities.values():
                holdings = security.holdings
                if holdings.invested and security.type not in _NON_CASH_TYPES:
                    holdings_value += holdings.holdings_value_exact
            self._total_portfolio_value = self.cash_book.total_value_in_account_currency + ZERO + holdings_value + ZERO
            self._total_portfolio_value_valid = True
        return self._total_portfolio_value

    def invalidate_total_portfolio_value(self) -> None:
        self._total_portfolio_value_valid = False

    @property
    def total_portfolio_value_less_free_buffer_exact(self) -> Decimal:
        total = self.total_portfolio_value_exact
        free_value = self.settings.free_portfolio_value
        if free_value is not None:
            buffer = to_decimal(free_value) if not isinstance(free_value, Decimal) else free_value
        else:
            buffer = total * self.settings.free_portfolio_value_percentage_exact
        return total - buffer

    @property
    def total_margin_used_exact(self) -> Decimal:
        total = ZERO
        for security in self.securities.values():
            if security.holdings.quantity_exact != 0 and security.buying_power_model is not None:
                total += security.buying_power_model.get_reserved_buying_power_for_position(security)
        return total

    def get_margin_remaining_exact(self, total_portfolio_value: Decimal) -> Decimal:
        return total_portfolio_value - ZERO - self.total_margin_used_exact

    def _all_securities(self) -> list[Any]:
        """Active and removed securities: totals over the whole run include securities that left the algorithm."""
        total = getattr(self.securities, "total", None)
        return list(total) if total is not None else list(self.securities.values())

    @property
    def total_fees_exact(self) -> Decimal:
        return sum((s.holdings.total_fees_exact for s in self._all_securities()), ZERO)

    @property
    def total_sale_volume_exact(self) -> Decimal:
        return sum((s.holdings.total_sale_volume_exact for s in self._all_securities()), ZERO)

    @property
    def total_profit_exact(self) -> Decimal:
        return sum((s.holdings.profit_exact + s.holdings.total_dividends_exact for s in self._all_securities()), ZERO)

    @property
    def total_unrealized_profit_exact(self) -> Decimal:
        return sum((s.holdings.unrealized_profit_exact for s in self.securities.values()), ZERO)

    @property
    def total_holdings_value_exact(self) -> Decimal:
        return sum((abs(s.holdings.holdings_value_exact) for s in self.securities.values()), ZERO)

    @property
    def total_absolute_holdings_cost_exact(self) -> Decimal:
        return sum((abs(s.holdings.holdings_cost_exact) for s in self.securities.values()), ZERO)

    # --- aggregates (floats, algorithm API) ---------------------------------------------------------
    @property
    def total_portfolio_value(self) -> float:
        return float(self.total_portfolio_value_exact)

    @property
    def total_portfolio_value_less_free_buffer(self) -> float:
        return float(self.total_portfolio_value_less_free_buffer_exact)

    @property
    def total_fees(self) -> float:
        return float(self.total_fees_exact)

    @property
    def total_profit(self) -> float:
        return float(self.total_profit_exact)

    @property
    def total_net_profit(self) -> float:
        return float(self.total_profit_exact - self.total_fees_exact)

    @property
    def total_sale_volume(self) -> float:
        return float(self.total_sale_volume_exact)

    @property
    def total_unrealized_profit(self) -> float:
        return float(self.total_unrealized_profit_exact)

    total_unrealised_profit = total_unrealized_profit

    @property
    def total_holdings_value(self) -> float:
        return float(self.total_holdings_value_exact)

    @property
    def total_absolute_holdings_cost(self) -> float:
        return float(self.total_absolute_holdings_cost_exact)

    @property
    def total_margin_used(self) -> float:
        return float(self.total_margin_used_exact)

    @property
    def margin_remaining(self) -> float:
        return float(self.get_margin_remaining_exact(self.total_portfolio_value_exact))

    @property
    def invested(self) -> bool:
        return any(security.holdings.invested for security in self.securities.values())

    hold_stock = invested

    def get_buying_power(self, symbol: Any, direction: OrderDirection = OrderDirection.BUY) -> float:
        security = self.securities[symbol]
        effective = direction
        if security.holdings.quantity_exact < 0:
            effective = OrderDirection.SELL if direction == OrderDirection.BUY else OrderDirection.BUY
        return float(security.buying_power_model.get_buying_power(self, security, effective))

    get_margin_remaining = get_buying_power

    def note_minimum_order_margin_skip(self) -> None:
        if self.minimum_order_margin_warning_state is None:
            self.minimum_order_margin_warning_state = False

    # --- fills ---------------------------------------------------------------------------------------
    def process_fills(self, fills: list[Any]) -> None:
        for fill in fills:
            security = self.securities[fill.symbol]
            self._process_fill(security, fill)
        self.invalidate_total_portfolio_value()

    def _process_fill(self, security: "Security", fill: Any) -> None:
        holdings = security.holdings
        is_long = holdings.quantity_exact > 0
        is_short = holdings.quantity_exact < 0
        quantity = holdings.quantity_exact
        average_price = holdings.average_price_exact
        fill_price: Decimal = fill.fill_price_exact
        fill_quantity: Decimal = fill.fill_quantity_exact
        multiplier = security.symbol_properties.contract_multiplier

        sale_value = holdings.quantity_value(abs(fill_quantity), fill_price) * 1
        holdings.add_new_sale(sale_value)
        fee = ZERO
        fee_amount = fill.order_fee.value.amount_exact
        if fee_amount != 0:
            fee = fee_amount * 1
            holdings.add_new_fee(fee)
            self.cash_book.add_amount(-fee)
        if security.type not in (SecurityType.FUTURE, SecurityType.CFD, SecurityType.CRYPTO_FUTURE):
            self.cash_book.add_amount(-fill_quantity * fill_price * multiplier)

        closed_position = (is_long and fill.direction == OrderDirection.SELL) or (is_short and fill.direction == OrderDirection.BUY)
        if closed_position:
            absolute_closed = min(abs(fill_quantity), abs(quantity))
            sign = -1 if fill_quantity > 0 else (1 if fill_quantity < 0 else 0)
            quantity_closed = sign * absolute_closed
            closed_cost = holdings.quantity_value(quantity_closed, holdings.average_price_exact)
            closed_sale = holdings.quantity_value(quantity_closed, fill_price)
            last_trade_profit = (closed_sale - closed_cost) * 1
            holdings.add_new_profit(last_trade_profit)
            holdings.set_last_trade_profit(last_trade_profit)
            transaction_profit_loss = last_trade_profit - 2 * fee
            utc_time = to_utc(security.local_time, security.exchange.time_zone)
            self.transaction_record.add(utc_time, transaction_profit_loss, transaction_profit_loss > 0)

        if quantity == 0:
            average_price = fill_price
            quantity = fill_quantity
        elif is_long:
            if fill.direction == OrderDirection.BUY:
                average_price = (average_price * quantity + fill_quantity * fill_price) / (quantity + fill_quantity)
                quantity += fill_quantity
            elif fill.direction == OrderDirection.SELL:
                quantity += fill_quantity
                if quantity < 0:
                    average_price = fill_price
                elif quantity == 0:
                    average_price = ZERO
        elif is_short:
            if fill.direction == OrderDirection.BUY:
                quantity += fill_quantity
                if quantity > 0:
                    average_price = fill_price
                elif quantity == 0:
                    average_price = ZERO
            elif fill.direction == OrderDirection.SELL:
                average_price = (average_price * quantity + fill_quantity * fill_price) / (quantity + fill_quantity)
                quantity += fill_quantity
        holdings.set_holdings(average_price, quantity)

    # --- corporate actions ---------------------------------------------------------------------------
    def apply_dividend(self, dividend: "Dividend", mode: DataNormalizationMode) -> None:
        if mode not in (DataNormalizationMode.RAW, DataNormalizationMode.SPLIT_ADJUSTED):
            return
        security = self.securities[dividend.symbol]
        total = security.holdings.quantity_exact * dividend.distribution_exact
        self.cash_book.add_amount(total)
        security.holdings.add_new_dividend(total)

    def apply_split(self, split: "Split", security: "Security", mode: DataNormalizationMode) -> None:
        if security.type != SecurityType.EQUITY or mode != DataNormalizationMode.RAW:
            return
        holdings = security.holdings
        quantity = holdings.quantity_exact / split.split_factor_exact
        average_price = holdings.average_price_exact * split.split_factor_exact
        whole = Decimal(int(quantity))
        left_over = quantity - whole
        holdings.set_holdings(average_price, whole)
        last = security.get_last_data()
        if last is None:
            self.cash_book.add_amount(left_over * split.reference_price_exact * split.split_factor_exact)
            return
        _apply_split_to_cache(security, split)
        # the cached bar was scaled in place, so the fractional share is credited at the split-adjusted price
        self.cash_book.add_amount(left_over * last.exact_value)
        self.invalidate_total_portfolio_value()

    def add_transaction_record(self, time: datetime, profit_loss: Decimal, is_win: bool) -> None:
        self.transaction_record.add(time, profit_loss, is_win)


def _apply_split_to_cache(security: "Security", split: "Split") -> None:
    """Scale the cached prices by the split factor as LEAN's ``Security.ApplySplit`` does."""
    cache = security.cache
    factor = split.split_factor_exact
    for name in ("price", "open", "high", "low", "close", "bid_price", "ask_price"):
        setattr(cache, name, getattr(cache, name) * factor)
    for name in ("volume", "bid_size", "ask_size"):
        value = getattr(cache, name)
        if value != 0:
            setattr(cache, name, value / factor)
    scaled: set[int] = set()
    for stored in cache._data_by_type.values():
        for data in stored:
            if id(data) not in scaled and hasattr(data, "scale"):
                scaled.add(id(data))
                data.scale(factor)
    security.holdings.update_market_price(cache.price)


_NON_CASH_TYPES = frozenset({SecurityType.FOREX, SecurityType.CRYPTO, SecurityType.FUTURE, SecurityType.CFD, SecurityType.CRYPTO_FUTURE})
