"""Helpers for the ``lean-local backtest`` tests: LEAN workspaces built in tmp_path, and ways to run the CLI.

The sample data is ``<repo>/../shared/lean-data`` (read-only); tests that need it are skipped when it is absent.
Workspaces point their lean.json ``data-folder`` at it with an absolute path.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LEAN_DATA = (REPO.parent / "shared" / "lean-data").resolve()  # the runner reports resolved paths
LEAN_LOCAL = Path(sys.executable).with_name("lean-local")

TIMESTAMP_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$")

# --- algorithms -------------------------------------------------------------------------------------------------
BUY_AND_HOLD = '''
from AlgorithmImports import *


class BuyAndHold(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.debug(f"parameter ema-fast={self.get_parameter('ema-fast', 'unset')}")
        self.debug(f"parameter other={self.get_parameter('other', 'unset')}")

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
            self.log("bought SPY")
'''

NEVER_TRADES = '''
from AlgorithmImports import *


class NeverTrades(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.MINUTE)

    def on_data(self, data: Slice) -> None:
        pass
'''

ONE_DAY_BUY = '''
from AlgorithmImports import *


class OneDayBuy(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
'''


@dataclass
class CliRun:
    """One ``lean-local`` invocation: exit code and what it printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.rstrip("\n").splitlines()


@dataclass
class Workspace:
    """A LEAN workspace in tmp_path: ``lean.json`` at ``root`` and projects below it."""

    root: Path

    def project(self, name: str, source: str, config: dict[str, Any] | None = None, raw_config: str | None = None) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "main.py").write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        if raw_config is not None:
            (folder / "config.json").write_text(raw_config, encoding="utf-8")
        else:
            content = {"algorithm-language": "Python", "parameters": {}} if config is None else config
            (folder / "config.json").write_text(json.dumps(content, indent=4) + "\n", encoding="utf-8")
        return folder

    def library(self, name: str, files: dict[str, str]) -> Path:
        folder = self.root / "Library" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps({"algorithm-language": "Python", "parameters": {}}), encoding="utf-8")
        for relative, text in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return folder


def write_lean_json(root: Path, data_folder: str | Path, **extra: Any) -> Path:
    content: dict[str, Any] = {"data-folder": str(data_folder), "organization-id": "abc"}
    content.update(extra)
    path = root / "lean.json"
    path.write_text(json.dumps(content, indent=4) + "\n", encoding="utf-8")
    return path


def make_workspace(root: Path, lean_data: Path) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    write_lean_json(root, lean_data)
    return Workspace(root)


def run_subprocess(args: list[str], cwd: Path) -> CliRun:
    """``lean-local ARGS`` as a separate process (the installed console script)."""
    executable = [str(LEAN_LOCAL)] if LEAN_LOCAL.exists() else [sys.executable, "-m", "lean_local.cli"]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(executable + args, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    return CliRun(completed.returncode, completed.stdout, completed.stderr)


def run_in_process(args: list[str]) -> CliRun:
    """``lean_local.cli.main(ARGS)`` in this process, with stdout and stderr captured."""
    from lean_local.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
    return CliRun(code, out.getvalue(), err.getvalue())


# --- reading an output folder ---------------------------------------------------------------------------------------
@dataclass
class Output:
    """A backtest output folder and its files."""

    folder: Path

    @property
    def config(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "config").read_text(encoding="utf-8"))
        return data

    @property
    def algorithm_id(self) -> str:
        return str(self.config["id"])

    def path(self, suffix: str) -> Path:
        return self.folder / f"{self.algorithm_id}{suffix}"

    def json(self, suffix: str) -> Any:
        return json.loads(self.path(suffix).read_text(encoding="utf-8"))

    @property
    def result(self) -> dict[str, Any]:
        data: dict[str, Any] = self.json(".json")
        return data

    @property
    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = self.json("-summary.json")
        return data

    @property
    def log(self) -> str:
        return self.path("-log.txt").read_text(encoding="utf-8")


def only_output(project: Path) -> Output:
    """The single ``<project>/backtests/<timestamp>`` folder of a project."""
    folders = sorted((project / "backtests").iterdir())
    assert len(folders) == 1, folders
    return Output(folders[0])


# --- a minimal copy of the sample data (to break files in) ------------------------------------------------------------
def copy_data_subset(lean_data: Path, target: Path, day: str = "20131007") -> Path:
    """The files a SPY-minute algorithm needs for one day, copied writable into ``target``."""
    files = [
        "market-hours/market-hours-database.json",
        "symbol-properties/symbol-properties-database.csv",
        "symbol-properties/security-database.csv",
        "alternative/interest-rate/usa/interest-rate.csv",
        "equity/usa/map_files/spy.csv",
        "equity/usa/factor_files/spy.csv",
        "equity/usa/hour/spy.zip",
        f"equity/usa/minute/spy/{day}_trade.zip",
        f"equity/usa/minute/spy/{day}_quote.zip",
    ]
    for relative in files:
        source = lean_data / relative
        if not source.exists():
            pytest.skip(f"sample data file {source} is missing")
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return target
