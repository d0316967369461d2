"""Market data MCP server (read-only): symbols of the data folder, latest bar and quote, history, market hours.

Scope: reads the LEAN data folder and the paper account's *clock* only (never positions, never writes). The
default time of every lookup is the paper clock, and nothing after it is returned (no look-ahead): ``at`` later
than the clock is an error, a history ``end`` later than the clock is moved back to it. Without a paper
account, ``at``/``end`` must be given.

Run: ``python -m mcp_backtest.market_server [--transport stdio|streamable-http]``.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Literal

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_backtest.risk_policy import PolicyError, load_policy
from mcp_backtest.trading.account import AccountError, AccountStore, parse_clock
from mcp_backtest.trading.models import BarOut, HistoryOut, MarketStatusOut, QuoteOut, SymbolList, SymbolOut
from mcp_backtest.trading.prices import Bar, MarketData, MarketDataError, normalize_symbol
from mcp_backtest.trading.server_base import GuardedServer, RateLimiter, policy_rate_limits, run_server, tool_errors
from mcp_backtest.trading.workspace import Workspace, WorkspaceError

NAME = "market_data"
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
Symbol = Annotated[str, Field(description="ticker, e.g. SPY", min_length=1, max_length=10)]
When = Annotated[
    str | None,
    Field(description="exchange time, ISO 8601 without zone (e.g. 2024-12-03T10:30:00); default: the paper clock"),
]
EXPECTED = (MarketDataError, AccountError, WorkspaceError, PolicyError, ValueError)


def _bar_out(bar: Bar) -> BarOut:
    return BarOut(**bar.to_json())  # type: ignore[arg-type]


def build_server(workspace: Workspace, limiter: RateLimiter | None = None) -> GuardedServer:
    server = GuardedServer(
        NAME,
        limiter=limiter or RateLimiter(policy_rate_limits(workspace)),
        instructions="Read-only US-equity market data from the workspace's LEAN data folder, as of the paper "
        "account's clock (no look-ahead). Times are New York exchange time.",
    )
    store = AccountStore(workspace.account_path)
    cache: dict[str, MarketData] = {}

    def market() -> MarketData:
        if "m" not in cache:
            cache["m"] = MarketData(workspace.data())
        return cache["m"]

    def paper_clock() -> datetime | None:
        if not store.exists():
            return None
        return store.read().clock

    def resolve_time(at: str | None, what: str = "at") -> datetime:
        clock = paper_clock()
        if at is None:
            if clock is None:
                raise ToolError(f"no paper account clock in this workspace; pass {what} explicitly")
            return clock
        t = parse_clock(at)
        if clock is not None and t > clock:
            raise ToolError(f"{what}={t.isoformat()} is after the paper clock {clock.isoformat()} (no look-ahead)")
        return t

    def symbol_checked(symbol: str) -> str:
        s = normalize_symbol(symbol)
        if not market().has_symbol(s):
            raise ToolError(f"{s} has no data in {workspace.data_folder}; see list_symbols")
        return s

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def list_symbols() -> SymbolList:
        """Symbols with data in the workspace's LEAN data folder: resolutions, date range, and whether the risk
        policy allows trading them."""
        try:
            allowed = load_policy(workspace.policy_path).allowed_symbols
        except PolicyError:
            allowed = frozenset()
        m = market()
        synthetic = False
        manifest = workspace.data_folder / "SYNTHETIC_MARKET.json"
        if manifest.is_file():
            try:
                synthetic = bool(json.loads(manifest.read_text(encoding="utf-8")).get("synthetic"))
            except (OSError, ValueError):
                synthetic = True
        return SymbolList(
            data_folder=str(workspace.data_folder),
            synthetic=synthetic,
            symbols=[
                SymbolOut(
                    symbol=i.symbol,
                    resolutions=list(i.resolutions),
                    first_date=i.first_date.isoformat() if i.first_date else None,
                    last_date=i.last_date.isoformat() if i.last_date else None,
                    minute_days=i.minute_days,
                    tradable=i.symbol in allowed,
                )
                for i in m.symbols()
            ],
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_latest_bar(
        symbol: Symbol,
        resolution: Annotated[
            Literal["minute", "hour", "daily"] | None,
            Field(description="default: the day's last minute bar if the day has minute data, else the last daily bar"),
        ] = None,
        at: When = None,
    ) -> BarOut:
        """The last trade bar of a symbol that had ended at the given time (default: the paper clock)."""
        s = symbol_checked(symbol)
        return _bar_out(market().latest_bar(s, resolve_time(at), resolution))

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_quote(symbol: Symbol, at: When = None) -> QuoteOut:
        """Latest bid/ask (minute quote bars) and last trade price; without quote data bid = ask = last."""
        s = symbol_checked(symbol)
        q = market().latest_quote(s, resolve_time(at))
        return QuoteOut(
            symbol=q.symbol,
            time=q.time.isoformat(),
            bid=None if q.bid is None else float(q.bid),
            ask=None if q.ask is None else float(q.ask),
            bid_size=q.bid_size,
            ask_size=q.ask_size,
            last=float(q.last),
            source=q.source,
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_history(
        symbol: Symbol,
        resolution: Literal["minute", "hour", "daily"] = "daily",
        start: Annotated[str | None, Field(description="first bar end to include, exchange time (ISO 8601)")] = None,
        end: Annotated[str | None, Field(description="last bar end to include; default and maximum: the paper clock")] = None,
        limit: Annotated[int, Field(ge=1, le=5000, description="at most this many bars, the newest")] = 100,
    ) -> HistoryOut:
        """Trade bars of a symbol that ended in [start, end], oldest first (raw, unadjusted prices)."""
        s = symbol_checked(symbol)
        clock = paper_clock()
        if end is None:
            if clock is None:
                raise ToolError("no paper account clock in this workspace; pass end explicitly")
            until, clamped = clock, False
        else:
            until = parse_clock(end)
            clamped = clock is not None and until > clock
            if clamped:
                assert clock is not None
                until = clock
        since = parse_clock(start) if start is not None else None
        if since is not None and since > until:
            raise ToolError(f"start {since.isoformat()} is after end {until.isoformat()}")
        after = None if since is None else since - timedelta(microseconds=1)  # bars ending at `start` count
        bars = market().bars_between(s, resolution, after, until)
        truncated = len(bars) > limit
        return HistoryOut(
            symbol=s,
            resolution=resolution,
            start=None if since is None else since.isoformat(),
            end=until.isoformat(),
            clamped_to_clock=clamped,
            truncated=truncated,
            bars=[_bar_out(b) for b in bars[-limit:]],
        )

    @server.tool(annotations=READ_ONLY)
    @tool_errors(*EXPECTED)
    def get_market_status(symbol: Symbol = "SPY", at: When = None) -> MarketStatusOut:
        """Whether the symbol's exchange is open at the given time (LEAN market-hours database), and the next
        regular open and close."""
        s = normalize_symbol(symbol)
        t = resolve_time(at)
        hours = market().exchange_hours(s)
        return MarketStatusOut(
            symbol=s,
            at=t.isoformat(),
            open=bool(hours.is_open_at(t, False)),
            extended_open=bool(hours.is_open_at(t, True)),
            next_open=hours.get_next_market_open(t, False).isoformat(),
            next_close=hours.get_next_market_close(t, False).isoformat(),
        )

    return server


def main(argv: list[str] | None = None) -> int:
    return run_server(build_server, "Market data MCP server (read-only, paper clock)", argv)


if __name__ == "__main__":
    raise SystemExit(main())
