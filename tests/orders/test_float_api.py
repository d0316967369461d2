"""The order model's user-facing contract: LEAN's Python names read as floats (pythonnet turns C# decimals into
floats), the engine's exact Decimals are the ``*_exact`` members, and setters accept float, int or Decimal."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lean_local.csharp import to_decimal
from lean_local.enums import OrderDirection, OrderStatus, OrderType, SecurityType
from lean_local.orders import (
    ComboLegLimitOrder,
    GroupOrderManager,
    LimitIfTouchedOrder,
    LimitOrder,
    MarketOrder,
    Order,
    OrderEvent,
    OrderSubmissionData,
    StopLimitOrder,
    StopMarketOrder,
    SubmitOrderRequest,
    TrailingStopOrder,
    UpdateOrderFields,
    UpdateOrderRequest,
)
from lean_local.orders.fees import CashAmount, OrderFee
from lean_local.orders.serialization import order_to_json
from lean_local.securities.symbol import Symbol

T0 = datetime(2013, 10, 7, 13, 31)
LEAN_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "lean-data"


def spy() -> Symbol:
    return Symbol.create("SPY", SecurityType.EQUITY, "usa")


def _is_float(*values: Any) -> bool:
    return all(type(value) is float for value in values)


def _is_decimal(*values: Any) -> bool:
    return all(type(value) is Decimal for value in values)


def test_order_members_are_floats_with_exact_decimals() -> None:
    order = MarketOrder(spy(), Decimal("688.000"), T0)
    order.price_exact = Decimal("144.7817241700000")
    assert _is_float(order.quantity, order.price, order.absolute_quantity, order.value)
    assert (order.quantity, order.price, order.absolute_quantity) == (688.0, 144.78172417, 688.0)
    assert order.value == pytest.approx(99609.82622896)
    assert _is_decimal(order.quantity_exact, order.price_exact, order.absolute_quantity_exact, order.value_exact)
    # exact members keep LEAN's normalisation (trailing zeros dropped) and the decimal scale of the product
    assert str(order.quantity_exact) == "688" and str(order.price_exact) == "144.78172417"
    assert str(order.value_exact) == "99609.82622896"

    class _Security:
        price = 100.0

    assert type(order.get_value(_Security())) is float and order.get_value(_Security()) == 68800.0
    assert order.get_value_exact(_Security()) == Decimal(68800) and _is_decimal(order.get_value_exact(_Security()))


@pytest.mark.parametrize(
    ("order", "names"),
    [
        (LimitOrder(spy(), -5, Decimal("100.250"), T0), ("limit_price",)),
        (StopMarketOrder(spy(), -5, Decimal("99.50"), T0), ("stop_price",)),
        (StopLimitOrder(spy(), 5, Decimal("101.5"), Decimal("102.25"), T0), ("stop_price", "limit_price")),
        (LimitIfTouchedOrder(spy(), 5, Decimal("99"), Decimal("98.5"), T0), ("trigger_price", "limit_price")),
        (TrailingStopOrder(spy(), -5, Decimal("95"), Decimal("0.05"), True, T0), ("stop_price", "trailing_amount")),
    ],
)
def test_order_type_prices_are_floats(order: Order, names: tuple[str, ...]) -> None:
    for name in names:
        exact = getattr(order, f"{name}_exact")
        assert _is_decimal(exact) and _is_float(getattr(order, name))
        assert getattr(order, name) == float(exact)
    assert _is_float(order.quantity) and np.sign(order.quantity) == (1.0 if order.quantity > 0 else -1.0)
    clone = order.clone()
    for name in names:  # clones copy the exact values, scale included
        assert str(getattr(clone, f"{name}_exact")) == str(getattr(order, f"{name}_exact"))


def test_order_price_setters_accept_float_int_and_decimal() -> None:
    order = LimitOrder(spy(), 10, Decimal("100.250"), T0)
    assert str(order.limit_price_exact) == "100.250"  # an order's limit price keeps the scale it was given
    order.limit_price = 0.1 + 0.2  # C# (decimal)double: 15 significant digits
    assert order.limit_price_exact == Decimal("0.3") and order.limit_price == 0.3
    order.limit_price = 101
    assert _is_decimal(order.limit_price_exact) and order.limit_price_exact == 101
    order.limit_price = Decimal("99.990")
    assert str(order.limit_price_exact) == "99.990"
    order.quantity = 12.0
    assert str(order.quantity_exact) == "12" and order.direction == OrderDirection.BUY
    order.price = 144.78000  # price and quantity are normalised on set, as before
    assert str(order.price_exact) == "144.78"
    order.price = Decimal("144.7817241700000")
    assert str(order.price_exact) == "144.78172417"


def test_group_order_manager_and_combo_legs() -> None:
    manager = GroupOrderManager(1, 2, Decimal(10), Decimal("1.50"))
    assert _is_float(manager.quantity, manager.limit_price, manager.absolute_quantity)
    assert (manager.quantity, manager.limit_price) == (10.0, 1.5)
    assert str(manager.limit_price_exact) == "1.50"
    leg = ComboLegLimitOrder(spy(), Decimal(-20), Decimal("3.25"), T0, manager)
    assert _is_float(leg.quantity, leg.limit_price) and (leg.quantity, leg.limit_price) == (-20.0, 3.25)
    manager.quantity = 5.0
    assert manager.quantity_exact == 5 and leg.quantity == -10.0 and leg.quantity_exact == -10


def test_submission_data_keeps_the_exact_scale() -> None:
    data = OrderSubmissionData(Decimal("144.77307790400"), Decimal("144.78172417000"), Decimal("144.77307790400"))
    assert _is_float(data.bid_price, data.ask_price, data.last_price)
    assert data.ask_price == 144.78172417
    assert str(data.bid_price_exact) == "144.77307790400" and str(data.ask_price_exact) == "144.78172417000"
    assert data.clone() == data
    order = MarketOrder(spy(), 688, T0)
    order.order_submission_data = data
    assert '"orderSubmissionData":{"bidPrice":144.77307790400,"askPrice":144.78172417000,' in order_to_json(order)


def test_order_event_floats_and_arithmetic() -> None:
    order = LimitOrder(spy(), -688, Decimal("144.50"), T0)
    order.id = 1
    order.status = OrderStatus.FILLED
    event = OrderEvent(order, T0, OrderFee(CashAmount(Decimal("3.440"), "USD")))
    event.fill_price_exact = Decimal("144.7817241700000")
    event.fill_quantity = -688.0
    event.limit_price_exact = order.limit_price_exact
    assert _is_float(event.fill_price, event.fill_quantity, event.absolute_fill_quantity, event.quantity,
                     event.limit_price, event.order_fee_amount)
    assert event.stop_price is None and event.trigger_price is None and event.trailing_amount is None
    # what algorithms do with these values
    assert event.fill_price * 1.01 == pytest.approx(146.2295414117)
    assert np.sign(order.quantity) == -1.0 and np.sign(event.fill_quantity) == -1.0
    assert event.fill_quantity * event.fill_price == pytest.approx(-99609.82622896)
    # exact counterparts, normalised like LEAN
    assert str(event.fill_price_exact) == "144.78172417" and str(event.fill_quantity_exact) == "-688"
    assert str(event.limit_price_exact) == "144.5" and event.absolute_fill_quantity_exact == 688
    assert event.order_fee_amount_exact == Decimal("3.440") and event.order_fee_amount == 3.44
    event.limit_price = None  # None never overwrites
    assert event.limit_price == 144.5
    event.stop_price = 143.25
    assert event.stop_price_exact == Decimal("143.25") and event.stop_price == 143.25


def test_requests_and_update_fields() -> None:
    request = SubmitOrderRequest(OrderType.LIMIT, SecurityType.EQUITY, spy(), 10, 0, 100.25, T0, "t")
    assert _is_float(request.quantity, request.stop_price, request.limit_price, request.trigger_price,
                     request.trailing_amount)
    assert request.limit_price == 100.25 and request.limit_price_exact == Decimal("100.25")
    assert request.quantity * 1.5 == 15.0

    fields = UpdateOrderFields()
    assert fields.limit_price is None and fields.limit_price_exact is None
    fields.limit_price = 0.1 + 0.2
    fields.quantity = 20
    assert fields.limit_price == 0.3 and fields.limit_price_exact == Decimal("0.3")
    assert _is_float(fields.quantity, fields.limit_price) and fields.stop_price is None
    update = UpdateOrderRequest(T0, 3, fields)
    assert _is_float(update.quantity, update.limit_price) and update.stop_price is None
    assert update.limit_price_exact == Decimal("0.3") and update.quantity_exact == 20
    assert "LimitPrice: 0.3" in str(update)
    order = LimitOrder(spy(), 10, Decimal(1), T0)
    order.id = 3
    order.apply_update_order_request(update)
    assert order.limit_price_exact == Decimal("0.3") and order.quantity_exact == 20


_ALGORITHM = '''
from AlgorithmImports import *
import numpy as np


class FloatApiAlgorithm(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.ticket = None
        self.new_limit = None
        self.response = None
        self.seen = []

    def on_data(self, data):
        price = self.securities[self.spy].price
        if self.ticket is None:
            self.ticket = self.limit_order(self.spy, 10, round(price * 0.9, 2))
        elif self.new_limit is None:
            fields = UpdateOrderFields()
            self.new_limit = price * 1.01
            fields.limit_price = self.new_limit
            fields.tag = "raised"
            self.response = self.ticket.update(fields)

    def on_order_event(self, order_event):
        order = self.transactions.get_order_by_id(order_event.order_id)
        self.seen.append({
            "status": order_event.status,
            "fill_price_x": order_event.fill_price * 1.01,
            "sign": np.sign(order.quantity),
            "limit_price": order_event.limit_price,
            "order_limit": order.limit_price * 1.0,
            "fill_quantity": order_event.fill_quantity,
        })
'''


@pytest.mark.skipif(not LEAN_DATA.is_dir(), reason="LEAN sample data (../shared/lean-data) not available")
def test_float_limit_price_update_through_a_ticket(tmp_path: Path) -> None:
    from lean_local.runner import run_backtest

    path = tmp_path / "main.py"
    path.write_text(_ALGORITHM, encoding="utf-8")
    result = run_backtest(path, data_folder=LEAN_DATA, write_output=False)
    assert result.status == "Completed", result.runtime_error
    assert result.engine is not None
    algorithm: Any = result.engine.algorithm
    assert algorithm.response.is_success
    assert type(algorithm.new_limit) is float

    order = algorithm.transactions.get_order_by_id(algorithm.ticket.order_id)
    # the float became a C# decimal (15 significant digits); SPY trades on adjusted prices, which have no tick in
    # LEAN (AdjustedPriceVariationModel), so the brokerage keeps that decimal as it is
    expected = to_decimal(algorithm.new_limit)
    assert expected != expected.quantize(Decimal("0.01"))
    assert order.limit_price_exact == expected and _is_decimal(order.limit_price_exact)
    assert order.limit_price == float(expected) and order.tag == "raised"
    assert order.status == OrderStatus.FILLED

    statuses = [record["status"] for record in algorithm.seen]
    assert statuses == [OrderStatus.SUBMITTED, OrderStatus.UPDATE_SUBMITTED, OrderStatus.FILLED]
    for record in algorithm.seen:
        assert all(type(record[key]) in (float, np.float64) for key in record if key != "status")
        assert record["sign"] == 1.0
    assert algorithm.seen[1]["limit_price"] == float(expected)
    filled = algorithm.seen[-1]
    assert filled["fill_quantity"] == 10.0 and 0 < filled["fill_price_x"] <= float(expected) * 1.01
