"""Replacing a package's files as one step, so that a crash, a kill or a full disk at any moment
leaves either the package as it was or the package as it is meant to become.

Everything new is written to a staging folder first; a full disk fails there, and the package
is untouched. The commit point is the commit of the export's transaction in the package's index
(index.py): with the index's changes, it writes the journal of renames (staged file -> final
name) and names to remove. Renames within one file system need no space and cannot half-happen.
A process stopped after the commit point leaves the journal behind, and the next archiver
command on the folder finishes it (`finish`); stopped before it, the index is as it was and the
staging folder is simply thrown away.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..atomic import fsync_folder
from .index import NAME as INDEX

LEGACY_JOURNAL = "commit.json"  # where archiver before the on-disk index kept its journal


def commit(
    db: sqlite3.Connection, root: Path, moves: Sequence[tuple[Path, Path]], removals: Sequence[Path]
) -> None:
    """Commit the export's transaction in `db`, with the journal of its renames and removals
    under `root`, then carry them out."""
    journal: list[tuple[str | None, str]] = [(_relative(a, root), _relative(b, root)) for a, b in moves]
    journal += [(None, _relative(path, root)) for path in removals]
    db.executemany("INSERT INTO journal (staged, final) VALUES (?, ?)", journal)
    db.execute("COMMIT")
    db.execute("BEGIN IMMEDIATE")
    _carry_out(db, root)
    db.execute("COMMIT")


def finish(root: Path, state: Path) -> bool:
    """Complete a commit that was stopped midway, if there is one; True when there was."""
    finished = _finish_legacy(root, state)
    if pending(state):  # a package on read-only media with nothing to finish is only read
        db = sqlite3.connect(state / INDEX, isolation_level=None, timeout=10)
        try:
            db.execute("BEGIN IMMEDIATE")
            finished = _carry_out(db, root) or finished
            db.execute("COMMIT")
        finally:
            db.close()
    shutil.rmtree(state / "staging", ignore_errors=True)  # staged work of a run stopped before its commit
    return finished


def pending(state: Path) -> bool:
    """Whether an export stopped past its commit point and left its renames to be done."""
    if not (state / INDEX).is_file():
        return False
    db = sqlite3.connect(f"{(state / INDEX).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return db.execute("SELECT 1 FROM journal LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # made by an export stopped before its first commit: empty
        return False
    finally:
        db.close()


def _carry_out(db: sqlite3.Connection, root: Path) -> bool:
    """The journal's renames and removals, done (again, where an earlier run got partway), then
    the journal emptied, in the transaction the caller commits."""
    rows = db.execute("SELECT staged, final FROM journal ORDER BY seq").fetchall()
    _apply(root, [(s, f) for s, f in rows if s is not None], [f for s, f in rows if s is None])
    db.execute("DELETE FROM journal")
    return bool(rows)


def _apply(root: Path, moves: Sequence[tuple[str, str]], removals: Sequence[str]) -> None:
    folders = set()
    for staged, final in moves:
        source, target = _inside(root, staged), _inside(root, final)
        if source.exists():  # already moved when the earlier run got this far
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(source, target)
            folders.add(target.parent)
    for name in removals:
        gone = _inside(root, name)
        if gone.is_dir():
            shutil.rmtree(gone)
        else:
            gone.unlink(missing_ok=True)
    for folder in folders:
        fsync_folder(folder)


def _finish_legacy(root: Path, state: Path) -> bool:
    try:
        journal = json.loads((state / LEGACY_JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    _apply(root, journal["moves"], journal["remove"])
    (state / LEGACY_JOURNAL).unlink()
    return True


def _move(source: Path, target: Path) -> None:
    """os.replace: atomic, and needs no space, within one file system. A folder output (the HTML
    site) cannot replace a folder that has files: the old one is set aside first and removed once
    the new one is in place; a commit stopped between the two is finished by finish()."""
    if source.is_dir():
        aside = target.with_name(f".{target.name}.replaced")
        if target.exists():
            shutil.rmtree(aside, ignore_errors=True)
            os.replace(target, aside)
        os.replace(source, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(source, target)


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _inside(root: Path, relative: str) -> Path:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"commit journal names a path outside the package: {relative}")
    return path
