"""Splits, dividends, rename and delisting: factor and map files as LEAN writes them, raw prices as LEAN's."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from synthetic_helpers import adjusted_closes, daily_by_date, factor_rows, map_rows, read_bars

from lean_local.synthetic import MarketManifest, SplitSpec, SyntheticTicker, calendar, generate_market


def _d(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def test_default_universe_has_every_kind_of_event(small_market: MarketManifest) -> None:
    ratios = sorted(s.ratio for t in small_market.tickers for s in t.splits)
    assert ratios == [2, 3]
    assert sum(1 for t in small_market.tickers if t.dividends) >= 4
    assert [t.ticker for t in small_market.tickers if t.renamed_from] == ["SYNCLD"]
    assert [t.ticker for t in small_market.tickers if t.delisted] == ["SYNGAS"]
    assert small_market.ticker("SYNNET").ticker == "SYNCLD"


@pytest.mark.parametrize("ticker", ["SYNCHP", "SYNSFT"])
def test_split_in_factor_file_and_raw_prices(small_market: MarketManifest, small_root: Path, ticker: str) -> None:
    record = small_market.ticker(ticker)
    (split,) = record.splits
    rows = factor_rows(small_root, ticker)
    by_date = {_d(r[0]): r for r in rows}
    row = by_date[split.factor_date]
    assert split.factor_date == calendar.previous_trading_day(split.ex_date)
    assert Decimal(row[2]) == pytest.approx(Decimal(1) / split.ratio * Decimal(next(
        r for r in rows if _d(r[0]) > split.factor_date)[2]), abs=Decimal("1e-8"))
    assert row[2] == {2: "0.5", 3: "0.33333333"}[split.ratio]
    assert row[3] == split.reference_price

    daily = daily_by_date(small_root, ticker)
    before, after = daily[split.factor_date], daily[split.ex_date]
    assert Decimal(int(before[3])) / 10_000 == Decimal(split.reference_price)
    jump = before[3] / after[0]  # raw close before / raw open on the ex-date
    assert jump == pytest.approx(split.ratio, rel=0.12)
    # adjusted prices are continuous across the split
    days, adjusted = adjusted_closes(small_root, ticker)
    i = days.index(split.ex_date)
    assert abs(np.log(adjusted[i] / adjusted[i - 1])) < 0.15
    # volume is in shares: more shares trade after the split
    volumes = np.array([daily[d][4] for d in days])
    assert np.median(volumes[i : i + 60]) > 1.3 * np.median(volumes[max(0, i - 60) : i])


def test_dividends_in_factor_file(small_market: MarketManifest, small_root: Path) -> None:
    record = small_market.ticker("SYNBNK")
    assert len(record.dividends) == 8  # quarterly over two years
    rows = factor_rows(small_root, "SYNBNK")
    dates = [_d(r[0]) for r in rows]
    daily = daily_by_date(small_root, "SYNBNK")
    for dividend in record.dividends:
        i = dates.index(dividend.factor_date)
        this, following = rows[i], rows[i + 1]
        reference = Decimal(this[3])
        assert reference == Decimal(int(daily[dividend.factor_date][3])) / 10_000
        # LEAN recovers the distribution as reference * (1 - pf_i / pf_i+1), rounded to cents
        recovered = (reference - reference * Decimal(this[1]) / Decimal(following[1])).quantize(Decimal("0.01"))
        assert recovered == Decimal(dividend.amount)
        assert float(Decimal(dividend.amount) / reference) == pytest.approx(0.03 / 4, rel=0.5)
        # the raw price drops by the distribution (on top of that day's return)
        assert daily[dividend.ex_date][0] / 10_000 < float(reference) * 1.1
    assert Decimal(rows[0][1]) < 1 and rows[-2][1] != "1"


def test_factor_file_number_formats(small_market: MarketManifest, small_root: Path) -> None:
    for record in small_market.tickers:
        rows = factor_rows(small_root, record.ticker)
        assert rows[-1] == ["20501231", "1", "1", "0"]
        assert _d(rows[0][0]) == record.first_date and rows[0][3] == "1"
        dates = [_d(r[0]) for r in rows]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        for r in rows[:-1]:
            assert re.fullmatch(r"1|0\.\d{7}", r[1]), r
            assert re.fullmatch(r"1|0\.\d{1,8}", r[2]), r
            assert re.fullmatch(r"\d+(\.\d{1,4})?", r[3]) and not r[3].endswith("0") or r[3] == "1", r
            assert calendar.is_trading_day(_d(r[0]))
        if not record.splits and not record.dividends:
            assert rows == [[f"{record.first_date:%Y%m%d}", "1", "1", "1"], ["20501231", "1", "1", "0"]]


def test_adjusted_returns_follow_the_model(long_daily_market: MarketManifest) -> None:
    """Dividends drop raw prices but not LEAN-adjusted ones: adjusted daily returns show no ex-date gaps."""
    root = long_daily_market.root
    record = long_daily_market.ticker("SYNOIL")
    days, adjusted = adjusted_closes(root, "SYNOIL")
    returns = np.diff(np.log(adjusted))
    ex_positions = [days.index(d.ex_date) - 1 for d in record.dividends]
    others = np.delete(returns, ex_positions)
    assert abs(returns[ex_positions].mean() - others.mean()) < 3 * others.std() / np.sqrt(len(ex_positions))


def test_rename_map_file_and_data_split(small_market: MarketManifest, small_root: Path) -> None:
    record = small_market.ticker("SYNCLD")
    assert record.renamed_from == "SYNNET" and record.rename_date is not None
    last_old = calendar.previous_trading_day(record.rename_date)
    assert map_rows(small_root, "SYNCLD") == [
        [f"{record.first_date:%Y%m%d}", "synnet", "Q"],
        [f"{last_old:%Y%m%d}", "synnet", "Q"],
        ["20501231", "syncld", "Q"],
    ]
    assert not (small_root / "equity/usa/map_files/synnet.csv").exists()
    old_days = sorted(daily_by_date(small_root, "SYNNET"))
    new_days = sorted(daily_by_date(small_root, "SYNCLD"))
    assert old_days[0] == record.first_date and old_days[-1] == last_old
    assert new_days[0] == record.rename_date and new_days[-1] == record.last_date
    old_close = daily_by_date(small_root, "SYNNET")[last_old][3]
    new_open = daily_by_date(small_root, "SYNCLD")[record.rename_date][0]
    assert new_open / old_close == pytest.approx(1.0, abs=0.15)  # one continuous security
    for day in small_market.minute_dates:
        assert (small_root / f"equity/usa/minute/syncld/{day:%Y%m%d}_trade.zip").exists()
    assert not (small_root / "equity/usa/minute/synnet").exists()


def test_delisted_map_file_ends_at_delisting(small_market: MarketManifest, small_root: Path) -> None:
    record = small_market.ticker("SYNGAS")
    assert record.delisted is not None and record.delisted < small_market.last_trading_day
    rows = map_rows(small_root, "SYNGAS")
    assert rows[-1] == [f"{record.delisted:%Y%m%d}", "syngas", "N"]
    days = sorted(daily_by_date(small_root, "SYNGAS"))
    assert days[-1] == record.delisted == record.last_date
    hour_labels, _ = read_bars(small_root / "equity/usa/hour/syngas.zip")
    assert hour_labels[-1].startswith(f"{record.delisted:%Y%m%d}")
    assert not (small_root / "equity/usa/minute/syngas").exists()  # minute days come after the delisting
    assert factor_rows(small_root, "SYNGAS")[-1] == ["20501231", "1", "1", "0"]


def test_late_listing(small_market: MarketManifest, small_root: Path) -> None:
    record = small_market.ticker("SYNPAY")
    assert record.first_date > small_market.first_trading_day
    assert sorted(daily_by_date(small_root, "SYNPAY"))[0] == record.first_date
    assert map_rows(small_root, "SYNPAY")[0][0] == f"{record.first_date:%Y%m%d}"


def test_custom_universe_with_dated_events(tmp_path: Path) -> None:
    ticker = SyntheticTicker(
        "SYNXYZ", "Synthetic Test Co", "Technology", start_price=300.0, annual_vol=0.3,
        dividend_yield=0.02, splits=(SplitSpec(date(2021, 6, 12), 4),),  # a Saturday: moves to Monday
    )
    manifest = generate_market(
        tmp_path / "m", tickers=[ticker], start=date(2021, 1, 4), end=date(2021, 12, 31), resolutions=("daily",)
    )
    (record,) = manifest.tickers
    (split,) = record.splits
    assert split.ex_date == date(2021, 6, 14) and split.factor_date == date(2021, 6, 11)
    assert split.split_factor == "0.25"
    rows = factor_rows(tmp_path / "m", "SYNXYZ")
    assert [r[2] for r in rows if _d(r[0]) <= split.factor_date] == ["0.25"] * sum(
        1 for r in rows if _d(r[0]) <= split.factor_date
    )
