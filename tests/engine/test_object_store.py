"""The object store: LEAN's key-value store, files under the workspace's storage/ folder."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lean_local.object_store import ObjectStore, ObjectStoreError
from lean_local.runner import run_backtest


def test_values_round_trip_by_key(tmp_path: Path) -> None:
    store = ObjectStore(tmp_path / "storage")
    assert store.keys == [] and not store.contains_key("a.txt")
    store.save("a.txt", "hello")
    store.save_bytes("models/w.bin", b"\x00\x01")
    store.save_json("models/params.json", {"lookback": 20})
    assert store.read("a.txt") == "hello"
    assert store.read_bytes("models/w.bin") == b"\x00\x01"
    assert store.read_json("models/params.json") == {"lookback": 20}
    assert store.keys == ["a.txt", "models/params.json", "models/w.bin"]
    assert Path(store.get_file_path("a.txt")).read_text() == "hello"
    assert store.delete("a.txt") and not store.delete("a.txt")
    with pytest.raises(KeyError, match="does not contain the key 'a.txt'"):
        store.read("a.txt")


@pytest.mark.parametrize("key", ["../escape.txt", "", "a/../../b"])
def test_keys_cannot_leave_the_store(tmp_path: Path, key: str) -> None:
    with pytest.raises(ObjectStoreError):
        ObjectStore(tmp_path).save(key, "x")


def test_a_backtest_saves_into_the_workspace_storage_and_a_later_one_reads_it(tmp_path: Path, lean_data: Path) -> None:
    (tmp_path / "lean.json").write_text(json.dumps({"data-folder": str(lean_data), "organization-id": "test"}))
    project = tmp_path / "Saver"
    project.mkdir()
    (project / "config.json").write_text(json.dumps({"algorithm-language": "Python", "parameters": {}}))
    (project / "main.py").write_text(textwrap.dedent("""
        from AlgorithmImports import *

        class Saver(QCAlgorithm):
            def initialize(self):
                self.set_start_date(2013, 10, 7)
                self.set_end_date(2013, 10, 7)
                self.add_equity("SPY", Resolution.DAILY)
                self.previous = self.object_store.read("runs.txt") if self.object_store.contains_key("runs.txt") else ""

            def on_end_of_algorithm(self):
                self.object_store.save("runs.txt", self.previous + "run;")
    """))
    first = run_backtest(project, write_output=False)
    second = run_backtest(project, write_output=False)
    assert first.status == second.status == "Completed"
    assert (tmp_path / "storage" / "runs.txt").read_text() == "run;run;"
