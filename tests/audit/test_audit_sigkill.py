"""A writer process is SIGKILLed while appending: every record it acknowledged is intact, the chain verifies,
and the trail keeps working afterwards."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mcp_backtest.audit import AuditTrail

REPO = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from mcp_backtest.audit import AuditTrail
trail = AuditTrail(sys.argv[1])
i = 0
while True:
    rec = trail.append("order_decision", "writer", {"i": i, "pad": "x" * (i % 700)})
    # acknowledged only after append returned (committed, fsynced)
    sys.stdout.write(f"ACK {rec.seq} {rec.hash}\n")
    sys.stdout.flush()
    i += 1
"""


def _run_and_kill(db: Path, kill_after: int) -> dict[int, str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    acked: dict[int, str] = {}
    deadline = time.monotonic() + 120
    try:
        assert proc.stdout is not None
        while len(acked) < kill_after and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            _, seq, h = line.split()
            acked[int(seq)] = h
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: the writer is inside its loop, appending
        # lines already written to the pipe before the kill were acknowledged too
        rest = proc.stdout.read()
        for line in rest.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ACK":
                acked[int(parts[1])] = parts[2]
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return acked


def test_sigkill_mid_stream_loses_no_acknowledged_record(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    acked = _run_and_kill(db, kill_after=150)
    assert len(acked) >= 150
    trail = AuditTrail(db)
    result = trail.verify()
    assert result.ok, result.message()
    stored = {r.seq: r.hash for r in trail.records()}
    for seq, h in acked.items():
        assert stored.get(seq) == h, f"acknowledged record {seq} lost or changed"
    # at most the one in-flight (unacknowledged) record may have landed beyond the acknowledged ones
    assert max(stored) - max(acked) in (0, 1)
    # a second writer killed again, then a normal append: still one intact chain
    acked2 = _run_and_kill(db, kill_after=40)
    assert min(acked2) > max(acked)
    trail.append("after_crash", "test", {"ok": True})
    final = trail.verify()
    assert final.ok and final.count == max(r.seq for r in trail.records())
