"""Read-it-later exports and bookmark files: wallabag's own importer fixtures in ../shared/exports
(real files in eight formats) scored by the shared tool's rules; the whole folder exported with
the examples, valid by every validator and honest in the WARC; broken exports written here."""

from __future__ import annotations

import gzip
import html
import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

import archiver
from archiver import Article, ExportSettings, Failure, Finished
from archiver.cli.report import article_row
from archiver.readers import expand
from tests import export_samples
from tests.conftest import ROOT
from tests.helpers import shared_scorer

EXPORTS = ROOT.parent / "shared" / "exports"
FLOOR = 0.98  # the backlogs issue's bar for every entry field


@pytest.fixture(scope="module")
def exports() -> Path:
    if not (EXPORTS / "expected.jsonl").is_file():
        pytest.skip("../shared/exports is not here (it exists in CI, not in a fresh clone)")
    return EXPORTS


def _scorer(exports: Path) -> ModuleType:
    return shared_scorer(exports.parent)


@pytest.mark.corpus
def test_every_entry_is_found_and_described_as_the_file_states(exports: Path) -> None:
    score = _scorer(exports)
    expected = [json.loads(line) for line in (exports / "expected.jsonl").read_text().splitlines() if line]
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for document in expected:
        rows = [
            article_row(item, document["path"], n)
            for n, item in enumerate(archiver.read([exports / document["path"]]))
            if isinstance(item, Article)
        ]
        found = {score.entry_key(row["url"]): row for row in rows if row["url"]}
        for want in document["entries"]:
            got = found.get(score.entry_key(want["url"]))
            for name in score.ENTRY_FIELDS:
                if name == "found" or name in want:
                    totals[name] += 1
                    hits[name] += score.check_entry(name, want, got)
    ratios = {name: hits[name] / totals[name] for name in totals}
    print("\nexports:", {k: round(v, 3) for k, v in ratios.items()}, file=sys.stderr)
    assert ratios["found"] == 1.0
    assert {name: ratio for name, ratio in ratios.items() if ratio < FLOOR} == {}


@pytest.mark.export
@pytest.mark.corpus
def test_exports_and_examples_make_one_valid_honest_package(exports: Path, tmp_path: Path) -> None:
    from tests.validators import epubcheck_problems, require

    out = tmp_path / "out"
    settings = ExportSettings(formats=["epub", "pdf", "warc"])
    events = list(archiver.export([exports, ROOT / "examples"], out, settings))
    assert isinstance(events[-1], Finished) and not [e for e in events if isinstance(e, archiver.Problem)]
    manifest = json.loads((out / "manifest.json").read_text())
    jsonschema.validate(manifest, json.loads((ROOT / "schemas" / "manifest.schema.json").read_text()))
    links = [a for a in manifest["hasPart"] if a["archiver:content"] == "link"]
    assert len(links) >= 20 and all(
        a["prov:wasDerivedFrom"]["archiver:entryIndex"] is not None for a in links
    )
    assert isinstance(events[-1], Finished) and events[-1].links == len(links)
    [book] = out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    with zipfile.ZipFile(book) as epub:
        navigation = epub.read("EPUB/nav.xhtml").decode()
        saved = epub.read("EPUB/saved-links.xhtml").decode()
    assert f"Saved links ({len(links)})" in navigation
    assert all(html.escape(a["url"]) in saved for a in links) and navigation.count('href="article-') == 13
    [pdf] = out.glob("*.pdf")
    assert (
        subprocess.run([require("qpdf"), "--check", str(pdf)], capture_output=True, check=False).returncode
        == 0
    )
    text = subprocess.run(
        [require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Saved links ({len(links)})" in text and "youmightnotneedjquery.com" in text
    [warc] = out.glob("warc/*.warc.gz")
    with gzip.open(warc) as handle:
        targets = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)}
    entry_urls = {
        a["url"] for a in manifest["hasPart"] if a["prov:wasDerivedFrom"]["archiver:entryIndex"] is not None
    }
    assert not targets & entry_urls, "an export's entry was put at its page's address, as if captured"
    assert all(check.ok for check in archiver.verify(out))


@pytest.mark.corpus
def test_each_entry_is_an_article_of_its_own(exports: Path, tmp_path: Path) -> None:
    """An entry's original is its own record, so the entries of one export are not duplicates."""
    out = tmp_path / "out"
    events = list(
        archiver.export([exports / "wallabag" / "pocket.csv"], out, ExportSettings(formats=["warc"]))
    )
    assert isinstance(events[-1], Finished) and events[-1].articles == 7 and events[-1].duplicates == 0


def test_a_broken_entry_is_reported_and_the_others_come_out(tmp_path: Path) -> None:
    export = tmp_path / "wallabag.json"
    entries: list[Any] = [
        {
            "url": "https://example.org/a",
            "title": "A",
            "is_archived": 1,
            "is_starred": 0,
            "content": "<p>A.</p>",
        },
        "not an entry",
        {"url": "https://example.org/c", "title": "C", "is_archived": 0, "is_starred": 1, "tags": ["x"]},
    ]
    export.write_text(json.dumps(entries))
    items = list(archiver.read([export]))
    assert [type(item).__name__ for item in items] == ["Article", "Failure", "Article"]
    assert isinstance(items[1], Failure) and items[1].problem.startswith("entry 1:")
    first, last = items[0], items[2]
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.status, first.starred, first.content) == ("archived", False, "full")
    assert (last.status, last.starred, last.content, last.tags) == ("unread", True, "link", ("x",))


def test_a_csv_with_a_nul_byte_is_one_failure(tmp_path: Path) -> None:
    export = tmp_path / "pocket.csv"
    export.write_bytes(b"title,url,time_added,tags,status\nA,https://example.org/a,1600000000,,unread\x00\n")
    [failure] = list(archiver.read([export]))
    assert isinstance(failure, Failure) and "NUL" in failure.problem


def test_a_folder_reads_only_the_json_and_csv_files_a_reader_recognizes(tmp_path: Path) -> None:
    (tmp_path / "expected.json").write_text('{"title": "not an export"}')
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "bookmarks.json").write_text(
        '{"type": "text/x-moz-place-container", "children": [{"type": "text/x-moz-place", '
        '"uri": "https://example.org/", "title": "Example", "dateAdded": 1388166091644000}]}'
    )
    assert [Path(path).name for path, _ in expand(str(tmp_path))] == ["bookmarks.json"]


def test_bookmark_times_in_seconds_milliseconds_and_microseconds(tmp_path: Path) -> None:
    export = tmp_path / "bookmarks.html"
    export.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://example.org/s" ADD_DATE="1686813518" TAGS="a,b" TOREAD="1">Seconds</A>\n'
        "<DD>A note on it.\n"
        '<DT><A HREF="https://example.org/ms" ADD_DATE="1686813518000">Milliseconds</A>\n'
        '<DT><A HREF="https://example.org/us" ADD_DATE="1686813518000000">Microseconds</A>\n'
        "</DL><p>\n"
    )
    articles = [a for a in archiver.read([export]) if isinstance(a, Article)]
    assert [str(a.source.saved) for a in articles] == ["2023-06-15 07:18:38+00:00"] * 3
    assert (articles[0].tags, articles[0].status) == (("a", "b"), "unread")
    assert "A note on it." in articles[0].body and all(a.content == "link" for a in articles)


def test_a_bookmark_keeps_the_folders_it_is_in(tmp_path: Path) -> None:
    export = tmp_path / "bookmarks.html"
    export.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><H3>Reading</H3>\n<DL><p>\n"
        "<DT><H3>Tech</H3>\n<DL><p>\n"
        '<DT><A HREF="https://example.org/a">A</A>\n</DL><p>\n<DT><A HREF="https://example.org/b">B</A>\n'
        '</DL><p>\n<DT><A HREF="https://example.org/c">C</A>\n</DL>\n'
    )
    articles = [a for a in archiver.read([export]) if isinstance(a, Article)]
    assert [(a.url, a.folder) for a in articles] == [
        ("https://example.org/a", "Reading/Tech"),
        ("https://example.org/b", "Reading"),
        ("https://example.org/c", None),
    ]


@pytest.mark.parametrize("name", sorted(export_samples.SAMPLES))
def test_the_formats_without_a_public_sample_read_their_documented_fields(name: str, tmp_path: Path) -> None:
    [path] = [p for p in export_samples.write(tmp_path) if p.name == name]
    articles = [a for a in archiver.read([path]) if isinstance(a, Article)]
    days = [a.source.saved.isoformat()[:10] if a.source.saved else None for a in articles]
    got = [
        (a.url, a.title, day, a.tags, a.folder, a.status, a.starred)
        for a, day in zip(articles, days, strict=True)
    ]
    assert got == export_samples.EXPECTED[name]
    assert [a.content for a in articles] == export_samples.CONTENT.get(name, ["link"] * len(articles))


def test_raindrops_highlights_are_kept_with_their_notes(tmp_path: Path) -> None:
    [path] = [p for p in export_samples.write(tmp_path) if p.name == "raindrop.csv"]
    first = next(a for a in archiver.read([path]) if isinstance(a, Article))
    assert [(h.quote, h.note, h.placed) for h in first.highlights] == [
        ("the paper turns brown", "so it does", False)
    ]


@pytest.mark.export
def test_zipped_exports_bring_their_highlights(tmp_path: Path) -> None:
    paths = {p.name: p for p in export_samples.write(tmp_path)}
    pocket = next(a for a in archiver.read([paths["pocket.zip"]]) if isinstance(a, Article))
    assert [(h.quote, h.placed) for h in pocket.highlights] == [("the paper turns brown", False)]
    omnivore = next(a for a in archiver.read([paths["omnivore.zip"]]) if isinstance(a, Article))
    assert [(h.quote, h.note, h.placed) for h in omnivore.highlights] == [
        ("the paper turns brown, then brittle", "True of every paper.", True)
    ]
    assert '<mark class="highlight" data-highlight="1" title="True of every paper.">' in omnivore.body
    matter = next(a for a in archiver.read([paths["Archive.zip"]]) if isinstance(a, Article))
    assert [(h.quote, h.note, h.placed) for h in matter.highlights] == [
        ("the paper turns brown", "Yes", True)
    ]
    assert matter.authors == ("Ada Example",) and matter.content == "full"


def test_a_zip_member_outside_the_zip_or_a_bomb_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    export = tmp_path / "pocket.zip"
    export.write_bytes(
        export_samples.zipped(
            {
                "../part_000001.csv": "title,url,time_added,tags,status\nEvil,https://evil.example/,1,,unread\n",
                "part_000000.csv": "title,url,time_added,tags,status\n"
                f"Fine,{export_samples.URL_A},1714640000,,unread\n",
                "part_000002.csv": "title,url,time_added,tags,status\n" + "x" * (8 << 20),
            }
        )
    )
    items = list(archiver.read([export]))
    failures = [i.problem for i in items if isinstance(i, Failure)]
    assert [a.url for a in items if isinstance(a, Article)] == [export_samples.URL_A]
    assert len(failures) == 2
    assert any("outside the zip" in f for f in failures) and any("zip bomb" in f for f in failures)
    assert not (tmp_path.parent / "part_000001.csv").exists()


def test_an_obsidian_clip_is_its_markdown_rendered_without_raw_html(tmp_path: Path) -> None:
    [path] = [p for p in export_samples.write(tmp_path) if p.name == "clip.md"]
    [clip] = [a for a in archiver.read([path]) if isinstance(a, Article)]
    assert clip.authors == ("Ada Example",) and str(clip.published) == "2024-05-01"
    assert "<em>paper</em>" in clip.body and "<li>then brittle</li>" in clip.body
    assert (
        "<script" not in clip.body and "&lt;script&gt;" in clip.body
    )  # shown as the note wrote it, never run


def test_pocket_exporters_folder_brings_its_article_images_and_highlights(tmp_path: Path) -> None:
    [folder] = [p for p in export_samples.write(tmp_path) if p.name == "pocket-exporter"]
    parsed, page, link = [a for a in archiver.read([folder]) if isinstance(a, Article)]
    # Pocket's parsed article: its image is the file the exporter saved, found by the address's name
    [image] = parsed.embedded
    assert image.ref == "https://news.example.org/img/press%20room.png" and image.media_type == "image/png"
    assert [(h.quote, h.note, h.placed) for h in parsed.highlights] == [
        ("the paper turns brown", "so it does", True)
    ]
    assert parsed.authors == ("Ada Example",) and str(parsed.published)[:10] == "2024-04-30"
    # the downloaded page: its article is extracted, the site's furniture left out
    assert "a checksum says" in page.body and "newsletter" not in page.body and "Copyright" not in page.body
    assert link.content == "link" and "A page never downloaded." in link.body
    # the HTML files beside index.json were read as its parts, never as pages of their own
    assert {Path(a.source.path).name for a in (parsed, page, link)} == {"index.json"}


@pytest.mark.export
def test_the_exports_made_here_make_one_valid_package(tmp_path: Path) -> None:
    from tests.validators import epubcheck_problems

    samples = tmp_path / "samples"
    export_samples.write(samples)
    out = tmp_path / "out"
    events = list(archiver.export([samples], out, ExportSettings(formats=["epub", "warc"])))
    assert not [e for e in events if isinstance(e, archiver.Problem)]
    # a file without an extension (Chrome's Bookmarks) is read when named, not found by a folder scan
    entries = sum(len(expected) for name, expected in export_samples.EXPECTED.items() if name != "Bookmarks")
    # every sample saves the same few addresses: one article each, the other saves merged into it
    assert isinstance(events[-1], Finished) and (events[-1].articles, events[-1].merged) == (3, entries - 3)
    manifest = json.loads((out / "manifest.json").read_text())
    jsonschema.validate(manifest, json.loads((ROOT / "schemas" / "manifest.schema.json").read_text()))
    [book] = out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    [warc] = out.glob("warc/*.warc.gz")
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", str(warc)], capture_output=True, check=False
    )
    assert check.returncode == 0, check.stdout
    assert all(c.ok for c in archiver.verify(out))
