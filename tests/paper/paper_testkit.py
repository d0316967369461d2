"""Helpers for calling the trading MCP servers in-process through an MCP client session."""
from __future__ import annotations

from typing import Any

from mcp import Client


async def call(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call a tool that must succeed; return its structured content."""
    result = await client.call_tool(tool, args or {})
    text = " ".join(getattr(c, "text", "") for c in result.content)
    assert result.is_error is False, f"{tool}({args}) failed: {text}"
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, args: dict[str, Any] | None = None) -> str:
    """Call a tool that must fail with a tool error; return the message (never a traceback)."""
    result = await client.call_tool(tool, args or {})
    assert result.is_error is True, f"{tool}({args}) unexpectedly succeeded: {result.structured_content}"
    text = " ".join(getattr(c, "text", "") for c in result.content)
    assert text and "Traceback" not in text and 'File "' not in text
    return text
