"""The ``AlgorithmImports`` namespace, built at run time only.

LEAN algorithms start with ``from AlgorithmImports import *``. Installing a real module of that name would
shadow ``quantconnect-stubs`` (which type checkers use), so the runner creates this module in memory and
registers it in ``sys.modules`` for the duration of a run.
"""
from __future__ import annotations

import json
import math
import sys
import types
import typing
from typing import Any
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

MODULE_NAME = "AlgorithmImports"


def _exports() -> dict[str, object]:
    from lean_local import algorithm as algorithm_module
    from lean_local import brokerages, enums, market_data
    from lean_local.framework import portfolio_target
    from lean_local.orders import fees, fills, order, order_event, properties, requests, transactions
    from lean_local.scheduling import DayOfWeek
    from lean_local.securities import buying_power, initializers
    from lean_local.securities import security as security_module
    from lean_local.securities.symbol import Symbol, SymbolCache
    from lean_local import universe

    names: dict[str, object] = {}
    for module, wanted in (
        (enums, None),
        (market_data, ("TradeBar", "QuoteBar", "Bar", "Tick", "Split", "Dividend", "Delisting", "SymbolChangedEvent",
                       "Slice", "TradeBars", "QuoteBars", "Ticks", "Splits", "Dividends", "Delistings", "BaseData",
                       "SymbolChangedEvents")),
        (algorithm_module, ("QCAlgorithm", "AlgorithmSettings", "UniverseSettings", "KeyValuePair")),
        (brokerages, ("DefaultBrokerageModel", "InteractiveBrokersBrokerageModel", "AxosClearingBrokerageModel",
                      "AlphaStreamsBrokerageModel", "FuncBenchmark", "SecurityBenchmark", "BrokerageMessageEvent")),
        (fees, ("FeeModel", "ConstantFeeModel", "InteractiveBrokersFeeModel", "AxosFeeModel", "AlphaStreamsFeeModel",
                "OrderFee", "CashAmount", "OrderFeeParameters")),
        (fills, ("FillModel", "ImmediateFillModel", "EquityFillModel", "NullSlippageModel", "ConstantSlippageModel",
                 "AlphaStreamsSlippageModel", "Fill", "FillModelParameters", "Prices")),
        (order, ("Order", "MarketOrder", "LimitOrder", "StopMarketOrder", "StopLimitOrder", "MarketOnOpenOrder",
                 "MarketOnCloseOrder", "LimitIfTouchedOrder", "TrailingStopOrder", "OrderSubmissionData")),
        (order_event, ("OrderEvent",)),
        (properties, ("OrderProperties", "TimeInForce")),
        (requests, ("SubmitOrderRequest", "UpdateOrderRequest", "CancelOrderRequest", "UpdateOrderFields", "OrderResponse")),
        (transactions, ("OrderTicket", "SecurityTransactionManager")),
        (portfolio_target, ("PortfolioTarget",)),
        (security_module, ("Security", "SecurityManager", "SecurityCache", "SecurityExchange")),
        (buying_power, ("BuyingPowerModelExtensions",)),
        (initializers, ("SecuritySeeder", "FuncSecuritySeeder", "BrokerageModelSecurityInitializer",
                        "FuncSecurityInitializer", "CompositeSecurityInitializer")),
        (universe, ("Universe", "UserDefinedUniverse", "ScheduledUniverse", "FuncUniverse", "FundamentalUniverse",
                    "FundamentalUniverseFactory", "CoarseFundamentalUniverse", "FundamentalFilteredUniverse",
                    "FineFundamentalFilteredUniverse", "Fundamental", "CoarseFundamental", "BaseDataCollection",
                    "SecurityChanges", "UniverseManager", "Schedule")),
    ):
        items = wanted if wanted is not None else [n for n in dir(module) if not n.startswith("_")]
        for name in items:
            value = getattr(module, name)
            if wanted is None and (isinstance(value, types.ModuleType) or getattr(value, "__module__", None) != module.__name__):
                continue
            names[name] = value
    names["Symbol"] = Symbol
    names["SymbolCache"] = SymbolCache
    names["DayOfWeek"] = DayOfWeek
    names["Equity"] = security_module.Security
    # LEAN's interfaces, used in annotations: the concrete classes stand in for them at run time
    names["IAlgorithm"] = algorithm_module.QCAlgorithm
    names["IBaseData"] = market_data.BaseData
    from lean_local.consolidators.base import ConsolidatorBase

    names["IDataConsolidator"] = ConsolidatorBase
    names["Extensions"] = _Extensions
    names["QCAlgorithmFramework"] = algorithm_module.QCAlgorithm
    names["QCAlgorithmFrameworkBridge"] = algorithm_module.QCAlgorithm
    names["TimeZones"] = _TimeZones
    names["Currencies"] = _Currencies
    names["Time"] = _Time
    names.update(_library_exports())
    return names


def _library_exports() -> dict[str, object]:
    """Names contributed by the Algorithm Framework, indicators and consolidators."""
    from lean_local.framework import exports
    from lean_local.indicators import exports as indicator_exports

    result: dict[str, object] = dict(indicator_exports.names())
    result.update(exports.names())
    return result


class _Extensions:
    """The parts of LEAN's ``QuantConnect.Extensions`` algorithms call from Python."""

    @staticmethod
    def to_time_span(resolution: Any) -> timedelta:
        from lean_local.framework.insights import resolution_to_timedelta

        return resolution_to_timedelta(resolution)

    @staticmethod
    def convert_from_utc(utc_time: datetime, to_time_zone: str, strict: bool = False) -> datetime:
        """UTC time → local time in ``to_time_zone`` (LEAN's ``DateTime.ConvertFromUtc``)."""
        from lean_local.timeutil import from_utc

        return from_utc(utc_time, to_time_zone)

    @staticmethod
    def convert_to_utc(local_time: datetime, from_time_zone: str, strict: bool = False) -> datetime:
        """Local time in ``from_time_zone`` → UTC. Like LEAN's lenient default, an ambiguous local time takes its
        earlier offset and a skipped one the offset in force before the gap."""
        from lean_local.timeutil import to_utc

        return to_utc(local_time, from_time_zone)


class _Currencies:
    """LEAN's ``Currencies``: common currency codes, the null currency of zero fees and display symbols."""

    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    INR = "INR"
    IDR = "IDR"
    CNH = "CNH"
    CHF = "CHF"
    HKD = "HKD"
    JPY = "JPY"
    KRW = "KRW"
    #: the currency of a fee that is no amount at all (``OrderFee.ZERO``)
    NULL_CURRENCY = "QCC"

    @staticmethod
    def get_currency_symbol(currency: str | None) -> str:
        from lean_local.orders.order import currency_symbol

        return currency_symbol(currency)


class _TimeZones:
    NEW_YORK = "America/New_York"
    UTC = "UTC"
    CHICAGO = "America/Chicago"
    LONDON = "Europe/London"
    HONG_KONG = "Asia/Hong_Kong"
    TOKYO = "Asia/Tokyo"


class _Time:
    ONE_DAY = timedelta(days=1)
    ONE_HOUR = timedelta(hours=1)
    ONE_MINUTE = timedelta(minutes=1)
    ONE_SECOND = timedelta(seconds=1)
    END_OF_TIME = datetime(2050, 12, 31)
    BEGINNING_OF_TIME = datetime(1998, 1, 2)


def build_module() -> types.ModuleType:
    module = types.ModuleType(MODULE_NAME, "LEAN's AlgorithmImports namespace, provided by lean_local at run time.")
    namespace = module.__dict__
    namespace.update({"np": np, "pd": pd, "math": math, "json": json, "date": date, "time": time,
                      "datetime": datetime, "timedelta": timedelta})
    for name in getattr(typing, "__all__", ()):
        namespace.setdefault(name, getattr(typing, name))
    namespace.update(_exports())
    module.__all__ = [n for n in namespace if not n.startswith("_")]  # type: ignore[attr-defined]
    return module


@contextmanager
def installed() -> Iterator[types.ModuleType]:
    """Register ``AlgorithmImports`` (and LEAN's framework import paths) in ``sys.modules`` for a run."""
    previous = {name: sys.modules.get(name) for name in (MODULE_NAME,)}
    module = build_module()
    sys.modules[MODULE_NAME] = module
    extra = _install_framework_aliases()
    try:
        yield module
    finally:
        for name, value in previous.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value
        for name in extra:
            sys.modules.pop(name, None)


def _install_framework_aliases() -> list[str]:
    """LEAN's ``from Alphas.RsiAlphaModel import RsiAlphaModel``-style import paths."""
    from lean_local.framework import exports

    installed_names: list[str] = exports.install_import_paths(sys.modules)
    return installed_names
