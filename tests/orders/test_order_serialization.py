"""Newtonsoft-compatible JSON: scalars, member order of every order type, properties, events."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from lean_local.enums import OrderDirection, OrderStatus, OrderType, SecurityType
from lean_local.orders.order import (
    ComboLegLimitOrder,
    ComboMarketOrder,
    GroupOrderManager,
    LimitIfTouchedOrder,
    LimitOrder,
    MarketOnCloseOrder,
    MarketOrder,
    OptionExerciseOrder,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopOrder,
)
from lean_local.orders.order_event import OrderEvent
from lean_local.orders.properties import OrderProperties, TimeInForce
from lean_local.orders.serialization import (
    json_datetime,
    json_decimal,
    json_double,
    json_string,
    order_event_to_dict,
    order_events_to_json,
    order_list_hash,
    order_to_dict,
    order_to_json,
    orders_to_result_dict,
    to_json,
    unix_timestamp,
)
from lean_local.securities.symbol import Symbol

T0 = datetime(2013, 10, 7, 13, 31)
BASE_KEYS = ["id", "contingentId", "brokerId", "symbol", "price", "priceCurrency", "time", "createdTime", "quantity",
             "type", "status", "tag", "properties", "securityType", "direction", "value", "orderSubmissionData",
             "isMarketable", "priceAdjustmentMode"]


class _Cash:
    def __init__(self, amount: Decimal, currency: str) -> None:
        self.amount = amount
        self.currency = currency


class _Fee:
    def __init__(self, amount: Decimal, currency: str) -> None:
        self.value = _Cash(amount, currency)


def spy() -> Symbol:
    return Symbol.create("SPY", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))


def test_decimals_keep_scale_and_get_a_point() -> None:
    assert json_decimal(Decimal(688)) == "688.0"
    assert json_decimal(Decimal("144.77307790400")) == "144.77307790400"
    assert json_decimal(Decimal("0")) == "0.0"
    assert json_decimal(Decimal("0.00")) == "0.00"
    assert json_decimal(Decimal("-3670")) == "-3670.0"
    assert json_decimal(Decimal("99897.40")) == "99897.40"


def test_doubles() -> None:
    assert json_double(1381152660.0) == "1381152660.0"
    assert json_double(0.1) == "0.1"
    assert json_double(1e-05) == "1E-05"
    assert json_double(1e16) == "1E+16"
    assert json_double(float("nan")) == '"NaN"'


def test_datetimes() -> None:
    utc = timezone.utc
    assert json_datetime(datetime(2013, 10, 7, 13, 31, tzinfo=utc)) == "2013-10-07T13:31:00Z"
    assert json_datetime(datetime(2013, 10, 7, 13, 31, 0, 1000, tzinfo=utc)) == "2013-10-07T13:31:00.001Z"
    assert json_datetime(datetime(2013, 10, 7, 13, 31, 0, 123456)) == "2013-10-07T13:31:00.123456"
    assert json_datetime(datetime(2013, 10, 7, 9, 31, tzinfo=timezone(timedelta(hours=-4)))) == (
        "2013-10-07T09:31:00-04:00"
    )


def test_strings_escape_like_newtonsoft() -> None:
    assert json_string('a"b\\c\n\t\x01é\u2028') == '"a\\"b\\\\c\\n\\t\\u0001é\\u2028"'


def test_indented_output() -> None:
    text = to_json({"a": [1, Decimal(2)], "b": {}, "c": [], "d": {"e": None}}, indent=True)
    assert text == '{\n  "a": [\n    1,\n    2.0\n  ],\n  "b": {},\n  "c": [],\n  "d": {\n    "e": null\n  }\n}'


def _keys(order_type: type, *args: object) -> list[str]:
    order = order_type(*args)
    order.id = 1
    return list(order_to_dict(order, for_hash=True))


def test_member_order_per_type() -> None:
    s = spy()
    base = [k for k in BASE_KEYS if k != "type"]
    assert _keys(MarketOrder, s, 1, T0) == ["type"] + base
    assert _keys(MarketOnCloseOrder, s, 1, T0) == ["type"] + base
    assert _keys(OptionExerciseOrder, s, 1, T0) == ["type"] + base
    assert _keys(LimitOrder, s, 1, Decimal(1), T0) == ["limitPrice", "type"] + base
    assert _keys(StopMarketOrder, s, 1, Decimal(1), T0) == ["stopPrice", "type"] + base
    assert _keys(StopLimitOrder, s, 1, Decimal(1), Decimal(2), T0) == (
        ["stopPrice", "stopTriggered", "limitPrice", "type"] + base
    )
    assert _keys(LimitIfTouchedOrder, s, 1, Decimal(1), Decimal(2), T0) == (
        ["type", "triggerPrice", "limitPrice", "triggerTouched"] + base
    )
    assert _keys(TrailingStopOrder, s, 1, Decimal(1), Decimal(2), False, T0) == (
        ["trailingAmount", "trailingAsPercentage", "type", "stopPrice"] + base
    )
    manager = GroupOrderManager(1, 2, Decimal(1))
    combo = [k for k in base if k != "quantity"]
    assert _keys(ComboMarketOrder, s, 1, T0, manager)[:2] == ["type", "quantity"]
    assert _keys(ComboMarketOrder, s, 1, T0, manager)[2:] == (
        combo[: combo.index("priceAdjustmentMode")] + ["groupOrderManager", "priceAdjustmentMode"]
    )
    assert _keys(ComboLegLimitOrder, s, 1, Decimal(1), T0, manager)[:3] == ["type", "limitPrice", "quantity"]


def test_optional_members() -> None:
    order = MarketOrder(spy(), 1, T0)
    order.last_fill_time = T0
    order.last_update_time = T0
    order.canceled_time = T0 + timedelta(minutes=1)
    order.tag = None
    data = order_to_dict(order, for_hash=True)
    keys = list(data)
    assert keys[keys.index("createdTime") + 1: keys.index("quantity")] == ["lastFillTime", "lastUpdateTime",
                                                                          "canceledTime"]
    assert "tag" not in data  # only a null tag is omitted; "" is written
    assert data["orderSubmissionData"] is None
    assert '"orderSubmissionData":null' in order_to_json(order, for_hash=True)
    assert '"canceledTime":"2013-10-07T13:32:00Z"' in order_to_json(order, for_hash=True)


def test_hash_rounding_of_prices() -> None:
    order = StopLimitOrder(spy(), -10, Decimal("101.123456789"), Decimal("100.98765432"), T0)
    order.price = Decimal("1234.567891")
    hashed = order_to_dict(order, for_hash=True)
    assert hashed["price"] == Decimal("1234.5679") and hashed["value"] == Decimal("-12345.679")
    assert str(hashed["stopPrice"]) == "101.1235" and str(hashed["limitPrice"]) == "100.9877"
    result = order_to_dict(order, smart_round_price=False)
    assert result["price"] == Decimal("1234.567891") and result["limitPrice"] == Decimal("100.98765432")
    trailing = TrailingStopOrder(spy(), -1, Decimal("99.123456789"), Decimal("0.0123456789"), True, T0)
    hashed = order_to_dict(trailing, for_hash=True)
    assert str(hashed["trailingAmount"]) == "0.01234568" and str(hashed["stopPrice"]) == "99.12346"


def test_time_in_force_forms() -> None:
    order = LimitOrder(spy(), 1, Decimal(1), T0)
    assert '"properties":{"timeInForce":{}}' in order_to_json(order, for_hash=True)
    order.properties.time_in_force = TimeInForce.DAY
    assert '"properties":{"timeInForce":{"$type":"QuantConnect.Orders.TimeInForces.DayTimeInForce"}}' in (
        order_to_json(order, for_hash=True)
    )
    order.properties.time_in_force = TimeInForce.good_til_date(date(2013, 10, 10))
    assert ('"properties":{"timeInForce":{"$type":"QuantConnect.Orders.TimeInForces.GoodTilDateTimeInForce",'
            '"Expiry":"2013-10-10T00:00:00"}}') in order_to_json(order, for_hash=True)
    order.properties.exchange = "NYSE"
    assert '"Exchange":"NYSE"' in order_to_json(order, for_hash=True)
    assert '"exchange":"NYSE"' in order_to_json(order)


def test_result_file_orders_and_indentation() -> None:
    order = MarketOrder(spy(), 688, T0)
    order.id = 1
    order.price = Decimal("144.78172417")
    result = orders_to_result_dict({1: order})
    assert list(result) == ["1"] and result["1"]["price"] == Decimal("144.7817")
    text = to_json(result, indent=True)
    assert text.startswith('{\n  "1": {\n    "type": 0,\n    "id": 1,\n    "contingentId": 0,\n    "brokerId": [],')
    assert json.loads(text)["1"]["symbol"] == {"value": "SPY", "id": "SPY R735QTJ8XC9X", "permtick": "SPY"}
    raw = orders_to_result_dict({1: order}, smart_round_price=False)
    assert raw["1"]["price"] == Decimal("144.78172417")


def test_option_symbol_json_has_underlying() -> None:
    underlying = Symbol.create("GOOCV", SecurityType.EQUITY, "usa", first_date=date(2014, 3, 27))
    underlying = underlying.update_mapped_symbol("GOOG")
    from lean_local.enums import OptionRight, OptionStyle

    option = Symbol.create_option(underlying, "usa", OptionStyle.AMERICAN, OptionRight.CALL, 745, date(2016, 1, 15))
    order = MarketOrder(option, 1, T0)
    assert ('"symbol":{"value":"GOOG  160115C00745000","id":"GOOCV W78ZERHAT67A|GOOCV VP83T1ZUHROL",'
            '"permtick":"GOOG  160115C00745000","underlying":{"value":"GOOG","id":"GOOCV VP83T1ZUHROL",'
            '"permtick":"GOOG"}}') in order_to_json(order, for_hash=True)
    assert '"securityType":2' in order_to_json(order, for_hash=True)


def test_order_events_file_records() -> None:
    order = MarketOrder(spy(), 688, T0)
    order.id = 1
    order.price_currency = "USD"
    order.status = OrderStatus.SUBMITTED
    submitted = OrderEvent(order, T0, _Fee(Decimal(0), "QCC"))
    submitted.id = 1
    order.status = OrderStatus.FILLED
    filled = OrderEvent(order, T0, _Fee(Decimal("3.440"), "USD"))
    filled.id = 2
    filled.fill_price = Decimal("144.78172417000")
    filled.fill_quantity = 688
    text = order_events_to_json([submitted, filled], "1234567890")
    assert text == (
        '[{"id":"1234567890-1-1","algorithmId":"1234567890","orderId":1,"orderEventId":1,'
        '"symbol":"SPY R735QTJ8XC9X","symbolValue":"SPY","symbolPermtick":"SPY","time":1381152660.0,'
        '"status":"submitted","fillPrice":0.0,"fillPriceCurrency":"USD","fillQuantity":0.0,"direction":"buy",'
        '"isAssignment":false,"quantity":688.0},'
        '{"id":"1234567890-1-2","algorithmId":"1234567890","orderId":1,"orderEventId":2,'
        '"symbol":"SPY R735QTJ8XC9X","symbolValue":"SPY","symbolPermtick":"SPY","time":1381152660.0,'
        '"status":"filled","orderFeeAmount":3.44,"orderFeeCurrency":"USD","fillPrice":144.78172417,'
        '"fillPriceCurrency":"USD","fillQuantity":688.0,"direction":"buy","isAssignment":false,"quantity":688.0}]'
    )


def test_order_events_with_the_engine_fee_type() -> None:
    from lean_local.orders.fees import CashAmount, OrderFee

    order = MarketOrder(spy(), -5, T0)
    order.id = 4
    zero = OrderEvent(order, T0, OrderFee.ZERO)  # type: ignore[attr-defined]
    assert "orderFeeAmount" not in order_event_to_dict(zero, "a")
    charged = OrderEvent(order, T0, OrderFee(CashAmount(Decimal("1.000"), "USD")))
    record = order_event_to_dict(charged, "a")
    assert str(record["orderFeeAmount"]) == "1" and record["orderFeeCurrency"] == "USD"
    assert '"orderFeeAmount":1.0,' in order_events_to_json([charged], "a")
    assert "OrderFee: 1 USD" in str(charged)


def test_order_event_optional_members() -> None:
    event = OrderEvent(3, spy(), T0, OrderStatus.PARTIALLY_FILLED, OrderDirection.SELL, Decimal(1), Decimal(-1),
                       _Fee(Decimal(1), "USD"), "partial")
    event.limit_price = Decimal("1.50")
    event.stop_price = Decimal("2")
    event.is_in_the_money = True
    record = order_event_to_dict(event, "x")
    assert record["status"] == "partiallyFilled" and record["direction"] == "sell"
    assert list(record)[-5:] == ["isAssignment", "quantity", "stopPrice", "limitPrice", "isInTheMoney"]
    assert record["message"] == "partial" and str(record["limitPrice"]) == "1.5"
    assert unix_timestamp(datetime(1970, 1, 1, 0, 0, 1, 500000)) == 1.5


def test_hash_of_several_orders_is_in_id_order() -> None:
    first = MarketOrder(spy(), 1, T0)
    first.id = 1
    second = MarketOrder(spy(), -1, T0)
    second.id = 2
    assert order_list_hash({2: second, 1: first}) == order_list_hash({1: first, 2: second})


def test_order_type_enum_written_as_int() -> None:
    order = MarketOrder(spy(), 1, T0)
    assert order_to_dict(order)["type"] == OrderType.MARKET
    assert '"type":0' in order_to_json(order)
    properties = OrderProperties()
    assert properties.json_fields(camel_case=True)["timeInForce"] is TimeInForce.GOOD_TIL_CANCELED
