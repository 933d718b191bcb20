"""Ctrl-C that nothing can lose, and that never cuts a step in two.

Python raises KeyboardInterrupt wherever the program happens to be, and some places drop it: an
exception inside a destructor or a garbage-collection callback is only printed, and broad
`except:` clauses in libraries catch it (23 of 150 Ctrl-Cs sent while archiver was importing its
libraries were lost so, and the export ran to the end). So archiver's handler also notes the
press, and the commit point asks (`raise_if_pressed`): a package is never replaced after a Ctrl-C.
Kept free of heavy imports: the entry point uses it before loading anything else.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

EXIT_STATUS = 130  # the shell's code for a command ended by Ctrl-C
_pressed = False


def install() -> None:
    signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    global _pressed
    _pressed = True
    raise KeyboardInterrupt


def exit_interrupted() -> NoReturn:
    """How a Ctrl-C that no command has explained ends: one line, exit status 130."""
    print("interrupted", file=sys.stderr)
    sys.exit(EXIT_STATUS)


def raise_if_pressed() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if its first one was swallowed."""
    if _pressed:
        raise KeyboardInterrupt


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C during the block takes effect when it ends, as it would have. (Python changes
    handlers on the main thread only, where Ctrl-C arrives; a handler set outside Python is left.)"""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)
