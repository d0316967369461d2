"""Algorithms and library projects type-check against quantconnect-stubs with LEAN's own mypy settings."""
from __future__ import annotations

import textwrap
from pathlib import Path

from lean_local.typecheck import typecheck_project, typecheck_workspace

ROOT = Path(__file__).resolve().parents[1]


def test_every_algorithm_and_library_calls_leans_real_api() -> None:
    result = typecheck_workspace(ROOT)
    assert any(path.startswith("algorithms/") for path in result.checked)
    assert result.errors == [], "\n".join(map(str, result.errors))


def test_a_wrong_api_call_is_reported(tmp_path: Path) -> None:
    project = tmp_path / "algorithms" / "Broken"
    project.mkdir(parents=True)
    (project / "main.py").write_text(textwrap.dedent("""
        from AlgorithmImports import *


        class Broken(QCAlgorithm):
            def initialize(self) -> None:
                self.set_start_date("2013-10-07", 5)
                self.SetHoldings("SPY", 1)
                self.add_equity("SPY", Resolution.MINUTES)
    """), encoding="utf-8")
    result = typecheck_project(project, tmp_path)
    messages = "\n".join(d.message for d in result.errors)
    assert "set_start_date" in messages or "arg-type" in messages or "call-overload" in messages
    assert "SetHoldings" in messages
    assert "MINUTES" in messages
    assert all(d.path == "algorithms/Broken/main.py" for d in result.errors)


def test_the_engine_servers_and_hooks_type_check(tmp_path: Path) -> None:
    """Our own packages are fully annotated; mypy (with pyproject's settings) must find nothing in them."""
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--no-color-output",
         "lean_local", "mcp_backtest", "hooks"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Success: no issues found" in completed.stdout
