"""QuantBook: data folder resolution, the research clock, history frames against the raw LEAN files, indicator
frames against the engine's indicators, and the errors a notebook user meets."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lean_local.data.errors import MissingDataError
from lean_local.enums import DataNormalizationMode, Resolution
from lean_local.indicators import (
    AverageTrueRange,
    BollingerBands,
    Field,
    MovingAverageConvergenceDivergence,
    RelativeStrengthIndex,
    SimpleMovingAverage,
)
from lean_local.indicators.data_point import IndicatorDataPoint
from lean_local.market_data import QuoteBar, TradeBar
from lean_local.research import DATA_FOLDER_ENV, IndicatorHistory, QuantBook, resolve_research_data_folder
from lean_local.research.quantbook import research_start_date
from lean_local.runner import WorkspaceError

TRADE_COLUMNS = ["close", "high", "low", "open", "volume"]


def raw_daily_rows(lean_data: Path, ticker: str) -> dict[date, tuple[Decimal, Decimal, Decimal, Decimal, int]]:
    """The daily zip's rows: date -> (open, high, low, close, volume), prices in dollars (deci-cents / 10000)."""
    with zipfile.ZipFile(lean_data / "equity" / "usa" / "daily" / f"{ticker.lower()}.zip") as archive:
        text = archive.read(archive.namelist()[0]).decode()
    rows = {}
    for line in csv.reader(io.StringIO(text)):
        day = datetime.strptime(line[0], "%Y%m%d %H:%M").date()
        o, h, l, c = (Decimal(v) / 10000 for v in line[1:5])
        rows[day] = (o, h, l, c, int(line[5]))
    return rows


def factor_rows(lean_data: Path, ticker: str) -> list[tuple[date, float, float]]:
    rows = []
    for line in (lean_data / "equity" / "usa" / "factor_files" / f"{ticker.lower()}.csv").read_text().split():
        parts = line.split(",")
        rows.append((datetime.strptime(parts[0], "%Y%m%d").date(), float(parts[1]), float(parts[2])))
    return rows


# --- data folder and clock ---------------------------------------------------------------------------------------
def test_data_folder_explicit_env_and_lean_json(tmp_path: Path, lean_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_FOLDER_ENV, raising=False)
    assert resolve_research_data_folder(lean_data) == lean_data.resolve()
    workspace = tmp_path / "ws"
    notebooks = workspace / "research" / "notebooks"
    notebooks.mkdir(parents=True)
    (workspace / "lean.json").write_text(json.dumps({"data-folder": str(lean_data), "organization-id": "x"}))
    # walking up from the notebook's folder, like the LEAN CLI
    assert resolve_research_data_folder(start=notebooks) == lean_data.resolve()
    monkeypatch.chdir(notebooks)
    assert QuantBook().data_folder == lean_data.resolve()
    # the environment variable wins over lean.json, an explicit folder over both
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv(DATA_FOLDER_ENV, str(other))
    assert resolve_research_data_folder() == other.resolve()
    assert resolve_research_data_folder(lean_data) == lean_data.resolve()


def test_data_folder_errors_say_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_FOLDER_ENV, raising=False)
    with pytest.raises(WorkspaceError, match="No lean.json found .* LEAN_LOCAL_DATA_FOLDER"):
        resolve_research_data_folder(start=tmp_path)
    with pytest.raises(WorkspaceError, match="given to QuantBook does not exist"):
        QuantBook(tmp_path / "missing")
    monkeypatch.setenv(DATA_FOLDER_ENV, str(tmp_path / "nope"))
    with pytest.raises(WorkspaceError, match=r"named by \$LEAN_LOCAL_DATA_FOLDER does not exist"):
        resolve_research_data_folder()
    monkeypatch.delenv(DATA_FOLDER_ENV)
    (tmp_path / "lean.json").write_text('{"data-folder": "data", "organization-id": "x"}')
    with pytest.raises(WorkspaceError, match="does not exist"):
        resolve_research_data_folder(start=tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(MissingDataError, match="market-hours"):
        QuantBook(empty)


def test_research_clock_starts_today_in_new_york(qb: QuantBook) -> None:
    # LEAN's qb-data-hour: before 09:00 New York the clock starts yesterday
    assert research_start_date(datetime(2021, 3, 10, 13, 59)) == date(2021, 3, 9)  # 08:59 EST
    assert research_start_date(datetime(2021, 3, 10, 14, 0)) == date(2021, 3, 10)  # 09:00 EST
    assert qb.time.time() == datetime.min.time()
    assert qb.time.date() >= date(2024, 1, 1)
    qb.set_start_date(2021, 1, 5)
    assert qb.time == datetime(2021, 1, 5)
    assert qb.portfolio.cash == 100000
    assert len(qb.securities) == 0


# --- history -------------------------------------------------------------------------------------------------------
def test_history_raw_prices_match_the_daily_file(qb: QuantBook, lean_data: Path) -> None:
    symbol = qb.add_equity("IBM", Resolution.DAILY, data_normalization_mode=DataNormalizationMode.RAW).symbol
    assert symbol in qb.securities
    frame = qb.history(symbol, datetime(2013, 1, 1), datetime(2014, 1, 1), Resolution.DAILY)
    assert list(frame.index.names) == ["symbol", "time"]
    assert list(frame.columns) == TRADE_COLUMNS
    assert set(frame.index.get_level_values("symbol")) == {symbol}
    raw = raw_daily_rows(lean_data, "IBM")
    expected_days = sorted(d for d in raw if date(2013, 1, 1) <= d < date(2014, 1, 1))
    ibm = frame.loc[symbol]
    assert [t.date() for t in ibm.index] == expected_days
    # daily bars end at the close: 16:00, 13:00 on the early closes
    early = {t.date() for t in ibm.index if t.time() != datetime(2000, 1, 1, 16).time()}
    assert early == {date(2013, 7, 3), date(2013, 11, 29), date(2013, 12, 24)}
    assert all(t.hour == 13 for t in ibm.index if t.date() in early)
    for moment, row in ibm.iterrows():
        o, h, l, c, v = raw[moment.date()]
        assert (row["open"], row["high"], row["low"], row["close"], row["volume"]) == (
            float(o), float(h), float(l), float(c), float(v))


def test_history_adjusted_prices_use_the_factor_file(qb: QuantBook, lean_data: Path) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    frame = qb.history([spy], datetime(2010, 6, 1), datetime(2010, 6, 30), Resolution.DAILY).loc[spy]
    raw = raw_daily_rows(lean_data, "SPY")
    factors = factor_rows(lean_data, "SPY")
    checked = 0
    for moment, row in frame.iterrows():
        day = moment.date()
        if any(when == day for when, _, _ in factors):
            continue  # on a factor row's own date the two usual readings of the file differ; not the point here
        price_factor, split_factor = next((price, split) for when, price, split in factors if when > day)
        assert row["close"] == pytest.approx(float(raw[day][3]) * price_factor * split_factor, rel=1e-9)
        assert row["close"] != pytest.approx(float(raw[day][3]), rel=1e-6)
        checked += 1
    assert checked >= 20


def test_history_forms(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    qb.add_equity("AAPL", Resolution.DAILY)
    qb.set_start_date(2021, 1, 5)
    by_count = qb.history(["SPY", "AAPL"], 5, Resolution.DAILY)
    assert by_count.groupby(level="symbol").size().to_dict() == {spy: 5, qb.symbol("AAPL"): 5}
    assert by_count.index.get_level_values("time").max() == datetime(2021, 1, 4, 16)
    by_span = qb.history(spy, timedelta(days=7), Resolution.DAILY)
    assert list(by_span.loc[spy].index) == [datetime(2020, 12, d, 16) for d in (29, 30, 31)] + [datetime(2021, 1, 4, 16)]
    keywords = qb.history(spy, start=date(2020, 12, 29), end=date(2021, 1, 1), resolution=Resolution.DAILY)
    assert len(keywords) == 3
    typed = qb.history(TradeBar, "SPY", 3, Resolution.DAILY)
    assert list(typed.columns) == TRADE_COLUMNS and len(typed) == 3
    all_securities = qb.history(qb.securities.keys(), 2, Resolution.DAILY)
    assert len(all_securities) == 4
    # a request past the research clock ends at qb.time, as in LEAN
    clamped = qb.history(spy, datetime(2020, 12, 30), datetime(2021, 6, 1), Resolution.DAILY)
    assert clamped.index.get_level_values("time").max() == datetime(2021, 1, 4, 16)


def test_history_minute_trades_and_quotes(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.MINUTE).symbol
    frame = qb.history(spy, datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 10, 0))
    assert len(frame) == 30
    assert {"askclose", "bidclose", "asksize", "bidsize", "close", "volume"} <= set(frame.columns)
    assert frame.index.get_level_values("time")[0] == datetime(2013, 10, 7, 9, 31)
    quotes = qb.history(QuoteBar, spy, datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 9, 35))
    assert "volume" not in quotes.columns and len(quotes) == 5


def test_history_errors(qb: QuantBook, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(MissingDataError, match=r"daily[/\\]nosuchticker\.zip"):
        qb.add_equity("NOSUCHTICKER", Resolution.DAILY)
    with pytest.raises(MissingDataError, match="minute data for QQQ"):
        qb.add_equity("QQQ", Resolution.MINUTE)
    with pytest.raises(KeyError, match=r"qb\.add_equity\(\"AIG\""):
        qb.history("AIG", 5, Resolution.DAILY)
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    with pytest.raises(TypeError, match="does not support fill_forward"):
        qb.history(spy, 5, Resolution.DAILY, fill_forward=False)
    # today is past the end of the sample data: an empty frame, and a hint about the research clock
    empty = qb.history(spy, 10, Resolution.DAILY)
    assert empty.empty and list(empty.index.names) == ["symbol", "time"]
    assert "qb.set_start_date" in capsys.readouterr().out


def test_unsupported_research_apis_say_so(qb: QuantBook) -> None:
    for call in (qb.option_history, qb.future_history, qb.universe_history, qb.get_fundamental, qb.get_portfolio_statistics):
        with pytest.raises(NotImplementedError, match="not supported by lean_local"):
            call()


# --- indicators ------------------------------------------------------------------------------------------------------
def engine_values(indicator, bars, selector=None, point=True) -> pd.Series:  # type: ignore[no-untyped-def]
    """The reference: update the engine's indicator by hand and keep its ready values."""
    values = {}
    for bar in bars:
        if point:
            value = selector(bar) if selector is not None else bar.exact_value
            indicator.update(IndicatorDataPoint(bar.symbol, bar.end_time, value))
        else:
            indicator.update(bar)
        if indicator.is_ready:
            values[bar.end_time] = float(indicator.current.value)
    return pd.Series(values, dtype=float)


def daily_bars(qb: QuantBook, symbol, start: datetime, end: datetime) -> list:  # type: ignore[no-untyped-def]
    return qb._engine.history_provider.bars(symbol, None, Resolution.DAILY, start, end, TradeBar)[TradeBar]


def test_indicator_by_count_matches_the_engine_indicator(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    qb.set_start_date(2021, 1, 5)
    frame = qb.indicator(SimpleMovingAverage(10), spy, 30, Resolution.DAILY)
    assert list(frame.columns) == ["current", "rollingsum"]
    assert len(frame) == 30 and frame.index.name is None
    assert frame.index[-1] == datetime(2021, 1, 4, 16)
    bars = daily_bars(qb, spy, datetime(2020, 10, 1), datetime(2021, 1, 5))
    reference = engine_values(SimpleMovingAverage(10), bars)
    pd.testing.assert_series_equal(frame["current"], reference.loc[frame.index], check_names=False, check_freq=False)
    assert frame["rollingsum"].iloc[-1] == pytest.approx(frame["current"].iloc[-1] * 10)


def test_indicator_by_dates_warms_up_before_start(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    frame = qb.indicator(BollingerBands(20, 2), spy, datetime(2020, 3, 1), datetime(2020, 4, 1), Resolution.DAILY)
    assert list(frame.columns) == ["bandwidth", "current", "lowerband", "middleband", "movingaveragetype", "percentb",
                                   "price", "standarddeviation", "upperband"]
    # every session from the start is a ready value: the warm-up bars come from before it
    assert frame.index[0] == datetime(2020, 3, 2, 16) and frame.index[-1] == datetime(2020, 3, 31, 16)
    assert len(frame) == 22
    assert set(frame["movingaveragetype"]) == {"Simple"}
    bars = daily_bars(qb, spy, datetime(2020, 1, 1), datetime(2020, 4, 1))
    reference = BollingerBands(20, 2)
    middle, lower = {}, {}
    for bar in bars:
        reference.update(IndicatorDataPoint(bar.symbol, bar.end_time, bar.exact_value))
        middle[bar.end_time] = float(reference.middle_band.current.value)
        lower[bar.end_time] = float(reference.lower_band.current.value)
    for moment in frame.index:
        assert frame.loc[moment, "middleband"] == middle[moment]
        assert frame.loc[moment, "lowerband"] == lower[moment]
    closes = [float(b.close) for b in bars if b.end_time <= datetime(2020, 3, 31, 16)][-20:]
    assert frame["middleband"].iloc[-1] == pytest.approx(np.mean(closes), rel=1e-12)
    assert frame["standarddeviation"].iloc[-1] == pytest.approx(np.std(closes), rel=1e-9)


def test_indicator_selector_bar_indicator_and_timedelta(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    qb.set_start_date(2021, 1, 5)
    bars = daily_bars(qb, spy, datetime(2020, 6, 1), datetime(2021, 1, 5))
    rsi = RelativeStrengthIndex(14)
    highs = qb.indicator(rsi, spy, 10, Resolution.DAILY, Field.HIGH)
    assert list(highs.columns) == ["averagegain", "averageloss", "current", "movingaveragetype"]
    # LEAN reads periods + warm_up_period - 1 bars, so the Wilder averages start from there
    reference = engine_values(RelativeStrengthIndex(14), bars[-(10 + rsi.warm_up_period - 1):], selector=Field.HIGH)
    assert list(highs["current"]) == list(reference)
    atr = AverageTrueRange(14)
    frame = qb.indicator(atr, spy, timedelta(days=10), resolution=Resolution.DAILY)
    assert "truerange" in frame.columns
    assert list(frame.index) == [datetime(2020, 12, d, 16) for d in (28, 29, 30, 31)] + [datetime(2021, 1, 4, 16)]
    first = next(i for i, bar in enumerate(bars) if bar.end_time == frame.index[0])
    warm_up_bars = bars[first - (atr.warm_up_period - 1):]
    assert list(frame["current"]) == list(engine_values(AverageTrueRange(14), warm_up_bars, point=False))


def test_indicator_history_object(qb: QuantBook) -> None:
    qb.add_equity("SPY", Resolution.DAILY)
    qb.set_start_date(2021, 1, 5)
    macd = MovingAverageConvergenceDivergence(12, 26, 9)
    history = qb.indicator_history(macd, "SPY", 5, Resolution.DAILY)
    assert isinstance(history, IndicatorHistory) and len(history) == 5 and history.count == 5
    assert [p.end_time for p in history.current] == list(history.data_frame.index)
    assert history["signal"] is history["Signal"]
    assert [float(p.value) for p in history["signal"]] == list(history.data_frame["signal"])
    last = list(history)[-1]
    assert last.end_time == datetime(2021, 1, 4, 16)
    assert last.value == float(macd.current.value) and last["histogram"] is not None
    assert float(last.fast.value) == history.data_frame["fast"].iloc[-1]
    assert list(history.DataFrame.columns) == ["current", "fast", "histogram", "signal", "slow"]


def test_indicator_without_data_is_empty(qb: QuantBook) -> None:
    spy = qb.add_equity("SPY", Resolution.DAILY).symbol
    frame = qb.indicator(SimpleMovingAverage(5), spy, datetime(1990, 1, 1), datetime(1990, 6, 1), Resolution.DAILY)
    assert frame.empty and list(frame.columns) == ["current", "rollingsum"]
    with pytest.raises(TypeError, match="bar count"):
        qb.indicator(SimpleMovingAverage(5), spy)
