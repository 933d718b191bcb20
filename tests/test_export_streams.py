"""Exports are read as streams: entries come out one by one, a broken one is reported where it
is and the rest still come out, and worker processes make the same articles as one process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import archiver
from archiver import Article, Failure
from archiver.model import Source
from archiver.package.originals import Originals
from archiver.readers import ReadOptions, read_inputs


def _pocket_csv(rows: int, broken: frozenset[int] = frozenset()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "url", "time_added", "tags", "status"])
    for n in range(rows):
        title = f"Article {n}" + ("\x00" if n in broken else "")
        writer.writerow([title, f"https://example.org/{n}", 1600000000 + n, "a|b", "unread"])
    return out.getvalue().encode("utf-8")


def test_a_row_with_a_nul_byte_is_reported_and_the_others_come_out(tmp_path: Path) -> None:
    export = tmp_path / "pocket.csv"
    export.write_bytes(_pocket_csv(5, broken=frozenset({2})))
    items = list(archiver.read([export]))
    assert [type(item).__name__ for item in items] == ["Article", "Article", "Failure", "Article", "Article"]
    failure = items[2]
    assert (
        isinstance(failure, Failure) and failure.problem.startswith("entry 2:") and "NUL" in failure.problem
    )
    assert [a.title for a in items if isinstance(a, Article)] == [f"Article {n}" for n in (0, 1, 3, 4)]


def test_a_json_export_cut_short_keeps_the_entries_before_the_cut(tmp_path: Path) -> None:
    entries = [
        {
            "url": f"https://example.org/{n}",
            "title": f"T{n}",
            "is_archived": 0,
            "content": f"<p>Text {n}.</p>",
        }
        for n in range(4)
    ]
    whole = json.dumps(entries)
    export = tmp_path / "wallabag.json"
    export.write_text(whole[: whole.index('{"url": "https://example.org/3"') + 20])
    items = list(archiver.read([export]))
    assert [a.title for a in items if isinstance(a, Article)] == ["T0", "T1", "T2"]
    [failure] = [item for item in items if isinstance(item, Failure)]
    assert failure.path == str(export) and "not valid JSON after entry 3" in failure.problem


def test_a_json_export_that_is_not_a_list_is_one_clear_failure(tmp_path: Path) -> None:
    export = tmp_path / "wallabag.json"
    export.write_text('{"url": "https://example.org/", "is_archived": 0}')
    [failure] = list(archiver.read([export]))
    assert isinstance(failure, Failure)


def test_workers_make_the_same_articles_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export is shared out to worker processes a batch of entries at a time."""
    (tmp_path / "a.csv").write_bytes(_pocket_csv(150, broken=frozenset({70})))
    (tmp_path / "b.html").write_text(
        "<html><head><title>Page</title></head><body><p>A page.</p></body></html>"
    )
    one = list(read_inputs([str(tmp_path)], ReadOptions(), jobs=1))
    monkeypatch.setattr("archiver.readers.cost.WORKERS_FROM_SECONDS", 0.0)  # workers for any reading at all
    two = list(read_inputs([str(tmp_path)], ReadOptions(), jobs=2))
    assert len(one) == 151 and one == two
    assert isinstance(two[70], Failure) and two[70].locator == "entry-index:70"
    assert [a.source.entry_index for a in two[:3] if isinstance(a, Article)] == [0, 1, 2]


def test_an_entrys_original_is_its_own_row_in_any_order_asked(tmp_path: Path) -> None:
    export = tmp_path / "pocket.csv"
    export.write_bytes(_pocket_csv(6))
    sources: dict[int, Source] = {
        a.source.entry_index or 0: a.source for a in archiver.read([export]) if isinstance(a, Article)
    }
    originals = Originals()
    for index in (3, 4, 1, 5, 0):  # backwards starts the stream again
        row = originals.read(sources[index]).decode()
        assert row.splitlines()[0] == "title,url,time_added,tags,status"
        assert f"https://example.org/{index}," in row.splitlines()[1]
