"""``lean-local``: run LEAN algorithms on the embedded engine.

``lean-local backtest PROJECT [--output DIR] [--parameter KEY VALUE]... [--backtest-name N] [--data-folder DIR]
[--lean-config FILE]`` mirrors ``lean backtest`` (``lean-cli.md`` §1): the same output folder and files, the
same console statistics block and final line, exit 0 on success and 1 on any failure, with everything the
command prints (errors included) on stdout. Bad arguments are usage errors: exit 2 with argparse's message on
stderr (the LEAN CLI exits 1 there).

Differences from ``lean backtest``, all deliberate: ``--data-folder`` overrides (or replaces) lean.json's
``data-folder``; an ``--output`` outside the workspace is allowed (shown as an absolute path); lean.json and the
project's config.json are never rewritten (no ``local-id``, no provider keys); a default output folder that
already exists is not reused (the next free second is taken). ``--update``/``--no-update`` are accepted and
ignored; the Docker-only options (``--detach``, ``--debug``, ``--image``...) are not.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from lean_local.data.errors import DataError
from lean_local.runner import BacktestResult, WorkspaceError, run_backtest


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lean-local", description="Run LEAN algorithms locally, without Docker.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    backtest = commands.add_parser("backtest", help="Backtest a project (folder with main.py) or a .py file.")
    backtest.add_argument("project", type=Path, help="project folder containing main.py, or an algorithm .py file")
    backtest.add_argument("--output", type=Path, default=None,
                          help="output folder (default: <project>/backtests/<YYYY-MM-DD_HH-MM-SS>)")
    backtest.add_argument("--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"), default=None,
                          help="algorithm parameter; replaces the project's config.json parameters (repeatable)")
    backtest.add_argument("--backtest-name", default=None, help="name recorded in the output's config file")
    backtest.add_argument("--data-folder", type=Path, default=None,
                          help="LEAN data folder (default: lean.json's data-folder)")
    backtest.add_argument("--lean-config", type=Path, default=None,
                          help="lean.json to use (default: the nearest lean.json at or above the project)")
    backtest.add_argument("--update", "--no-update", dest="update", action="store_const", const=None, default=None,
                          help="accepted for compatibility with lean backtest; there is no engine image to pull")

    data = commands.add_parser("data", help="Data utilities.")
    data_commands = data.add_subparsers(dest="data_command", metavar="DATA_COMMAND")
    data_commands.required = True
    from lean_local.synthetic import cli as synthetic_cli

    synthetic = data_commands.add_parser("synthetic", help="Write a labelled synthetic US-equity market in LEAN format.")
    synthetic_cli.add_arguments(synthetic)
    return parser


def display_path(path: Path, root: Path | None) -> str:
    """How the LEAN CLI names a path in its messages: relative to the workspace root.

    Without a workspace (``--data-folder`` and no lean.json) or for a path outside it, relative to the current
    directory when inside it, else absolute.
    """
    path = path.resolve()
    for base in (root, Path.cwd().resolve()):
        if base is None:
            continue
        try:
            return str(path.relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def _say(line: str) -> None:
    print(line, flush=True)


def _backtest(args: argparse.Namespace) -> int:
    parameters = {key: value for key, value in args.parameter} if args.parameter else None
    try:
        result = run_backtest(
            args.project,
            data_folder=args.data_folder,
            output=args.output,
            parameters=parameters,
            backtest_name=args.backtest_name,
            echo=_say,
            lean_config=args.lean_config,
        )
    except (WorkspaceError, DataError) as err:
        _say(f"Error: {err}")
        return 1
    return _report(result)


def _report(result: BacktestResult) -> int:
    root = result.workspace_root
    project = display_path(result.project_dir, root) if result.project_dir is not None else "?"
    output = display_path(result.output_dir, root) if result.output_dir is not None else "?"
    if result.data_error is not None:
        _say(f"Error: {result.data_error}")
    if result.succeeded:
        _say(f"Successfully ran '{project}' in the 'backtesting' environment and stored the output in '{output}'")
        return 0
    _say(f"Error: Something went wrong while running '{project}' in the 'backtesting' environment, the output is stored in '{output}'")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "backtest":
            return _backtest(args)
        if args.command == "data" and args.data_command == "synthetic":
            from lean_local.synthetic import cli as synthetic_cli

            code: int = synthetic_cli.run(args)
            return code
    except KeyboardInterrupt:
        _say("Aborted!")
        return 1
    except Exception as err:  # noqa: BLE001 - like the LEAN CLI: any failure is "Error: ..." and exit 1
        traceback.print_exc(file=sys.stderr)
        _say(f"Error: {type(err).__name__}: {err}")
        return 1
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
