"""market_data server, in-process through an MCP client session."""
from __future__ import annotations

import pytest
from mcp import Client

from mcp_backtest.market_server import build_server
from mcp_backtest.trading.account import AccountStore
from paper_testkit import call, call_error

pytestmark = pytest.mark.anyio


async def test_tools_are_read_only_with_schemas(ws) -> None:
    async with Client(build_server(ws)) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
    assert set(tools) == {"list_symbols", "get_latest_bar", "get_quote", "get_history", "get_market_status"}
    for t in tools.values():
        assert t.annotations is not None and t.annotations.read_only_hint is True
        assert t.output_schema is not None and t.description


async def test_symbols_bars_quotes_and_hours(ws) -> None:
    async with Client(build_server(ws)) as c:
        listing = await call(c, "list_symbols")
        assert listing["synthetic"] is True
        spy = next(s for s in listing["symbols"] if s["symbol"] == "SPY")
        assert spy["resolutions"] == ["minute", "daily", "hour"] and spy["minute_days"] == 3 and spy["tradable"]
        assert spy["first_date"] == "2024-01-02" and spy["last_date"] == "2024-03-28"

        bar = await call(c, "get_latest_bar", {"symbol": "spy"})  # clock 2024-03-27 10:00
        assert bar["resolution"] == "minute" and bar["end"] == "2024-03-27T10:00:00"
        assert bar["start"] == "2024-03-27T09:59:00" and bar["low"] <= bar["close"] <= bar["high"]
        daily = await call(c, "get_latest_bar", {"symbol": "SPY", "resolution": "daily"})
        assert daily["end"] == "2024-03-26T16:00:00"  # today's daily bar is not known before the close

        quote = await call(c, "get_quote", {"symbol": "SPY"})
        assert quote["source"] == "quote bars" and quote["bid"] <= quote["ask"]
        earlier = await call(c, "get_quote", {"symbol": "SPY", "at": "2024-01-10T12:00:00"})
        assert earlier["source"] == "trade bars" and earlier["bid"] == earlier["ask"] == earlier["last"]

        status = await call(c, "get_market_status", {"symbol": "SPY"})
        assert status["open"] is True and status["next_close"] == "2024-03-27T16:00:00"
        night = await call(c, "get_market_status", {"at": "2024-03-26T20:00:00"})
        assert night["open"] is False and night["next_open"] == "2024-03-27T09:30:00"


async def test_history_never_looks_past_the_clock(ws) -> None:
    async with Client(build_server(ws)) as c:
        h = await call(c, "get_history", {"symbol": "SPY", "end": "2024-03-28T16:00:00", "limit": 5})
        assert h["clamped_to_clock"] is True and h["end"] == "2024-03-27T10:00:00"
        assert [b["end"][:10] for b in h["bars"]] == ["2024-03-20", "2024-03-21", "2024-03-22", "2024-03-25", "2024-03-26"]
        assert h["truncated"] is True
        m = await call(c, "get_history", {"symbol": "SPY", "resolution": "minute", "start": "2024-03-27T09:31:00"})
        assert [b["end"] for b in m["bars"]][:1] == ["2024-03-27T09:31:00"] and len(m["bars"]) == 30
        assert all(b["end"] <= "2024-03-27T10:00:00" for b in m["bars"])
        msg = await call_error(c, "get_latest_bar", {"symbol": "SPY", "at": "2024-03-28T10:00:00"})
        assert "after the paper clock" in msg


@pytest.mark.parametrize(
    ("tool", "args", "phrase"),
    [
        ("get_latest_bar", {"symbol": "NOPE"}, "no data"),
        ("get_latest_bar", {"symbol": "SPY", "resolution": "tick"}, "validation"),
        ("get_latest_bar", {}, "symbol"),
        ("get_quote", {"symbol": "SPY", "at": "yesterday"}, "ISO 8601"),
        ("get_quote", {"symbol": "SPY", "at": "2024-03-27T10:00:00+00:00"}, "without a zone"),
        ("get_history", {"symbol": "SPY", "limit": 0}, "limit"),
        ("get_history", {"symbol": "SPY", "start": "2024-03-27T11:00:00", "end": "2024-03-27T09:00:00"}, "after end"),
        ("get_history", {"symbol": "SPY", "bogus": 1}, "unknown argument"),
        ("get_history", {"symbol": "SPY", "token": "x"}, "credentials"),
        ("get_market_status", {"symbol": "$$$"}, "not a ticker"),
        ("get_latest_bar", {"symbol": "SPY", "at": "2023-01-01T10:00:00"}, "no minute or daily bar"),
    ],
)
async def test_invalid_arguments_are_clear_tool_errors(ws, tool: str, args: dict, phrase: str) -> None:
    async with Client(build_server(ws)) as c:
        assert phrase in await call_error(c, tool, args)


async def test_without_a_paper_account_times_are_required(make_ws) -> None:
    ws = make_ws(cash=None)
    assert not AccountStore(ws.account_path).exists()
    async with Client(build_server(ws)) as c:
        assert "pass at explicitly" in await call_error(c, "get_quote", {"symbol": "SPY"})
        bar = await call(c, "get_latest_bar", {"symbol": "SPY", "at": "2024-03-28T16:00:00"})
        assert bar["end"] == "2024-03-28T16:00:00"


async def test_missing_data_folder_is_a_clear_error(tmp_path) -> None:
    from mcp_backtest.trading.sandbox import make_workspace

    ws = make_workspace(tmp_path / "w", tmp_path / "no-data", cash=None)
    async with Client(build_server(ws)) as c:
        assert "no LEAN data folder" in await call_error(c, "list_symbols")
