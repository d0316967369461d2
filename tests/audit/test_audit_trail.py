"""The audit trail: hash chain, append-only triggers, tamper detection naming the record, redaction, CLI."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mcp_backtest.audit import GENESIS, AuditError, AuditTrail, record_hash

REPO = Path(__file__).resolve().parents[2]


def _filled(tmp_path: Path, n: int = 5) -> AuditTrail:
    trail = AuditTrail(tmp_path / "audit.sqlite3")
    for i in range(n):
        trail.append("order_decision", "test", {"i": i, "symbol": "SPY", "note": "é ✓"})
    return trail


def test_chain_links_every_record(tmp_path: Path) -> None:
    trail = _filled(tmp_path)
    records = list(trail.records())
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[0].prev_hash == GENESIS
    for a, b in zip(records, records[1:]):
        assert b.prev_hash == a.hash
    for r in records:
        assert r.hash == record_hash(r.seq, r.ts, r.kind, r.actor, r.data, r.prev_hash)
    result = trail.verify()
    assert result.ok and result.count == 5 and result.head == records[-1].hash
    assert trail.verify(expect_head=records[-1].hash).ok
    assert not trail.verify(expect_head=records[-2].hash).ok


def test_update_and_delete_are_refused_by_the_database(tmp_path: Path) -> None:
    trail = _filled(tmp_path)
    con = sqlite3.connect(trail.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET data = '{}' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit WHERE seq = 5")
    con.close()
    assert trail.verify().ok


def _tamper(path: Path, sql: str, *params: object) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_no_update")
    con.execute("DROP TRIGGER audit_no_delete")
    con.execute(sql, params)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("sql", "params", "bad_seq", "phrase"),
    [
        ("UPDATE audit SET data = ? WHERE seq = 3", ('{"i":99,"note":"x","symbol":"SPY"}',), 3, "hash mismatch"),
        ("UPDATE audit SET kind = 'hook_verdict' WHERE seq = 2", (), 2, "hash mismatch"),
        ("UPDATE audit SET ts = '2000-01-01T00:00:00Z' WHERE seq = 4", (), 4, "hash mismatch"),
        ("DELETE FROM audit WHERE seq = 3", (), 4, "sequence gap"),
        ("UPDATE audit SET prev_hash = ? WHERE seq = 2", ("0" * 64,), 2, "chain broken"),
    ],
)
def test_tampering_fails_verify_and_names_the_record(tmp_path: Path, sql: str, params: tuple, bad_seq: int, phrase: str) -> None:
    trail = _filled(tmp_path)
    _tamper(trail.path, sql, *params)
    result = trail.verify()
    assert not result.ok
    assert result.errors[0][0] == bad_seq and phrase in result.errors[0][1]
    cli = subprocess.run([sys.executable, "-m", "mcp_backtest.audit", "verify", "--db", str(trail.path)],
                         capture_output=True, text=True, cwd=REPO, timeout=60)
    assert cli.returncode == 1
    assert f"record {bad_seq}:" in cli.stderr


def test_a_rehashed_forgery_is_still_caught_by_the_next_record(tmp_path: Path) -> None:
    trail = _filled(tmp_path)
    r = next(x for x in trail.records() if x.seq == 2)
    forged = '{"i":1,"note":"forged","symbol":"SPY"}'
    new_hash = record_hash(2, r.ts, r.kind, r.actor, forged, r.prev_hash)
    _tamper(trail.path, "UPDATE audit SET data = ?, hash = ? WHERE seq = 2", forged, new_hash)
    result = trail.verify()
    assert not result.ok and result.errors[0][0] == 3 and "chain broken" in result.errors[0][1]


def test_cli_verify_ok_tail_and_missing(tmp_path: Path) -> None:
    trail = _filled(tmp_path, 3)
    ok = subprocess.run([sys.executable, "-m", "mcp_backtest.audit", "verify", "--db", str(trail.path), "--json"],
                        capture_output=True, text=True, cwd=REPO, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)["count"] == 3
    tail = subprocess.run([sys.executable, "-m", "mcp_backtest.audit", "tail", "--db", str(trail.path), "-n", "2"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert tail.returncode == 0 and [json.loads(x)["seq"] for x in tail.stdout.splitlines()] == [2, 3]
    missing = subprocess.run([sys.executable, "-m", "mcp_backtest.audit", "verify", "--db", str(tmp_path / "none.db")],
                             capture_output=True, text=True, cwd=REPO, timeout=60)
    assert missing.returncode == 1 and "no audit trail" in missing.stderr


def test_secrets_are_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAN_BROKER_API_SECRET", "s3cr3t-value-123")
    trail = AuditTrail(tmp_path / "a.db")
    rec = trail.append("order_event", "test", {"api_key": "abc", "nested": {"password": "pw"},
                                               "text": "token is s3cr3t-value-123 here"})
    raw = trail.path.read_bytes()
    assert b"s3cr3t-value-123" not in raw and b'"abc"' not in raw
    data = rec.payload
    assert data["api_key"] == "[REDACTED]" and data["nested"]["password"] == "[REDACTED]"
    assert data["text"] == "token is [REDACTED] here"


def test_bad_input_and_unwritable_location(tmp_path: Path) -> None:
    trail = AuditTrail(tmp_path / "a.db")
    with pytest.raises(AuditError):
        trail.append("", "x", {})
    with pytest.raises(AuditError):
        trail.append("k", "x", {"v": float("nan")})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(AuditError):
        AuditTrail(blocker / "sub" / "a.db").append("k", "x", {})


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        trail = AuditTrail(path)  # one object per thread, like separate hook processes
        try:
            for i in range(15):
                trail.append("t", f"w{k}", {"i": i})
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = AuditTrail(path).verify()
    assert result.ok and result.count == 60
