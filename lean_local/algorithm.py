"""``QCAlgorithm``: the public API an algorithm file programs against, with LEAN's snake_case names.

The class is deliberately thin: state lives in the securities, portfolio and transaction objects, and
everything that touches data or the clock is delegated to the engine (``self._engine``), which the runner
attaches before ``initialize`` is called. Order placement follows ``QCAlgorithm.Trading.cs`` closely, since
its conversions (market orders to market-on-open/close) and pre-checks decide what LEAN counts as an order.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lean_local.csharp import ZERO, decimal_to_string, timedelta_to_ticks, timespan_to_string, to_decimal
from lean_local.enums import (
    AccountType,
    BrokerageName,
    DataNormalizationMode,
    Market,
    OrderDirection,
    OrderResponseErrorCode,
    OrderStatus,
    OrderType,
    Resolution,
    SecurityType,
)
from lean_local.framework.algorithm import FrameworkAlgorithm
from lean_local.history import HistoryMixin
from lean_local.indicators.helpers import IndicatorHelpers
from lean_local.universe.algorithm import UniverseAlgorithm
from lean_local.universe.settings import UniverseSettings
from lean_local.market_data import KeyValuePair
from lean_local.orders.properties import OrderProperties
from lean_local.orders.requests import OrderResponse, SubmitOrderRequest
from lean_local.orders.transactions import OrderTicket, SecurityTransactionManager
from lean_local.portfolio import SecurityPortfolioManager
from lean_local.securities.security import Security, SecurityManager
from lean_local.timeutil import NEW_YORK, from_utc, to_utc

if TYPE_CHECKING:
    from lean_local.engine import Engine


class AlgorithmSettings:
    """``self.settings``: LEAN's ``AlgorithmSettings`` with its defaults."""

    def __init__(self) -> None:
        self.liquidate_enabled = True
        self.daily_precise_end_time = True
        self.free_portfolio_value: float | None = None
        self.free_portfolio_value_percentage = 0.0025
        self.minimum_order_margin_portfolio_percentage = 0.001
        self.stale_price_time_span = timedelta(hours=1)
        self.max_absolute_portfolio_target_percentage = 1_000_000_000.0
        self.min_absolute_portfolio_target_percentage = 0.0000000001
        self.rebalance_portfolio_on_security_changes: bool | None = None
        self.rebalance_portfolio_on_insight_changes: bool | None = None
        self.warmup_resolution: Resolution | None = None
        self.trading_days_per_year: int | None = None
        self.seed_initial_prices = False
        self.automatic_indicator_warm_up = False
        self.daily_consolidation_use_extended_market_hours = False
        self.data_subscription_limit = 2**31 - 1

    @property
    def free_portfolio_value_percentage_exact(self) -> Decimal:
        return _exact(self.free_portfolio_value_percentage)

    @property
    def minimum_order_margin_portfolio_percentage_exact(self) -> Decimal:
        return _exact(self.minimum_order_margin_portfolio_percentage)


class QCAlgorithm(IndicatorHelpers, FrameworkAlgorithm, HistoryMixin, UniverseAlgorithm):
    """Base class of every algorithm. Override ``initialize`` and ``on_data``."""

    # --- lifecycle hooks users override ----------------------------------------------------------------------
    def initialize(self) -> None:
        raise NotImplementedError("Please override the initialize() method")

    def on_data(self, slice: Any) -> None:
        pass

    def on_order_event(self, order_event: Any) -> None:
        pass

    def on_end_of_algorithm(self) -> None:
        pass

    def on_securities_changed(self, changes: Any) -> None:
        pass

    def on_warmup_finished(self) -> None:
        pass

    def on_splits(self, splits: Any) -> None:
        pass

    def on_dividends(self, dividends: Any) -> None:
        pass

    def on_delistings(self, delistings: Any) -> None:
        pass

    def on_symbol_changed_events(self, symbols_changed: Any) -> None:
        pass

    def on_end_of_day(self, symbol: Any = None) -> None:
        pass

    def on_margin_call(self, requests: list[Any]) -> list[Any]:
        return requests

    def on_margin_call_warning(self) -> None:
        pass

    def on_assignment_order_event(self, assignment_event: Any) -> None:
        pass

    # --- wiring (engine side) --------------------------------------------------------------------------------
    def _attach(self, engine: "Engine") -> None:
        self._engine = engine
        self.settings = AlgorithmSettings()
        self.universe_settings = UniverseSettings()
        self.securities = SecurityManager(self.resolve_symbol)
        self.portfolio = SecurityPortfolioManager(self.securities, self.settings)
        self.transactions = SecurityTransactionManager(self)
        self._time_zone = NEW_YORK
        self._utc_time = datetime(1998, 1, 1, 5)
        self._start_date = datetime(1998, 1, 1)
        self._end_date = datetime.combine(date.today() - timedelta(days=1), time()) + timedelta(days=1) - timedelta(microseconds=1)
        self._locked = False
        self._warmup_period: timedelta | None = None
        self._warmup_bar_count: int | None = None
        self._warmup_resolution: Resolution | None = None
        self._is_warming_up = False
        self._benchmark: Any = None
        self.brokerage_model: Any = None
        self.current_slice: Any = None
        self.name = type(self).__name__
        self.tags: list[str] = []
        self.runtime_statistics: dict[str, str] = {}
        self.summary_statistics: dict[str, str] = {}
        self.status = "Running"
        self.live_mode = False
        self._is_market_on_open_warning_sent = False
        self._is_daily_conversion_warning_sent = False
        self._is_moo_futures_warning_sent = False
        self._liquidate_not_found_warning_sent = False
        self._max_orders = 10_000
        #: properties every order placed without its own gets a copy of (LEAN starts with plain OrderProperties)
        self.default_order_properties: OrderProperties = OrderProperties()
        self._quit_requested = False

    # --- time --------------------------------------------------------------------------------------------------
    @property
    def time(self) -> datetime:
        return from_utc(self._utc_time, self._time_zone)

    @property
    def utc_time(self) -> datetime:
        return self._utc_time

    @property
    def start_date(self) -> datetime:
        return self._start_date

    @property
    def end_date(self) -> datetime:
        return self._end_date

    @property
    def time_zone(self) -> str:
        return self._time_zone

    def set_date_time(self, utc: datetime) -> None:
        self._utc_time = utc
        self._engine.on_time_changed(utc)

    def set_time_zone(self, time_zone: Any) -> None:
        if self._locked:
            raise RuntimeError("Algorithm.set_time_zone(): Cannot change time zone after algorithm initialized.")
        self._time_zone = str(time_zone)
        self._utc_time = to_utc(self._start_date, self._time_zone)

    def set_start_date(self, year: Any, month: int | None = None, day: int | None = None) -> None:
        start = _to_datetime(year, month, day)
        if self._locked:
            raise RuntimeError("Algorithm.set_start_date(): Cannot change start date after algorithm initialized.")
        if start.year < 1900:
            raise ValueError(f"Please select a start date after January 1st, 1900 (got {start:%Y-%m-%d}).")
        self._start_date = datetime.combine(start.date(), time())
        self._utc_time = to_utc(self._start_date, self._time_zone)

    def set_end_date(self, year: Any, month: int | None = None, day: int | None = None) -> None:
        end = _to_datetime(year, month, day)
        if self._locked:
            raise RuntimeError("Algorithm.set_end_date(): Cannot change end date after algorithm initialized.")
        self._end_date = datetime.combine(end.date(), time()) + timedelta(days=1) - timedelta(microseconds=1)

    # --- cash, name, parameters, settings -----------------------------------------------------------------------
    def set_cash(self, starting_cash: Any, *args: Any) -> None:
        if self._locked:
            raise RuntimeError("Algorithm.set_cash(): Cannot change cash available after algorithm initialized.")
        if isinstance(starting_cash, str):
            if starting_cash.upper() != "USD":
                raise NotImplementedError("lean_local supports only a USD cash book; use set_cash(amount)")
            starting_cash = args[0]
        if isinstance(starting_cash, bool) or not isinstance(starting_cash, (int, float, Decimal)):
            raise TypeError(f"set_cash expects a number, got {type(starting_cash).__name__}: {starting_cash!r}")
        self.portfolio.set_cash(Decimal(starting_cash) if isinstance(starting_cash, int) else starting_cash)

    def set_name(self, name: str) -> None:
        self.name = name

    def add_tag(self, tag: str) -> None:
        if tag and tag not in self.tags:
            self.tags.append(tag)

    def set_tags(self, tags: Iterable[str]) -> None:
        self.tags = list(dict.fromkeys(tags))

    @property
    def object_store(self) -> Any:
        """LEAN's object store: files under the workspace's ``storage/`` folder."""
        return self._engine.object_store

    def get_parameter(self, name: str, default_value: Any = None) -> Any:
        value = self._engine.parameters.get(name)
        if value is None:
            return default_value
        if default_value is None or isinstance(default_value, str):
            return value
        if isinstance(default_value, bool):
            return value.strip().lower() in ("true", "1", "yes")
        if isinstance(default_value, int):
            try:
                return int(value)
            except ValueError:
                return int(float(value))
        if isinstance(default_value, float):
            return float(value)
        return value

    def set_parameters(self, parameters: dict[str, str]) -> None:
        self._engine.parameters.update(parameters)

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self._engine.parameters)

    def set_runtime_statistic(self, name: str, value: Any) -> None:
        self.runtime_statistics[name] = _stat_text(value)

    def set_summary_statistic(self, name: str, value: Any) -> None:
        self.summary_statistics[name] = _stat_text(value)

    # --- logging ----------------------------------------------------------------------------------------------
    def debug(self, message: Any) -> None:
        self._engine.algorithm_log("debug", str(message))

    def log(self, message: Any) -> None:
        self._engine.algorithm_log("log", str(message))

    def error(self, message: Any) -> None:
        self._engine.algorithm_log("error", str(message))

    def quit(self, message: str = "") -> None:
        if message:
            self.debug(f"Quit(): {message}")
        self._quit_requested = True
        self.status = "Stopped"

    def plot(self, chart: str, series: Any = None, value: Any = None, *more: Any) -> None:
        if value is None and series is not None and not isinstance(series, str):
            value, series = series, chart
        if isinstance(value, (int, float, Decimal)):
            self._engine.results.plot(chart, str(series), self._utc_time, float(value))
        elif hasattr(value, "current"):
            self._engine.results.plot(chart, str(series), self._utc_time, float(value.current.value))
        else:
            raise TypeError(f"plot(): cannot plot a value of type {type(value).__name__}")

    def record(self, series: str, value: float) -> None:
        self.plot("Strategy Equity", series, value)

    # --- brokerage & benchmark ---------------------------------------------------------------------------------
    def set_brokerage_model(self, brokerage: Any, account_type: AccountType = AccountType.MARGIN) -> None:
        from lean_local.brokerages import brokerage_model_for

        if self._locked:
            raise RuntimeError("Algorithm.set_brokerage_model(): cannot change the brokerage model after initialization.")
        if isinstance(brokerage, (BrokerageName, int)):
            self.brokerage_model = brokerage_model_for(BrokerageName(brokerage), account_type)
        else:
            self.brokerage_model = brokerage
        for security in self.securities.values():
            self._engine.initialize_security_models(security)

    def set_benchmark(self, benchmark: Any, ticker: str | None = None) -> None:
        from lean_local.brokerages import FuncBenchmark

        if self._locked:
            raise RuntimeError("Algorithm.set_benchmark(): Cannot change benchmark after algorithm initialized.")
        if callable(benchmark) and not isinstance(benchmark, (str, SecurityType)):
            self._benchmark = FuncBenchmark(benchmark)
        elif isinstance(benchmark, SecurityType):
            self._benchmark = self._engine.symbol_for(str(ticker), benchmark, Market.USA)
        else:
            self._benchmark = self.resolve_symbol(benchmark) if isinstance(benchmark, str) else benchmark

    @property
    def benchmark(self) -> Any:
        return self._benchmark

    def set_security_initializer(self, initializer: Any) -> None:
        """Replace the security initializer: from now on new securities get only their type's default models and
        whatever ``initializer`` (an object with ``initialize(security)`` or a function) does, no longer the
        brokerage model's (LEAN's ``SetSecurityInitializer``)."""
        from lean_local.securities.initializers import as_security_initializer

        if self._locked:
            raise RuntimeError("set_security_initializer() cannot be called after algorithm initialization.")
        self._engine.security_initializer = as_security_initializer(initializer)

    def add_security_initializer(self, initializer: Any) -> None:
        """Run ``initializer`` after the current one (the brokerage model's by default)."""
        from lean_local.securities.initializers import (
            CompositeSecurityInitializer,
            CurrentBrokerageModelInitializer,
        )

        if self._locked:
            raise RuntimeError("add_security_initializer() cannot be called after algorithm initialization.")
        current = self._engine.security_initializer
        if isinstance(current, CompositeSecurityInitializer):
            current.add_security_initializer(initializer)
        else:
            first = current if current is not None else CurrentBrokerageModelInitializer(lambda: self.brokerage_model)
            self._engine.security_initializer = CompositeSecurityInitializer(first, initializer)

    # --- warm-up -----------------------------------------------------------------------------------------------
    def set_warm_up(self, period: Any, resolution: Resolution | None = None) -> None:
        if self._locked:
            raise RuntimeError("Algorithm.set_warm_up(): This method cannot be used after algorithm initialized")
        if isinstance(period, timedelta):
            self._warmup_period = period
            self._warmup_bar_count = None
        elif isinstance(period, int):
            self._warmup_bar_count = period
            self._warmup_period = None
        else:
            raise TypeError("set_warm_up expects a timedelta or a bar count (int)")
        self._warmup_resolution = resolution
        if resolution is not None:
            self.settings.warmup_resolution = resolution

    set_warmup = set_warm_up

    @property
    def is_warming_up(self) -> bool:
        return self._is_warming_up

    def set_finished_warming_up(self) -> None:
        self._is_warming_up = False

    # --- symbols & securities ----------------------------------------------------------------------------------
    def resolve_symbol(self, value: Any) -> Any:
        """A Symbol from a Symbol, Security or ticker string (LEAN's implicit string → Symbol conversion)."""
        if isinstance(value, str):
            return self._engine.symbol_cache_lookup(value)
        if isinstance(value, Security):
            return value.symbol
        if isinstance(value, KeyValuePair):
            return self.resolve_symbol(value.key)
        return value

    def symbol(self, ticker: str) -> Any:
        return self.resolve_symbol(ticker)

    def add_equity(
        self,
        ticker: str,
        resolution: Resolution | None = None,
        market: str | None = None,
        fill_forward: bool = True,
        leverage: float = 0.0,
        extended_market_hours: bool = False,
        data_normalization_mode: DataNormalizationMode | None = None,
    ) -> Security:
        symbol = self._engine.symbol_for(ticker, SecurityType.EQUITY, market or Market.USA)
        return self.add_security(symbol, resolution, fill_forward, leverage, extended_market_hours, data_normalization_mode)

    def add_security(
        self,
        symbol: Any,
        resolution: Resolution | None = None,
        fill_forward: bool = True,
        leverage: float = 0.0,
        extended_market_hours: bool = False,
        data_normalization_mode: DataNormalizationMode | None = None,
        *args: Any,
    ) -> Security:
        if isinstance(symbol, SecurityType):
            # add_security(SecurityType.EQUITY, "SPY", Resolution.DAILY, ...)
            ticker = resolution
            return self.add_equity(str(ticker), fill_forward if isinstance(fill_forward, Resolution) else None)
        resolution = Resolution(resolution) if resolution is not None else self.universe_settings.resolution
        mode = data_normalization_mode if data_normalization_mode is not None else self.universe_settings.data_normalization_mode
        return self._engine.add_security(
            symbol,
            resolution=resolution,
            fill_forward=fill_forward,
            leverage=leverage,
            extended_market_hours=extended_market_hours,
            data_normalization_mode=DataNormalizationMode(mode),
        )

    def remove_security(self, symbol: Any, tag: str | None = None) -> bool:
        """Cancel open orders, liquidate, and take the security out of the algorithm at the end of this step."""
        resolved = self.resolve_symbol(symbol)
        if resolved not in self.securities:
            return False
        security = self.securities[resolved]
        tag = tag or "Removed"
        if not self.is_warming_up:
            self.transactions.cancel_open_orders(resolved, tag)
        if security.invested:
            self.liquidate(resolved, tag=tag)
        self._engine.remove_security(resolved)
        return True

    # --- orders: entry points ----------------------------------------------------------------------------------
    def buy(self, symbol: Any, quantity: Any) -> OrderTicket:
        return self.order(symbol, abs(_exact(quantity)))

    def sell(self, symbol: Any, quantity: Any) -> OrderTicket:
        return self.order(symbol, -abs(_exact(quantity)))

    def order(self, symbol: Any, quantity: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        return self.market_order(symbol, quantity, asynchronous, tag, order_properties)

    def market_order(self, symbol: Any, quantity: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        quantity_d = _exact(quantity)
        if security.type not in (SecurityType.FUTURE, SecurityType.FUTURE_OPTION):
            if not security.exchange.exchange_open:
                ticket = self.market_on_open_order(security.symbol, quantity_d, asynchronous, tag, order_properties)
                if not self._is_market_on_open_warning_sent and ticket.submit_request.response.is_success:
                    self.debug(
                        "Warning: market orders submitted while the market is closed are automatically converted into "
                        "MarketOnOpen orders to fill at the next market open."
                    )
                    self._is_market_on_open_warning_sent = True
                return ticket
            if not self.live_mode and not security.exchange.hours.is_market_always_open and self._is_daily_resolution_only(security):
                if self._is_within_market_on_close_buffer(security):
                    ticket = self.market_on_open_order(security.symbol, quantity_d, asynchronous, tag, order_properties)
                else:
                    ticket = self.market_on_close_order(security.symbol, quantity_d, asynchronous, tag, order_properties)
                if not self._is_daily_conversion_warning_sent and ticket.submit_request.response.is_success:
                    self.debug(
                        "Warning: market orders on daily resolution data sent during market hours are automatically "
                        "converted into MarketOnClose orders (or MarketOnOpen near the close) to avoid filling at the "
                        "stale previous close. Note: in live trading this conversion is not applied, as the order fills "
                        "at the current market price."
                    )
                    self._is_daily_conversion_warning_sent = True
                return ticket
        request = self._submit_request(OrderType.MARKET, security, quantity_d, tag, order_properties, asynchronous)
        return self.submit_order_request(request)

    def market_on_open_order(self, symbol: Any, quantity: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        properties = self._order_properties(order_properties, allow_good_til_date=False)
        request = self._submit_request(OrderType.MARKET_ON_OPEN, security, _exact(quantity), tag, properties, asynchronous)
        return self.submit_order_request(request)

    def market_on_close_order(self, symbol: Any, quantity: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        properties = self._order_properties(order_properties, allow_good_til_date=False)
        request = self._submit_request(OrderType.MARKET_ON_CLOSE, security, _exact(quantity), tag, properties, asynchronous)
        return self.submit_order_request(request)

    def limit_order(self, symbol: Any, quantity: Any, limit_price: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        request = self._submit_request(OrderType.LIMIT, security, _exact(quantity), tag, order_properties, asynchronous, limit_price=_exact(limit_price))
        return self.submit_order_request(request)

    def stop_market_order(self, symbol: Any, quantity: Any, stop_price: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        request = self._submit_request(OrderType.STOP_MARKET, security, _exact(quantity), tag, order_properties, asynchronous, stop_price=_exact(stop_price))
        return self.submit_order_request(request)

    def stop_limit_order(self, symbol: Any, quantity: Any, stop_price: Any, limit_price: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        request = self._submit_request(
            OrderType.STOP_LIMIT, security, _exact(quantity), tag, order_properties, asynchronous,
            stop_price=_exact(stop_price), limit_price=_exact(limit_price),
        )
        return self.submit_order_request(request)

    def limit_if_touched_order(self, symbol: Any, quantity: Any, trigger_price: Any, limit_price: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(symbol)
        request = self._submit_request(
            OrderType.LIMIT_IF_TOUCHED, security, _exact(quantity), tag, order_properties, asynchronous,
            trigger_price=_exact(trigger_price), limit_price=_exact(limit_price),
        )
        return self.submit_order_request(request)

    def trailing_stop_order(self, symbol: Any, quantity: Any, *args: Any, **kwargs: Any) -> OrderTicket:
        """``trailing_stop_order(symbol, quantity, trailing_amount, trailing_as_percentage, ...)`` or with an
        explicit initial ``stop_price`` first, as in LEAN."""
        from lean_local.orders.order import TrailingStopOrder

        security = self._security_for_order(symbol)
        quantity_d = _exact(quantity)
        names = ("stop_price", "trailing_amount", "trailing_as_percentage") if len(args) >= 3 and isinstance(args[2], bool) else ("trailing_amount", "trailing_as_percentage")
        params = dict(zip(names, args))
        params.update(kwargs)
        trailing_amount = _exact(params["trailing_amount"])
        as_percentage = bool(params.get("trailing_as_percentage", False))
        stop_price = params.get("stop_price")
        if stop_price is None:
            direction = OrderDirection.BUY if quantity_d > 0 else OrderDirection.SELL
            stop = TrailingStopOrder.calculate_stop_price(security.cache.price, trailing_amount, as_percentage, direction)
        else:
            stop = _exact(stop_price)
        request = self._submit_request(
            OrderType.TRAILING_STOP, security, quantity_d, params.get("tag", ""), params.get("order_properties"),
            bool(params.get("asynchronous", False)), stop_price=stop, trailing_amount=trailing_amount,
            trailing_as_percentage=as_percentage,
        )
        return self.submit_order_request(request)

    def exercise_option(self, option_symbol: Any, quantity: Any, asynchronous: bool = False, tag: str = "", order_properties: Any = None) -> OrderTicket:
        security = self._security_for_order(option_symbol)
        request = self._submit_request(OrderType.OPTION_EXERCISE, security, _exact(quantity), tag, order_properties, asynchronous)
        return self.submit_order_request(request)

    # --- orders: plumbing ------------------------------------------------------------------------------------
    def _order_properties(self, properties: Any, allow_good_til_date: bool = True) -> Any:
        from lean_local.orders.properties import GoodTilDateTimeInForce, TimeInForce

        if properties is None:
            properties = self.default_order_properties.clone() if self.default_order_properties is not None else None
        if not allow_good_til_date and properties is not None and isinstance(properties.time_in_force, GoodTilDateTimeInForce):
            properties.time_in_force = TimeInForce.GOOD_TIL_CANCELED
            self.debug(
                "Warning: Good-Til-Date Time-In-Force is not supported for MOO and MOC orders. "
                "The time-in-force will be reset to Good-Til-Canceled (GTC)."
            )
        return properties

    def _submit_request(
        self,
        order_type: OrderType,
        security: Security,
        quantity: Decimal,
        tag: str | None,
        properties: Any,
        asynchronous: bool,
        stop_price: Decimal = ZERO,
        limit_price: Decimal = ZERO,
        trigger_price: Decimal = ZERO,
        trailing_amount: Decimal = ZERO,
        trailing_as_percentage: bool = False,
    ) -> SubmitOrderRequest:
        properties = self._order_properties(properties) if order_type not in (OrderType.MARKET_ON_OPEN, OrderType.MARKET_ON_CLOSE) else properties
        request = SubmitOrderRequest(
            order_type, security.type, security.symbol, quantity, stop_price, limit_price, trigger_price,
            trailing_amount, trailing_as_percentage, self._utc_time, tag or "", properties, None, asynchronous,
        )
        return request

    def submit_order_request(self, request: SubmitOrderRequest) -> OrderTicket:
        response = self._pre_order_checks(request)
        if response.is_error:
            self.error(response.error_message)
            return OrderTicket.invalid_submit_request(self.transactions, request, response)
        return self.transactions.add_order(request)

    def _pre_order_checks(self, request: SubmitOrderRequest) -> OrderResponse:
        def error(code: OrderResponseErrorCode, message: str) -> OrderResponse:
            return OrderResponse.error(request, code, message)

        if self.is_warming_up:
            return OrderResponse.warming_up(request)
        security = self.securities.get(request.symbol)
        if security is None:
            return OrderResponse.missing_security(request)
        if request.quantity_exact == 0:
            return OrderResponse.zero_quantity(request)
        lot = security.symbol_properties.lot_size
        if abs(request.quantity_exact) < lot:
            return error(
                OrderResponseErrorCode.ORDER_QUANTITY_LESS_THAN_LOT_SIZE,
                f"Unable to submit order with id {request.order_id} which quantity "
                f"({decimal_to_string(abs(request.quantity_exact))}) is less than lot size ({decimal_to_string(lot)}).",
            )
        if not security.is_tradable:
            return error(OrderResponseErrorCode.NON_TRADABLE_SECURITY, f"The security with symbol '{request.symbol}' is marked as non-tradable.")
        if request.order_type == OrderType.OPTION_EXERCISE and not security.exchange.exchange_open:
            return error(OrderResponseErrorCode.EXCHANGE_NOT_OPEN, "OptionExercise order and exchange not open.")
        if security.type in (SecurityType.FUTURE, SecurityType.FUTURE_OPTION) and request.order_type == OrderType.MARKET_ON_OPEN:
            if not self._is_moo_futures_warning_sent:
                self.debug("Warning: Market-On-Open orders are not allowed for futures and future options. "
                           "Consider using limit orders during extended market hours.")
                self._is_moo_futures_warning_sent = True
            kind = "Future" if security.type == SecurityType.FUTURE else "FutureOption"
            return error(OrderResponseErrorCode.EXCHANGE_NOT_OPEN, f"MarketOnOpen orders not supported for {kind}.")
        if security.cache.price == 0:
            return error(OrderResponseErrorCode.SECURITY_PRICE_ZERO, _zero_price_message(request.symbol))
        if not security.has_data:
            return error(
                OrderResponseErrorCode.SECURITY_HAS_NO_DATA,
                "There is no data for this symbol yet, please check the security.HasData flag to ensure there is at least one data point.",
            )
        if self.transactions.orders_count > self._max_orders:
            self.status = "Stopped"
            return error(
                OrderResponseErrorCode.EXCEEDED_MAXIMUM_ORDERS,
                f"You have exceeded maximum number of orders ({self._max_orders}), for unlimited orders upgrade your account.",
            )
        if request.order_type == OrderType.MARKET_ON_OPEN:
            hours = security.exchange.hours
            if hours.is_market_always_open:
                raise RuntimeError(f"Market never closes for this symbol {security.symbol}, can no submit a MarketOnOpen order.")
            if hours.is_open_at(security.local_time, False) and not self._is_daily_resolution_only(security):
                return error(
                    OrderResponseErrorCode.MARKET_ON_OPEN_NOT_ALLOWED_DURING_REGULAR_HOURS,
                    "Cannot submit a MarketOnOpen order while the market is open.",
                )
        elif request.order_type == OrderType.MARKET_ON_CLOSE:
            if security.exchange.hours.is_market_always_open:
                raise RuntimeError(f"Market never closes for this symbol {security.symbol}, can no submit a MarketOnClose order.")
            if self._is_within_market_on_close_buffer(security):
                from lean_local.orders.order import MarketOnCloseOrder

                buffer = timespan_to_string(timedelta_to_ticks(MarketOnCloseOrder.submission_time_buffer))
                return error(
                    OrderResponseErrorCode.MARKET_ON_CLOSE_ORDER_TOO_LATE,
                    f"MarketOnClose orders must be placed within {buffer} before market close. Override this TimeSpan "
                    "buffer by setting Orders.MarketOnCloseOrder.SubmissionTimeBuffer in QCAlgorithm.Initialize().",
                )
        if request.security_type in (SecurityType.OPTION, SecurityType.INDEX_OPTION) and self.current_slice is not None:
            underlying = getattr(request.symbol, "underlying", None)
            if underlying is not None and underlying in self.current_slice.splits:
                return error(OrderResponseErrorCode.OPTION_ORDER_ON_STOCK_SPLIT, "Options orders are not allowed when a split occurred for its underlying stock")
        return OrderResponse.success(request)

    def _security_for_order(self, symbol: Any) -> Security:
        resolved = self.resolve_symbol(symbol)
        security = self.securities.get(resolved)
        if security is not None and (security.is_tradable or security.is_delisted or resolved.is_canonical()):
            return security
        if security is None:
            raise KeyError(
                f"The symbol {symbol} is not found in the algorithm's securities collection and cannot be re-added due "
                "to it being delisted or no longer tradable."
            )
        return security

    def _is_daily_resolution_only(self, security: Security) -> bool:
        configs = [c for c in security.subscriptions if not c.is_internal_feed]
        return bool(configs) and all(c.resolution == Resolution.DAILY for c in configs)

    def _is_within_market_on_close_buffer(self, security: Security) -> bool:
        hours = security.exchange.hours
        if hours.is_market_always_open:
            return False
        from lean_local.orders.order import MarketOnCloseOrder

        next_close = hours.get_next_market_close(security.local_time, False)
        latest = to_utc(next_close, security.exchange.time_zone) - MarketOnCloseOrder.submission_time_buffer
        return self._utc_time > latest

    def is_market_open(self, symbol: Any) -> bool:
        security = self.securities.get(self.resolve_symbol(symbol))
        return security.is_market_open(False) if security is not None else False

    # --- portfolio-level orders ----------------------------------------------------------------------------------
    def liquidate(self, symbol: Any = None, asynchronous: bool = False, tag: str | None = None, order_properties: Any = None) -> list[OrderTicket]:
        if symbol is None:
            symbols = sorted(self.securities.keys(), key=lambda s: s.value)
        elif isinstance(symbol, (list, tuple, set)):
            symbols = [self.resolve_symbol(s) for s in symbol]
        else:
            symbols = [self.resolve_symbol(symbol)]
        tickets: list[OrderTicket] = []
        if not self.settings.liquidate_enabled:
            self.debug("Liquidate() is currently disabled by settings. To re-enable please set 'Settings.LiquidateEnabled' to true")
            return tickets
        tag = "Liquidated" if tag is None else tag
        for target in symbols:
            if target not in self.securities:
                if not self._liquidate_not_found_warning_sent:
                    self._liquidate_not_found_warning_sent = True
                    self.debug(f"Warning: liquidate ignored symbol '{target}' because it has not been added to the algorithm. Add the security before liquidating it.")
                continue
            open_orders = self.transactions.get_open_orders(target)
            holdings = self.portfolio[target]
            quantity = holdings.quantity_exact if holdings.invested else ZERO
            if len(open_orders) == 1 and quantity != 0 and open_orders[0].quantity_exact == -quantity and open_orders[0].type == OrderType.MARKET:
                continue
            market_quantity = ZERO
            for order in open_orders:
                if order.type == OrderType.MARKET:
                    ticket = self.transactions.get_order_ticket(order.id)
                    if ticket is not None:
                        market_quantity += ticket.quantity_remaining_exact
                else:
                    self.transactions.cancel_order(order.id, tag)
            if quantity != 0:
                tickets.append(self.order(target, -quantity - market_quantity, asynchronous, tag, order_properties))
        return tickets

    def set_holdings(self, symbol: Any, percentage: Any = None, liquidate_existing_holdings: bool = False, asynchronous: bool = False, tag: str | None = None, order_properties: Any = None) -> list[OrderTicket]:
        from lean_local.framework.portfolio_target import PortfolioTarget

        if isinstance(symbol, (list, tuple)):
            targets = list(symbol)
            if isinstance(percentage, bool):
                liquidate_existing_holdings = percentage
            tickets: list[OrderTicket] = []
            if liquidate_existing_holdings:
                tickets = self.liquidate(self._symbols_to_liquidate([t.symbol for t in targets]), tag=tag, order_properties=order_properties)
            with_quantities = [
                PortfolioTarget(t.symbol, self.calculate_order_quantity_exact(t.symbol, t.quantity_exact)) for t in targets
            ]
            for target in order_targets_by_margin_impact(self, with_quantities, target_is_delta=True):
                tickets.extend(self._set_holdings_impl(target.symbol, target.quantity_exact, False, asynchronous, tag, order_properties))
            return tickets
        if percentage is None:
            raise TypeError("set_holdings(symbol, percentage) needs a percentage")
        resolved = self.resolve_symbol(symbol)
        quantity = self.calculate_order_quantity_exact(resolved, _exact(percentage))
        return self._set_holdings_impl(resolved, quantity, liquidate_existing_holdings, asynchronous, tag, order_properties)

    def _set_holdings_impl(self, symbol: Any, order_quantity: Decimal, liquidate_existing: bool, asynchronous: bool, tag: str | None, order_properties: Any) -> list[OrderTicket]:
        tickets: list[OrderTicket] = []
        if liquidate_existing:
            tickets = self.liquidate(self._symbols_to_liquidate([symbol]), tag=tag, order_properties=order_properties)
        tag = tag or ""
        open_market = sum(
            (
                t.quantity_remaining_exact
                for t in self.transactions.get_open_order_tickets(
                    lambda t: t.symbol == symbol and t.order_type in (OrderType.MARKET, OrderType.MARKET_ON_OPEN)
                )
            ),
            ZERO,
        )
        quantity = order_quantity - open_market
        if abs(quantity) > 0:
            security = self.securities.get(symbol)
            if security is None:
                self.error(f"{symbol} not found in portfolio. Request this data when initializing the algorithm.")
                return tickets
            if security.exchange.exchange_open:
                tickets.append(self.market_order(symbol, quantity, asynchronous, tag, order_properties))
            else:
                tickets.append(self.market_on_open_order(symbol, quantity, asynchronous, tag, order_properties))
        return tickets

    def _symbols_to_liquidate(self, symbols: Iterable[Any]) -> list[Any]:
        targets = set(symbols)
        return sorted((s for s in self.portfolio.keys() if s not in targets), key=lambda s: s.value)

    def calculate_order_quantity(self, symbol: Any, target: Any) -> float:
        return float(self.calculate_order_quantity_exact(self.resolve_symbol(symbol), _exact(target)))

    def calculate_order_quantity_exact(self, symbol: Any, target: Decimal) -> Decimal:
        from lean_local.framework.portfolio_target import percent_target

        result = percent_target(self, symbol, target, return_delta_quantity=True)
        return ZERO if result is None else result.quantity_exact

    # --- engine callbacks ----------------------------------------------------------------------------------------
    def dispatch_order_event(self, event: Any) -> None:
        self._engine.on_order_event(event)

    def trade_builder_process_fill(self, event: Any, security: Security, fee: Decimal) -> None:
        self._engine.trade_builder_process_fill(event, security, fee)

    @property
    def trade_builder(self) -> Any:
        """The run's trade builder (LEAN's ``TradeBuilder``): the same trades the statistics are computed from."""
        return self._engine.results.trade_builder

    def on_security_delisted(self, security: Security) -> None:
        pass

    @property
    def subscription_manager(self) -> Any:
        return self._engine.subscription_manager

    @property
    def schedule(self) -> Any:
        return self._engine.schedule

    @property
    def date_rules(self) -> Any:
        return self._engine.schedule.date_rules

    @property
    def time_rules(self) -> Any:
        return self._engine.schedule.time_rules

    @property
    def is_market_open_now(self) -> bool:
        return any(s.exchange.exchange_open for s in self.securities.values())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.time:%Y-%m-%d %H:%M:%S}>"


def order_targets_by_margin_impact(algorithm: QCAlgorithm, targets: list[Any], target_is_delta: bool = False) -> list[Any]:
    """Targets that reduce a position first, then by descending order value (LEAN's ``OrderTargetsByMarginImpact``)."""
    from lean_local.framework.portfolio_target import adjust_by_lot_size, projected_quantity

    if algorithm.is_warming_up:
        return []
    rows: list[tuple[bool, Decimal, int, Any]] = []
    for index, target in enumerate(targets):
        security = algorithm.securities[target.symbol]
        target_quantity = adjust_by_lot_size(security, target.quantity_exact)
        existing = projected_quantity(algorithm, security)
        delta = target_quantity if target_is_delta else target_quantity - existing
        if not (security.has_data and security.is_tradable and abs(delta) >= security.symbol_properties.lot_size):
            continue
        order_value = abs(delta * security.cache.price)
        final = target_quantity + existing if target_is_delta else target_quantity
        reducing = existing != 0 and abs(final) < abs(existing)
        rows.append((reducing, order_value, index, target))
    # stable ordering: reducing positions first, then larger order values first
    rows.sort(key=lambda row: (not row[0], -row[1], row[2]))
    return [row[3] for row in rows]


def _exact(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
        if isinstance(value, int):
            return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"Invalid quantity or price {value!r}")
        return to_decimal(value)
    return to_decimal(float(value))


def _zero_price_message(symbol: Any) -> str:
    """LEAN's ``ZeroPriceForSecurity`` text as a Python algorithm sees it (snake_case API names)."""
    return (
        f"{symbol}: The security does not have an accurate price as it has not yet received a bar of data. "
        "Before placing a trade (or using set_holdings) warm up your algorithm with set_warmup, or use "
        "slice.contains(symbol) to confirm the Slice object has price before using the data. Data does not "
        "necessarily all arrive at the same time so your algorithm should confirm the data is ready before using it. "
        "In live trading this can mean you do not have an active subscription to the asset class you're trying to "
        "trade. If using custom data make sure you've set the 'Value' property."
    )


def _to_datetime(year: Any, month: int | None, day: int | None) -> datetime:
    if isinstance(year, datetime):
        return year
    if isinstance(year, date):
        return datetime.combine(year, time())
    if month is None or day is None:
        raise TypeError("expected (year, month, day) or a date")
    try:
        return datetime(int(year), int(month), int(day))
    except ValueError as err:
        raise ValueError(f"Date Invalid: {err}") from None


def _stat_text(value: Any) -> str:
    if isinstance(value, float):
        from lean_local.csharp import double_to_string

        return double_to_string(value)
    return str(value)
