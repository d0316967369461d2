"""Bad input to ``lean-local backtest``: each case gets a clear message and the right exit code.

Usage errors exit 2 (argparse). Everything else prints ``Error: ...`` on stdout and exits 1, as the LEAN CLI
does. Failures once the run started (algorithm exceptions, missing or corrupt data) still write the whole output
folder with ``state.Status == "RuntimeError"``, like LEAN.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from _cli_support import (
    ONE_DAY_BUY,
    Output,
    Workspace,
    copy_data_subset,
    only_output,
    run_in_process,
    run_subprocess,
    write_lean_json,
)

from lean_local.runner import find_workspace_root

RAISES_IN_INITIALIZE = '''
from AlgorithmImports import *


class RaisesInInitialize(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("SPY", Resolution.MINUTE)
        self.debug("about to fail")
        raise RuntimeError("initialize exploded")
'''

RAISES_IN_ON_DATA = '''
from AlgorithmImports import *


class RaisesInOnData(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.bars = 0

    def on_data(self, data: Slice) -> None:
        self.bars += 1
        if not self.portfolio.invested:
            self.set_holdings(self.spy, 1)
            self.debug("bought")
        if self.bars == 10:
            self.explode()

    def explode(self) -> None:
        values = {"a": 1}
        print(values["missing key"])
'''

MISSING_TICKER = '''
from AlgorithmImports import *


class MissingTicker(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("NOSUCHTICKER", Resolution.MINUTE)
'''


def _line_of(source: str, text: str) -> int:
    return next(i for i, line in enumerate(source.lstrip().splitlines(), start=1) if text in line)


# --- usage errors: exit 2 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["backtest"], "the following arguments are required: project"),
        (["backtest", "Project", "--bogus"], "unrecognized arguments: --bogus"),
        (["backtest", "Project", "--parameter", "only-key"], "argument --parameter: expected 2 arguments"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    run = run_in_process(args)
    assert run.code == 2
    assert message in run.stderr
    assert "usage: lean-local" in run.stderr


def test_usage_error_exit_code_of_the_console_script(tmp_path: Path) -> None:
    run = run_subprocess(["backtest"], cwd=tmp_path)
    assert run.code == 2
    assert "the following arguments are required: project" in run.stderr


# --- project and workspace: "Error: ..." and exit 1, nothing written -------------------------------------------------------
def test_project_does_not_exist(workspace: Workspace) -> None:
    missing = workspace.root / "NoSuchProject"
    run = run_in_process(["backtest", str(missing)])
    assert run.code == 1
    assert run.lines == [f"Error: Project '{missing}' does not exist. Pass a project folder containing main.py, or a .py file."]


def test_folder_without_main_py(workspace: Workspace) -> None:
    folder = workspace.root / "Empty"
    folder.mkdir()
    (folder / "algorithm.py").write_text("x = 1\n")
    run = run_in_process(["backtest", str(folder)])
    assert run.code == 1
    assert run.lines[-1].startswith("Error: ") and f"'{folder}'" in run.stdout and "main.py" in run.stdout
    assert not (folder / "backtests").exists()


def test_non_python_file(workspace: Workspace) -> None:
    path = workspace.root / "notes.txt"
    path.write_text("hello\n")
    run = run_in_process(["backtest", str(path)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: Algorithm file '{path}' is not a Python file (.py)")


def test_no_lean_json_and_no_data_folder(tmp_path: Path) -> None:
    if find_workspace_root(tmp_path) is not None:
        pytest.skip(f"a lean.json exists above {tmp_path}")
    project = Workspace(tmp_path).project("Alone", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: No lean.json found in '{project}' or any parent folder, and no --data-folder given.")
    assert "--data-folder DIR" in run.stdout


def test_data_folder_option_without_lean_json(tmp_path: Path, lean_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if find_workspace_root(tmp_path) is not None:
        pytest.skip(f"a lean.json exists above {tmp_path}")
    project = Workspace(tmp_path).project("Alone", ONE_DAY_BUY)
    monkeypatch.chdir(tmp_path)
    run = run_in_process(["backtest", "Alone", "--data-folder", str(lean_data)])
    assert run.code == 0, run.stdout
    assert run.lines[-1].startswith("Successfully ran 'Alone' in the 'backtesting' environment")
    assert only_output(project).summary["state"]["Status"] == "Completed"


def test_lean_json_data_folder_does_not_exist(tmp_path: Path) -> None:
    write_lean_json(tmp_path, "no-such-data")
    project = Workspace(tmp_path).project("P", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    expected = tmp_path / "no-such-data"
    assert run.lines[-1].startswith(f"Error: The data folder '{expected}' named by '{tmp_path / 'lean.json'}'")
    assert "does not exist" in run.stdout
    assert not (project / "backtests").exists()


def test_data_folder_option_does_not_exist(workspace: Workspace) -> None:
    project = workspace.project("P", ONE_DAY_BUY)
    missing = workspace.root / "nowhere"
    run = run_in_process(["backtest", str(project), "--data-folder", str(missing)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: The data folder '{missing}' given with --data-folder does not exist.")


def test_invalid_json_in_config_json(workspace: Workspace) -> None:
    project = workspace.project("P", ONE_DAY_BUY, raw_config='{"parameters": {"a": 1,}}')
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: The project configuration '{project / 'config.json'}' is not valid JSON")
    assert "line 1" in run.stdout
    assert not (project / "backtests").exists()


def test_invalid_json_in_lean_json(tmp_path: Path) -> None:
    (tmp_path / "lean.json").write_text('{"data-folder": "data",\n "organization-id": }\n')
    project = Workspace(tmp_path).project("P", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: The Lean configuration file '{tmp_path / 'lean.json'}' is not valid JSON")
    assert "line 2" in run.stdout


def test_lean_json_without_organization(tmp_path: Path, lean_data: Path) -> None:
    (tmp_path / "lean.json").write_text(json.dumps({"data-folder": str(lean_data)}))
    project = Workspace(tmp_path).project("P", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith("Error: The working organization for this Lean CLI folder could not be determined")
    assert "organization-id" in run.stdout


def test_config_json_parameters_must_be_an_object(workspace: Workspace) -> None:
    project = workspace.project("P", ONE_DAY_BUY, {"parameters": ["a", "b"]})
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert "'parameters'" in run.stdout and str(project / "config.json") in run.stdout


# --- the algorithm file cannot be loaded: exit 1, nothing written -----------------------------------------------------------
def test_file_without_qcalgorithm_subclass(workspace: Workspace) -> None:
    project = workspace.project("NoAlgo", "from AlgorithmImports import *\n\n\nclass Helper:\n    pass\n")
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: The algorithm file '{project / 'main.py'}' defines no class deriving from QCAlgorithm.")
    assert not (project / "backtests").exists()


def test_syntax_error_in_main_py(workspace: Workspace) -> None:
    project = workspace.project("Broken", "from AlgorithmImports import *\n\nclass Broken(QCAlgorithm)\n    pass\n")
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1] == f"Error: Syntax error in '{project / 'main.py'}', line 3: expected ':': class Broken(QCAlgorithm)"
    assert not (project / "backtests").exists()


def test_failing_import_in_main_py(workspace: Workspace) -> None:
    project = workspace.project("BadImport", "from AlgorithmImports import *\nimport no_such_module_xyz\n")
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[0] == (
        f"Error: The algorithm file '{project / 'main.py'}' failed to import: "
        "ModuleNotFoundError: No module named 'no_such_module_xyz'"
    )
    assert f'File "{project / "main.py"}", line 2, in <module>' in run.stdout


# --- missing and corrupt data: exit 1, output folder marked RuntimeError ---------------------------------------------------
def _assert_failed_output(project: Path, fragment: str) -> Output:
    output = only_output(project)
    summary = output.summary
    assert summary["state"]["Status"] == "RuntimeError"
    assert fragment in summary["state"]["RuntimeError"]
    assert output.result["state"]["Status"] == "RuntimeError"
    return output


def test_missing_data_names_the_expected_file(workspace: Workspace, lean_data: Path) -> None:
    project = workspace.project("Missing", MISSING_TICKER)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    expected = lean_data / "equity" / "usa" / "minute" / "nosuchticker"
    errors = [line for line in run.lines if line.startswith("Error: ")]
    assert len(errors) == 2, run.stdout
    assert errors[0].startswith("Error: missing minute data for NOSUCHTICKER")
    assert f"expected file {expected}/" in errors[0]
    assert "--data-folder" in errors[0] and "lean init" in errors[0]
    assert errors[1].startswith("Error: Something went wrong while running 'Missing' in the 'backtesting' environment")
    assert "Successfully ran" not in run.stdout
    _assert_failed_output(project, str(expected))


def test_corrupt_zip_names_the_file(tmp_path: Path, lean_data: Path) -> None:
    data = copy_data_subset(lean_data, tmp_path / "data")
    broken = data / "equity" / "usa" / "minute" / "spy" / "20131007_trade.zip"
    broken.write_bytes(b"this is not a zip archive")
    write_lean_json(tmp_path, "data")
    project = Workspace(tmp_path).project("Corrupt", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    error = next(line for line in run.lines if line.startswith("Error: "))
    assert error.startswith(f"Error: corrupt data file {broken}: not a readable zip archive")
    assert run.lines[-1].startswith("Error: Something went wrong while running 'Corrupt'")
    _assert_failed_output(project, str(broken))


def test_malformed_csv_row_names_file_and_line(tmp_path: Path, lean_data: Path) -> None:
    data = copy_data_subset(lean_data, tmp_path / "data")
    broken = data / "equity" / "usa" / "minute" / "spy" / "20131007_trade.zip"
    with zipfile.ZipFile(broken) as archive:
        (entry,) = archive.namelist()
        rows = archive.read(entry).decode().splitlines()
    rows[5] = "34200000,abc,1,2"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr(entry, "\n".join(rows) + "\n")
    write_lean_json(tmp_path, "data")
    project = Workspace(tmp_path).project("BadRow", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    error = next(line for line in run.lines if line.startswith("Error: "))
    assert error.startswith(f"Error: corrupt data file {broken}, line 6:")
    _assert_failed_output(project, f"{broken}, line 6")


def test_data_subset_runs(tmp_path: Path, lean_data: Path) -> None:
    """The subset used above is complete: unbroken, it backtests fine."""
    copy_data_subset(lean_data, tmp_path / "data")
    write_lean_json(tmp_path, "data")
    project = Workspace(tmp_path).project("Fine", ONE_DAY_BUY)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout


# --- the algorithm raises: exit 1, output folder with RuntimeError state -----------------------------------------------------
def test_exception_in_initialize(workspace: Workspace) -> None:
    project = workspace.project("InitFails", RAISES_IN_INITIALIZE)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    output = only_output(project)
    assert run.lines[-1] == (
        "Error: Something went wrong while running 'InitFails' in the 'backtesting' environment, the output is stored "
        f"in 'InitFails/backtests/{output.folder.name}'"
    )
    assert any(" ERROR:: Runtime Error: RuntimeError: initialize exploded in Initialize" in line for line in run.lines)
    line = _line_of(RAISES_IN_INITIALIZE, "raise RuntimeError")
    for document in (output.result, output.summary):
        state = document["state"]
        assert state["Status"] == "RuntimeError"
        assert "initialize exploded" in state["RuntimeError"]
        assert f'File "{project / "main.py"}", line {line}, in initialize' in state["StackTrace"]
        assert state["StackTrace"].startswith("Traceback (most recent call last):")
    log = output.log
    assert " about to fail\n" in log
    assert "Runtime Error: RuntimeError: initialize exploded in Initialize" in log
    assert f'File "{project / "main.py"}", line {line}, in initialize' in log
    assert "Your log was successfully created" in log.rstrip().splitlines()[-1]
    assert (output.folder / "log.txt").is_file() and (output.folder / "code" / "main.py").is_file()


def test_exception_in_on_data_keeps_results_so_far(workspace: Workspace) -> None:
    project = workspace.project("DataFails", RAISES_IN_ON_DATA)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith("Error: Something went wrong while running 'DataFails' in the 'backtesting' environment")
    output = only_output(project)
    result = output.result
    state = result["state"]
    assert state["Status"] == "RuntimeError"
    assert state["RuntimeError"] == "KeyError: 'missing key' in OnData"
    trace = state["StackTrace"]
    assert f'line {_line_of(RAISES_IN_ON_DATA, "self.explode()")}, in on_data' in trace
    assert f'line {_line_of(RAISES_IN_ON_DATA, "missing key")}, in explode' in trace
    assert "lean_local" not in trace.splitlines()[1]  # starts at the user's frame, not the engine's dispatch
    # the order placed before the exception is kept
    assert list(result["orders"]) == ["1"] and result["orders"]["1"]["status"] == 3
    assert state["OrderCount"] == "1"
    assert output.path("-order-events.json").is_file()
    assert list(result["statistics"])[:1] == ["Total Orders"] and result["statistics"]["Total Orders"] == "1"
    assert output.summary["state"]["Status"] == "RuntimeError"
    log = output.log
    assert re.search(r"^2013-10-07 09:31:00 bought$", log, re.M)
    assert re.search(r"^2013-10-07 09:40:00 Runtime Error: KeyError: 'missing key' in OnData$", log, re.M)
    assert "in explode" in log


def test_exception_in_on_data_as_a_subprocess(workspace: Workspace) -> None:
    project = workspace.project("DataFails", RAISES_IN_ON_DATA)
    run = run_subprocess(["backtest", "DataFails"], cwd=workspace.root)
    assert run.code == 1
    assert run.lines[-1].startswith("Error: Something went wrong while running 'DataFails' in the 'backtesting' environment")
    assert only_output(project).summary["state"]["Status"] == "RuntimeError"
