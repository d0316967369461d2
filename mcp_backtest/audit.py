"""The audit trail: append-only, hash-chained records in SQLite.

Every order decision (broker server), hook verdict (``risk_validator``, ``algo_change_guard``), order result
(``log_trade``) and backtest launch (``parse_backtest``) is one row::

    seq        1, 2, 3, ... with no gaps
    ts         UTC wall-clock time of recording (ISO 8601); simulated times live inside ``data``
    kind       order_decision | order_event | hook_verdict | backtest_launch | clock_advance | ...
    actor      who wrote it: server:paper_broker, hook:risk_validator, ...
    data       canonical JSON (sorted keys), secrets redacted (``trading.credentials``)
    prev_hash  hash of record seq-1 (64 zeros for the first)
    hash       sha256 of the JSON array [seq, ts, kind, actor, data, prev_hash] (compact separators, UTF-8)

Append-only: triggers abort UPDATE and DELETE; each append is one ``BEGIN IMMEDIATE`` transaction (so
concurrent writers, hooks and servers, serialise and chain correctly) committed with ``synchronous=FULL``
in WAL mode: once ``append`` returns, the record survives a crash or SIGKILL of the writer. Tampering with
the file (editing a row, deleting or reordering rows) breaks the chain and ``verify`` names the first bad
record. Truncating the newest records is only detectable against a known head: keep the ``head`` that
``verify`` prints somewhere else and pass it back with ``--expect-head``.

CLI::

    python -m mcp_backtest.audit verify [--db PATH] [--expect-head HASH] [--json]
    python -m mcp_backtest.audit tail [--db PATH] [-n 20]

The default database is ``<state dir>/audit.sqlite3`` (``.trading/audit.sqlite3``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from mcp_backtest.trading.credentials import redact

GENESIS = "0" * 64
FORMAT = "lean-audit-1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


class AuditError(RuntimeError):
    """The audit trail cannot be written or read."""


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)


def record_hash(seq: int, ts: str, kind: str, actor: str, data: str, prev_hash: str) -> str:
    payload = json.dumps([seq, ts, kind, actor, data, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    ts: str
    kind: str
    actor: str
    data: str
    prev_hash: str
    hash: str

    @property
    def payload(self) -> Any:
        return json.loads(self.data)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "ts": self.ts, "kind": self.kind, "actor": self.actor,
                "data": self.payload, "prev_hash": self.prev_hash, "hash": self.hash}


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head: str
    errors: list[tuple[int, str]] = field(default_factory=list)

    def message(self) -> str:
        if self.ok:
            return f"OK: {self.count} records, chain intact, head {self.head}"
        lines = [f"FAIL: {len(self.errors)} problem(s) in {self.count} records"]
        lines += [f"  record {seq}: {why}" for seq, why in self.errors]
        return "\n".join(lines)


class AuditTrail:
    def __init__(self, path: Path | str, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.Lock()

    def _connect(self, create: bool) -> sqlite3.Connection:
        if not create and not self.path.is_file():
            raise AuditError(f"no audit trail at {self.path}")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            if create:
                con.executescript(_SCHEMA)
                con.execute("INSERT OR IGNORE INTO audit_meta(key, value) VALUES ('format', ?)", (FORMAT,))
            return con
        except (sqlite3.Error, OSError) as err:
            raise AuditError(f"cannot open the audit trail {self.path}: {err}") from None

    def append(self, kind: str, actor: str, data: Any) -> AuditRecord:
        """Append one record and return it once it is durable (the acknowledgement)."""
        if not kind or not actor:
            raise AuditError("an audit record needs a kind and an actor")
        try:
            text = canonical(redact(data))
        except (TypeError, ValueError) as err:
            raise AuditError(f"audit data is not JSON: {err}") from None
        with self._lock:
            con = self._connect(create=True)
            try:
                con.execute("BEGIN IMMEDIATE")
                row = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                ts = datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
                h = record_hash(seq, ts, kind, actor, text, prev)
                con.execute(
                    "INSERT INTO audit(seq, ts, kind, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (seq, ts, kind, actor, text, prev, h),
                )
                con.execute("COMMIT")
                return AuditRecord(seq, ts, kind, actor, text, prev, h)
            except sqlite3.Error as err:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise AuditError(f"cannot append to the audit trail {self.path}: {err}") from None
            finally:
                con.close()

    def records(self, since: int = 0) -> Iterator[AuditRecord]:
        con = self._connect(create=False)
        try:
            for row in con.execute(
                "SELECT seq, ts, kind, actor, data, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq", (since,)
            ):
                yield AuditRecord(*row)
        except sqlite3.Error as err:
            raise AuditError(f"cannot read the audit trail {self.path}: {err}") from None
        finally:
            con.close()

    def tail(self, n: int = 20) -> list[AuditRecord]:
        con = self._connect(create=False)
        try:
            rows = con.execute(
                "SELECT seq, ts, kind, actor, data, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT ?", (n,)
            ).fetchall()
        except sqlite3.Error as err:
            raise AuditError(f"cannot read the audit trail {self.path}: {err}") from None
        finally:
            con.close()
        return [AuditRecord(*r) for r in reversed(rows)]

    def verify(self, expect_head: str | None = None, max_errors: int = 20) -> VerifyResult:
        errors: list[tuple[int, str]] = []
        prev, expected_seq, count = GENESIS, 1, 0
        try:
            con = self._connect(create=False)
        except AuditError as err:
            return VerifyResult(False, 0, GENESIS, [(0, str(err))])
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                errors.append((0, f"SQLite integrity check failed: {check[0] if check else '?'}"))
            rows = con.execute("SELECT seq, ts, kind, actor, data, prev_hash, hash FROM audit ORDER BY seq")
            for seq, ts, kind, actor, data, prev_hash, stored in rows:
                count += 1
                if seq != expected_seq:
                    errors.append((seq, f"sequence gap: expected record {expected_seq} (records deleted or reordered)"))
                if prev_hash != prev:
                    errors.append((seq, "prev_hash does not match the previous record's hash (chain broken)"))
                try:
                    json.loads(data)
                except (TypeError, ValueError):
                    errors.append((seq, "data is not valid JSON"))
                computed = record_hash(seq, ts, kind, actor, data, prev_hash) if isinstance(data, str) else ""
                if computed != stored:
                    errors.append((seq, f"hash mismatch: the record was altered (stored {str(stored)[:16]}..., "
                                        f"computed {computed[:16]}...)"))
                prev, expected_seq = stored, seq + 1
                if len(errors) >= max_errors:
                    break
        except sqlite3.Error as err:
            errors.append((0, f"cannot read the audit trail: {err}"))
        finally:
            con.close()
        if expect_head is not None and not errors and prev != expect_head:
            errors.append((count, f"head is {prev}, expected {expect_head} (records removed from the end?)"))
        return VerifyResult(not errors, count, prev, errors)


def default_trail() -> AuditTrail:
    from mcp_backtest.trading.workspace import Workspace

    return AuditTrail(Workspace.discover().audit_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mcp_backtest.audit", description="Verify or read the audit trail.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_verify = sub.add_parser("verify", help="check the hash chain; exit 0 if intact, 1 if not")
    p_verify.add_argument("--db", type=Path)
    p_verify.add_argument("--expect-head", help="hash the newest record must have (detects truncation)")
    p_verify.add_argument("--json", action="store_true")
    p_tail = sub.add_parser("tail", help="print the newest records as JSON lines")
    p_tail.add_argument("--db", type=Path)
    p_tail.add_argument("-n", type=int, default=20)
    args = parser.parse_args(argv)
    trail = AuditTrail(args.db) if args.db else default_trail()
    if args.command == "verify":
        result = trail.verify(expect_head=args.expect_head)
        if args.json:
            print(json.dumps({"ok": result.ok, "count": result.count, "head": result.head,
                              "errors": [{"seq": s, "error": e} for s, e in result.errors]}))
        else:
            print(result.message(), file=sys.stdout if result.ok else sys.stderr)
        return 0 if result.ok else 1
    try:
        for record in trail.tail(max(1, args.n)):
            print(json.dumps(record.to_json(), ensure_ascii=False))
    except AuditError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
