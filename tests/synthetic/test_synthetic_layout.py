"""File layout and formats of the synthetic market against LEAN's, determinism, labelling, output safety, CLI."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from synthetic_helpers import LEAN_DATA, map_rows, read_bars, zip_entry

from lean_local.synthetic import MANIFEST_NAME, MarketManifest, SyntheticMarketError, generate_market
from lean_local.synthetic import cli

needs_lean_data = pytest.mark.skipif(not LEAN_DATA.is_dir(), reason="LEAN sample data not available")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    kwargs = dict(start=date(2020, 11, 2), end=date(2020, 12, 31), minute_days=2)
    generate_market(tmp_path / "a", seed=11, **kwargs)  # type: ignore[arg-type]
    generate_market(tmp_path / "b", seed=11, **kwargs)  # type: ignore[arg-type]
    generate_market(tmp_path / "c", seed=12, **kwargs)  # type: ignore[arg-type]
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert len(a) > 50
    assert a == b
    assert a.keys() == c.keys()
    assert a["equity/usa/daily/spy.zip"] != c["equity/usa/daily/spy.zip"]


def test_daily_and_hour_do_not_depend_on_minute_days_or_resolutions(tmp_path: Path) -> None:
    span = dict(start=date(2021, 3, 1), end=date(2021, 4, 30))
    generate_market(tmp_path / "a", minute_days=0, resolutions=("daily", "hour"), **span)  # type: ignore[arg-type]
    generate_market(tmp_path / "b", minute_days=5, **span)  # type: ignore[arg-type]
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    shared = [k for k in a if k.startswith("equity/usa/daily/") or k.startswith("equity/usa/hour/")]
    assert shared and all(a[k] == b[k] for k in shared)
    assert not any(k.startswith("equity/usa/minute/") for k in a)


def test_layout(small_market: MarketManifest, small_root: Path) -> None:
    equity = small_root / "equity" / "usa"
    for record in small_market.tickers:
        assert (equity / "factor_files" / f"{record.ticker.lower()}.csv").is_file()
        assert (equity / "map_files" / f"{record.ticker.lower()}.csv").is_file()
        for symbol in record.symbols:
            t = symbol.ticker.lower()
            for resolution in ("daily", "hour"):
                entry, _ = zip_entry(equity / resolution / f"{t}.zip")
                assert entry == f"{t}.csv"
    for day in small_market.minute_dates:
        stamp = f"{day:%Y%m%d}"
        for record in small_market.tickers:
            if not record.first_date <= day <= record.last_date:
                assert not (equity / "minute" / record.ticker.lower() / f"{stamp}_trade.zip").exists()
                continue
            t = record.ticker_on(day).lower()
            for kind in ("trade", "quote"):
                entry, _ = zip_entry(equity / "minute" / t / f"{stamp}_{kind}.zip")
                assert entry == f"{stamp}_{t}_minute_{kind}.csv"
    for path in (
        "market-hours/market-hours-database.json",
        "symbol-properties/symbol-properties-database.csv",
        "alternative/interest-rate/usa/interest-rate.csv",
        "README.md",
        MANIFEST_NAME,
    ):
        assert (small_root / path).is_file(), path


def _shape(text: str) -> tuple[int, str]:
    """Column count and a pattern of the first field of the first row."""
    first = text.split("\n", 1)[0].split(",")
    return len(first), re.sub(r"\d", "9", first[0])


@needs_lean_data
def test_bar_files_have_leans_shape(small_market: MarketManifest, small_root: Path) -> None:
    real = LEAN_DATA / "equity" / "usa"
    ours = small_root / "equity" / "usa"
    stamp = f"{small_market.minute_dates[0]:%Y%m%d}"
    pairs = [
        (real / "daily" / "spy.zip", ours / "daily" / "spy.zip"),
        (real / "hour" / "spy.zip", ours / "hour" / "spy.zip"),
        (real / "minute" / "spy" / "20131007_trade.zip", ours / "minute" / "spy" / f"{stamp}_trade.zip"),
        (real / "minute" / "spy" / "20131007_quote.zip", ours / "minute" / "spy" / f"{stamp}_quote.zip"),
    ]
    for real_zip, our_zip in pairs:
        real_entry, real_text = zip_entry(real_zip)
        our_entry, our_text = zip_entry(our_zip)
        assert re.sub(r"\d{8}", "D", real_entry) == re.sub(r"\d{8}", "D", our_entry)
        assert _shape(real_text) == _shape(our_text), our_zip
        assert not our_text.endswith("\n") and "\r" not in our_text
        # every row has the same number of integer fields
        labels, values = read_bars(our_zip)
        assert values.shape[1] == _shape(real_text)[0] - 1


@needs_lean_data
def test_aux_files_have_leans_shape(small_root: Path) -> None:
    real = LEAN_DATA / "equity" / "usa"
    ours = small_root / "equity" / "usa"
    real_factor = (real / "factor_files" / "aapl.csv").read_text().splitlines()
    our_factor = (ours / "factor_files" / "spy.csv").read_text().splitlines()
    assert {len(l.split(",")) for l in real_factor} == {len(l.split(",")) for l in our_factor} == {4}
    assert real_factor[-1] == our_factor[-1] == "20501231,1,1,0"
    assert our_factor[0].endswith(",1") and real_factor[0].endswith(",1")
    real_map = (real / "map_files" / "spy.csv").read_text().splitlines()
    our_map = (ours / "map_files" / "spy.csv").read_text().splitlines()
    assert real_map[-1] == our_map[-1] == "20501231,spy,P"
    assert {len(l.split(",")) for l in our_map} == {3}

    real_rates = (LEAN_DATA / "alternative/interest-rate/usa/interest-rate.csv").read_text().splitlines()
    our_rates = (small_root / "alternative/interest-rate/usa/interest-rate.csv").read_text().splitlines()
    assert real_rates[0] == our_rates[0] == "DATE,PCREDIT8"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d,\d+\.\d\d", l) for l in our_rates[1:])
    assert len(our_rates) > 3

    real_props = (LEAN_DATA / "symbol-properties/symbol-properties-database.csv").read_text().splitlines()
    our_props = (small_root / "symbol-properties/symbol-properties-database.csv").read_text().splitlines()
    assert real_props[0] == our_props[0]
    equity_row = "usa,[*],equity,,USD,1,0.01,1"
    assert equity_row in real_props and equity_row in our_props


@needs_lean_data
def test_market_hours_entry_has_leans_shape(small_root: Path) -> None:
    real = json.loads((LEAN_DATA / "market-hours/market-hours-database.json").read_text())["entries"]
    ours = json.loads((small_root / "market-hours/market-hours-database.json").read_text())["entries"]
    assert list(ours) == ["Equity-usa-[*]"]
    real_entry, our_entry = real["Equity-usa-[*]"], ours["Equity-usa-[*]"]
    assert list(our_entry) == list(real_entry)
    for key in ("dataTimeZone", "exchangeTimeZone", "sunday", "monday", "tuesday", "wednesday", "thursday",
                "friday", "saturday"):
        assert our_entry[key] == real_entry[key], key
    # the span's holidays and early closes agree with LEAN's database (weekday entries)
    for key in ("holidays", "earlyCloses"):
        def weekdays(values: list[str] | dict[str, str]) -> set[date]:
            out = set()
            for text in values:
                m, d, y = (int(x) for x in text.split("/"))
                if 2017 <= y <= 2020 and date(y, m, d).weekday() < 5:
                    out.add(date(y, m, d))
            return out
        assert weekdays(our_entry[key]) == weekdays(real_entry[key]), key
    assert set(our_entry["earlyCloses"].values()) == {"13:00:00"}


def test_manifest_and_readme_label_the_data(small_market: MarketManifest, small_root: Path) -> None:
    raw = json.loads((small_root / MANIFEST_NAME).read_text())
    assert raw["synthetic"] is True and "SYNTHETIC" in raw["warning"]
    assert raw["seed"] == 7 and raw["generator"] == "lean_local.synthetic"
    readme = (small_root / "README.md").read_text()
    assert readme.startswith("# SYNTHETIC MARKET DATA - NOT REAL PRICES")
    assert "SPY` here is a synthetic" in readme
    loaded = MarketManifest.load(small_root)
    assert loaded.tickers == small_market.tickers
    assert loaded.minute_dates == small_market.minute_dates
    assert small_market.file_count == sum(1 for p in small_root.rglob("*") if p.is_file())
    names = {t.ticker for t in small_market.tickers}
    assert "SPY" in names and len(names) >= 10
    assert all(n == "SPY" or (n.startswith("SYN") and len(n) == 6) for n in names)
    sectors = {t.sector for t in small_market.tickers if t.ticker != "SPY"}
    assert sectors == {"Technology", "Financials", "Energy"}


def test_refuses_foreign_folder_and_replaces_own(tmp_path: Path) -> None:
    span = dict(start=date(2022, 6, 1), end=date(2022, 6, 30), resolutions=("daily",))
    foreign = tmp_path / "real"
    foreign.mkdir()
    (foreign / "something.csv").write_text("x")
    with pytest.raises(SyntheticMarketError):
        generate_market(foreign, **span)  # type: ignore[arg-type]
    assert (foreign / "something.csv").read_text() == "x"

    own = tmp_path / "own"
    generate_market(own, minute_days=3, start=date(2022, 6, 1), end=date(2022, 6, 30))
    assert (own / "equity/usa/minute").is_dir()
    (own / "notes.txt").write_text("keep me")
    generate_market(own, **span)  # type: ignore[arg-type]
    assert not (own / "equity/usa/minute").exists()  # stale files of the previous market are gone
    assert (own / "notes.txt").read_text() == "keep me"
    assert not list(tmp_path.glob(".*partial*"))


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    code = cli.main(
        ["--output", str(out), "--seed", "3", "--start", "2023-01-03", "--end", "2023-02-28", "--minute-days", "1"]
    )
    assert code == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    manifest = MarketManifest.load(out)
    assert manifest.seed == 3 and manifest.first_trading_day == date(2023, 1, 3)
    assert manifest.minute_dates == (date(2023, 2, 28),)
    assert cli.main(["--output", str(out), "--start", "2023-02-01", "--end", "2023-01-01"]) == 2

    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli.add_arguments(sub.add_parser("synthetic"))
    args = parser.parse_args(["synthetic", "--resolutions", "daily,hour"])
    assert args.resolutions == ("daily", "hour") and args.seed == 7 and args.minute_days == 20


def test_map_file_first_row_is_first_session(small_market: MarketManifest, small_root: Path) -> None:
    for record in small_market.tickers:
        rows = map_rows(small_root, record.ticker)
        assert rows[0][0] == f"{record.first_date:%Y%m%d}"
        assert rows[0][1] == record.symbols[0].ticker.lower()
