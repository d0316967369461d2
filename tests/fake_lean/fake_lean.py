"""A faithful fake of QuantConnect's ``lean`` CLI (``lean backtest``) for hermetic tests. Never used in production.

It behaves as ``../shared/specs/lean-cli.md`` §1 documents the real CLI (lean-cli 1.0.228), and produces the
backtest by running ``lean_local`` underneath instead of LEAN in Docker:

* every line goes to stdout; success exits 0, every error (usage errors included) exits 1;
* usage errors are click's (``Usage: ...``, the troubleshooting URL, ``Error: ...``); PROJECT must exist;
* ``lean.json`` is found by walking up from the current directory (or ``--lean-config``); without it:
  ``Error: This command requires a Lean configuration file, ...`` and ``Visit <url> for more information``;
* ``main.py`` (or ``Main.cs``) is required; the project's ``config.json`` gets a ``local-id`` when it has none
  (re-serialised with indent 4 and a trailing newline); the organization id is required;
* Docker is checked next (``Error: Please make sure Docker is installed and running`` + ``Visit ...``);
* ``lean.json`` is rewritten (``json.dumps(indent=4)``: comments dropped) with the Local data provider key, as
  the real CLI does on every run (the exact provider keys come from a CDN module list; this fake writes
  ``data-provider`` only);
* the output folder (default ``<project>/backtests/<YYYY-MM-DD_HH-MM-SS>``) gets ``config`` (id, container,
  backtest-name) and ``code/`` before the run, then LEAN's files; ``--extra-config algorithm-id N`` forces the id,
  an existing ``config`` id is reused; ``--parameter`` replaces config.json's parameters;
* LEAN's console lines (``yyyyMMdd HH:mm:ss.fff TRACE:: ...``, statistics, ``Exiting Lean...``), then
  ``Successfully ran '<project>' in the 'backtesting' environment and stored the output in '<output>'`` or
  ``Error: Something went wrong while running '<project>' ...`` (exit 1) when the algorithm failed; paths are
  relative to the workspace root, and an output folder outside it fails after the run, as ``relative_to`` does.

Switches (environment variables) simulate what cannot happen without Docker:

* ``FAKE_LEAN_NO_DOCKER=1``: Docker is not installed/running;
* ``FAKE_LEAN_KILL=1``: the ``lean`` process is killed (SIGKILL) after the container started;
* ``FAKE_LEAN_CONTAINER_KILLED=1``: the container dies (OOM/``docker kill``) without results; the CLI survives;
* ``FAKE_LEAN_DELAY=<seconds>``: the container takes that long before running the algorithm;
* ``FAKE_LEAN_ARGV_LOG=<file>``: append the received arguments (JSON, one line per call).

Not supported (they need Docker or QuantConnect's servers): ``--detach``, ``--debug``, non-Local data
providers, C# projects; each is refused with an ``Error:`` line and exit 1.
"""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

TROUBLESHOOTING = "https://www.lean.io/docs/v2/lean-cli/key-concepts/troubleshooting#02-Common-Errors"
DEFAULT_IMAGE = "quantconnect/lean:latest"
VERSION = "1.0.228"
_FLAGS = {"--detach", "-d", "--download-data", "--release", "--update", "--no-update", "--verbose"}
_VALUES = {"--output", "--debug", "--data-provider-historical", "--data-purchase-limit", "--image", "--python-venv",
           "--backtest-name", "--extra-docker-config", "--lean-config", "--addon-module"}
_PAIRS = {"--parameter", "--extra-config"}
_DEBUGGERS = ("pycharm", "ptvsd", "debugpy", "vsdbg", "rider", "local-platform")


class UsageError(Exception):
    def __init__(self, message: str, usage: str = "lean backtest [OPTIONS] PROJECT", help_command: str = "lean backtest --help") -> None:
        super().__init__(message)
        self.usage = usage
        self.help_command = help_command


class CliError(Exception):
    def __init__(self, message: str, link: str | None = None) -> None:
        super().__init__(message)
        self.link = link


def say(line: str = "") -> None:
    print(line, flush=True)


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d %H:%M:%S.%f")[:-3]


# --- entry point -------------------------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    log = os.environ.get("FAKE_LEAN_ARGV_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"argv": argv, "cwd": os.getcwd()}) + "\n")
    try:
        if not argv or argv[0] in ("--help", "-h"):
            say("Usage: lean [OPTIONS] COMMAND [ARGS]...")
            say("")
            say("  The Lean CLI by QuantConnect (fake: runs backtests with lean_local).")
            return 0
        if argv[0] == "--version":
            say(f"lean {VERSION}")
            return 0
        if argv[0] != "backtest":
            raise UsageError(f"No such command '{argv[0]}'.", "lean [OPTIONS] COMMAND [ARGS]...", "lean --help")
        return backtest(parse_backtest(argv[1:]))
    except UsageError as err:
        say(f"Usage: {err.usage}")
        say("")
        say(f"Try '{err.help_command}' for help or go to the following url for a list of common errors:")
        say(TROUBLESHOOTING)
        say("")
        say(f"Error: {err}")
        return 1
    except CliError as err:
        say(f"Error: {err}")
        if err.link:
            say(f"Visit {err.link} for more information")
        return 1
    except KeyboardInterrupt:
        say("Aborted!")
        return 1


def parse_backtest(args: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {"parameter": [], "extra-config": [], "flags": set(), "addon-module": []}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--help", "-h"):
            say("Usage: lean backtest [OPTIONS] PROJECT")
            say("")
            say("  Backtest a project locally using Docker.")
            raise SystemExit(0)
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _VALUES:
            name, value = arg.split("=", 1)
            args = args[:i] + [name, value] + args[i + 1:]
            continue
        if arg in _FLAGS:
            options["flags"].add("--detach" if arg == "-d" else arg)
        elif arg in _VALUES:
            if i + 1 >= len(args):
                raise UsageError(f"Option '{arg}' requires an argument.")
            value = args[i + 1]
            if arg == "--addon-module":
                options["addon-module"].append(value)
            else:
                options[arg[2:]] = value
            i += 1
        elif arg in _PAIRS:
            if i + 2 >= len(args):
                raise UsageError(f"Option '{arg}' requires 2 arguments.")
            options[arg[2:]].append((args[i + 1], args[i + 2]))
            i += 2
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"No such option: {arg}")
        else:
            positional.append(arg)
        i += 1
    if not positional:
        raise UsageError("Missing argument 'PROJECT'.")
    if len(positional) > 1:
        raise UsageError(f"Got unexpected extra argument ({' '.join(positional[1:])})")
    project = Path(positional[0])
    if not project.exists():
        raise UsageError(f"Invalid value for 'PROJECT': Path '{positional[0]}' does not exist.")
    options["project"] = project
    if "debug" in options and options["debug"] not in _DEBUGGERS:
        choices = ", ".join(f"'{c}'" for c in _DEBUGGERS)
        raise UsageError(f"Invalid value for '--debug': '{options['debug']}' is not one of {choices}.")
    if "data-purchase-limit" in options:
        try:
            int(options["data-purchase-limit"])
        except ValueError:
            raise UsageError(f"Invalid value for '--data-purchase-limit': '{options['data-purchase-limit']}' is not a valid integer.") from None
    if "lean-config" in options and not Path(options["lean-config"]).is_file():
        raise UsageError(f"Invalid value for '--lean-config': File '{options['lean-config']}' does not exist.")
    return options


# --- lean backtest -----------------------------------------------------------------------------------------------------
def backtest(options: dict[str, Any]) -> int:
    lean_json = find_lean_json(options.get("lean-config"))
    root = lean_json.parent.resolve()
    project: Path = options["project"]
    algorithm_file = find_algorithm_file(project)
    if algorithm_file.name.endswith(".cs"):
        raise CliError("This fake lean CLI runs Python projects only (it backtests with lean_local).")
    if "--detach" in options["flags"] or "debug" in options:
        raise CliError("This fake lean CLI cannot run detached or debugging sessions (there is no Docker container).")
    output = Path(options["output"]) if "output" in options else (
        algorithm_file.parent / "backtests" / datetime.now().strftime("%Y-%m-%d_%H-%M-%S"))
    lean_config = read_lean_json(lean_json)
    project_config = ensure_local_id(algorithm_file.parent)
    organization = lean_config.get("job-organization-id") or lean_config.get("organization-id")
    if not organization:
        raise RuntimeErrorMessage(
            "The working organization for this Lean CLI folder could not be determined.\n"
            "Make sure you run `lean init` on an empty folder for each organization you are a member of")
    if os.environ.get("FAKE_LEAN_NO_DOCKER"):
        raise CliError("Please make sure Docker is installed and running", TROUBLESHOOTING)
    if {"--update", "--no-update"} <= options["flags"]:
        say("Both --no-update and --update were specified, ignoring --no-update")
    image = options.get("image") or project_config.get("engine-image") or DEFAULT_IMAGE
    if image != DEFAULT_IMAGE:
        say(f'A custom engine-image image: "{image}" is being used!')
    provider = "QuantConnect" if "--download-data" in options["flags"] else options.get("data-provider-historical", "Local")
    if provider != "Local":
        raise CliError(f"This fake lean CLI supports only the Local historical data provider, not {provider!r}.")
    rewrite_lean_json(lean_json, lean_config)
    try:
        extra_docker = json.loads(options.get("extra-docker-config", "{}"))
    except ValueError as err:
        raise CliError(f"Expecting value: {err}") from None
    del extra_docker
    output.mkdir(parents=True, exist_ok=True)
    algorithm_id = backtest_id(output, options["extra-config"])
    container = f"lean_cli_{uuid.uuid4().hex}"
    write_output_config(output, algorithm_id, container, options.get("backtest-name"))
    parameters: dict[str, str] | None = None
    if options["parameter"]:
        parameters = {key: value for key, value in options["parameter"]}
    return run_container(root, lean_json, algorithm_file, output, algorithm_id, options.get("backtest-name"), parameters)


class RuntimeErrorMessage(CliError):
    """A RuntimeError the CLI prints as ``Error: <message>``."""


def find_lean_json(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit).resolve()
    current = Path.cwd()
    for folder in (current, *current.parents):
        if (folder / "lean.json").exists():
            return folder / "lean.json"
    raise CliError(
        "This command requires a Lean configuration file, run `lean init` in an empty directory to create one, "
        "or specify the file to use with --lean-config", TROUBLESHOOTING)


def find_algorithm_file(project: Path) -> Path:
    if project.is_file():
        return project.resolve()
    for name in ("main.py", "Main.cs"):
        if (project / name).exists():
            return (project / name).resolve()
    raise CliError("The specified project does not contain a main.py or Main.cs file")


def read_lean_json(path: Path) -> dict[str, Any]:
    from lean_local.runner import WorkspaceError, read_lean_json as parse

    try:
        return parse(path)
    except WorkspaceError as err:
        raise CliError(str(err)) from None


def rewrite_lean_json(path: Path, config: dict[str, Any]) -> None:
    config = dict(config)
    config["data-provider"] = "QuantConnect.Lean.Engine.DataFeeds.DefaultDataProvider"
    path.write_text(json.dumps(config, indent=4), encoding="utf-8")


def ensure_local_id(project_dir: Path) -> dict[str, Any]:
    path = project_dir / "config.json"
    config: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError as err:
            raise CliError(f"{path} is not a valid JSON file: {err}") from None
        config = loaded if isinstance(loaded, dict) else {}
    if "local-id" not in config:
        config["local-id"] = random.randint(100_000_000, 999_999_999)
        path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    return config


def backtest_id(output: Path, extra_config: list[tuple[str, str]]) -> str:
    for key, value in extra_config:
        if key == "algorithm-id":
            try:
                return str(int(value))
            except ValueError:
                raise CliError(f"invalid literal for int() with base 10: '{value}'") from None
    try:
        existing = json.loads((output / "config").read_text(encoding="utf-8"))
        if isinstance(existing, dict) and "id" in existing:
            return str(existing["id"])
    except (OSError, ValueError):
        pass
    return "1" + str(random.randint(100_000_000, 999_999_999))


def write_output_config(output: Path, algorithm_id: str, container: str, name: str | None) -> None:
    path = output / "config"
    data: dict[str, Any] = {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        data = loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError):
        pass
    data["id"] = int(algorithm_id)
    data["container"] = container
    if name:
        data["backtest-name"] = name
    path.write_text(json.dumps(data, indent=4) + "\n", encoding="utf-8")


def run_container(
    root: Path, lean_json: Path, algorithm_file: Path, output: Path, algorithm_id: str, name: str | None,
    parameters: dict[str, str] | None,
) -> int:
    from lean_local.results.writer import copy_code

    project_dir = algorithm_file.parent
    copy_code(project_dir, output, exclude=[output])
    say(f"{stamp()} TRACE:: Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0 Mode: DEBUG (64bit) Host: {socket.gethostname()}")
    say(f"{stamp()} TRACE:: Engine.Main(): Started {datetime.now():%I:%M %p}")
    if os.environ.get("FAKE_LEAN_KILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    delay = float(os.environ.get("FAKE_LEAN_DELAY") or 0)
    if delay > 0:
        time.sleep(delay)
    succeeded = False
    if os.environ.get("FAKE_LEAN_CONTAINER_KILLED"):
        pass  # the container dies without writing results
    else:
        succeeded = run_lean(lean_json, algorithm_file, output, algorithm_id, name, parameters)
    try:
        relative_project = project_dir.relative_to(root)
        relative_output = output.resolve().relative_to(root)
    except ValueError as err:
        raise CliError(str(err)) from None
    if succeeded:
        say(f"Successfully ran '{relative_project}' in the 'backtesting' environment and stored the output in '{relative_output}'")
        return 0
    raise CliError(f"Something went wrong while running '{relative_project}' in the 'backtesting' environment, "
                   f"the output is stored in '{relative_output}'")


def run_lean(lean_json: Path, algorithm_file: Path, output: Path, algorithm_id: str, name: str | None,
             parameters: dict[str, str] | None) -> bool:
    """LEAN inside the container: lean_local writes the results; True when the algorithm completed."""
    from lean_local.results.writer import utc_now
    from lean_local.runner import WorkspaceError, run_backtest
    from lean_local.timeutil import iso_utc

    try:
        result = run_backtest(algorithm_file, output=output.resolve(), parameters=parameters, backtest_name=name,
                              algorithm_id=algorithm_id, echo=say, lean_config=lean_json)
    except WorkspaceError as err:  # LEAN could not load the algorithm or find its data: the engine log says why
        lines = str(err).splitlines()
        for line in lines:
            say(f"{stamp()} ERROR:: {line}")
        moment = iso_utc(utc_now())
        log = [f"{moment} TRACE:: Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0 (fake lean)"]
        log += [f"{moment} ERROR:: {line}" for line in lines]
        (output / "log.txt").write_text("\n".join(log) + "\n", encoding="utf-8")
        say(f"{stamp()} TRACE:: Program.Main(): Exiting Lean...")
        return False
    say(f"{stamp()} TRACE:: Engine.Main(): Analysis Completed and Results Posted.")
    say(f"{stamp()} TRACE:: Program.Main(): Exiting Lean...")
    return result.succeeded


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
