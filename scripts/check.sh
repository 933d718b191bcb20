#!/usr/bin/env bash
# What the project claims of its code, checked before the tests run: ruff's lint rules and format
# (pyproject.toml), mypy --strict, then pytest. Run with the virtual environment the README's
# test command makes (.venv, with '.[test]' installed). The tests run on two workers (pytest-xdist),
# each module's tests in one of them (its module fixtures made once), the whole corpus read and
# exported once for both (tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/mypy" --strict archiver
"$bin/python" -m pytest -n 2 --dist loadscope "$@"
