"""The input files that one input argument names: a folder's saved articles, recursively, without
the files that belong to another input (a saved page's NAME_files/, an export's companions)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import ArchiverError
from ..model import Failure
from .base import HEAD_BYTES, Reader
from .registry import RECOGNIZED_IN_FOLDERS, SUPPORTED_EXTENSIONS, detect


def expand(given: str) -> Iterator[tuple[Path, str]]:
    """(path, path as shown) for one input; a directory gives its supported files, recursively,
    sorted, leaving out the NAME_files/ folders that belong to a saved page."""
    root = Path(given)
    if not root.is_dir():
        yield root, given
        return
    found: list[tuple[str, Path]] = []
    for folder, subfolders, files in os.walk(root):
        names = set(files)
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and not _is_page_folder(d, names)
        )
        here: dict[str, Path] = {}
        claimed: set[str] = set()  # read by another input of this folder as its part
        for name in files:
            path = Path(folder) / name
            suffix = path.suffix.lower()
            if name.startswith(".") or suffix not in SUPPORTED_EXTENSIONS:
                continue
            if suffix in RECOGNIZED_IN_FOLDERS:
                reader = _recognized(path)
                if reader is None:
                    continue
                claimed.update(reader.companions)
            here[name] = path
        found += [
            (path.relative_to(root).as_posix(), path) for name, path in here.items() if name not in claimed
        ]
    for relative, path in sorted(found):
        yield path, os.path.join(given, relative)


def _recognized(path: Path) -> Reader | None:
    """The reader the file's content asks for, when it is one that reads files of its extension
    (notes in Markdown that merely mention some HTML are not saved pages)."""
    try:
        with path.open("rb") as handle:
            reader = detect(path, handle.read(HEAD_BYTES))
    except (ArchiverError, OSError):
        return None
    return reader if path.is_file() and path.suffix.lower() in reader.extensions else None


def _is_page_folder(folder: str, files: set[str]) -> bool:
    """ "Save Page As, complete" writes NAME.html beside NAME_files/ (or NAME-Dateien/, ...)."""
    for suffix in ("_files", "-Dateien", "_fichiers", "_archivos", "-bestanden", "_file"):
        if folder.endswith(suffix):
            stem = folder[: -len(suffix)]
            return any(f.startswith(stem + ".") for f in files)
    return False


def input_files(given: str) -> Iterator[tuple[Path, str] | Failure]:
    """(path, path as shown) of every file one input argument names, or why one cannot be read."""
    if not os.path.lexists(given):
        yield Failure(given, "no such file or directory")
        return
    root = Path(given).resolve() if os.path.isdir(given) else None
    for path, shown in expand(given):
        if root is not None and not path.resolve().is_relative_to(root):
            yield Failure(
                shown,
                "a symbolic link to a file outside the folder given; not read "
                "(name the file itself to read it)",
            )
            continue
        yield path, shown
