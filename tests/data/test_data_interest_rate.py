from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lean_local.data import _decimal as cs
from lean_local.data.errors import MissingDataError
from lean_local.data.interest_rate import DEFAULT_RISK_FREE_RATE, InterestRateProvider
from lean_local.data.paths import DataFolder


@pytest.fixture(scope="module")
def rates(data_folder: DataFolder) -> InterestRateProvider:
    return InterestRateProvider.from_data_folder(data_folder)


def test_rates(rates: InterestRateProvider) -> None:
    assert rates.get_interest_rate(date(2013, 10, 7)) == Decimal("0.0075")
    assert str(rates.get_interest_rate(date(2013, 10, 7))) == "0.0075"
    # before the first row (2003-01-09): the first row's rate, 2.25 %
    assert rates.get_interest_rate(date(2003, 1, 8)) == Decimal("0.0225")
    assert rates.get_interest_rate(date(1995, 1, 1)) == Decimal("0.0225")
    assert rates.get_interest_rate(date(2003, 6, 25)) == Decimal("0.0225")
    assert str(rates.get_interest_rate(date(2003, 6, 26))) == "0.02"  # "2.00" / 100
    assert rates.get_interest_rate(datetime(2013, 10, 7, 23, 59)) == Decimal("0.0075")
    assert rates.get_interest_rate(date(2040, 1, 1)) == rates.get_interest_rate(date(2023, 7, 27))
    assert not rates.is_default


def test_average(rates: InterestRateProvider) -> None:
    samples = [datetime(2013, 10, 7) + timedelta(days=i) for i in range(5)] + [datetime(2013, 10, 11, 16)]
    assert rates.average_risk_free_rate(samples) == Decimal("0.0075")
    assert rates.risk_free_rate_for([]) == 0
    mixed = rates.average_risk_free_rate([date(2003, 1, 8), date(2003, 1, 9), date(2003, 6, 26)])
    assert str(mixed) == "0.0216666666666666666666666667"
    assert rates.risk_free_rate(date(2013, 10, 7), date(2013, 10, 11)) == Decimal("0.0075")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError, match="interest-rate.csv"):
        InterestRateProvider(tmp_path / "interest-rate.csv")
    default = InterestRateProvider(tmp_path / "interest-rate.csv", required=False)
    assert default.is_default and default.get_interest_rate(date(2013, 10, 7)) == DEFAULT_RISK_FREE_RATE


def test_csharp_decimal_division() -> None:
    assert str(cs.div(Decimal(1), Decimal(3))) == "0.3333333333333333333333333333"
    assert str(cs.div(Decimal(10), Decimal(3))) == "3.3333333333333333333333333333"
    assert str(cs.div(Decimal(100), Decimal(3))) == "33.333333333333333333333333333"
    assert str(cs.div(Decimal(10), Decimal("0.5"))) == "20"
    assert str(cs.div(Decimal("1.000"), Decimal(1))) == "1.000"
    assert str(cs.div(Decimal("0.75"), Decimal(100))) == "0.0075"
    assert str(cs.mul(Decimal("645.57"), Decimal("0.9944457378078429901713505532"))) == "641.98433495660919916491877663"  # 29 digits fit, exact has 33
    with pytest.raises(ZeroDivisionError):
        cs.div(Decimal(1), Decimal(0))
