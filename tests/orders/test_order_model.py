"""Order classes, the create_order factory, updates, order events and requests."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from lean_local.enums import (
    OrderDirection,
    OrderRequestStatus,
    OrderRequestType,
    OrderResponseErrorCode,
    OrderStatus,
    OrderType,
    SecurityType,
)
from lean_local.orders.order import (
    ComboLegLimitOrder,
    ComboMarketOrder,
    GroupOrderManager,
    LimitIfTouchedOrder,
    LimitOrder,
    MarketOnCloseOrder,
    MarketOnOpenOrder,
    MarketOrder,
    OptionExerciseOrder,
    Order,
    OrderSubmissionData,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopOrder,
)
from lean_local.orders.order_event import OrderEvent
from lean_local.orders.properties import OrderProperties, TimeInForce
from lean_local.orders.requests import (
    CancelOrderRequest,
    OrderResponse,
    SubmitOrderRequest,
    UpdateOrderFields,
    UpdateOrderRequest,
)
from lean_local.securities.symbol import Symbol

T0 = datetime(2013, 10, 7, 13, 31)


class _Cash:
    def __init__(self, amount: Decimal, currency: str) -> None:
        self.amount = amount
        self.currency = currency


class _Fee:
    """Stand-in with LEAN's OrderFee shape (``fee.value.amount``, ``fee.value.currency``)."""

    def __init__(self, amount: Decimal, currency: str) -> None:
        self.value = _Cash(amount, currency)


def spy() -> Symbol:
    return Symbol.create("SPY", SecurityType.EQUITY, "usa", first_date=date(1998, 1, 2))


def submit(order_type: OrderType, quantity: float, stop: float = 0, limit: float = 0, trigger: float = 0,
           trailing: float = 0, as_percentage: bool = False, tag: str = "") -> SubmitOrderRequest:
    request = SubmitOrderRequest(order_type, SecurityType.EQUITY, spy(), quantity, stop, limit, trigger, trailing,
                                 as_percentage, T0, tag)
    request.set_order_id(7)
    return request


@pytest.mark.parametrize(
    ("order_type", "cls"),
    [
        (OrderType.MARKET, MarketOrder),
        (OrderType.LIMIT, LimitOrder),
        (OrderType.STOP_MARKET, StopMarketOrder),
        (OrderType.STOP_LIMIT, StopLimitOrder),
        (OrderType.MARKET_ON_OPEN, MarketOnOpenOrder),
        (OrderType.MARKET_ON_CLOSE, MarketOnCloseOrder),
        (OrderType.OPTION_EXERCISE, OptionExerciseOrder),
        (OrderType.LIMIT_IF_TOUCHED, LimitIfTouchedOrder),
        (OrderType.TRAILING_STOP, TrailingStopOrder),
    ],
)
def test_create_order_factory(order_type: OrderType, cls: type[Order]) -> None:
    order = Order.create_order(submit(order_type, -10, stop=101.5, limit=100.25, trigger=99, trailing=0.05,
                                      as_percentage=True))
    assert type(order) is cls
    assert order.type == order_type
    assert order.id == 7 and order.status == OrderStatus.NEW
    assert order.quantity_exact == Decimal(-10) and order.direction == OrderDirection.SELL
    assert order.time == T0 == order.created_time
    assert order.security_type == SecurityType.EQUITY
    assert order.time_in_force == TimeInForce.GOOD_TIL_CANCELED
    assert order.price_exact == 0 and order.last_fill_time is None
    if isinstance(order, (LimitOrder, StopLimitOrder, LimitIfTouchedOrder)):
        assert order.limit_price_exact == Decimal("100.25")
    if isinstance(order, (StopMarketOrder, StopLimitOrder)):
        assert order.stop_price_exact == Decimal("101.5")
    if isinstance(order, LimitIfTouchedOrder):
        assert order.trigger_price_exact == Decimal(99)
    if isinstance(order, TrailingStopOrder):
        assert order.trailing_amount_exact == Decimal("0.05") and order.trailing_as_percentage


def test_price_and_quantity_are_normalized() -> None:
    order = MarketOrder(spy(), Decimal("688.000"), T0)
    order.price = Decimal("144.7817241700000")
    assert str(order.quantity_exact) == "688"
    assert str(order.price_exact) == "144.78172417"
    assert order.value_exact == Decimal("99609.82622896")
    assert order.absolute_quantity_exact == 688


def test_market_order_overloads_and_defaults() -> None:
    order = MarketOrder(spy(), 10, T0, Decimal("1.5"), "tagged")
    assert order.price_exact == Decimal("1.5") and order.tag == "tagged"
    blank = MarketOrder()
    assert blank.symbol == Symbol.EMPTY and blank.status == OrderStatus.NONE and blank.tag == ""
    assert blank.time == datetime(1, 1, 1)
    assert blank.properties.time_in_force == TimeInForce.GOOD_TIL_CANCELED


def test_direction_and_marketability() -> None:
    assert MarketOrder(spy(), 0, T0).direction == OrderDirection.HOLD
    assert MarketOrder(spy(), 1, T0).is_marketable
    assert not MarketOnOpenOrder(spy(), 1, T0).is_marketable
    limit = LimitOrder(spy(), 10, Decimal(101), T0)
    assert not limit.is_marketable  # no submission data
    limit.order_submission_data = OrderSubmissionData(Decimal(99), Decimal(100), Decimal("99.5"))
    assert limit.is_marketable  # buy limit at or above the ask
    limit.limit_price_exact = Decimal("99.99")
    assert not limit.is_marketable
    sell = LimitOrder(spy(), -10, Decimal(99), T0)
    sell.order_submission_data = OrderSubmissionData(Decimal(99), Decimal(100), Decimal("99.5"))
    assert sell.is_marketable


def test_trailing_stop_overloads_tag_and_stop_updates() -> None:
    order = TrailingStopOrder(spy(), -10, Decimal("0.05"), True, T0)
    assert order.stop_price_exact == 0 and order.trailing_amount_exact == Decimal("0.05")
    order.price_currency = "USD"
    assert order.get_default_tag() == "Trailing Amount: 5.00%"
    dollars = TrailingStopOrder(spy(), -10, Decimal(95), Decimal("1.5"), False, T0)
    dollars.price_currency = "USD"
    assert dollars.stop_price_exact == 95 and dollars.get_default_tag() == "Trailing Amount: $1.5"
    updated, stop = TrailingStopOrder.try_update_stop_price(Decimal(100), Decimal(90), Decimal("0.05"), True,
                                                             OrderDirection.SELL)
    assert updated and stop == Decimal("95.00")
    assert TrailingStopOrder.try_update_stop_price(Decimal(100), Decimal(96), Decimal("0.05"), True,
                                                   OrderDirection.SELL) == (False, Decimal(0))


def test_apply_update_and_clone() -> None:
    order = StopLimitOrder(spy(), 10, Decimal(101), Decimal(102), T0, "a")
    order.id = 3
    order.broker_id.append("3")
    request = UpdateOrderRequest(T0, 3, UpdateOrderFields(quantity=20, limit_price=Decimal(103), tag="b"))
    order.apply_update_order_request(request)
    assert (order.quantity_exact, order.limit_price_exact, order.stop_price_exact, order.tag) == (20, 103, 101, "b")
    clone = order.clone()
    assert isinstance(clone, StopLimitOrder) and clone is not order
    assert (clone.id, clone.quantity_exact, clone.limit_price_exact, clone.stop_price_exact, clone.tag) == (
        3, 20, 103, 101, "b")
    clone.broker_id.append("x")
    assert order.broker_id == ["3"]
    with pytest.raises(ValueError):
        order.apply_update_order_request(UpdateOrderRequest(T0, 4, UpdateOrderFields(quantity=1)))
    assert request.order_request_type == OrderRequestType.UPDATE
    assert not request.is_allowed_for_closed_order()
    assert UpdateOrderRequest(T0, 3, UpdateOrderFields(tag="only tag")).is_allowed_for_closed_order()


def test_order_strings() -> None:
    order = LimitOrder(spy(), 688, Decimal("144.781724"), T0, "my tag")
    order.id = 1
    order.broker_id.append("1")
    order.status = OrderStatus.PARTIALLY_FILLED
    order.price_currency = "USD"
    assert str(order) == ("OrderId: 1 (BrokerId: 1) PartiallyFilled Limit order for 688 units of SPY: my tag "
                          "at limit $144.7817")
    moo = MarketOnOpenOrder(spy(), 1, T0)
    assert "New MarketOnOpen order for 1 unit of SPY" not in str(moo)
    assert "None MarketOnOpen order for 1 unit of SPY" in str(moo)


def test_get_value_uses_security_price() -> None:
    class _Security:
        price = Decimal(100)

    assert MarketOrder(spy(), 3, T0).get_value_exact(_Security()) == 300
    assert LimitOrder(spy(), 3, Decimal(90), T0).get_value_exact(_Security()) == 270
    assert LimitOrder(spy(), -3, Decimal(90), T0).get_value_exact(_Security()) == -300


def test_combo_orders_share_group_quantity() -> None:
    manager = GroupOrderManager(1, 2, Decimal(10), Decimal("1.5"))
    leg1 = ComboMarketOrder(spy(), Decimal(10), T0, manager)
    leg2 = ComboLegLimitOrder(spy(), Decimal(-20), Decimal(3), T0, manager)
    leg1.id, leg2.id = 11, 12
    assert list(manager.order_ids) == [11, 12]
    assert leg1.quantity_exact == 10 and leg2.quantity_exact == -20
    manager.quantity_exact = Decimal(5)  # the group quantity scales every leg
    assert leg1.quantity_exact == 5 and leg2.quantity_exact == -10
    assert leg1.is_marketable and leg1.type == OrderType.COMBO_MARKET
    assert manager.direction == OrderDirection.BUY


def test_order_event_from_order_and_normalization() -> None:
    order = LimitOrder(spy(), Decimal("688.0"), Decimal("144.5"), T0)
    order.id = 1
    order.status = OrderStatus.FILLED
    order.price_currency = "USD"
    event = OrderEvent(order, T0, _Fee(Decimal("3.44"), "USD"), "msg")
    assert (event.order_id, event.symbol, event.status, event.direction) == (1, order.symbol, OrderStatus.FILLED,
                                                                            OrderDirection.BUY)
    assert event.fill_price_exact == 0 and event.fill_quantity_exact == 0 and event.fill_price_currency == "USD"
    event.fill_price_exact = Decimal("144.7817241700000")
    event.fill_quantity_exact = Decimal("688.00")
    assert str(event.fill_price_exact) == "144.78172417" and str(event.fill_quantity_exact) == "688"
    event.limit_price_exact = Decimal("144.50")
    event.limit_price_exact = None  # None never overwrites
    assert event.limit_price_exact == Decimal("144.5") and event.stop_price_exact is None
    event.id = 2
    assert str(event) == ("Time: 10/07/2013 13:31:00 OrderID: 1 EventID: 2 Symbol: SPY Status: Filled Quantity: 688 "
                          "FillQuantity: 688 FillPrice: $144.7817 LimitPrice: $144.5 OrderFee: 3.44 USD Message: msg")
    assert event.short_to_string().startswith("10/07/2013 13:31:00 OID:1 SPY Filled Q:688 FQ:688 FP:$144.7817")


def test_order_event_explicit_constructor() -> None:
    event = OrderEvent(5, spy(), T0, OrderStatus.PARTIALLY_FILLED, OrderDirection.SELL, Decimal("10.50"),
                       Decimal(-3), _Fee(Decimal(0), "QCC"))
    assert event.fill_price_exact == Decimal("10.5") and event.fill_quantity_exact == -3
    assert event.absolute_fill_quantity_exact == 3 and event.message == "" and event.fill_price_currency == ""
    assert event.clone() is not event


def test_requests_and_responses() -> None:
    request = SubmitOrderRequest(OrderType.LIMIT, SecurityType.EQUITY, spy(), 10, 0, Decimal(100), T0, "t")
    assert request.order_id == int(OrderResponseErrorCode.UNABLE_TO_FIND_ORDER)
    assert request.status == OrderRequestStatus.UNPROCESSED and request.response is OrderResponse.UNPROCESSED
    assert not request.response.is_processed
    assert request.limit_price_exact == 100 and request.trigger_price_exact == 0 and not request.asynchronous
    request.set_order_id(1)
    request.set_response(OrderResponse.success(request), OrderRequestStatus.PROCESSED)
    assert request.status == OrderRequestStatus.PROCESSED and request.response.is_success
    error = OrderResponse.zero_quantity(request)
    request.set_response(error, OrderRequestStatus.PROCESSED)
    assert request.status == OrderRequestStatus.ERROR and error.is_error
    assert error.error_message == "Unable to submit order with id 1 that has zero quantity."
    assert str(error) == "Error: OrderQuantityZero - Unable to submit order with id 1 that has zero quantity."
    assert OrderResponse.warming_up(request).error_code == OrderResponseErrorCode.ALGORITHM_WARMING_UP
    cancel = CancelOrderRequest(T0, 1, "bye")
    assert cancel.order_request_type == OrderRequestType.CANCEL
    assert str(cancel) == "10/07/2013 13:31:00 UTC: Cancel Order: (1) - bye Status: Unprocessed"
    with_trigger = SubmitOrderRequest(OrderType.LIMIT_IF_TOUCHED, SecurityType.EQUITY, spy(), 1, 0, 2, 3, T0, "")
    assert with_trigger.trigger_price_exact == 3 and with_trigger.time == T0


def test_properties_and_time_in_force() -> None:
    properties = OrderProperties()
    assert properties.time_in_force is TimeInForce.GOOD_TIL_CANCELED
    properties.time_in_force = TimeInForce.DAY
    clone = properties.clone()
    assert clone is not properties and clone.time_in_force == TimeInForce.DAY
    gtd = TimeInForce.good_til_date(date(2013, 10, 10))
    assert gtd.expiry == datetime(2013, 10, 10)
    assert TimeInForce.GOOD_TIL_DATE(datetime(2013, 10, 10)) == gtd
