"""Writing outputs so that a crash or Ctrl-C never leaves a half-written file under the final name."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest`; it becomes `dest` (by rename, which is atomic on one file
    system) only when the block finishes without an exception."""
    # the thread too: captures store the same bytes (an empty body) from several threads at once
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        yield temporary
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, dest)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(dest.parent)


def write_atomic(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as temporary:
        temporary.write_bytes(data)


def fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
