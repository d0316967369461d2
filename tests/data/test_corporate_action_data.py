"""Split and dividend events: algorithms see floats (LEAN's decimals arrive in Python as floats), the engine keeps
the exact decimals for cash and holdings adjustments."""
from datetime import datetime
from decimal import Decimal

from lean_local.enums import SplitType
from lean_local.market_data import Dividend, Split


def test_dividend_fields_are_floats_for_algorithms() -> None:
    dividend = Dividend("SPY", datetime(2000, 3, 17), Decimal("0.37"), Decimal("146.5"))
    assert isinstance(dividend.distribution, float) and dividend.distribution == 0.37
    assert dividend.reference_price == 146.5
    assert dividend.distribution_exact == Decimal("0.37") and dividend.exact_value == Decimal("0.37")
    assert dividend.distribution * 100 == 37.0  # float arithmetic with algorithm floats works


def test_split_fields_are_floats_for_algorithms() -> None:
    split = Split("AAPL", datetime(2014, 6, 9), Decimal("645.57"), Decimal("0.142857"), SplitType.SPLIT_OCCURRED)
    assert isinstance(split.split_factor, float) and split.split_factor == 0.142857
    assert split.reference_price == 645.57
    assert split.split_factor_exact == Decimal("0.142857") and split.reference_price_exact == Decimal("645.57")
