"""``lean-local data synthetic``: command-line front end of :func:`generate_market`.

The main ``lean-local`` CLI mounts it as a subcommand::

    sub = data_subparsers.add_parser("synthetic", help=cli.HELP, description=cli.DESCRIPTION)
    cli.add_arguments(sub)
    sub.set_defaults(handler=cli.run)

and ``main(argv)`` runs it standalone (also ``python -m lean_local.synthetic``).
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Sequence

from lean_local.synthetic.corporate import SyntheticMarketError
from lean_local.synthetic.generator import RESOLUTIONS, generate_market

DEFAULT_OUTPUT = Path("data") / "synthetic"
HELP = "generate a synthetic (fake, clearly labelled) US-equity market in LEAN's data format"
DESCRIPTION = (
    "Write a deterministic synthetic US-equity market (SPY as a synthetic index fund plus fictional SYN* "
    "stocks, with splits, dividends, a rename and a delisting) in LEAN's on-disk format, so backtests run "
    "without real data. Nothing it writes is real market data. The same seed and span give "
    "byte-identical files."
)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from error


def _resolutions(text: str) -> tuple[str, ...]:
    values = tuple(v.strip().lower() for v in text.split(",") if v.strip())
    unknown = [v for v in values if v not in RESOLUTIONS]
    if unknown or not values:
        raise argparse.ArgumentTypeError(f"resolutions are a comma-separated subset of {','.join(RESOLUTIONS)}")
    return values


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``data synthetic`` options to ``parser``."""
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT,
        help=f"data folder to create (default: {DEFAULT_OUTPUT}); an existing one must be empty or a "
        "previous synthetic market",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument("--start", type=_iso_date, default=date(2015, 1, 2), help="first date, YYYY-MM-DD")
    parser.add_argument("--end", type=_iso_date, default=date(2024, 12, 31), help="last date, YYYY-MM-DD")
    parser.add_argument(
        "--minute-days", type=int, default=20,
        help="number of sessions, counted back from the end, that get minute trade/quote files (default: 20)",
    )
    parser.add_argument(
        "--resolutions", type=_resolutions, default=RESOLUTIONS,
        help="comma-separated resolutions to write (default: daily,hour,minute)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")


def run(args: argparse.Namespace) -> int:
    """Generate the market described by parsed ``args``; returns the process exit code."""
    if args.end < args.start:
        print(f"error: --end {args.end} is before --start {args.start}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        manifest = generate_market(
            args.output,
            seed=args.seed,
            start=args.start,
            end=args.end,
            minute_days=args.minute_days,
            resolutions=args.resolutions,
        )
    except SyntheticMarketError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        elapsed = time.perf_counter() - started
        tickers = ", ".join(t.ticker for t in manifest.tickers)
        print(
            f"SYNTHETIC market written to {manifest.root} in {elapsed:.1f}s: {manifest.file_count} files, "
            f"{manifest.total_bytes / 1e6:.1f} MB, {manifest.trading_days} sessions "
            f"{manifest.first_trading_day}..{manifest.last_trading_day}, seed {manifest.seed}\n"
            f"tickers: {tickers}\n"
            "This is fake data (SPY is a synthetic index fund); see README.md and SYNTHETIC_MARKET.json there."
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lean-local data synthetic", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
