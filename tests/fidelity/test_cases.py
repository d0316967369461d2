"""LEAN regression cases: our own algorithms must reproduce LEAN's statistics as exact strings."""
from __future__ import annotations

import pytest

from harness import CORE_STATISTICS, DATA_FOLDER, SECONDARY_STATISTICS, CaseResult, case_names, cases, run_case

pytestmark = pytest.mark.skipif(not DATA_FOLDER.is_dir(), reason="LEAN sample data (../shared/lean-data) not available")

CASES = case_names()

# cases we run but do not reproduce yet, with what is known; they are reported as expected failures while they
# differ and pass as soon as they match
KNOWN_MISMATCHES: dict[str, str] = {
    "FillOutsideHoursMinuteResolutionAlgorithm": (
        "OrderListHash only: LEAN's order keeps the DateTime kind of the request's time, and the C# case passes the "
        "local Time (kind Unspecified), so time/createdTime serialize without 'Z' (the hash matches when written "
        "so); our naive datetimes do not tell an unspecified local time from UTC"
    ),
}


def _assert_matches(result: CaseResult, keys: tuple[str, ...]) -> None:
    mismatches = result.mismatches(keys)
    if mismatches and result.name in KNOWN_MISMATCHES:
        pytest.xfail(f"{KNOWN_MISMATCHES[result.name]}: {mismatches}")
    assert mismatches == {}


@pytest.fixture(scope="module", params=CASES, ids=[f"tier{cases()[n]['tier']}-{n}" for n in CASES])
def result(request: pytest.FixtureRequest) -> CaseResult:
    return run_case(request.param)


def test_completes(result: CaseResult) -> None:
    assert result.status == "Completed", result.error


def test_core_statistics_match_exactly(result: CaseResult) -> None:
    _assert_matches(result, CORE_STATISTICS)


def test_every_statistic_matches(result: CaseResult) -> None:
    _assert_matches(result, tuple(k for k in result.expected if k not in SECONDARY_STATISTICS))


def test_order_list_hash_and_capacity_match(result: CaseResult) -> None:
    _assert_matches(result, SECONDARY_STATISTICS)
