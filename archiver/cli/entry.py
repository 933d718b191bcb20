"""The `archiver` command's entry point, kept free of heavy imports so that a Ctrl-C while the
libraries load still ends in one line, not a traceback. Ctrl-C is held while they load: some of
them dropped it (runtime/interrupts.py)."""

from __future__ import annotations

from ..runtime import interrupts


def main() -> None:
    interrupts.install()
    try:
        with interrupts.held():
            from .app import run
    except KeyboardInterrupt:
        interrupts.exit_interrupted()
    run()
