"""Orders and order events as LEAN's Newtonsoft.Json writes them, and the OrderListHash statistic.

Python's ``json`` module cannot reproduce Newtonsoft byte for byte, so this module has its own emitter
(:func:`to_json`) with Newtonsoft's rules:

* ``decimal`` keeps its scale and always shows a decimal point: ``688`` → ``688.0``, ``144.77307790400`` as is;
* ``double`` is the shortest round-trip form with ``.0`` added when it has no point or exponent;
* ``DateTime`` is ISO 8601 ``yyyy-MM-ddTHH:mm:ss`` plus up to 7 fractional digits (trailing zeros dropped,
  none when whole seconds) plus ``Z`` for UTC values (aware datetimes here) and nothing for unspecified-kind
  values (naive datetimes here);
* enums are integers, strings escape only control characters, ``"``, ``\\``, U+0085, U+2028 and U+2029.

Order members are written derived-class members first (including the overridden ``type``), then ``Order``'s in
declaration order; ``lastFillTime``/``lastUpdateTime``/``canceledTime`` are left out when null, ``tag`` when
null (an empty tag is written as ``""``) and ``groupOrderManager`` when null; ``orderSubmissionData`` is written
as ``null`` when missing.
"""
from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

from lean_local.csharp import decimal_to_string, double_to_string, normalize, smart_rounding
from lean_local.enums import OrderDirection, OrderStatus
from lean_local.orders.order import (
    ComboLegLimitOrder,
    GroupOrderManager,
    LimitIfTouchedOrder,
    LimitOrder,
    Order,
    OrderSubmissionData,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopOrder,
)
from lean_local.orders.order_event import NULL_CURRENCY, OrderEvent, fee_amount
from lean_local.orders.properties import OrderProperties, TimeInForce
from lean_local.securities.symbol import Symbol

_EPOCH = datetime(1970, 1, 1)
_TICKS_PER_SECOND = 10_000_000

# ---------------------------------------------------------------------------------------------------------------
# Scalars


def json_decimal(value: Decimal) -> str:
    """Newtonsoft's ``decimal``: ``ToString(InvariantCulture)`` (scale kept) with ``.0`` added when integral."""
    text = decimal_to_string(value)
    if "." not in text:
        text += ".0"
    return text


def json_double(value: float) -> str:
    """Newtonsoft's ``double``: shortest round-trip text; ``.0`` appended unless it has a point or exponent.
    NaN and infinities are written as strings (Newtonsoft's default ``FloatFormatHandling.String``)."""
    if math.isnan(value):
        return '"NaN"'
    if math.isinf(value):
        return '"Infinity"' if value > 0 else '"-Infinity"'
    text = double_to_string(value)
    if "." not in text and "E" not in text and "e" not in text:
        text += ".0"
    return text


def json_datetime(value: datetime) -> str:
    """Newtonsoft ISO date: aware UTC → ``Z`` suffix, other aware → ``±HH:MM``, naive → no suffix."""
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    ticks = value.microsecond * 10
    if ticks:
        digits = f"{ticks:07d}".rstrip("0")
        text += "." + digits
    offset = value.utcoffset()
    if offset is None:
        return text
    if value.tzinfo is timezone.utc or (offset.total_seconds() == 0 and value.tzname() in ("UTC", "Z")):
        return text + "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


_ESCAPES = {
    "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", "\b": "\\b", "\\": "\\\\", '"': '\\"',
    "\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029",
}


def json_string(value: str) -> str:
    """Double-quoted string with Newtonsoft's default escaping (non-ASCII is written as is)."""
    parts: list[str] = ['"']
    for char in value:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            parts.append(escaped)
        elif ord(char) < 32:
            parts.append(f"\\u{ord(char):04x}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def utc(moment: datetime) -> datetime:
    """Mark a naive UTC datetime as UTC (written with ``Z``)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


# ---------------------------------------------------------------------------------------------------------------
# Emitter


def to_json(value: Any, indent: bool = False) -> str:
    """Serialize dicts/lists/scalars the way Newtonsoft's ``JsonTextWriter`` does (``Formatting.None`` or
    ``Formatting.Indented`` with two spaces)."""
    parts: list[str] = []
    _emit(value, parts, 0 if indent else None)
    return "".join(parts)


def _emit(value: Any, out: list[str], level: int | None) -> None:
    if value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, Enum):
        out.append(str(int(value.value)))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Decimal):
        out.append(json_decimal(value))
    elif isinstance(value, float):
        out.append(json_double(value))
    elif isinstance(value, str):
        out.append(json_string(value))
    elif isinstance(value, datetime):
        out.append(json_string(json_datetime(value)))
    elif isinstance(value, date):
        out.append(json_string(json_datetime(datetime(value.year, value.month, value.day))))
    elif isinstance(value, Mapping):
        _emit_object(value, out, level)
    elif isinstance(value, (list, tuple)) or (isinstance(value, Iterable) and not isinstance(value, (bytes, str))):
        _emit_array(list(value), out, level)
    elif isinstance(value, Symbol):
        _emit_object(value.to_json_dict(), out, level)
    else:
        raise TypeError(f"Cannot serialize {type(value).__name__} as Newtonsoft JSON")


def _emit_object(mapping: Mapping[Any, Any], out: list[str], level: int | None) -> None:
    if not mapping:
        out.append("{}")
        return
    out.append("{")
    first = True
    for key, item in mapping.items():
        if not first:
            out.append(",")
        first = False
        if level is not None:
            out.append("\n" + "  " * (level + 1))
        out.append(json_string(str(key)))
        out.append(": " if level is not None else ":")
        _emit(item, out, None if level is None else level + 1)
    if level is not None:
        out.append("\n" + "  " * level)
    out.append("}")


def _emit_array(items: Sequence[Any], out: list[str], level: int | None) -> None:
    if not items:
        out.append("[]")
        return
    out.append("[")
    for index, item in enumerate(items):
        if index:
            out.append(",")
        if level is not None:
            out.append("\n" + "  " * (level + 1))
        _emit(item, out, None if level is None else level + 1)
    if level is not None:
        out.append("\n" + "  " * level)
    out.append("]")


# ---------------------------------------------------------------------------------------------------------------
# Orders


def symbol_to_dict(symbol: Symbol) -> OrderedDict[str, Any]:
    """``{"value", "id", "permtick"[, "underlying"]}``; ``permtick`` holds the current ticker, as LEAN writes it."""
    return symbol.to_json_dict()


def time_in_force_to_dict(time_in_force: TimeInForce) -> OrderedDict[str, Any]:
    result: OrderedDict[str, Any] = OrderedDict()
    if time_in_force.lean_type_name is not None:
        result["$type"] = time_in_force.lean_type_name
    result.update(time_in_force.json_fields())
    return result


def properties_to_dict(properties: OrderProperties, camel_case: bool) -> OrderedDict[str, Any]:
    result: OrderedDict[str, Any] = OrderedDict()
    for name, item in properties.json_fields(camel_case).items():
        if isinstance(item, TimeInForce):
            result[name] = time_in_force_to_dict(item)
        elif hasattr(item, "to_json_dict"):
            result[name] = item.to_json_dict()
        else:
            result[name] = item
    return result


def submission_data_to_dict(data: OrderSubmissionData | None) -> OrderedDict[str, Any] | None:
    if data is None:
        return None
    result: OrderedDict[str, Any] = OrderedDict()
    result["bidPrice"] = data.bid_price_exact
    result["askPrice"] = data.ask_price_exact
    result["lastPrice"] = data.last_price_exact
    return result


def group_order_manager_to_dict(manager: GroupOrderManager) -> OrderedDict[str, Any]:
    result: OrderedDict[str, Any] = OrderedDict()
    result["id"] = manager.id
    result["quantity"] = manager.quantity_exact
    result["count"] = manager.count
    result["limitPrice"] = manager.limit_price_exact
    result["orderIds"] = list(manager.order_ids)
    result["direction"] = manager.direction
    return result


def hash_rounded_prices(order: Order) -> dict[str, Decimal]:
    """The prices LEAN's ``GetHash`` rounds with SmartRounding before serializing (keyed by JSON name)."""
    rounded: dict[str, Decimal] = {"price": smart_rounding(order.price_exact)}
    if isinstance(order, LimitOrder):
        rounded["limitPrice"] = smart_rounding(order.limit_price_exact)
    if isinstance(order, StopLimitOrder):
        rounded["limitPrice"] = smart_rounding(order.limit_price_exact)
        rounded["stopPrice"] = smart_rounding(order.stop_price_exact)
    if isinstance(order, TrailingStopOrder):
        rounded["trailingAmount"] = smart_rounding(order.trailing_amount_exact)
    if isinstance(order, StopMarketOrder):
        rounded["stopPrice"] = smart_rounding(order.stop_price_exact)
    if isinstance(order, LimitIfTouchedOrder):
        rounded["limitPrice"] = smart_rounding(order.limit_price_exact)
        rounded["triggerPrice"] = smart_rounding(order.trigger_price_exact)
    return rounded


def _derived_member(order: Order, name: str) -> Any:
    if name == "type":
        return order.type
    if name == "quantity":
        return order.quantity_exact
    if name == "limitPrice":
        assert isinstance(order, (LimitOrder, StopLimitOrder, LimitIfTouchedOrder, ComboLegLimitOrder))
        return order.limit_price_exact
    if name == "stopPrice":
        assert isinstance(order, (StopMarketOrder, StopLimitOrder))
        return order.stop_price_exact
    if name == "stopTriggered":
        assert isinstance(order, StopLimitOrder)
        return order.stop_triggered
    if name == "triggerPrice":
        assert isinstance(order, LimitIfTouchedOrder)
        return order.trigger_price_exact
    if name == "triggerTouched":
        assert isinstance(order, LimitIfTouchedOrder)
        return order.trigger_touched
    if name == "trailingAmount":
        assert isinstance(order, TrailingStopOrder)
        return order.trailing_amount_exact
    if name == "trailingAsPercentage":
        assert isinstance(order, TrailingStopOrder)
        return order.trailing_as_percentage
    raise KeyError(name)


def order_to_dict(order: Order, *, for_hash: bool = False, smart_round_price: bool = True) -> OrderedDict[str, Any]:
    """One order as Newtonsoft writes it, as an ordered dict of JSON-ready values (Decimals keep their scale,
    UTC datetimes are aware). Serialize with :func:`to_json`.

    ``for_hash=True`` reproduces ``Extensions.GetHash``: LEAN's default contract names (``"Exchange"`` in order
    properties stays PascalCase) and SmartRounding of price, limit, stop, trigger and trailing amount.
    Otherwise the result-file form (camelCase naming override); ``smart_round_price`` then applies the
    SmartRounding LEAN's result handler gives ``price`` when it sends order updates.
    """
    overrides: dict[str, Decimal] = {}
    if for_hash:
        overrides = hash_rounded_prices(order)
    elif smart_round_price:
        overrides = {"price": smart_rounding(order.price_exact)}
    price = normalize(overrides.get("price", order.price_exact))

    result: OrderedDict[str, Any] = OrderedDict()
    derived = order._DERIVED_JSON
    for name in derived:
        result[name] = overrides.get(name, _derived_member(order, name))

    def put(name: str, value: Any) -> None:
        if name not in result:
            result[name] = value

    put("id", order.id)
    put("contingentId", order.contingent_id)
    put("brokerId", list(order.broker_id))
    put("symbol", order.symbol.to_json_dict())
    put("price", price)
    put("priceCurrency", order.price_currency)
    put("time", utc(order.time))
    put("createdTime", utc(order.created_time))
    if order.last_fill_time is not None:
        put("lastFillTime", utc(order.last_fill_time))
    if order.last_update_time is not None:
        put("lastUpdateTime", utc(order.last_update_time))
    if order.canceled_time is not None:
        put("canceledTime", utc(order.canceled_time))
    put("quantity", order.quantity_exact)
    put("type", order.type)
    put("status", order.status)
    if order.tag is not None:
        put("tag", order.tag)
    put("properties", properties_to_dict(order.properties, camel_case=not for_hash))
    put("securityType", order.security_type)
    put("direction", order.direction)
    put("value", order.quantity_exact * price)
    put("orderSubmissionData", submission_data_to_dict(order.order_submission_data))
    put("isMarketable", order.is_marketable)
    if order.group_order_manager is not None:
        put("groupOrderManager", group_order_manager_to_dict(order.group_order_manager))
    put("priceAdjustmentMode", order.price_adjustment_mode)
    return result


def order_to_json(order: Order, *, for_hash: bool = False, indent: bool = False,
                  smart_round_price: bool = True) -> str:
    return to_json(order_to_dict(order, for_hash=for_hash, smart_round_price=smart_round_price), indent=indent)


def orders_to_result_dict(orders: Mapping[int, Order], *, smart_round_price: bool = True) -> OrderedDict[str, Any]:
    """The ``"orders"`` object of the result file: keys are the order ids as strings, in id order."""
    result: OrderedDict[str, Any] = OrderedDict()
    for order_id in sorted(orders):
        result[str(order_id)] = order_to_dict(orders[order_id], smart_round_price=smart_round_price)
    return result


def order_list_hash(orders: Mapping[int, Order]) -> str:
    """LEAN's OrderListHash: MD5 (lower-case hex) of the compact JSON of every order, in id order, joined by
    commas. The orders are not modified. No orders → ``d41d8cd98f00b204e9800998ecf8427e``."""
    joined = ",".join(order_to_json(orders[order_id], for_hash=True) for order_id in sorted(orders))
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Order events (<algorithm id>-order-events.json)


def _camel_enum(member: OrderStatus | OrderDirection) -> str:
    """Newtonsoft ``StringEnumConverter(camelCase: true)``: ``PARTIALLY_FILLED`` → ``"partiallyFilled"``."""
    head, *rest = member.name.split("_")
    return head.lower() + "".join(part.capitalize() for part in rest)


def unix_timestamp(utc_time: datetime) -> float:
    """``Time.DateTimeToUnixTimeStamp``: seconds since 1970 as a double computed from 100 ns ticks."""
    if utc_time.tzinfo is not None:
        utc_time = utc_time.astimezone(timezone.utc).replace(tzinfo=None)
    delta = utc_time - _EPOCH
    ticks = ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds) * 10
    return float(ticks) / _TICKS_PER_SECOND


def order_event_to_dict(event: OrderEvent, algorithm_id: str) -> OrderedDict[str, Any]:
    """One record of ``<id>-order-events.json`` (LEAN's ``SerializedOrderEvent``). Omitted when default:
    fee amount and currency (fee in the null currency ``QCC``), an empty message, stop/limit prices that are
    not set, ``isInTheMoney`` when false."""
    result: OrderedDict[str, Any] = OrderedDict()
    result["id"] = f"{algorithm_id}-{event.order_id}-{event.id}"
    result["algorithmId"] = algorithm_id
    result["orderId"] = event.order_id
    result["orderEventId"] = event.id
    result["symbol"] = str(event.symbol.id)
    result["symbolValue"] = event.symbol.value
    result["symbolPermtick"] = event.symbol.id.symbol
    result["time"] = unix_timestamp(event.utc_time)
    result["status"] = _camel_enum(event.status)
    fee = event.order_fee
    if fee is not None and fee.value.currency != NULL_CURRENCY:
        result["orderFeeAmount"] = normalize(fee_amount(fee))
        if fee.value.currency is not None:
            result["orderFeeCurrency"] = fee.value.currency
    result["fillPrice"] = event.fill_price_exact
    result["fillPriceCurrency"] = event.fill_price_currency
    result["fillQuantity"] = event.fill_quantity_exact
    result["direction"] = _camel_enum(event.direction)
    if event.message != "":
        result["message"] = event.message
    result["isAssignment"] = event.is_assignment
    result["quantity"] = event.quantity_exact
    if event.stop_price_exact is not None:
        result["stopPrice"] = event.stop_price_exact
    if event.limit_price_exact is not None:
        result["limitPrice"] = event.limit_price_exact
    if event.is_in_the_money:
        result["isInTheMoney"] = True
    return result


def order_events_to_json(events: Iterable[OrderEvent], algorithm_id: str) -> str:
    """Content of ``<algorithm id>-order-events.json``: a compact JSON array (LEAN skips the file when empty)."""
    return to_json([order_event_to_dict(event, algorithm_id) for event in events])


__all__ = [
    "hash_rounded_prices",
    "json_datetime",
    "json_decimal",
    "json_double",
    "json_string",
    "order_event_to_dict",
    "order_events_to_json",
    "order_list_hash",
    "order_to_dict",
    "order_to_json",
    "orders_to_result_dict",
    "symbol_to_dict",
    "to_json",
    "unix_timestamp",
    "utc",
]
