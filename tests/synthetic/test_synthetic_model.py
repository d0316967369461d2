"""Statistical realism of the return model and correctness of the calendar rules."""
from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from synthetic_helpers import LEAN_DATA, adjusted_closes

from lean_local.synthetic import MarketManifest, calendar


def _returns(market: MarketManifest) -> dict[str, dict[date, float]]:
    out: dict[str, dict[date, float]] = {}
    for record in market.tickers:
        days, closes = adjusted_closes(market.root, record.ticker) if not record.renamed_from else (None, None)
        if days is None or closes is None:
            continue
        r = np.diff(np.log(closes))
        out[record.ticker] = dict(zip(days[1:], r))
    return out


def _acf(x: np.ndarray, lag: int) -> float:
    x = x - x.mean()
    return float((x[lag:] * x[:-lag]).sum() / (x * x).sum())


def test_volatility_clusters(long_daily_market: MarketManifest) -> None:
    returns = _returns(long_daily_market)
    spy = np.array(list(returns["SPY"].values()))
    squared = spy**2
    clustering = np.mean([_acf(squared, lag) for lag in range(1, 6)])
    rng = np.random.default_rng(0)
    shuffled = np.mean([_acf(rng.permutation(squared), lag) for lag in range(1, 6)])
    assert clustering > 0.08
    assert clustering > shuffled + 0.06
    # stocks cluster too (on average)
    stock_acf = [np.mean([_acf(np.array(list(r.values())) ** 2, lag) for lag in range(1, 6)])
                 for t, r in returns.items() if t != "SPY"]
    assert np.mean(stock_acf) > 0.03


def test_fat_tails_and_volatility_levels(long_daily_market: MarketManifest) -> None:
    returns = _returns(long_daily_market)
    spy = np.array(list(returns["SPY"].values()))
    vol = spy.std() * np.sqrt(252)
    assert 0.12 < vol < 0.22
    kurtosis = ((spy - spy.mean()) ** 4).mean() / spy.var() ** 2 - 3
    assert kurtosis > 1.0
    for ticker, r in returns.items():
        annual = np.std(list(r.values())) * np.sqrt(252)
        record = long_daily_market.ticker(ticker)
        assert 0.15 < annual < 0.6, ticker
        assert annual == pytest.approx(record.model["annual_vol"], rel=0.25), ticker


def test_sector_correlation_structure(long_daily_market: MarketManifest) -> None:
    returns = _returns(long_daily_market)
    sectors = {t.ticker: t.sector for t in long_daily_market.tickers}
    stocks = [t for t in returns if t != "SPY"]
    within: list[float] = []
    across: list[float] = []
    for i, a in enumerate(stocks):
        for b in stocks[i + 1 :]:
            common = sorted(returns[a].keys() & returns[b].keys())
            x = np.array([returns[a][d] for d in common])
            y = np.array([returns[b][d] for d in common])
            rho = np.corrcoef(x, y)[0, 1]
            (within if sectors[a] == sectors[b] else across).append(rho)
    assert within and across
    assert np.mean(within) > np.mean(across) + 0.08
    assert 0.1 < np.mean(across) < 0.6
    # every stock moves with the index
    for t in stocks:
        common = sorted(returns[t].keys() & returns["SPY"].keys())
        rho = np.corrcoef([returns[t][d] for d in common], [returns["SPY"][d] for d in common])[0, 1]
        assert rho > 0.3, t


def test_easter_and_holiday_rules() -> None:
    assert calendar.easter_sunday(2019) == date(2019, 4, 21)
    assert calendar.easter_sunday(2024) == date(2024, 3, 31)
    assert calendar.easter_sunday(2038) == date(2038, 4, 25)
    assert date(2021, 12, 31) not in calendar.holidays(2021)  # Saturday New Year is not observed on Friday
    assert date(2022, 6, 20) in calendar.holidays(2022)  # Juneteenth on a Sunday -> Monday
    assert not any(d.month == 6 and d.day >= 18 for d in calendar.holidays(2021))  # no Juneteenth before 2022
    assert date(2020, 7, 3) in calendar.holidays(2020)  # Independence Day on a Saturday -> Friday
    assert calendar.early_closes(2020) == (date(2020, 11, 27), date(2020, 12, 24))
    assert calendar.early_closes(2019) == (date(2019, 7, 3), date(2019, 11, 29), date(2019, 12, 24))
    assert calendar.session_close(date(2019, 7, 3)).hour == 13
    assert len(calendar.trading_days(date(2019, 1, 1), date(2019, 12, 31))) == 252


@pytest.mark.skipif(not LEAN_DATA.is_dir(), reason="LEAN sample data not available")
def test_calendar_matches_leans_database() -> None:
    raw = json.loads((LEAN_DATA / "market-hours/market-hours-database.json").read_text())
    entry = raw["entries"]["Equity-usa-[*]"]

    def parse(texts: list[str]) -> set[date]:
        out = set()
        for text in texts:
            m, d, y = (int(x) for x in text.split("/"))
            out.add(date(y, m, d))
        return out

    lean_holidays = parse(entry["holidays"])
    lean_early = parse(list(entry["earlyCloses"]))
    for year in range(1999, 2029):
        ours = set(calendar.holidays(year))
        theirs = {d for d in lean_holidays if d.year == year and d.weekday() < 5}
        assert ours == theirs, year
        ours = set(calendar.early_closes(year))
        theirs = {d for d in lean_early if d.year == year and d.weekday() < 5}
        assert ours == theirs, year
