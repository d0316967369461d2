"""MCP servers around the LEAN workspace.

* :mod:`mcp_backtest.backtest_server` — the backtest MCP server (QuantConnect's tool names: ``list_projects``,
  ``create_backtest``, ``read_backtest_logs`` ...), with a local (``lean_local``) and a ``lean``-CLI backend.
* :class:`mcp_backtest.service.BacktestService` — the same operations as a Python API, for other servers and hooks.

Import the submodules you need; this package imports nothing heavy itself.
"""
