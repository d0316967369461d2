"""Order tickets end to end on LEAN's SPY minute sample data: submit/update/cancel timing and events, closed-order
rules, asynchronous market orders, time in force, MOO/MOC submission rules and price rounding.

LEAN backtests process a submission at once but apply update and cancel requests at the end of the time step
(or at the next submission); the tests pin that down together with LEAN's response codes and messages.
"""
from __future__ import annotations

import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lean_local.enums import OrderResponseErrorCode, OrderStatus, OrderType
from lean_local.orders.properties import TimeInForce

from orders_testkit import quote_closes, trade_bar

OCT7, OCT8 = date(2013, 10, 7), date(2013, 10, 8)

HEADER = """
from AlgorithmImports import *


class Scenario(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date({end})
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE{extra}).symbol
        self.events = []
        self.notes = {{}}
{init}

    def on_order_event(self, order_event):
        self.events.append((str(self.time), order_event.order_id, order_event.status, order_event.message,
                            order_event.fill_price, order_event.quantity))

    def at(self, hour, minute, day=7):
        return (self.time.day, self.time.hour, self.time.minute) == (day, hour, minute)
"""


def run(tmp_path: Path, lean_data: Path, body: str, end: str = "2013, 10, 7", extra: str = "", init: str = "",
        module: str = "") -> Any:
    """Run ``Scenario`` with ``body`` as its methods; ``init`` joins initialize(), ``module`` follows the class."""
    from lean_local.runner import run_backtest

    init_lines = textwrap.indent(textwrap.dedent(init), " " * 8)
    source = (HEADER.format(end=end, extra=extra, init=init_lines) + textwrap.indent(textwrap.dedent(body), "    ")
              + "\n\n" + textwrap.dedent(module))
    path = tmp_path / "main.py"
    path.write_text(source, encoding="utf-8")
    result = run_backtest(path, data_folder=lean_data, write_output=False)
    assert result.status == "Completed", result.runtime_error + result.stack_trace
    return result


def statuses(algorithm: Any, order_id: int) -> list[tuple[str, OrderStatus]]:
    return [(time[11:16], status) for time, oid, status, *_ in algorithm.events if oid == order_id]


def test_updates_and_cancels_apply_at_the_end_of_the_time_step(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(10, 0):
                price = self.securities[self.spy].price
                self.ticket = self.limit_order(self.spy, 10, price * 0.9)
                self.notes["submitted"] = self.ticket.status
                fields = UpdateOrderFields()
                fields.limit_price = price * 0.95
                fields.tag = "moved"
                self.notes["update"] = self.ticket.update(fields)
                self.notes["limit_before"] = self.ticket.get(OrderField.LIMIT_PRICE)
                self.notes["target"] = price * 0.95
            elif self.at(10, 1):
                self.notes["limit_after"] = self.ticket.get(OrderField.LIMIT_PRICE)
                self.notes["tag_after"] = self.ticket.tag
            elif self.at(10, 5):
                self.notes["cancel"] = self.ticket.cancel("done")
                self.notes["status_after_cancel"] = self.ticket.status
                self.notes["second_cancel"] = self.ticket.cancel("again")
            elif self.at(10, 6):
                self.notes["final"] = self.ticket.status
                self.notes["late_cancel"] = self.transactions.cancel_order(self.ticket.order_id, "late")
    """)
    algorithm = result.engine.algorithm
    notes = algorithm.notes
    assert notes["submitted"] == OrderStatus.SUBMITTED
    update = notes["update"]
    assert update.is_success and notes["limit_before"] == pytest.approx(notes["target"] / 0.95 * 0.9)
    assert notes["limit_after"] == notes["target"] and notes["tag_after"] == "moved"
    assert notes["cancel"].is_success and notes["status_after_cancel"] == OrderStatus.CANCEL_PENDING
    second = notes["second_cancel"]
    assert second.error_code == OrderResponseErrorCode.REQUEST_CANCELED
    assert second.error_message == "Order 1 has already received a cancellation request."
    assert notes["final"] == OrderStatus.CANCELED
    assert statuses(algorithm, 1) == [
        ("10:00", OrderStatus.SUBMITTED), ("10:00", OrderStatus.UPDATE_SUBMITTED),
        ("10:05", OrderStatus.CANCEL_PENDING), ("10:05", OrderStatus.CANCELED),
    ]
    # a further cancel is refused before it can re-tag the order; the ticket keeps the first cancel request
    assert notes["late_cancel"].cancel_request.tag == "done"
    order = algorithm.transactions.get_order_by_id(1)
    assert order.tag == "done" and order.status == OrderStatus.CANCELED
    assert order.canceled_time == datetime(2013, 10, 7, 14, 5) and order.last_update_time == datetime(2013, 10, 7, 14, 0)
    assert order.broker_id == ["1"]


def test_closed_orders_accept_tag_updates_only(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(10, 0):
                self.ticket = self.market_order(self.spy, 10)
                self.notes["quantity"] = self.ticket.update_quantity(20)
                self.notes["tag"] = self.ticket.update_tag("renamed")
                self.notes["cancel"] = self.ticket.cancel()
    """)
    notes = result.engine.algorithm.notes
    refused = notes["quantity"]
    assert refused.error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS
    assert refused.error_message == "Unable to update order with id 1 because it already has Filled status."
    assert notes["tag"].is_success
    assert notes["cancel"].error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS
    order = result.engine.algorithm.transactions.get_order_by_id(1)
    assert order.tag == "renamed" and order.quantity == 10 and order.status == OrderStatus.FILLED


def test_market_orders_fill_before_returning_even_when_asynchronous(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(9, 31):
                sync = self.market_order(self.spy, 10)
                later = self.market_order(self.spy, 10, asynchronous=True)
                self.notes["statuses"] = (sync.status, later.status, later.submit_request.asynchronous)
                self.notes["cancel"] = later.cancel("Attempt to cancel async order")
                self.notes["fill"] = later.average_fill_price
    """)
    algorithm = result.engine.algorithm
    assert algorithm.notes["statuses"] == (OrderStatus.FILLED, OrderStatus.FILLED, True)
    cancel = algorithm.notes["cancel"]
    assert cancel.error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS
    _, ask = quote_closes(lean_data, OCT7, "09:30")
    assert Decimal(str(algorithm.notes["fill"])) == ask.normalize()
    # LEAN tags the order with the cancel reason even though the order could not be canceled
    assert algorithm.transactions.get_order_by_id(2).tag == "Attempt to cancel async order"


def test_time_in_force_day_and_good_til_date_expire_at_the_close(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, end="2013, 10, 9", body="""
        def on_data(self, data):
            if self.at(10, 0):
                low = self.securities[self.spy].price * 0.5
                day = OrderProperties()
                day.time_in_force = TimeInForce.DAY
                until = OrderProperties()
                until.time_in_force = TimeInForce.GOOD_TIL_DATE(datetime(2013, 10, 8))
                self.limit_order(self.spy, 10, low, order_properties=day)
                self.limit_order(self.spy, 10, low, order_properties=until)
                self.limit_order(self.spy, 10, low)
    """)
    algorithm = result.engine.algorithm
    expired = [(time, oid, message) for time, oid, status, message, *_ in algorithm.events if status == OrderStatus.CANCELED]
    assert expired == [
        ("2013-10-07 16:00:00", 1, "The order has expired."),
        ("2013-10-08 16:00:00", 2, "The order has expired."),
    ]
    assert [o.id for o in algorithm.transactions.get_open_orders()] == [3]


def test_default_order_properties_apply_to_orders_placed_without_their_own(tmp_path: Path, lean_data: Path) -> None:
    # the algorithm starts with plain OrderProperties that can be changed in place; each order gets a copy
    result = run(tmp_path, lean_data, end="2013, 10, 8", body="""
        def on_data(self, data):
            if self.at(10, 0):
                low = self.securities[self.spy].price * 0.5
                self.limit_order(self.spy, 10, low)
                self.default_order_properties.time_in_force = TimeInForce.DAY
                self.limit_order(self.spy, 10, low)
                self.default_order_properties.time_in_force = TimeInForce.GOOD_TIL_CANCELED
    """)
    algorithm = result.engine.algorithm
    assert algorithm.transactions.get_order_by_id(1).time_in_force == TimeInForce.GOOD_TIL_CANCELED
    assert algorithm.transactions.get_order_by_id(2).time_in_force == TimeInForce.DAY
    assert [o.id for o in algorithm.transactions.get_open_orders()] == [1]


def test_market_on_close_submission_buffer_and_fill(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(15, 44):
                self.notes["ok"] = self.market_on_close_order(self.spy, 10)
            elif self.at(15, 45):
                self.notes["late"] = self.market_on_close_order(self.spy, 10)
    """)
    notes = result.engine.algorithm.notes
    assert notes["ok"].status == OrderStatus.FILLED and notes["ok"].order_type == OrderType.MARKET_ON_CLOSE
    *_, close = trade_bar(lean_data, OCT7, "15:59")
    assert Decimal(str(notes["ok"].average_fill_price)) == close.normalize()
    late = notes["late"]
    # refused by the pre-order checks: no order id is assigned (LEAN leaves the request's -10)
    assert late.status == OrderStatus.INVALID and late.order_id == -10
    response = late.submit_request.response
    assert response.error_code == OrderResponseErrorCode.MARKET_ON_CLOSE_ORDER_TOO_LATE
    assert response.error_message.startswith("MarketOnClose orders must be placed within 00:15:30 before market close.")
    assert result.engine.transaction_handler.total_order_count == 1  # refused before reaching the handler


def test_market_on_close_buffer_is_configurable(tmp_path: Path, lean_data: Path) -> None:
    from lean_local.orders.order import MarketOnCloseOrder

    try:
        result = run(tmp_path, lean_data, """
            def on_data(self, data):
                MarketOnCloseOrder.submission_time_buffer = timedelta(minutes=5)
                if self.at(15, 55):
                    self.notes["ok"] = self.market_on_close_order(self.spy, 10)
                elif self.at(15, 56):
                    self.notes["late"] = self.market_on_close_order(self.spy, 10)
        """)
    finally:
        MarketOnCloseOrder.submission_time_buffer = MarketOnCloseOrder.DEFAULT_SUBMISSION_TIME_BUFFER
    notes = result.engine.algorithm.notes
    assert notes["ok"].status == OrderStatus.FILLED
    assert notes["late"].submit_request.response.error_message.startswith("MarketOnClose orders must be placed within 00:05:00")


def test_market_on_open_rules(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, end="2013, 10, 8", body="""
        def on_data(self, data):
            if self.at(10, 0):
                self.notes["during"] = self.market_on_open_order(self.spy, 10)
            elif self.at(15, 59):
                self.schedule.on(self.date_rules.today, self.time_rules.at(17, 0), self.after_close)

        def after_close(self):
            self.notes["converted"] = self.market_order(self.spy, 10)
            self.notes["converted_status"] = self.notes["converted"].status
    """)
    notes = result.engine.algorithm.notes
    during = notes["during"].submit_request.response
    assert during.error_code == OrderResponseErrorCode.MARKET_ON_OPEN_NOT_ALLOWED_DURING_REGULAR_HOURS
    assert during.error_message == "Cannot submit a MarketOnOpen order while the market is open."
    converted = notes["converted"]
    assert converted.order_type == OrderType.MARKET_ON_OPEN and notes["converted_status"] == OrderStatus.SUBMITTED
    opened, *_ = trade_bar(lean_data, OCT8, "09:30")
    assert converted.status == OrderStatus.FILLED
    assert Decimal(str(converted.average_fill_price)) == opened.normalize()


def test_prices_round_to_the_tick_only_on_raw_data(tmp_path: Path, lean_data: Path) -> None:
    body = """
        def on_data(self, data):
            if self.at(10, 0):
                self.ticket = self.limit_order(self.spy, 10, 100.123456)
    """
    raw = run(tmp_path, lean_data, body, extra=", data_normalization_mode=DataNormalizationMode.RAW")
    order = raw.engine.algorithm.transactions.get_order_by_id(1)
    assert order.limit_price_exact == Decimal("100.12")
    warnings = [e.message for e in raw.engine.logs if e.kind == "error"]
    assert warnings == ["Warning: To meet brokerage precision requirements, order LimitPrice was rounded to 100.12 "
                        "from 100.123456"]
    adjusted = run(tmp_path, lean_data, body)
    assert adjusted.engine.algorithm.transactions.get_order_by_id(1).limit_price_exact == Decimal("100.123456")


def test_ticket_fields_follow_the_order_type(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if not self.at(10, 0):
                return
            limit = self.limit_order(self.spy, 10, 100)
            trailing = self.trailing_stop_order(self.spy, -10, 0.01, True)
            try:
                limit.get(OrderField.STOP_PRICE)
            except ValueError as error:
                self.notes["error"] = str(error)
            self.notes["trailing"] = (trailing.get(OrderField.STOP_PRICE), trailing.get(OrderField.TRAILING_AMOUNT),
                                      trailing.get(OrderField.TRAILING_AS_PERCENTAGE), self.securities[self.spy].price)
    """)
    notes = result.engine.algorithm.notes
    assert notes["error"] == "Unable to get field StopPrice on order of type Limit"
    stop, amount, as_percentage, price = notes["trailing"]
    assert (amount, as_percentage) == (0.01, True) and stop == pytest.approx(price * 0.99)


def test_cancel_open_orders_tags_every_order_with_the_time(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(10, 0):
                self.limit_order(self.spy, 10, 1)
                self.stop_market_order(self.spy, -10, 1)
                self.notes["canceled"] = [t.order_id for t in self.transactions.cancel_open_orders()]
                self.notes["open_now"] = len(self.transactions.get_open_orders())
            elif self.at(10, 1):
                self.notes["open_later"] = len(self.transactions.get_open_orders())
    """)
    algorithm = result.engine.algorithm
    assert algorithm.notes == {"canceled": [1, 2], "open_now": 2, "open_later": 0}
    tags = {o.tag for o in algorithm.transactions.get_orders()}
    assert tags == {"Canceled by CancelOpenOrders() at 2013-10-07T14:00:00.0000000Z"}


def test_orders_beyond_buying_power_are_invalid(tmp_path: Path, lean_data: Path) -> None:
    result = run(tmp_path, lean_data, """
        def on_data(self, data):
            if self.at(10, 0):
                self.notes["ticket"] = self.market_order(self.spy, 100000)
    """)
    ticket = result.engine.algorithm.notes["ticket"]
    assert ticket.status == OrderStatus.INVALID
    response = ticket.submit_request.response
    assert response.error_code == OrderResponseErrorCode.INSUFFICIENT_BUYING_POWER
    assert response.error_message.startswith("Order Error: ids: [1], Insufficient buying power to complete orders (Value:[")
    assert "Reason: Id: 1, Initial Margin: " in response.error_message
    assert ticket.order_events[-1].message == response.error_message



def test_brokerage_model_refusals(tmp_path: Path, lean_data: Path) -> None:
    """A model that refuses stop orders and every update: LEAN's codes, messages and events."""
    result = run(tmp_path, lean_data, init="self.set_brokerage_model(Strict())", body="""
        def on_data(self, data):
            if self.at(10, 0):
                self.notes["stop"] = self.stop_market_order(self.spy, 10, 1000)
                self.notes["limit"] = self.limit_order(self.spy, 10, 1)
                self.notes["update"] = self.notes["limit"].update_limit_price(2)
            elif self.at(10, 1):
                self.notes["limit_price"] = self.notes["limit"].get(OrderField.LIMIT_PRICE)
    """, module="""
        class Strict(DefaultBrokerageModel):
            def can_submit_order(self, security, order):
                return order.type != OrderType.STOP_MARKET, None

            def can_update_order(self, security, order, request):
                return False
    """)
    algorithm = result.engine.algorithm
    notes = algorithm.notes
    stop = notes["stop"]
    assert stop.status == OrderStatus.INVALID
    assert stop.submit_request.response.error_code == OrderResponseErrorCode.BROKERAGE_MODEL_REFUSED_TO_SUBMIT_ORDER
    assert stop.submit_request.response.error_message == (
        "BrokerageModel declared unable to submit order: [1] Warning - Code: InvalidOrder - ")
    # the update was accepted for processing, then refused when processed at the end of the step
    assert notes["update"].is_success
    update = notes["limit"].update_requests[0].response
    assert update.error_code == OrderResponseErrorCode.BROKERAGE_MODEL_REFUSED_TO_UPDATE_ORDER
    assert update.error_message == ("OrderID: 2 Warning - Code: InvalidRequest - BrokerageModel declared unable to "
                                    "update order: 2")
    assert notes["limit_price"] == 1
    messages = [(oid, status, message) for _, oid, status, message, *_ in algorithm.events]
    assert messages == [
        (1, OrderStatus.INVALID, "BrokerageModel declared unable to submit order: [1] Warning - Code: InvalidOrder - "),
        (2, OrderStatus.SUBMITTED, ""),
        (2, OrderStatus.SUBMITTED, "BrokerageModel declared unable to update order"),
    ]
