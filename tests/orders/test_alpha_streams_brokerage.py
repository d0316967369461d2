"""The Alpha Streams brokerage model: margin only, no equity leverage, IB-style equity fees, one basis point of slippage."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.brokerages import AlphaStreamsBrokerageModel, brokerage_model_for
from lean_local.enums import AccountType, BrokerageName
from lean_local.orders.fees import AlphaStreamsFeeModel, OrderFeeParameters
from lean_local.orders.fills import AlphaStreamsSlippageModel
from lean_local.orders.order import MarketOrder
from orders_testkit import EquityBench


def test_selected_by_name_and_refuses_cash_accounts() -> None:
    assert isinstance(brokerage_model_for(BrokerageName.ALPHA_STREAMS), AlphaStreamsBrokerageModel)
    with pytest.raises(ValueError):
        AlphaStreamsBrokerageModel(AccountType.CASH)


def test_equity_leverage_fees_and_slippage(lean_data: Path) -> None:
    bench = EquityBench(lean_data)
    bench.trade(datetime(2013, 10, 8, 9, 59), 100, 100, 100, 100)
    security = bench.security
    model = AlphaStreamsBrokerageModel()
    assert model.get_leverage(security) == 1

    def fee(quantity: int) -> Decimal:
        order = MarketOrder(security.symbol, quantity, bench.utc_now)
        return AlphaStreamsFeeModel().get_order_fee(OrderFeeParameters(security, order)).value.amount_exact

    assert fee(10) == 1  # the $1 minimum
    assert fee(1000) == 5  # half a cent a share
    slippage = AlphaStreamsSlippageModel().get_slippage_approximation(security, None)
    assert slippage == Decimal("0.01")
