#!/usr/bin/env bash
# The sha256 of every file that exporting examples/ (and ../shared/corpus, when present) writes,
# with a fixed SOURCE_DATE_EPOCH: run before and after a change that must not change outputs.
# Usage: scripts/output-hashes.sh [ARCHIVER]   (default: .venv/bin/archiver)
set -euo pipefail
cd "$(dirname "$0")/.."
archiver="${1:-.venv/bin/archiver}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
inputs=(examples)
[ -d ../shared/corpus ] && inputs+=(../shared/corpus)
for input in "${inputs[@]}"; do
  name="$(basename "$input")"
  "$archiver" export "$input" --out "$work/$name" --quiet >/dev/null 2>"$work/$name.log" || tail -3 "$work/$name.log" >&2
  (cd "$work" && find "$name" -type f -print0 | sort -z | xargs -0 sha256sum)
done
