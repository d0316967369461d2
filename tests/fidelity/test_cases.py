"""LEAN regression cases: our own algorithms must reproduce LEAN's statistics as exact strings."""
from __future__ import annotations

import pytest

from harness import ALGORITHM_FILES, CORE_STATISTICS, DATA_FOLDER, SECONDARY_STATISTICS, cases, run_case

pytestmark = pytest.mark.skipif(not DATA_FOLDER.is_dir(), reason="LEAN sample data (../shared/lean-data) not available")

CASES = sorted(ALGORITHM_FILES, key=lambda name: (cases()[name]["tier"], name))


@pytest.fixture(scope="module", params=CASES, ids=[f"tier{cases()[n]['tier']}-{n}" for n in CASES])
def result(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return run_case(request.param)


def test_completes(result) -> None:  # type: ignore[no-untyped-def]
    assert result.status == "Completed", result.error


def test_core_statistics_match_exactly(result) -> None:  # type: ignore[no-untyped-def]
    assert result.mismatches(CORE_STATISTICS) == {}


def test_every_statistic_matches(result) -> None:  # type: ignore[no-untyped-def]
    keys = tuple(k for k in result.expected if k not in SECONDARY_STATISTICS)
    assert result.mismatches(keys) == {}


def test_order_list_hash_and_capacity_match(result) -> None:  # type: ignore[no-untyped-def]
    assert result.mismatches(SECONDARY_STATISTICS) == {}
