"""``Library/alpha`` as a LEAN library project: its config.json, what its modules import, its public classes, and
mypy against quantconnect-stubs with LEAN's own settings."""
from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys

import pytest

from alpha_testkit import REPO, alpha_module

LIBRARY = REPO / "Library"
ALPHA = LIBRARY / "alpha"

MODELS = {
    "ts_momentum": "TimeSeriesMomentumAlphaModel",
    "xs_momentum": "CrossSectionalMomentumAlphaModel",
    "mean_reversion": "ZScoreMeanReversionAlphaModel",
    "regime_trend": "RegimeFilteredTrendAlphaModel",
    "pairs": "CointegratedPairsAlphaModel",
    "reversal": "ShortTermReversalAlphaModel",
}

# LEAN's syntax check (run_syntax_check.py) and mypy.ini: lean-cli.md section 4
MYPY_FLAGS = ["--ignore-missing-imports", "--check-untyped-defs", "--show-error-codes",
              "--disable-error-code", "var-annotated", "--disable-error-code", "has-type",
              "--disable-error-code", "union-attr"]


def test_config_is_a_lean_library_project() -> None:
    config = json.loads((ALPHA / "config.json").read_text())
    assert set(config) == {"algorithm-language", "parameters", "description"}
    assert config["algorithm-language"] == "Python" and config["parameters"] == {}
    assert isinstance(config["description"], str) and config["description"]
    assert (ALPHA / "__init__.py").is_file()


def test_modules_import_only_what_lean_provides() -> None:
    libraries = {path.name for path in LIBRARY.iterdir() if path.is_dir() and (path / "config.json").is_file()}
    allowed = {"AlgorithmImports", "numpy", "scipy", "pandas", "__future__"} | libraries | set(sys.stdlib_module_names)
    for path in sorted(ALPHA.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}: use absolute imports (alpha.<module>)"
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


@pytest.mark.parametrize("module_name, class_name", sorted(MODELS.items()))
def test_models_are_documented_alpha_models_with_defaults(module_name: str, class_name: str) -> None:
    from lean_local.framework.alphas import AlphaModel

    model_class = getattr(alpha_module(module_name), class_name)
    assert issubclass(model_class, AlphaModel)
    assert model_class.__doc__ and len(model_class.__doc__.split()) > 60
    model = model_class()
    assert model.name.startswith(class_name + "(")
    for method in ("update", "on_securities_changed"):
        assert method in model_class.__dict__


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
@pytest.mark.skipif(importlib.util.find_spec("QuantConnect") is None, reason="quantconnect-stubs are not installed")
def test_mypy_against_quantconnect_stubs() -> None:
    command = [sys.executable, "-m", "mypy", *MYPY_FLAGS, "--cache-dir", str(REPO / ".mypy_cache" / "library-alpha"),
               "Library/alpha"]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.startswith("Success: no issues found")
