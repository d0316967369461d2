"""Shared code under ``Library/`` (lean-cli.md §3) and import isolation between runs in one process."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _cli_support import Workspace, make_workspace, only_output, run_in_process, run_subprocess

USES_LIBRARY = '''
from AlgorithmImports import *
from mylib.helpers import GREETING, position_size


class UsesLibrary(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.debug(f"greeting: {GREETING}")

    def on_data(self, data: Slice) -> None:
        if not self.portfolio.invested:
            self.set_holdings(self.spy, position_size())
'''

USES_PROJECT_MODULE = '''
from AlgorithmImports import *
from signals import SIGNAL


class UsesProjectModule(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("SPY", Resolution.MINUTE)
        self.debug(f"signal: {SIGNAL}")
'''

LIBRARY_CONFIG = {"algorithm-language": "Python", "parameters": {}, "libraries": [{"name": "mylib", "path": "Library/mylib"}]}


def _library(workspace: Workspace, greeting: str, size: float) -> None:
    workspace.library("mylib", {
        "__init__.py": "",
        "helpers.py": f'''
            GREETING = "{greeting}"


            def position_size() -> float:
                return {size}
        ''',
    })


def test_library_import(workspace: Workspace) -> None:
    _library(workspace, "hello from the library", 0.5)
    project = workspace.project("WithLib", USES_LIBRARY, LIBRARY_CONFIG)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    output = only_output(project)
    assert " greeting: hello from the library\n" in output.log
    # half the portfolio, as the library said; the library is not copied into code/
    order = output.result["orders"]["1"]
    assert 0.45 < order["value"] / 100000 < 0.55
    assert sorted(p.name for p in (output.folder / "code").iterdir()) == ["main.py"]


def test_library_import_as_a_subprocess(workspace: Workspace) -> None:
    _library(workspace, "hello from a subprocess", 0.5)
    project = workspace.project("WithLib", USES_LIBRARY, LIBRARY_CONFIG)
    run = run_subprocess(["backtest", "WithLib"], cwd=workspace.root)
    assert run.code == 0, run.stdout + run.stderr
    assert " greeting: hello from a subprocess\n" in only_output(project).log


def test_library_not_importable_without_a_reference(workspace: Workspace) -> None:
    """LEAN adds Library to sys.path only for a Python project that references libraries; neither do we."""
    _library(workspace, "unreachable", 0.5)
    project = workspace.project("NoReference", USES_LIBRARY, {"algorithm-language": "Python", "parameters": {}})
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert "ModuleNotFoundError: No module named 'mylib'" in run.stdout


def test_library_not_importable_without_algorithm_language(workspace: Workspace) -> None:
    _library(workspace, "unreachable", 0.5)
    config = {"parameters": {}, "libraries": [{"name": "mylib", "path": "Library/mylib"}]}
    project = workspace.project("NoLanguage", USES_LIBRARY, config)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert "No module named 'mylib'" in run.stdout


def test_library_module_by_bare_name(workspace: Workspace) -> None:
    """``Library/<lib>`` itself is on sys.path too, so ``from helpers import ...`` resolves (discouraged)."""
    _library(workspace, "bare import", 0.5)
    source = USES_LIBRARY.replace("from mylib.helpers import", "from helpers import")
    project = workspace.project("Bare", source, LIBRARY_CONFIG)
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    assert " greeting: bare import\n" in only_output(project).log


def test_two_workspaces_in_one_process_do_not_share_library_modules(tmp_path: Path, lean_data: Path) -> None:
    path_before = list(sys.path)
    first = make_workspace(tmp_path / "first", lean_data)
    second = make_workspace(tmp_path / "second", lean_data)
    _library(first, "first workspace", 0.5)
    _library(second, "second workspace", 0.25)
    project_one = first.project("Strategy", USES_LIBRARY, LIBRARY_CONFIG)
    project_two = second.project("Strategy", USES_LIBRARY, LIBRARY_CONFIG)

    assert run_in_process(["backtest", str(project_one)]).code == 0
    assert "mylib" not in sys.modules and "mylib.helpers" not in sys.modules
    assert sys.path == path_before
    assert run_in_process(["backtest", str(project_two)]).code == 0
    assert " greeting: second workspace\n" in only_output(project_two).log
    assert " greeting: first workspace\n" in only_output(project_one).log
    value_two = only_output(project_two).result["orders"]["1"]["value"]
    assert 0.2 < value_two / 100000 < 0.3
    assert sys.path == path_before
    assert not any(name == "mylib" or name.startswith("mylib.") for name in sys.modules)


def test_project_modules_do_not_leak_between_projects(workspace: Workspace) -> None:
    one = workspace.project("One", USES_PROJECT_MODULE)
    (one / "signals.py").write_text('SIGNAL = "one"\n')
    two = workspace.project("Two", USES_PROJECT_MODULE)
    (two / "signals.py").write_text('SIGNAL = "two"\n')
    assert run_in_process(["backtest", str(one)]).code == 0
    assert run_in_process(["backtest", str(two)]).code == 0
    assert " signal: one\n" in only_output(one).log
    assert " signal: two\n" in only_output(two).log
    assert "signals" not in sys.modules or not str(getattr(sys.modules["signals"], "__file__", "")).startswith(str(workspace.root))


def test_same_named_module_imported_by_the_host_is_hidden_during_the_run(workspace: Workspace, tmp_path: Path) -> None:
    """A module the host process imported from elsewhere does not shadow the project's own module of that name."""
    import importlib

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "signals.py").write_text('SIGNAL = "host"\n')
    sys.path.insert(0, str(elsewhere))
    try:
        host_module = importlib.import_module("signals")
        project = workspace.project("Own", USES_PROJECT_MODULE)
        (project / "signals.py").write_text('SIGNAL = "project"\n')
        assert run_in_process(["backtest", str(project)]).code == 0
        assert " signal: project\n" in only_output(project).log
        assert sys.modules["signals"] is host_module
    finally:
        sys.path.remove(str(elsewhere))
        sys.modules.pop("signals", None)


@pytest.mark.parametrize("bad", [[{"name": "mylib"}], "Library/mylib", [["Library/mylib"]]])
def test_malformed_libraries_entry(workspace: Workspace, bad: object) -> None:
    project = workspace.project("BadLibs", USES_LIBRARY, {"algorithm-language": "Python", "libraries": bad})
    run = run_in_process(["backtest", str(project)])
    assert run.code == 1
    assert run.lines[-1].startswith(f"Error: 'libraries' in '{project / 'config.json'}' must be a list of")


def test_missing_library_folder_is_dropped_with_a_log_line(workspace: Workspace) -> None:
    project = workspace.project("GhostLib", USES_PROJECT_MODULE, {
        "algorithm-language": "Python", "libraries": [{"name": "ghost", "path": "Library/ghost"}],
    })
    (project / "signals.py").write_text('SIGNAL = "fine"\n')
    run = run_in_process(["backtest", str(project)])
    assert run.code == 0, run.stdout
    engine_log = (only_output(project).folder / "log.txt").read_text()
    assert "path '/Library/ghost' does not exist" in engine_log


def test_engine_context_state_does_not_outlive_the_run(workspace: Workspace) -> None:
    """The symbol cache and map-file resolver a run installs are gone afterwards (they live in the run's context)."""
    from lean_local.securities.identifier import get_map_file_resolver
    from lean_local.securities.symbol import active_symbol_cache

    resolver, cache = get_map_file_resolver(), active_symbol_cache()
    project = workspace.project("Strategy", USES_PROJECT_MODULE)
    (project / "signals.py").write_text('SIGNAL = "x"\n')
    assert run_in_process(["backtest", str(project)]).code == 0
    assert get_map_file_resolver() is resolver
    assert active_symbol_cache() is cache
