#!/usr/bin/env bash
# The hostile-input property (tests/test_hostile_properties.py) with many more examples than the
# suite's few: nested, aliased, oversized and truncated JSON, YAML, CSV, zips and HTML.
# usage: bash fuzz/hostile_properties.sh [EXAMPLES]   (default 2000; run from a checkout with .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVER_PROPERTY_EXAMPLES="${1:-2000}" .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_hostile_properties.py
