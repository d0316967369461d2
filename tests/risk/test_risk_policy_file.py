"""The policy file: the repository's one parses, and every malformed or incomplete one is refused."""
from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from mcp_backtest.risk_policy import PolicyError, load_policy, parse_policy
from mcp_backtest.trading.sandbox import DEFAULT_POLICY, policy_toml

REPO = Path(__file__).resolve().parents[2]


def test_repository_policy_loads_with_documented_defaults() -> None:
    policy = load_policy(REPO / "config" / "risk_policy.toml")
    assert policy.version >= 1
    assert policy.max_order_notional == Decimal("25000.0")
    assert policy.max_position_weight == Decimal("0.20")
    assert policy.max_gross_exposure == Decimal("1.00")
    assert policy.daily_loss_limit == Decimal("0.02")
    assert {"SPY", "QQQ", "SYNSFT"} <= policy.allowed_symbols
    assert policy.kill_switch_file == ".trading/KILL_SWITCH"
    assert policy.require_market_open and not policy.extended_hours
    assert policy.rate_limit("place_order").calls == 10
    assert policy.rate_limit("anything_else") == policy.rate_limits["default"]
    assert len(policy.sha256) == 64


def _without(doc: dict, section: str, key: str | None) -> dict:
    d = copy.deepcopy(doc)
    if key is None:
        del d[section]
    else:
        del d[section][key]
    return d


INCOMPLETE = [(s, k) for s, table in DEFAULT_POLICY.items() if isinstance(table, dict) for k in [None, *table]]


@pytest.mark.parametrize(("section", "key"), INCOMPLETE + [("version", None)])
def test_every_missing_field_is_an_error(section: str, key: str | None) -> None:
    doc = copy.deepcopy(DEFAULT_POLICY)
    if section == "version":
        del doc["version"]
    elif section == "rate_limits" and key == "default":
        doc["rate_limits"] = {"place_order": {"calls": 1, "per_seconds": 1}}
    else:
        doc = _without(doc, section, key)
    with pytest.raises(PolicyError):
        parse_policy(doc)


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("limits", "max_order_notional", -1), ("limits", "max_order_notional", 0), ("limits", "max_order_notional", "1e9"),
        ("limits", "max_order_notional", True), ("limits", "max_order_notional", float("nan")),
        ("limits", "max_order_notional", float("inf")), ("limits", "max_position_weight", 0),
        ("limits", "daily_loss_limit", 1.5), ("limits", "daily_loss_limit", 0), ("symbols", "allow", []),
        ("symbols", "allow", ["spy"]), ("symbols", "allow", "SPY"), ("symbols", "allow", [1]),
        ("kill_switch", "file", ""), ("market_hours", "require_open", "yes"), ("market_hours", "max_price_age_days", 0),
        ("backtest_red_flags", "min_total_orders", -3), ("backtest_red_flags", "max_drawdown", 2),
        ("rate_limits", "default", {"calls": 0, "per_seconds": 1}), ("rate_limits", "default", {"calls": 1}),
        ("limits", "surprise", 1),
    ],
)
def test_bad_values_are_errors(section: str, key: str, value: object) -> None:
    doc = copy.deepcopy(DEFAULT_POLICY)
    doc[section][key] = value
    with pytest.raises(PolicyError):
        parse_policy(doc)


def test_unknown_section_and_bad_version(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="unknown policy section"):
        parse_policy({**DEFAULT_POLICY, "extra": {}})
    for version in (0, -1, "1", 1.0, True):
        with pytest.raises(PolicyError, match="version"):
            parse_policy({**DEFAULT_POLICY, "version": version})
    with pytest.raises(PolicyError, match="empty"):
        parse_policy({})


@pytest.mark.parametrize("text", ["", "not = [valid", "\xff\xfe", "version = 1\n"])
def test_empty_malformed_or_incomplete_files(tmp_path: Path, text: str) -> None:
    p = tmp_path / "policy.toml"
    p.write_bytes(text.encode("latin-1"))
    with pytest.raises(PolicyError):
        load_policy(p)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")


def test_round_trip_of_the_sandbox_writer() -> None:
    assert parse_policy(tomllib.loads(policy_toml(DEFAULT_POLICY))).max_position_weight == Decimal("0.2")
