#!/usr/bin/env python
"""lean_local vs backtrader, side by side: the same SMA-cross strategy on the same bars in one process run.

Scenarios
* ``daily``: 50/200-day SMA cross, 13 US equities/ETFs, 2000-01-01..2020-12-31 (daily bars, adjusted prices);
* ``minute``: 30/120-minute SMA cross, SPY/IBM/AIG/BAC, 2013-10-07..11 (minute bars, regular hours).

Rule (benchmarks/algorithms/sma_logic.py, imported by both engines): per ticker, long a fixed 100 shares while
SMA(fast) > SMA(slow), flat otherwise, market orders. Both engines feed the rule the same real bars (LEAN's
fill-forward bars are skipped), so the signals are bit-identical when the prices are.

backtrader reads the LEAN zips through ``lean_local.data.bars`` and prices them exactly as LEAN's adjusted
feed does (raw deci-cents x 0.0001 x the factor file's price scale factor of the bar's day, map files
followed), into ``bt.feeds.PandasData``. The script checks that (1) both engines saw identical bars, (2) they
placed the same orders on the same bars and got them filled on the same bars, and times each engine.

Usage: .venv/bin/python benchmarks/sma_cross.py [--scenario daily|minute|all] [--repeat N] [--rev REV] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ALGORITHM = HERE / "algorithms" / "sma_cross_lean.py"
sys.path.insert(0, str(HERE / "algorithms"))


def _pin_lean_local() -> None:
    """``--rev REV``: benchmark lean_local as committed at REV (git archive into a temp dir, re-exec with it first on
    PYTHONPATH), so figures belong to a commit rather than to a working tree other people are editing."""
    if "--rev" not in sys.argv or os.environ.get("LEAN_LOCAL_BENCH_REV"):
        return
    import tarfile
    import tempfile

    rev = sys.argv[sys.argv.index("--rev") + 1]
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    target = Path(tempfile.gettempdir()) / f"lean_local_bench_{commit}"
    if not (target / "lean_local" / "__init__.py").exists():
        archive = subprocess.run(["git", "archive", commit, "lean_local"], cwd=REPO, capture_output=True, check=True).stdout
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    env = dict(os.environ, LEAN_LOCAL_BENCH_REV=commit,
               PYTHONPATH=os.pathsep.join([str(target)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


_pin_lean_local()

import backtrader as bt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sma_logic import SmaCross  # noqa: E402

from lean_local.data import bars as lean_bars  # noqa: E402
from lean_local.data.factor_files import FactorFile  # noqa: E402
from lean_local.data.map_files import MapFile  # noqa: E402
from lean_local.data.paths import DataFolder  # noqa: E402
from lean_local.enums import Resolution, TickType  # noqa: E402

DATA = Path(os.environ.get("LEAN_DATA_FOLDER", "/work/shared/lean-data"))
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
MARKET_OPEN = timedelta(hours=9, minutes=30)
MARKET_CLOSE = timedelta(hours=16)


@dataclass(frozen=True)
class Scenario:
    name: str
    resolution: str  # "daily" | "minute"
    start: date
    end: date
    tickers: tuple[str, ...]
    fast: int
    slow: int
    quantity: int = 100
    cash: int = 10_000_000  # large enough that no order is ever refused for buying power in either engine

    def parameters(self, **extra: str) -> dict[str, str]:
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "resolution": self.resolution,
            "tickers": ",".join(self.tickers), "fast": str(self.fast), "slow": str(self.slow),
            "quantity": str(self.quantity), "cash": str(self.cash), **extra,
        }


SCENARIOS = {
    # QQQ is left out: its map file routes 2004-11-30..2011-03-22 to 'qqqq', which has no daily file in the
    # sample data (LEAN would see a 6-year hole). AAA's map file starts 2020-09-09: too short for SMA(200).
    "daily": Scenario(
        "daily", "daily", date(2000, 1, 1), date(2020, 12, 31),
        ("AAPL", "AIG", "BAC", "IBM", "SPY", "USO", "BNO", "EEM", "IWM", "FB", "GOOGL", "GOOG", "WM"), 50, 200,
    ),
    "minute": Scenario("minute", "minute", date(2013, 10, 7), date(2013, 10, 11), ("SPY", "IBM", "AIG", "BAC"), 30, 120),
}


# ----- loading the LEAN zips for backtrader --------------------------------------------------------------------
def _exact_float(raw: int, factor: Decimal) -> float:
    """float((raw * 0.0001m) * factor): the exact decimal LEAN computes, correctly rounded to a double (what the
    engine hands algorithms)."""
    with localcontext() as ctx:
        ctx.prec = 60
        return float(Decimal(raw).scaleb(-4) * factor)


def _scaled_volume(volume: int, factor: Decimal) -> int:
    with localcontext() as ctx:
        ctx.prec = 60
        return int((volume / factor).to_integral_value())


@dataclass
class LoadedData:
    frames: dict[str, pd.DataFrame]
    bars: int
    seconds: float


def _map_file(folder: DataFolder, ticker: str) -> MapFile | None:
    path = folder.root / "equity" / "usa" / "map_files" / f"{ticker.lower()}.csv"
    return MapFile.load(path) if path.exists() else None


def _frame(rows: list[tuple[datetime, float, float, float, float, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["datetime", "open", "high", "low", "close", "volume"]).set_index("datetime")
    frame["openinterest"] = 0.0
    return frame.sort_index()


def load_for_backtrader(scenario: Scenario) -> LoadedData:
    """The scenario's bars as DataFrames indexed by the bar's END time in exchange time (LEAN's ``Time`` when
    the bar is handed to the algorithm); daily bars are indexed by their date. Parsed-file cache cleared first,
    so ``seconds`` is a cold load."""
    lean_bars.clear_cache()
    started = time.perf_counter()
    folder = DataFolder(DATA)
    frames: dict[str, pd.DataFrame] = {}
    total = 0
    for ticker in scenario.tickers:
        map_file = _map_file(folder, ticker)
        factors = FactorFile.for_permtick(folder, ticker.lower())
        rows: list[tuple[datetime, float, float, float, float, int]] = []

        def mapped(day: date) -> str | None:
            if map_file is None:
                return ticker.lower()
            if not map_file.has_data(day):
                return None
            return map_file.mapped_ticker(day).lower()

        def add(day: date, end: datetime, o: int, h: int, lo: int, c: int, v: int) -> None:
            factor = factors.price_scale_factor(day)  # Adjusted mode, looked up with the bar's day
            rows.append((end, _exact_float(o, factor), _exact_float(h, factor), _exact_float(lo, factor),
                         _exact_float(c, factor), _scaled_volume(v, factor)))

        if scenario.resolution == "daily":
            file_tickers = sorted({row.mapped_symbol.lower() for row in map_file.rows} if map_file else {ticker.lower()})
            for file_ticker in file_tickers:
                arrays = lean_bars.load_daily_or_hour(folder, file_ticker, Resolution.DAILY)
                if arrays is None:
                    continue
                days = (arrays.time // lean_bars.NS_PER_DAY).astype(np.int64)
                for i, day_number in enumerate(days.tolist()):
                    day = date(1970, 1, 1) + timedelta(days=day_number)
                    if not scenario.start <= day <= scenario.end or mapped(day) != file_ticker:
                        continue
                    add(day, datetime.combine(day, datetime.min.time()), int(arrays.open[i]), int(arrays.high[i]),
                        int(arrays.low[i]), int(arrays.close[i]), int(arrays.volume[i]))
        else:
            day = scenario.start
            while day <= scenario.end:
                file_ticker = mapped(day)
                arrays = lean_bars.load_minute_day(folder, file_ticker, day) if file_ticker else None
                if arrays is not None:
                    midnight = datetime.combine(day, datetime.min.time())
                    for i, ns in enumerate(arrays.time.tolist()):
                        start = datetime(1970, 1, 1) + timedelta(microseconds=ns // 1000)  # bar start, exchange time
                        offset = start - midnight
                        if offset < MARKET_OPEN or offset + timedelta(minutes=1) > MARKET_CLOSE:
                            continue  # LEAN's market-hours filter (regular hours only, no extended hours)
                        add(day, start + timedelta(minutes=1), int(arrays.open[i]), int(arrays.high[i]),
                            int(arrays.low[i]), int(arrays.close[i]), int(arrays.volume[i]))
                day += timedelta(days=1)
        frames[ticker] = _frame(rows)
        total += len(rows)
    return LoadedData(frames, total, time.perf_counter() - started)


# ----- trade records -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TradeRecord:
    """One order: signal bar (exchange time), signed quantity, fill bar and price (None if never filled)."""

    ticker: str
    signal: datetime
    quantity: int
    fill: datetime | None
    price: float | None


def _key(record: TradeRecord, daily: bool) -> tuple[Any, ...]:
    signal = record.signal.date() if daily else record.signal
    fill = (record.fill.date() if daily else record.fill) if record.fill is not None else None
    return (record.ticker, signal, record.quantity, fill)


@dataclass
class Comparison:
    identical: bool
    differences: list[str]
    price_summary: str


def compare_trades(lean: list[TradeRecord], back: list[TradeRecord], daily: bool, quote_check: str = "") -> Comparison:
    lean_keys = Counter(_key(r, daily) for r in lean)
    bt_keys = Counter(_key(r, daily) for r in back)
    differences = [f"only lean_local: {k}" for k in sorted((lean_keys - bt_keys).elements(), key=str)]
    differences += [f"only backtrader: {k}" for k in sorted((bt_keys - lean_keys).elements(), key=str)]
    by_key = {_key(r, daily): r for r in back}
    diffs_bps: list[float] = []
    equal = both = 0
    for record in lean:
        other = by_key.get(_key(record, daily))
        if other is None or record.price is None or other.price is None:
            continue
        both += 1
        if abs(record.price - other.price) <= 1e-12 * abs(other.price):
            equal += 1  # backtrader re-averages its executed price (p * size / size): 1-ulp noise
        diffs_bps.append(abs(record.price - other.price) / other.price * 1e4)
    if both == 0:
        summary = "no filled orders to compare"
    elif equal == both:
        summary = f"fill prices equal (to 1e-12 relative) in {equal}/{both} fills"
    else:
        summary = (f"fill prices equal (to 1e-12 relative) in {equal}/{both} fills; |lean - bt| median {statistics.median(diffs_bps):.2f} bp, "
                   f"max {max(diffs_bps):.2f} bp")
    if quote_check:
        summary += f"; {quote_check}"
    return Comparison(not differences, differences, summary)


def lean_trade_records(result: Any) -> list[TradeRecord]:
    from lean_local.enums import OrderStatus

    engine = result.engine
    names = engine.algorithm.names
    handler = engine.transaction_handler
    fills: dict[int, tuple[datetime, float]] = {}
    for event in handler.order_events:
        if event.status == OrderStatus.FILLED:
            fills[event.order_id] = (_local(event.utc_time), float(event.fill_price))
    records = []
    for order_id in sorted(handler.orders):
        order = handler.orders[order_id]
        fill = fills.get(order_id)
        records.append(TradeRecord(names[order.symbol], _local(order.time), int(order.quantity),
                                   fill[0] if fill else None, fill[1] if fill else None))
    return records


def _local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(NEW_YORK).replace(tzinfo=None)


def check_minute_fills_at_quotes(records: list[TradeRecord]) -> str:
    """LEAN's equity fill model fills a market order at the quote (buy: ask close, sell: bid close) of the
    minute the order is placed in; confirm that from the quote zips."""
    folder = DataFolder(DATA)
    matched = total = 0
    for record in records:
        if record.fill is None:
            continue
        total += 1
        day = record.fill.date()
        map_file = _map_file(folder, record.ticker)
        file_ticker = map_file.mapped_ticker(day).lower() if map_file else record.ticker.lower()
        quotes = lean_bars.load_minute_day(folder, file_ticker, day, TickType.QUOTE)
        if quotes is None:
            continue
        start_ns = int((record.fill - timedelta(minutes=1) - datetime(1970, 1, 1)) / timedelta(microseconds=1)) * 1000
        index = np.flatnonzero(quotes.time == start_ns)
        if not index.size:
            continue
        i = int(index[0])
        raw = int(quotes.ask_close[i] if record.quantity > 0 else quotes.bid_close[i])
        factor = FactorFile.for_permtick(folder, record.ticker.lower()).price_scale_factor(day)
        if _exact_float(raw, factor) == record.price:
            matched += 1
    return f"lean_local fills = that minute's quote ask (buys) / bid (sells) close in {matched}/{total}"


# ----- lean_local --------------------------------------------------------------------------------------------------
def run_lean(scenario: Scenario, **extra: str) -> Any:
    from lean_local.runner import run_backtest

    result = run_backtest(ALGORITHM, data_folder=DATA, write_output=False, parameters=scenario.parameters(**extra))
    if result.status != "Completed":
        raise RuntimeError(f"lean_local run failed: {result.runtime_error}\n{result.stack_trace}")
    return result


def timed_lean(scenario: Scenario, **extra: str) -> dict[str, float]:
    gc.collect()
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = run_lean(scenario, **extra)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"wall": wall, "cpu": cpu, "engine": result.elapsed_seconds, "data_points": result.data_points,
            "bars": result.engine.algorithm.real_bars, "orders": len(result.engine.transaction_handler.orders)}


def cold_lean_runs(scenario: Scenario, repeat: int, **extra: str) -> list[dict[str, float]]:
    """Each run in a fresh interpreter: empty parsed-file LRU, factor/map-file caches, market-hours database."""
    out = []
    for _ in range(repeat):
        command = [sys.executable, str(Path(__file__).resolve()), "--child-lean", scenario.name,
                   "--child-extra", json.dumps(extra)]
        completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"cold lean_local run failed:\n{completed.stderr}")
        out.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return out


# ----- backtrader --------------------------------------------------------------------------------------------------
class BtSmaCross(bt.Strategy):
    params = dict(fast=50, slow=200, quantity=100, intraday=False)

    def __init__(self) -> None:
        self.rules = {d._name: SmaCross(self.p.fast, self.p.slow, self.p.quantity) for d in self.datas}
        self.seen = {d._name: 0 for d in self.datas}
        self.real_bars = 0
        self.orders: list[tuple[int, str, datetime, int]] = []
        self.fills: dict[int, tuple[datetime, float]] = {}

    def prenext(self) -> None:  # feeds start on different dates: trade each one as soon as it has bars
        self.next()

    def next(self) -> None:
        for data in self.datas:
            length = len(data)
            name = data._name
            if length == self.seen[name]:
                continue  # this feed has no bar at the current time
            self.seen[name] = length
            self.real_bars += 1
            when = data.datetime.datetime(0)
            can_trade = not (self.p.intraday and when.hour == 16 and when.minute == 0)
            signal = self.rules[name].update(data.close[0], can_trade)
            if signal:
                order = self.buy(data=data, size=signal) if signal > 0 else self.sell(data=data, size=-signal)
                self.orders.append((order.ref, name, when, signal))

    def notify_order(self, order: bt.Order) -> None:
        if order.status == order.Completed:
            self.fills[order.ref] = (bt.num2date(order.executed.dt), order.executed.price)

    def records(self) -> list[TradeRecord]:
        out = []
        for ref, name, when, quantity in self.orders:
            fill = self.fills.get(ref)
            out.append(TradeRecord(name, when, quantity, fill[0] if fill else None, fill[1] if fill else None))
        return out


def run_backtrader(scenario: Scenario, loaded: LoadedData, stdstats: bool = True) -> tuple[float, float, BtSmaCross]:
    """(wall seconds, process CPU seconds, strategy)."""
    gc.collect()
    cpu_started = time.process_time()
    started = time.perf_counter()
    cerebro = bt.Cerebro(stdstats=stdstats)
    cerebro.broker.setcash(scenario.cash)
    intraday = scenario.resolution != "daily"
    if intraday:
        cerebro.broker.set_coc(True)  # fill at the close of the signal bar (LEAN fills intraday orders at once)
    timeframe, compression = (bt.TimeFrame.Minutes, 1) if intraday else (bt.TimeFrame.Days, 1)
    for ticker, frame in loaded.frames.items():
        cerebro.adddata(bt.feeds.PandasData(dataname=frame, timeframe=timeframe, compression=compression), name=ticker)
    cerebro.addstrategy(BtSmaCross, fast=scenario.fast, slow=scenario.slow, quantity=scenario.quantity, intraday=intraday)
    strategy = cerebro.run()[0]
    return time.perf_counter() - started, time.process_time() - cpu_started, strategy


# ----- bar equality -----------------------------------------------------------------------------------------------
def compare_bars(recorded: list[tuple[Any, ...]], loaded: LoadedData, daily: bool) -> tuple[bool, str]:
    lean_rows = Counter((t, e.date() if daily else e, o, h, lo, c) for t, e, o, h, lo, c in recorded)
    bt_rows: Counter[tuple[Any, ...]] = Counter()
    for ticker, frame in loaded.frames.items():
        for when, o, h, lo, c in zip(frame.index.to_pydatetime(), frame["open"], frame["high"], frame["low"], frame["close"]):
            bt_rows[(ticker, when.date() if daily else when, float(o), float(h), float(lo), float(c))] += 1
    only_lean = lean_rows - bt_rows
    only_bt = bt_rows - lean_rows
    if not only_lean and not only_bt:
        return True, f"identical ({sum(lean_rows.values()):,} bars, OHLC bit-equal)"
    sample = sorted(only_lean.elements(), key=str)[:3] + sorted(only_bt.elements(), key=str)[:3]
    return False, f"{sum(only_lean.values())} bars only in lean_local, {sum(only_bt.values())} only in backtrader, e.g. {sample}"


# ----- profiling --------------------------------------------------------------------------------------------------
def profile_lean(scenario: Scenario, out_dir: Path, top: int = 25) -> None:
    run_lean(scenario)  # warm the parsed-file cache: profile the steady state
    profiler = cProfile.Profile()
    profiler.enable()
    result = run_lean(scenario)
    profiler.disable()
    out_dir.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out_dir / f"{scenario.name}.prof")
    text = io.StringIO()
    text.write(f"lean_local {scenario.name} (warm cache), {result.engine.algorithm.real_bars:,} real trade bars, "
               f"{result.data_points:,} data points\n")
    for order in ("cumulative", "tottime"):
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(top)
    (out_dir / f"{scenario.name}.txt").write_text(text.getvalue())
    print(text.getvalue())


# ----- main -------------------------------------------------------------------------------------------------------
@dataclass
class Row:
    engine: str
    bars: int
    seconds: list[float]
    trades: str
    comparison: str
    note: str = ""
    loop_seconds: list[float] | None = None  # lean_local: engine loop only (Engine.run), without statistics
    cpu_seconds: list[float] | None = None  # process CPU time of the same runs (robust to other processes' load)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class ScenarioReport:
    scenario: Scenario
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fmt_seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.3f}" + (f" ({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else "")


def bench(scenario: Scenario, repeat: int, cold_repeat: int, extra_variants: bool) -> ScenarioReport:
    report = ScenarioReport(scenario)
    daily = scenario.resolution == "daily"
    print(f"\n=== {scenario.name}: {scenario.start}..{scenario.end}, {len(scenario.tickers)} tickers, "
          f"SMA {scenario.fast}/{scenario.slow}, {scenario.quantity} shares", flush=True)

    # data for backtrader (cold load through lean_local.data.bars)
    loaded = load_for_backtrader(scenario)
    print(f"backtrader data: {loaded.bars:,} bars loaded into DataFrames in {loaded.seconds:.2f}s", flush=True)

    # reference runs (untimed): lean_local with bar recording, backtrader once
    reference = run_lean(scenario, record_bars="1")
    bars_ok, bars_text = compare_bars(reference.engine.algorithm.recorded, loaded, daily)
    lean_records = lean_trade_records(reference)
    _, _, strategy = run_backtrader(scenario, loaded)
    bt_records = strategy.records()
    quote_check = "" if daily else check_minute_fills_at_quotes(lean_records)
    comparison = compare_trades(lean_records, bt_records, daily, quote_check)
    lean_bars_count = reference.engine.algorithm.real_bars
    report.notes.append(f"bars seen by both engines: {bars_text}")
    report.notes.append(f"lean_local data points (incl. quote bars, fill-forward, benchmark, events): {reference.data_points:,}")
    report.notes.append(f"trade comparison: {'identical' if comparison.identical else f'{len(comparison.differences)} differences'}"
                        f" ({len(lean_records)} orders lean_local, {len(bt_records)} backtrader; key = ticker, "
                        f"signal {'date' if daily else 'bar'}, signed quantity, fill {'date' if daily else 'bar'}); "
                        f"{comparison.price_summary}")
    for line in comparison.differences[:20]:
        report.notes.append(f"  {line}")
    if strategy.real_bars != lean_bars_count:
        report.notes.append(f"WARNING: bars fed to the rule differ: lean_local {lean_bars_count}, backtrader {strategy.real_bars}")
    for note in report.notes:
        print(note, flush=True)
    verdict = ("identical" if comparison.identical else f"{len(comparison.differences)} diffs") + ("" if bars_ok else ", bars differ")

    def trades_text(records: list[TradeRecord]) -> str:
        return f"{len(records)} ({sum(r.fill is not None for r in records)} filled)"

    # Timed runs, interleaved round by round (cold lean_local, warm lean_local, [const benchmark], backtrader,
    # [backtrader stdstats=False]) so that bursts of load from other processes hit every engine alike.
    # cold = a fresh interpreter per run (empty parsed-file LRU, factor/map-file caches, market-hours database);
    # warm = this process, parsed files cached by the reference run above.
    cold: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    const: list[dict[str, float]] = []
    bt_default: list[tuple[float, float, Any]] = []
    bt_plain: list[tuple[float, float, Any]] = []
    for round_number in range(max(repeat, cold_repeat)):
        if round_number < cold_repeat:
            cold += cold_lean_runs(scenario, 1)
        if round_number < repeat:
            warm.append(timed_lean(scenario))
            if extra_variants:
                const.append(timed_lean(scenario, benchmark="constant"))
            bt_default.append(run_backtrader(scenario, loaded))
            if extra_variants:
                bt_plain.append(run_backtrader(scenario, loaded, stdstats=False))
        print(f"round {round_number + 1}: lean cold {cold[-1]['wall']:.2f}s, lean warm {warm[-1]['wall']:.2f}s, "
              f"backtrader {bt_default[-1][0]:.2f}s (load {os.getloadavg()[0]:.1f})", flush=True)
    report.rows.append(Row("lean_local, cold process", lean_bars_count, [c["wall"] for c in cold], trades_text(lean_records), verdict,
                           f"+ {statistics.median(c['import'] for c in cold):.2f} s to import lean_local.runner first",
                           loop_seconds=[c["engine"] for c in cold], cpu_seconds=[c["cpu"] for c in cold]))
    report.rows.append(Row("lean_local, warm cache", lean_bars_count, [w["wall"] for w in warm], trades_text(lean_records), verdict,
                           loop_seconds=[w["engine"] for w in warm], cpu_seconds=[w["cpu"] for w in warm]))
    if const:
        report.rows.append(Row("lean_local, warm, set_benchmark(const)", const[0]["bars"], [c["wall"] for c in const],
                               f"{const[0]['orders']}", "(same rule)", "no internal SPY hour feed",
                               loop_seconds=[c["engine"] for c in const], cpu_seconds=[c["cpu"] for c in const]))
    report.rows.append(Row("backtrader (stdstats)", strategy.real_bars, [b[0] for b in bt_default], trades_text(bt_records), verdict,
                           f"+ {loaded.seconds:.2f} s to load the DataFrames", cpu_seconds=[b[1] for b in bt_default]))
    if bt_plain:
        report.rows.append(Row("backtrader (stdstats=False)", strategy.real_bars, [b[0] for b in bt_plain], trades_text(bt_records),
                               verdict, cpu_seconds=[b[1] for b in bt_plain]))
    return report


def print_table(reports: list[ScenarioReport]) -> None:
    header = (f"{'scenario':8} {'engine':38} {'bars':>7} {'wall s: median (min-max)':>25} {'bars/s':>7} "
              f"{'CPU s':>7} {'bars/CPU s':>10} {'loop s':>7} {'orders':>15}  trades vs other engine")
    print("\n" + header)
    print("-" * len(header))
    for report in reports:
        for row in report.rows:
            loop = f"{statistics.median(row.loop_seconds):7.2f}" if row.loop_seconds else f"{'':7}"
            cpu = statistics.median(row.cpu_seconds) if row.cpu_seconds else float("nan")
            print(f"{report.scenario.name:8} {row.engine:38} {row.bars:>7,} {_fmt_seconds(row.seconds):>25} "
                  f"{row.bars / row.median:>7,.0f} {cpu:>7.2f} {row.bars / cpu:>10,.0f} {loop} {row.trades:>15}  "
                  f"{row.comparison}" + (f"  [{row.note}]" if row.note else ""))
    print("bars = real trade bars fed to the rule (identical in both engines); wall = whole run (lean_local: run_backtest "
          "incl. statistics; backtrader: Cerebro setup + run, DataFrames prebuilt); bars/s at the median wall time; "
          "CPU s = median process CPU time of the same runs (less sensitive to other load); loop s = lean_local's "
          "Engine.run only (median wall).")


def environment() -> str:
    import lean_local

    location = list(lean_local.__path__)[0]
    pinned = os.environ.get("LEAN_LOCAL_BENCH_REV")
    if pinned:
        version = f"commit {pinned} (git archive, --rev)"
    else:
        try:
            commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "lean_local"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        except OSError:
            commit, dirty = "?", ""
        version = f"working tree @ {commit}{' + uncommitted changes in lean_local/' if dirty else ''}"
    return (f"python {platform.python_version()}, backtrader {bt.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
            f"lean_local {location}: {version}, {platform.machine()} x{os.cpu_count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=["daily", "minute", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine (warm lean_local, backtrader)")
    parser.add_argument("--cold-repeat", type=int, default=None, help="fresh-process lean_local runs (default: --repeat)")
    parser.add_argument("--no-variants", action="store_true", help="skip lean_local set_benchmark(const) and backtrader stdstats=False")
    parser.add_argument("--profile", action="store_true", help="cProfile lean_local (warm) instead of benchmarking")
    parser.add_argument("--profile-dir", type=Path, default=HERE / "profiles")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--rev", help="benchmark lean_local as committed at this git revision (default: the working tree)")
    parser.add_argument("--child-lean", help=argparse.SUPPRESS)
    parser.add_argument("--child-extra", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_lean:
        started = time.perf_counter()
        import lean_local.runner  # noqa: F401  (engine modules imported up front: cold = empty caches, not imports)

        imported = time.perf_counter() - started
        print(json.dumps({**timed_lean(SCENARIOS[args.child_lean], **json.loads(args.child_extra)), "import": imported}))
        return
    names = ["daily", "minute"] if args.scenario == "all" else [args.scenario]
    print(environment())
    if args.profile:
        for name in names:
            profile_lean(SCENARIOS[name], args.profile_dir)
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes skew wall times)")
    reports = [bench(SCENARIOS[name], args.repeat, args.cold_repeat or args.repeat, not args.no_variants) for name in names]
    print_table(reports)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps([
            {"scenario": r.scenario.name, "notes": r.notes,
             "rows": [{"engine": row.engine, "bars": row.bars, "seconds": row.seconds, "median": row.median,
                       "bars_per_second": row.bars / row.median, "loop_seconds": row.loop_seconds,
                       "cpu_seconds": row.cpu_seconds,
                       "trades": row.trades, "comparison": row.comparison, "note": row.note} for row in r.rows]} for r in reports], indent=2))


if __name__ == "__main__":
    main()
