"""Plumbing shared by the market-data, portfolio and paper-broker MCP servers (official ``mcp`` SDK 2.x).

``GuardedServer`` is an ``MCPServer`` whose every tool call first passes:

* a per-tool rate limit (sliding window; limits from the risk policy's ``[rate_limits]``, per server process);
* an argument-name check: unknown arguments are an error (the SDK would silently drop them), and any
  argument *named* like a credential (``api_key``, ``token``, ``password``...) is refused: credentials come
  only from the environment (``trading.credentials``).

Errors a caller can fix are raised as ``ToolError`` (an ``is_error`` result with a readable message); any other
exception is wrapped so that the model reads ``<tool> failed: <type>: <message>`` and never a traceback.
"""
from __future__ import annotations

import argparse
import collections
import functools
import inspect
import logging
import threading
import time
from typing import Any, Callable, Mapping

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from mcp_backtest.risk_policy import PolicyError, RateLimit, RiskPolicy, load_policy
from mcp_backtest.trading.credentials import is_secret_name, redact
from mcp_backtest.trading.workspace import Workspace

log = logging.getLogger("mcp_backtest.trading")
FALLBACK_LIMIT = RateLimit(calls=60, per_seconds=60.0)


class RateLimiter:
    """At most ``calls`` calls per ``per_seconds`` window per tool; ``clock`` is injectable for tests."""

    def __init__(self, limits: Callable[[str], RateLimit], clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._calls: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def check(self, tool: str) -> None:
        limit = self._limits(tool)
        now = self._clock()
        with self._lock:
            window = self._calls[tool]
            while window and now - window[0] >= limit.per_seconds:
                window.popleft()
            if len(window) >= limit.calls:
                retry = limit.per_seconds - (now - window[0])
                raise ToolError(
                    f"rate limit for {tool}: at most {limit.calls} calls per {limit.per_seconds:g} s; "
                    f"retry in {retry:.1f} s"
                )
            window.append(now)


def policy_rate_limits(workspace: Workspace) -> Callable[[str], RateLimit]:
    """Rate limits from the policy file, re-read at most every 5 s; an unreadable policy gives the fallback."""
    cache: dict[str, Any] = {"at": -1e9, "policy": None}

    def limits(tool: str) -> RateLimit:
        now = time.monotonic()
        if now - cache["at"] > 5.0:
            try:
                cache["policy"] = load_policy(workspace.policy_path)
            except PolicyError:
                cache["policy"] = None
            cache["at"] = now
        policy: RiskPolicy | None = cache["policy"]
        return policy.rate_limit(tool) if policy is not None else FALLBACK_LIMIT

    return limits


class GuardedServer(MCPServer):
    def __init__(self, name: str, *, limiter: RateLimiter, instructions: str | None = None) -> None:
        super().__init__(name, instructions=instructions)
        self.limiter = limiter
        self._arg_names: dict[str, frozenset[str]] | None = None

    async def _known_arguments(self, name: str) -> frozenset[str] | None:
        if self._arg_names is None:
            self._arg_names = {
                t.name: frozenset((t.input_schema or {}).get("properties", {}) or {}) for t in await self.list_tools()
            }
        return self._arg_names.get(name)

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:  # type: ignore[override]
        known = await self._known_arguments(name)
        if known is not None:
            if not isinstance(arguments, Mapping):
                raise ToolError(f"Error executing tool {name}: arguments must be an object")
            secret = sorted(k for k in arguments if is_secret_name(str(k)))
            if secret:
                raise ToolError(
                    f"Error executing tool {name}: argument(s) {secret} look like credentials; credentials are "
                    "never passed as tool arguments (they come from the server's environment)"
                )
            unknown = sorted(str(k) for k in arguments if k not in known)
            if unknown:
                raise ToolError(
                    f"Error executing tool {name}: unknown argument(s) {unknown}; expected {sorted(known) or 'none'}"
                )
            self.limiter.check(name)
        return await super().call_tool(name, arguments, context)


def tool_errors(*expected: type[BaseException]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn ``expected`` exceptions into ``ToolError`` with their message, and anything else into a ToolError
    naming the exception type (logged with its traceback on the server's stderr, never sent to the model)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        def convert(err: Exception) -> ToolError:
            if isinstance(err, ToolError):
                return err
            if isinstance(err, expected):
                return ToolError(str(redact(str(err))))
            log.exception("%s failed", fn.__name__)
            return ToolError(f"{fn.__name__} failed: {type(err).__name__}: {redact(str(err))}")

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception as err:  # noqa: BLE001
                    raise convert(err) from err

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as err:  # noqa: BLE001
                raise convert(err) from err

        return wrapper

    return decorate


def run_server(build: Callable[[Workspace], MCPServer], description: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--transport", choices=("stdio", "streamable-http"), default="stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = build(Workspace.discover())
    if args.transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=args.host, port=args.port)
    return 0
