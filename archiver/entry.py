"""The `archiver` command's entry point, kept free of heavy imports so that a Ctrl-C while the
libraries load still ends in one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    run()
