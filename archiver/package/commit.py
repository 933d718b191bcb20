"""Replacing a package's files as one step, so that a crash, a kill or a full disk at any moment
leaves either the package as it was or the package as it is meant to become.

Everything new is written to a staging folder first; a full disk fails there, and the package
is untouched. The commit point is one small file, `commit.json`, written atomically: it lists
the renames (staged file -> final name) and the names to remove. Renames within one file system
need no space and cannot half-happen. A process stopped after the commit point leaves the
journal behind, and the next archiver command on the folder finishes it (`finish`); stopped
before it, the staging folder is simply thrown away.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..atomic import fsync_folder, write_atomic

JOURNAL = "commit.json"


def commit(root: Path, state: Path, moves: Sequence[tuple[Path, Path]], removals: Sequence[Path]) -> None:
    """Move each staged file to its final path and remove `removals`, all under `root`;
    `state` is the folder that holds the journal and the staging folder."""
    journal = {
        "moves": [[_relative(a, root), _relative(b, root)] for a, b in moves],
        "remove": [_relative(path, root) for path in removals],
    }
    write_atomic(state / JOURNAL, json.dumps(journal, indent=1).encode("utf-8"))
    finish(root, state)


def finish(root: Path, state: Path) -> bool:
    """Complete a commit that was stopped midway, if there is one; True when there was."""
    journal_path = state / JOURNAL
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        shutil.rmtree(state / "staging", ignore_errors=True)  # staged work of a run stopped before its commit
        return False
    folders = set()
    for staged, final in journal["moves"]:
        source, target = _inside(root, staged), _inside(root, final)
        if source.exists():  # already moved when the earlier run got this far
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(source, target)
            folders.add(target.parent)
    for name in journal["remove"]:
        gone = _inside(root, name)
        if gone.is_dir():
            shutil.rmtree(gone)
        else:
            gone.unlink(missing_ok=True)
    for folder in folders:
        fsync_folder(folder)
    journal_path.unlink()
    shutil.rmtree(state / "staging", ignore_errors=True)
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
