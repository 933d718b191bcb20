#!/usr/bin/env bash
# The fast tests on the lowest versions pyproject.toml allows of archiver's own dependencies
# (uv's --resolution lowest-direct; what those need comes at its newest, as a user would get it).
# A floor that the code outgrew fails here, not in a user's older environment.
set -euo pipefail
cd "$(dirname "$0")/.."
lowest=.venv-lowest
.venv/bin/uv venv -q --allow-existing -p "$(.venv/bin/python -c 'import sys; print(sys.executable)')" "$lowest"
.venv/bin/uv pip install -q --python "$lowest/bin/python" --resolution lowest-direct --compile-bytecode '.[test]'
"$lowest/bin/python" -m pytest -m "not slow" -n 2 -q -p no:cacheprovider "$@"
