"""Paths the framework tests share (a uniquely named module: every test folder has its own ``conftest``)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_FOLDER = ROOT.parent / "shared" / "lean-data"
ALGORITHMS = Path(__file__).resolve().parent / "algorithms"
