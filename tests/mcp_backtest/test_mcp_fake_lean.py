"""The fake ``lean`` behaves like the real CLI as lean-cli.md documents it (so backend tests against it mean something)."""
from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path

import pytest
from _mcp_support import FAKE_LEAN_DIR, fake_lean_env, make_workspace

TROUBLESHOOTING = "https://www.lean.io/docs/v2/lean-cli/key-concepts/troubleshooting#02-Common-Errors"
CONSOLE = re.compile(r"^\d{8} \d{2}:\d{2}:\d{2}\.\d{3} (TRACE|ERROR|DEBUG):: ")


def lean(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lean", *args], cwd=cwd, env=fake_lean_env(env), capture_output=True, text=True, timeout=300)


@pytest.fixture
def ws(tmp_path: Path, synthetic_data: Path) -> Path:
    return make_workspace(tmp_path / "ws", synthetic_data, projects=("buy_hold", "raises", "sma_cross"))


def test_fake_is_found_first_on_path(ws: Path) -> None:
    found = subprocess.run(["which", "lean"], env=fake_lean_env(), capture_output=True, text=True)
    assert found.stdout.strip() == str(FAKE_LEAN_DIR / "lean")
    version = lean(["--version"], ws)
    assert version.returncode == 0 and version.stdout.startswith("lean ")


def test_successful_backtest_output_lines_and_files(ws: Path) -> None:
    (ws / "lean.json").write_text('{\n  // comment\n  "data-folder": ' + json.dumps(json.loads((ws / "lean.json").read_text())["data-folder"])
                                  + ', "organization-id": "abc"\n}\n')
    run = lean(["backtest", "algorithms/buy_hold", "--backtest-name", "my run"], ws)
    assert run.returncode == 0, run.stdout
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert re.fullmatch(r"Successfully ran 'algorithms/buy_hold' in the 'backtesting' environment and stored the "
                        r"output in 'algorithms/buy_hold/backtests/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d'", lines[-1])
    console = lines[:-1]
    assert all(CONSOLE.match(line) for line in console), [l for l in console if not CONSOLE.match(l)]
    assert "LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0" in console[0]
    assert any("STATISTICS:: Total Orders 1" in line for line in console)
    assert any("STATISTICS:: OrderListHash " in line for line in console)
    assert console[-1].endswith("Program.Main(): Exiting Lean...")
    output = ws / lines[-1].split("'")[-2]
    config = json.loads((output / "config").read_text())
    assert list(config) == ["id", "container", "backtest-name"] and config["backtest-name"] == "my run"
    assert str(config["id"]).startswith("1") and len(str(config["id"])) == 10
    assert re.fullmatch(r"lean_cli_[0-9a-f]{32}", config["container"])
    backtest_id = config["id"]
    for name in (f"{backtest_id}.json", f"{backtest_id}-summary.json", f"{backtest_id}-order-events.json",
                 f"{backtest_id}-log.txt", "log.txt", "code/main.py"):
        assert (output / name).exists(), name
    assert not (output / "code" / "config.json").exists()  # only source files (.py .cs .ipynb .css .html)
    summary = json.loads((output / f"{backtest_id}-summary.json").read_text())
    assert summary["state"]["Status"] == "Completed"
    # side effects of the real CLI: local-id in config.json, lean.json rewritten without comments
    project_config_text = (ws / "algorithms" / "buy_hold" / "config.json").read_text()
    project_config = json.loads(project_config_text)
    assert 100_000_000 <= project_config["local-id"] <= 999_999_999 and project_config_text.endswith("}\n")
    assert project_config_text == json.dumps(project_config, indent=4) + "\n"
    lean_json = (ws / "lean.json").read_text()
    assert "//" not in lean_json and json.loads(lean_json)["organization-id"] == "abc"
    again = lean(["backtest", "algorithms/buy_hold"], ws)
    assert again.returncode == 0
    assert json.loads((ws / "algorithms" / "buy_hold" / "config.json").read_text())["local-id"] == project_config["local-id"]


def test_lean_json_is_found_by_walking_up_from_the_working_directory(ws: Path, tmp_path: Path) -> None:
    inside = lean(["backtest", ".", "--output", "../../out/inside"], ws / "algorithms" / "buy_hold")
    assert inside.returncode == 0, inside.stdout
    assert inside.stdout.splitlines()[-1].endswith("stored the output in 'out/inside'")
    outside = lean(["backtest", str(ws / "algorithms" / "buy_hold")], tmp_path)
    assert outside.returncode == 1
    assert outside.stdout.splitlines() == [
        "Error: This command requires a Lean configuration file, run `lean init` in an empty directory to create one, "
        "or specify the file to use with --lean-config",
        f"Visit {TROUBLESHOOTING} for more information",
    ]
    explicit = lean(["backtest", str(ws / "algorithms" / "buy_hold"), "--lean-config", str(ws / "lean.json"),
                     "--output", str(ws / "out" / "explicit")], tmp_path)
    assert explicit.returncode == 0, explicit.stdout


def test_project_organization_and_usage_errors(ws: Path) -> None:
    (ws / "empty").mkdir()
    no_main = lean(["backtest", "empty"], ws)
    assert (no_main.returncode, no_main.stdout) == (1, "Error: The specified project does not contain a main.py or Main.cs file\n")
    missing = lean(["backtest", "algorithms/nope"], ws)
    assert missing.returncode == 1
    assert missing.stdout.splitlines() == [
        "Usage: lean backtest [OPTIONS] PROJECT", "",
        "Try 'lean backtest --help' for help or go to the following url for a list of common errors:",
        TROUBLESHOOTING, "", "Error: Invalid value for 'PROJECT': Path 'algorithms/nope' does not exist.",
    ]
    for args, message in ((["backtest"], "Missing argument 'PROJECT'."),
                          (["backtest", "algorithms/buy_hold", "--frobnicate"], "No such option: --frobnicate"),
                          (["backtest", "algorithms/buy_hold", "--output"], "Option '--output' requires an argument."),
                          (["backtest", "algorithms/buy_hold", "--parameter", "a"], "Option '--parameter' requires 2 arguments."),
                          (["optimise"], "No such command 'optimise'.")):
        run = lean(args, ws)
        assert run.returncode == 1 and run.stdout.splitlines()[-1] == f"Error: {message}", (args, run.stdout)
    lean_json = json.loads((ws / "lean.json").read_text())
    del lean_json["organization-id"]
    (ws / "lean.json").write_text(json.dumps(lean_json))
    no_org = lean(["backtest", "algorithms/buy_hold"], ws)
    assert no_org.returncode == 1
    assert no_org.stdout.splitlines() == [
        "Error: The working organization for this Lean CLI folder could not be determined.",
        "Make sure you run `lean init` on an empty folder for each organization you are a member of",
    ]
    assert not (ws / "algorithms" / "buy_hold" / "backtests").exists()


def test_parameters_ids_and_runtime_errors(ws: Path) -> None:
    run = lean(["backtest", "algorithms/sma_cross", "--output", "algorithms/sma_cross/backtests/p", "--parameter", "fast", "3",
                "--parameter", "slow", "9", "--extra-config", "algorithm-id", "1234567890", "--no-update"], ws)
    assert run.returncode == 0, run.stdout
    output = ws / "algorithms" / "sma_cross" / "backtests" / "p"
    summary = json.loads((output / "1234567890-summary.json").read_text())
    assert summary["algorithmConfiguration"]["parameters"] == {"fast": "3", "slow": "9"}  # replaced, not merged
    # an output folder that already has an id keeps it
    reuse = lean(["backtest", "algorithms/sma_cross", "--output", "algorithms/sma_cross/backtests/p"], ws)
    assert reuse.returncode == 0 and json.loads((output / "config").read_text())["id"] == 1234567890
    failed = lean(["backtest", "algorithms/raises", "--output", "algorithms/raises/backtests/r"], ws)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[-1] == ("Error: Something went wrong while running 'algorithms/raises' in the "
                                              "'backtesting' environment, the output is stored in 'algorithms/raises/backtests/r'")
    assert any(" ERROR:: " in line and "ValueError: boom" in line for line in failed.stdout.splitlines())
    result_id = json.loads((ws / "algorithms/raises/backtests/r/config").read_text())["id"]
    state = json.loads((ws / f"algorithms/raises/backtests/r/{result_id}-summary.json").read_text())["state"]
    assert state["Status"] == "RuntimeError" and "boom" in state["RuntimeError"]


def test_output_outside_the_workspace_fails_after_the_run(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    run = lean(["backtest", "algorithms/buy_hold", "--output", str(outside)], ws)
    assert run.returncode == 1
    assert run.stdout.splitlines()[-1].startswith(f"Error: '{outside}' is not in the subpath of '{ws}'")
    assert any(p.name.endswith("-summary.json") for p in outside.iterdir())  # the run itself happened


def test_simulated_failures(ws: Path) -> None:
    no_docker = lean(["backtest", "algorithms/buy_hold"], ws, FAKE_LEAN_NO_DOCKER="1")
    assert (no_docker.returncode, no_docker.stdout.splitlines()) == (1, [
        "Error: Please make sure Docker is installed and running", f"Visit {TROUBLESHOOTING} for more information"])
    killed = lean(["backtest", "algorithms/buy_hold", "--output", "k"], ws, FAKE_LEAN_KILL="1")
    assert killed.returncode == -signal.SIGKILL
    assert (ws / "k" / "config").is_file() and not list((ws / "k").glob("*-summary.json"))
    container = lean(["backtest", "algorithms/buy_hold", "--output", "c"], ws, FAKE_LEAN_CONTAINER_KILLED="1")
    assert container.returncode == 1
    assert container.stdout.splitlines()[-1].startswith("Error: Something went wrong while running 'algorithms/buy_hold'")
    image = lean(["backtest", "algorithms/buy_hold", "--image", "me/lean:dev", "--output", "i"], ws)
    assert image.returncode == 0 and 'A custom engine-image image: "me/lean:dev" is being used!' in image.stdout.splitlines()
