"""Fixtures for the research tests: a QuantBook on LEAN's sample data, and isolation of the engine's context
variables (a QuantBook activates its symbol cache and map files for ``Symbol.create``, as LEAN's global one does)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lean_local.securities.identifier import get_map_file_resolver, set_map_file_resolver
from lean_local.securities.symbol import active_symbol_cache, set_active_symbol_cache

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_engine_context() -> Iterator[None]:
    cache, resolver = active_symbol_cache(), get_map_file_resolver()
    yield
    set_active_symbol_cache(cache)
    set_map_file_resolver(resolver)


@pytest.fixture
def qb(lean_data: Path) -> object:
    from lean_local.research import QuantBook

    return QuantBook(lean_data)
