#!/usr/bin/env bash
# Creates or refreshes .venv with the project and its dev dependencies.
# Idempotent: it reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "error: Python 3.11 or newer is required (found: $("$python_bin" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python_bin" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev,bench]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
