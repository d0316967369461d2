"""``generate_market``: write a complete synthetic US-equity data folder in LEAN's layout."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from lean_local.csharp import DECIMAL_CONTEXT, decimal_to_string, normalize
from lean_local.synthetic import calendar, corporate, intraday, reference
from lean_local.synthetic.corporate import SyntheticMarketError, TickerPlan
from lean_local.synthetic.formats import csv_rows, write_text, write_zip, yyyymmdd
from lean_local.synthetic.intraday import Bars, Liquidity
from lean_local.synthetic.manifest import (
    MANIFEST_NAME,
    README_NAME,
    DividendRecord,
    MarketManifest,
    SplitRecord,
    SymbolRange,
    TickerRecord,
    readme_text,
)
from lean_local.synthetic.model import (
    STREAM_EXTENDED,
    STREAM_INTRADAY,
    make_rng,
    name_key,
    simulate_daily,
    simulate_volume,
)
from lean_local.synthetic.universe import SyntheticTicker, default_universe

RESOLUTIONS = ("daily", "hour", "minute")
#: sessions simulated per batch (bounds memory: batch x 390 minutes x a few arrays)
BATCH_DAYS = 256
#: what a previous synthetic market may contain; only these are removed when regenerating over it
OWNED_ENTRIES = ("equity", "market-hours", "symbol-properties", "alternative", README_NAME, MANIFEST_NAME)


@dataclass
class _Security:
    """Everything simulated for one security, indexed by session within its listed range."""

    plan: TickerPlan
    path: corporate.RawPath
    daily: Bars  # (sessions,)
    hour_keys: np.ndarray  # (rows,) session index * 24 + clock hour, sorted
    hours: Bars  # (rows,)
    minute_bars: dict[int, Bars]  # session index (absolute) -> (minutes,) regular-session bars
    sigma: np.ndarray


def generate_market(
    output: Path | str,
    *,
    seed: int = 7,
    start: date = date(2015, 1, 2),
    end: date = date(2024, 12, 31),
    tickers: Sequence[SyntheticTicker] | None = None,
    minute_days: int = 20,
    resolutions: Iterable[str] = RESOLUTIONS,
) -> MarketManifest:
    """Generate a synthetic market into ``output`` and return its manifest.

    The same arguments always produce byte-identical files. ``minute_days`` minute sessions (the last
    ones of the span) get minute trade and quote files. ``output`` must be missing, empty, or a previous
    synthetic market (recognised by its ``SYNTHETIC_MARKET.json``), which is replaced.
    """
    output = Path(output)
    wanted = tuple(r for r in RESOLUTIONS if r in set(resolutions))
    unknown = set(resolutions) - set(RESOLUTIONS)
    if unknown:
        raise SyntheticMarketError(f"unknown resolution(s) {sorted(unknown)}; choose from {list(RESOLUTIONS)}")
    if not wanted:
        raise SyntheticMarketError("at least one resolution is needed")
    if minute_days < 0:
        raise SyntheticMarketError("minute_days must be >= 0")
    universe = tuple(default_universe() if tickers is None else tickers)
    _check_universe(universe)
    days = calendar.trading_days(start, end)
    if len(days) < 2:
        raise SyntheticMarketError(f"{start}..{end} holds fewer than two NYSE trading days")
    _check_output(output)

    minute_count = min(minute_days, len(days)) if "minute" in wanted else 0
    minute_indices = set(range(len(days) - minute_count, len(days)))
    model = simulate_daily(seed, universe, len(days))

    staging = output.parent / f".{output.name}.partial-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        records = []
        for i, ticker in enumerate(universe):
            plan = corporate.plan_ticker(ticker, days)
            if plan is None:
                continue
            security = _simulate_security(seed, plan, days, model.returns[i], model.sigma[i], minute_indices)
            _write_security(staging, seed, security, days, wanted, minute_indices)
            records.append(_record(security, days))
        rate_text = reference.interest_rate_csv(seed, days[0], days[-1])
        write_text(
            staging / "market-hours" / "market-hours-database.json",
            reference.market_hours_json(start.year - 1, end.year + 1),
        )
        write_text(staging / "symbol-properties" / "symbol-properties-database.csv", reference.symbol_properties_csv())
        write_text(staging / "alternative" / "interest-rate" / "usa" / "interest-rate.csv", rate_text)
        manifest = MarketManifest(
            root=output,
            seed=seed,
            start=start,
            end=end,
            trading_days=len(days),
            first_trading_day=days[0],
            last_trading_day=days[-1],
            resolutions=wanted,
            minute_dates=tuple(days[i] for i in sorted(minute_indices)),
            tickers=tuple(records),
            interest_rate_changes=rate_text.count("\n") - 1,
        )
        write_text(staging / MANIFEST_NAME, json.dumps(manifest.to_json_dict(), indent=2) + "\n")
        write_text(staging / README_NAME, readme_text(manifest))
        files = [p for p in staging.rglob("*") if p.is_file()]
        manifest = dataclasses.replace(
            manifest, file_count=len(files), total_bytes=sum(p.stat().st_size for p in files)
        )
        _replace(output, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


# ----- validation and output folder ---------------------------------------------------------------------------


def _check_universe(universe: Sequence[SyntheticTicker]) -> None:
    seen: set[str] = set()
    for t in universe:
        for name in t.all_tickers():
            if not name or name != name.upper() or not name.replace(".", "").isalnum():
                raise SyntheticMarketError(f"ticker {name!r} must be upper-case letters/digits")
            if name in seen:
                raise SyntheticMarketError(f"ticker {name} is used twice in the synthetic universe")
            seen.add(name)
        t.idiosyncratic_vol()  # raises when the volatility target is unreachable
        if t.start_price <= 0 or t.avg_volume <= 0:
            raise SyntheticMarketError(f"{t.ticker}: start_price and avg_volume must be positive")


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise SyntheticMarketError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MANIFEST_NAME).is_file():
        raise SyntheticMarketError(
            f"refusing to write a synthetic market into {output}: it holds files but no {MANIFEST_NAME} "
            "(it may be real data). Choose an empty or new folder."
        )


def _replace(output: Path, staging: Path) -> None:
    """Move the finished market into place; a previous synthetic market there is replaced."""
    if output.is_dir():
        for name in OWNED_ENTRIES:
            old = output / name
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        for item in sorted(staging.iterdir()):
            item.rename(output / item.name)
        staging.rmdir()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(output)


# ----- simulation ---------------------------------------------------------------------------------------------------


def _simulate_security(
    seed: int,
    plan: TickerPlan,
    days: list[date],
    returns: np.ndarray,
    sigma_all: np.ndarray,
    minute_indices: set[int],
) -> _Security:
    t = plan.ticker
    span = slice(plan.first, plan.last + 1)
    r = returns[span]
    sigma = sigma_all[span]
    path = corporate.raw_close_path(plan, returns, days)
    rng = make_rng(seed, STREAM_INTRADAY, name_key(t.ticker))
    opens_float = intraday.session_opens(path.base, r, sigma, rng)
    opens = intraday.to_deci_cents(opens_float)
    closes = path.closes
    volume = simulate_volume(seed, t, r, sigma) * path.share_multiplier
    count = closes.shape[0]
    early = np.array([calendar.is_early_close(d) for d in days[span]], dtype=bool)

    daily_parts: list[tuple[np.ndarray, Bars]] = []
    hour_parts: list[tuple[np.ndarray, Bars]] = []
    minute_bars: dict[int, Bars] = {}
    for is_early, minutes in ((False, intraday.REGULAR_MINUTES), (True, intraday.EARLY_CLOSE_MINUTES)):
        group = np.flatnonzero(early == is_early)
        labels = np.array(intraday.hour_labels(minutes), dtype=np.int64)
        for offset in range(0, group.shape[0], BATCH_DAYS):
            batch = group[offset : offset + BATCH_DAYS]
            bars = intraday.simulate_sessions(rng, opens[batch], closes[batch], sigma[batch], volume[batch], minutes)
            daily_parts.append((batch, intraday.aggregate_days(bars)))
            hours = intraday.aggregate_hours(bars, minutes)
            keys = (batch[:, None] + plan.first) * 24 + labels[None, :]
            hour_parts.append((keys.ravel(), Bars(*(a.ravel() for a in hours.stack().transpose(2, 0, 1)))))
            for j, local in enumerate(batch):
                absolute = int(local) + plan.first
                if absolute in minute_indices:
                    minute_bars[absolute] = bars.take(j)

    daily = _gather(count, daily_parts)
    hour_keys = np.concatenate([k for k, _ in hour_parts])
    order = np.argsort(hour_keys, kind="stable")
    hour_stack = np.concatenate([b.stack() for _, b in hour_parts])[order]
    hours = Bars(*(hour_stack[:, i] for i in range(5)))
    return _Security(plan, path, daily, hour_keys[order], hours, minute_bars, sigma)


def _gather(count: int, parts: list[tuple[np.ndarray, Bars]]) -> Bars:
    out = np.zeros((count, 5), dtype=np.int64)
    for index, bars in parts:
        out[index] = bars.stack()
    return Bars(*(out[:, i] for i in range(5)))


# ----- writing ---------------------------------------------------------------------------------------------------------


def _write_security(
    root: Path, seed: int, security: _Security, days: list[date], wanted: tuple[str, ...], minute_indices: set[int]
) -> None:
    plan = security.plan
    t = plan.ticker
    equity = root / "equity" / "usa"
    day_strings = [yyyymmdd(d) for d in days]
    first = plan.first
    session_index = np.arange(first, plan.last + 1)
    symbols = np.array([plan.symbol_at(int(i)) for i in session_index])

    if "daily" in wanted:
        for symbol in _ordered_unique(symbols):
            rows = np.flatnonzero(symbols == symbol)
            labels = [f"{day_strings[first + int(i)]} 00:00" for i in rows]
            write_zip(
                equity / "daily" / f"{symbol.lower()}.zip",
                f"{symbol.lower()}.csv",
                csv_rows(labels, security.daily.stack()[rows]),
            )
    if "hour" in wanted:
        sessions = security.hour_keys // 24
        clock = security.hour_keys % 24
        hour_symbols = symbols[sessions - first]
        stacked = security.hours.stack()
        for symbol in _ordered_unique(symbols):
            rows = np.flatnonzero(hour_symbols == symbol)
            labels = [f"{day_strings[int(sessions[i])]} {int(clock[i]):02d}:00" for i in rows]
            write_zip(
                equity / "hour" / f"{symbol.lower()}.zip", f"{symbol.lower()}.csv", csv_rows(labels, stacked[rows])
            )
    if "minute" in wanted:
        liquidity = Liquidity.for_volume(t.avg_volume, t.spread_bps)
        for absolute in sorted(security.minute_bars):
            _write_minute_day(equity, seed, security, days, absolute, liquidity)

    factor_lines = [row.line() for row in corporate.factor_rows(days, first, security.path)]
    write_text(equity / "factor_files" / f"{t.ticker.lower()}.csv", "\n".join(factor_lines) + "\n")
    map_lines = [f"{yyyymmdd(d)},{sym},{exch}" for d, sym, exch in corporate.map_rows(plan, days)]
    write_text(equity / "map_files" / f"{t.ticker.lower()}.csv", "\n".join(map_lines) + "\n")


def _ordered_unique(values: np.ndarray) -> list[str]:
    seen: list[str] = []
    for v in values.tolist():
        if v not in seen:
            seen.append(v)
    return seen


def _write_minute_day(
    equity: Path, seed: int, security: _Security, days: list[date], absolute: int, liquidity: Liquidity
) -> None:
    plan = security.plan
    day = days[absolute]
    local = absolute - plan.first
    symbol = plan.symbol_at(absolute).lower()
    stamp = yyyymmdd(day)
    regular = security.minute_bars[absolute]
    minutes = regular.open.shape[0]
    rng = make_rng(seed, STREAM_EXTENDED, name_key(plan.ticker.ticker), int(stamp))
    extended = intraday.simulate_extended(
        rng,
        base=float(security.path.base[local]),
        open_=int(regular.open[0]),
        close=int(regular.close[-1]),
        sigma=float(security.sigma[local]),
        liquidity=liquidity,
        post_market=minutes == intraday.REGULAR_MINUTES,
    )
    regular_minutes = intraday.OPEN_MINUTE + np.arange(minutes, dtype=np.int64)
    pre_trades = extended.trade_minutes < intraday.OPEN_MINUTE
    pre_quotes = extended.quote_minutes < intraday.OPEN_MINUTE

    trade_minutes = np.concatenate(
        [extended.trade_minutes[pre_trades], regular_minutes, extended.trade_minutes[~pre_trades]]
    )
    trade_values = np.concatenate(
        [extended.trades.stack()[pre_trades], regular.stack(), extended.trades.stack()[~pre_trades]]
    )
    regular_quotes = intraday.quote_rows(rng, regular, liquidity, 1.0)
    extended_quotes = intraday.quote_rows(rng, extended.quote_prices, liquidity, 4.0)
    quote_minutes = np.concatenate(
        [extended.quote_minutes[pre_quotes], regular_minutes, extended.quote_minutes[~pre_quotes]]
    )
    quote_values = np.concatenate([extended_quotes[pre_quotes], regular_quotes, extended_quotes[~pre_quotes]])

    folder = equity / "minute" / symbol
    write_zip(
        folder / f"{stamp}_trade.zip",
        f"{stamp}_{symbol}_minute_trade.csv",
        csv_rows(trade_minutes * intraday.MS_PER_MINUTE, trade_values),
    )
    write_zip(
        folder / f"{stamp}_quote.zip",
        f"{stamp}_{symbol}_minute_quote.csv",
        csv_rows(quote_minutes * intraday.MS_PER_MINUTE, quote_values),
    )


# ----- manifest --------------------------------------------------------------------------------------------------------


def _price(deci_cents: int) -> str:
    return decimal_to_string(normalize(Decimal(deci_cents) / 10_000))


def _record(security: _Security, days: list[date]) -> TickerRecord:
    plan = security.plan
    t = plan.ticker
    symbols: list[SymbolRange] = []
    if plan.rename_index is not None and t.rename is not None:
        symbols.append(SymbolRange(t.rename.old_ticker, days[plan.first], days[plan.rename_index - 1]))
        symbols.append(SymbolRange(t.ticker, days[plan.rename_index], days[plan.last]))
    else:
        symbols.append(SymbolRange(t.ticker, days[plan.first], days[plan.last]))
    splits = tuple(
        SplitRecord(
            ex_date=days[s.index],
            ratio=s.ratio,
            factor_date=days[s.index - 1],
            split_factor=decimal_to_string(DECIMAL_CONTEXT.divide(Decimal(1), Decimal(s.ratio))),
            reference_price=_price(s.reference_price),
        )
        for s in security.path.splits
    )
    dividends = tuple(
        DividendRecord(
            ex_date=days[d.index],
            amount=decimal_to_string(Decimal(d.amount_cents) / 100),
            factor_date=days[d.index - 1],
            reference_price=_price(d.reference_price),
        )
        for d in security.path.dividends
    )
    return TickerRecord(
        ticker=t.ticker,
        name=t.name,
        sector=t.sector,
        exchange=t.exchange,
        first_date=days[plan.first],
        last_date=days[plan.last],
        symbols=tuple(symbols),
        splits=splits,
        dividends=dividends,
        renamed_from=t.rename.old_ticker if plan.rename_index is not None and t.rename is not None else None,
        rename_date=days[plan.rename_index] if plan.rename_index is not None else None,
        delisted=days[plan.last] if plan.delisted else None,
        model={
            "annual_vol": t.annual_vol,
            "beta": t.beta,
            "sector_loading": 0.0 if t.is_index else t.sector_loading,
            "annual_return": t.annual_return,
            "avg_volume": float(t.avg_volume),
            "start_price": t.start_price,
        },
    )
