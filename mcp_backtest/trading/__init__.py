"""Paper trading: workspace paths, market data access, the paper account and its broker, rate limits,
credential hygiene and the MCP server plumbing shared by the market-data, portfolio and paper-broker servers.

Paper only: nothing in this package can reach a live broker.
"""
