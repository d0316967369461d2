"""The Claude Code integration files: .claude/settings.json (hooks and matchers), .mcp.json (servers, started
over stdio as Claude Code starts them), .claude/agents/*.md (personas and their tool lists), CLAUDE.md."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from mcp_backtest import broker_server, market_server, portfolio_server
from mcp_backtest.trading.sandbox import workspace_env

REPO = Path(__file__).resolve().parents[2]
SETTINGS = json.loads((REPO / ".claude" / "settings.json").read_text())
MCP = json.loads((REPO / ".mcp.json").read_text())
MINE = {"market_data": market_server, "portfolio": portfolio_server, "paper_broker": broker_server}
BACKTEST_TOOLS = {"list_projects", "read_project", "create_project", "add_library", "check_syntax", "create_backtest",
                  "read_backtest", "list_backtests", "read_backtest_orders", "read_backtest_chart", "read_backtest_logs",
                  "create_optimization", "read_optimization"}
PERSONAS = {"orchestrator", "market", "strategy", "execution", "risk", "research", "compliance"}


def matches(matcher: str | None, value: str) -> bool:
    """Claude Code 2.1.330's matcher rule (agent-standards §1.3)."""
    if matcher in (None, "", "*"):
        return True
    if re.fullmatch(r"[A-Za-z0-9_|]+", matcher):
        return value in matcher.split("|")
    return re.search(matcher, value) is not None  # a JavaScript RegExp.test


def hooks_for(event: str, value: str) -> list[str]:
    out = []
    for group in SETTINGS["hooks"].get(event, []):
        if matches(group.get("matcher"), value):
            out += [Path(h["command"].split()[-1].replace('"', '')).name for h in group["hooks"]]
    return out


@pytest.fixture(scope="module")
def tool_names(tmp_path_factory) -> dict[str, set[str]]:
    import anyio

    from mcp_backtest.trading.sandbox import make_workspace

    ws = make_workspace(tmp_path_factory.mktemp("cfg"), tmp_path_factory.mktemp("nodata"), cash=None)

    async def names() -> dict[str, set[str]]:
        out = {}
        for server, module in MINE.items():
            async with Client(module.build_server(ws)) as c:
                out[server] = {t.name for t in (await c.list_tools()).tools}
        return out

    return anyio.run(names)


def test_every_hook_command_is_a_file_with_a_timeout() -> None:
    for event, groups in SETTINGS["hooks"].items():
        for group in groups:
            for h in group["hooks"]:
                assert h["type"] == "command" and isinstance(h["timeout"], int) and 0 < h["timeout"] <= 60
                script = h["command"].split()[-1].replace('"', '').replace("$CLAUDE_PROJECT_DIR", str(REPO))
                assert Path(script).is_file(), script
                assert '"$CLAUDE_PROJECT_DIR"/.venv/bin/python' in h["command"]
                if event == "PreToolUse":
                    assert h.get("onFailure") == "block"  # a hook that cannot run must not let the call through


def test_matchers_cover_the_real_tool_names(tool_names) -> None:
    for tool in tool_names["paper_broker"]:
        name = f"mcp__paper_broker__{tool}"
        assert hooks_for("PreToolUse", name) == ["risk_validator.py"], name
        expected = ["log_trade.py"] if tool in ("place_order", "cancel_order") else []
        assert hooks_for("PostToolUse", name) == expected
        assert hooks_for("PostToolUseFailure", name) == expected
    for server in ("market_data", "portfolio"):
        for tool in tool_names[server]:
            assert hooks_for("PreToolUse", f"mcp__{server}__{tool}") == []
    assert hooks_for("PostToolUse", "mcp__backtest__create_backtest") == ["parse_backtest.py"]
    assert hooks_for("PostToolUse", "mcp__backtest__read_backtest") == []
    for tool in ("Edit", "Write", "MultiEdit", "NotebookEdit"):
        assert hooks_for("PreToolUse", tool) == ["algo_change_guard.py"]
    assert hooks_for("PreToolUse", "Read") == [] and hooks_for("PreToolUse", "EditX") == []
    for source in ("startup", "resume", "clear", "compact"):
        assert hooks_for("SessionStart", source) == ["load_context.py"]


def test_mcp_json_registers_the_four_servers() -> None:
    servers = MCP["mcpServers"]
    assert set(servers) == {"backtest", "market_data", "portfolio", "paper_broker"}
    assert servers["backtest"]["args"] == ["-m", "mcp_backtest.backtest_server"]
    for name, cfg in servers.items():
        assert cfg["type"] == "stdio" and cfg["args"][0] == "-m"
        assert expand(cfg["command"], {}) == "./.venv/bin/python", "the project's venv, no activation needed"
        assert expand(cfg["command"], {"CLAUDE_PROJECT_DIR": "/p"}) == "/p/.venv/bin/python"
        assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
        assert not any(re.search("key|secret|token|password", k, re.I) for k in cfg.get("env", {}))
    for name in MINE:
        module = servers[name]["args"][1]
        assert (REPO / (module.replace(".", "/") + ".py")).is_file()
    assert set(SETTINGS["enabledMcpjsonServers"]) == set(servers)


@pytest.mark.anyio
@pytest.mark.parametrize("server", sorted(MINE))
async def test_servers_start_over_stdio_from_mcp_json(server: str, tmp_path: Path) -> None:
    from mcp_backtest.trading.sandbox import make_workspace, synthetic_market

    data = synthetic_market(tmp_path / "data")
    ws = make_workspace(tmp_path / "ws", data)
    cfg = MCP["mcpServers"][server]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEAN_", "CLAUDE_"))}
    env.update(workspace_env(ws))
    command = expand(cfg["command"], env)  # as Claude Code expands it, started from the project root
    params = StdioServerParameters(command=command, args=cfg["args"], env=env, cwd=str(REPO))
    async with Client(params) as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        first = {"market_data": ("get_quote", {"symbol": "SPY"}), "portfolio": ("get_account", {}),
                 "paper_broker": ("get_clock", {})}[server]
        result = await client.call_tool(*first)
    assert tools and result.is_error is False and result.structured_content


def expand(value: str, env: dict[str, str]) -> str:
    """Claude Code's ``${VAR}`` / ``${VAR:-default}`` expansion in .mcp.json (a missing VAR without default is an
    error there)."""
    def one(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(3)
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(f"{name} is not set and has no default")
        return default

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", one, value)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _frontmatter(path: Path) -> dict[str, str]:
    text = path.read_text()
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    assert body.strip(), "the body is the subagent's system prompt"
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_seven_personas_with_narrow_tool_lists(tool_names) -> None:
    files = {p.stem: p for p in (REPO / ".claude" / "agents").glob("*.md")}
    assert set(files) == PERSONAS
    known = {f"mcp__{s}__{t}" for s, ts in tool_names.items() for t in ts} | {f"mcp__backtest__{t}" for t in BACKTEST_TOOLS}
    builtin = {"Read", "Glob", "Grep", "Edit", "Write"}
    tools_of = {}
    for name, path in files.items():
        fm = _frontmatter(path)
        assert fm["name"] == name and len(fm["description"]) > 40
        tools = [t.strip() for t in re.split(r",(?![^(]*\))", fm["tools"])]
        for t in tools:
            assert t in known or t in builtin or t.startswith("Agent("), (name, t)
        assert "Bash" not in tools, name
        tools_of[name] = set(tools)
    order_tools = {"mcp__paper_broker__place_order"}
    assert [n for n, t in tools_of.items() if t & order_tools] == ["execution"]
    assert not any(t & {"Edit", "Write"} for n, t in tools_of.items() if n != "strategy")
    assert not (tools_of["market"] | tools_of["compliance"]) - {t for t in known if "place" not in t} - builtin
    assert "mcp__paper_broker__cancel_order" in tools_of["risk"]


def test_claude_md_documents_the_conventions() -> None:
    text = (REPO / "CLAUDE.md").read_text()
    for phrase in ("DEPLOYED", "approvals/", "expires_at", "approved_by", "config/risk_policy.toml",
                   "python -m mcp_backtest.audit verify", ".trading/KILL_SWITCH", "create_backtest", "paper"):
        assert phrase in text, phrase
