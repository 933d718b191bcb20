"""Workers start only for reading worth their start, and every file is read either way."""

from __future__ import annotations

from pathlib import Path

from archiver.model import Failure
from archiver.readers import input_files
from archiver.readers.cost import SECONDS_PER_MB, WORKERS_FROM_SECONDS, look_ahead


def test_a_few_small_files_are_read_here_and_none_is_lost(tmp_path: Path) -> None:
    for n in range(40):
        (tmp_path / f"{n:02d}.html").write_text(f"<html><body><p>Article {n}.</p></body></html>")
    files = iter(list(input_files(str(tmp_path))))
    taken, worth = look_ahead(files)
    assert not worth and [Path(item[1]).name for item in taken if not isinstance(item, Failure)] == [
        f"{n:02d}.html" for n in range(40)
    ]
    assert next(files, None) is None


def test_enough_to_read_starts_workers_and_keeps_the_rest_in_order(tmp_path: Path) -> None:
    big = int(WORKERS_FROM_SECONDS / SECONDS_PER_MB * 1e6) + 1
    (tmp_path / "a.html").write_bytes(b"<html><body><p>" + b"x" * big + b"</p></body></html>")
    (tmp_path / "b.html").write_text("<html><body><p>After.</p></body></html>")
    files = iter(list(input_files(str(tmp_path))))
    taken, worth = look_ahead(files)
    assert worth and [Path(item[1]).name for item in taken if not isinstance(item, Failure)] == ["a.html"]
    assert [Path(item[1]).name for item in files if not isinstance(item, Failure)] == ["b.html"]
