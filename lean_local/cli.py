"""``lean-local``: run LEAN algorithms on the embedded engine.

``lean-local backtest PROJECT [--data-folder DIR] [--output DIR] [--parameter KEY VALUE]... [--backtest-name N]``
mirrors ``lean backtest``: the same output folder, the same console statistics block, exit 0 on success and 1 on
a failed run; bad arguments exit 2 with a usage message.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lean_local.data.errors import DataError
from lean_local.runner import WorkspaceError, run_backtest


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lean-local", description="Run LEAN algorithms locally, without Docker.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    backtest = commands.add_parser("backtest", help="Backtest a project (folder with main.py) or a .py file.")
    backtest.add_argument("project", type=Path, help="project folder containing main.py, or an algorithm .py file")
    backtest.add_argument("--data-folder", type=Path, default=None, help="LEAN data folder (default: lean.json's data-folder)")
    backtest.add_argument("--output", type=Path, default=None, help="output folder (default: <project>/backtests/<timestamp>)")
    backtest.add_argument("--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"), default=None,
                          help="algorithm parameter; replaces the project's config.json parameters (repeatable)")
    backtest.add_argument("--backtest-name", default=None, help="name recorded in the output's config file")

    data = commands.add_parser("data", help="Data utilities.")
    data_commands = data.add_subparsers(dest="data_command", metavar="DATA_COMMAND")
    data_commands.required = True
    from lean_local.synthetic import cli as synthetic_cli

    synthetic = data_commands.add_parser("synthetic", help="Write a labelled synthetic US-equity market in LEAN format.")
    synthetic_cli.add_arguments(synthetic)
    return parser


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)


def _backtest(args: argparse.Namespace) -> int:
    parameters = {key: value for key, value in args.parameter} if args.parameter else None
    try:
        result = run_backtest(
            args.project,
            data_folder=args.data_folder,
            output=args.output,
            parameters=parameters,
            backtest_name=args.backtest_name,
            echo=print,
        )
    except (WorkspaceError, DataError) as err:
        print(f"Error: {err}")
        return 1
    project = _relative(args.project.resolve())
    output = _relative(result.output_dir) if result.output_dir is not None else "?"
    if result.succeeded:
        print(f"Successfully ran '{project}' in the 'backtesting' environment and stored the output in '{output}'")
        return 0
    print(f"Error: Something went wrong while running '{project}' in the 'backtesting' environment, the output is stored in '{output}'")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "backtest":
        return _backtest(args)
    if args.command == "data" and args.data_command == "synthetic":
        from lean_local.synthetic import cli as synthetic_cli

        return synthetic_cli.run(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
