"""A package grown in three exports, with the growing outputs' bounds made small (EPUB volumes of
4 articles, EPUB and PDF, WARCs of at most 3, index pages of 3) so that a few saved pages cross them all: the
same three exports elsewhere give the same bytes, every article is in exactly one volume, and
every validator holds on the grown package."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

import archiver
from archiver import ExportSettings, Finished, Written
from archiver.exporters import BY_NAME
from archiver.package import grow, site_search
from tests.conftest import BIN, ROOT, replay
from tests.validators import epubcheck_problems, pdf_problems

pytestmark = [pytest.mark.export, pytest.mark.network]

SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
FORMATS = ["epub", "pdf", "warc", "wacz", "html"]


def saved_page(folder: Path, number: int) -> Path:
    """A saved page of its own, at its own address."""
    words = " ".join(f"Paragraph {k} of story {number}, about the harbour and its boats." for k in range(12))
    page = folder / f"story-{number:02d}.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {number}</title>"
        f"<link rel='canonical' href='https://news.example/story-{number}'>"
        f"<meta property='article:published_time' content='2024-0{1 + number % 9}-1{number % 10}'></head>"
        f"<body><article><h1>Story {number}</h1><p>{words}</p><p>{words}</p></article></body></html>",
        encoding="utf-8",
    )
    return page


def pocket_csv(folder: Path, numbers: list[int]) -> Path:
    """A read-it-later export tagging stories the package already holds: merged into them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "url", "time_added", "tags", "status"])
    for n in numbers:
        writer.writerow(
            [f"Story {n}", f"https://news.example/story-{n}", 1700000000 + n, "harbour", "archived"]
        )
    path = folder / "pocket.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def grow_package(out: Path, inputs: Path) -> list[list[archiver.Event]]:
    """Three exports into `out`: 5 pages, then 4 more and a Pocket export merged into two of the
    first, then 2 more."""
    inputs.mkdir(exist_ok=True)
    pages = [saved_page(inputs, n) for n in range(1, 12)]
    steps = [pages[:5], [*pages[5:9], pocket_csv(inputs, [2, 4])], pages[9:]]
    done = []
    for step in steps:
        events = list(archiver.export(step, out, ExportSettings(formats=FORMATS, jobs=1)))
        assert isinstance(events[-1], Finished), events[-1]
        assert not [e for e in events if isinstance(e, Written) and e.error]
        done.append(events)
    return done


@pytest.fixture()
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grow, "VOLUME_ARTICLES", 4)
    monkeypatch.setattr(grow, "WARC_ARTICLES", 3)
    monkeypatch.setattr(grow, "SITE_PAGE", 3)
    monkeypatch.setattr(site_search, "SEGMENT", 4)  # the site's search grows by segments too
    monkeypatch.setattr(site_search, "TEXT_PART", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".archiver" not in p.parts
    }


def test_three_exports_give_the_same_bytes_again_and_each_article_is_in_one_volume(
    small_bounds: None, tmp_path: Path
) -> None:
    events = grow_package(tmp_path / "a", tmp_path / "in")
    grow_package(tmp_path / "b", tmp_path / "in-again")
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a.keys() == b.keys() and [n for n in a if a[n] != b[n]] == []

    # the last export wrote only what changed: the last volume, the new WARC, and the wholes
    written = [e.dest.name for e in events[2] if isinstance(e, Written)]
    assert written == ["saved-articles-volume-3.epub", "saved-articles-00005.warc.gz",
                       "saved-articles-volume-3.pdf", "saved-articles.wacz", "site"]  # fmt: skip
    manifest = json.loads(a["manifest.json"])
    jsonschema.validate(manifest, SCHEMA)
    ids = [node["@id"] for node in manifest["hasPart"]]
    assert len(ids) == 11
    inputs = {node["prov:wasDerivedFrom"]["sha256"] for node in manifest["hasPart"]}
    for kind in ("epub", "pdf"):
        volumes = sorted(n for n in a if n.endswith(f".{kind}"))
        assert volumes == [f"saved-articles-volume-{n}.{kind}" for n in (1, 2, 3)]
        held = Counter(
            record["input"]["sha256"] for name in volumes for record in BY_NAME[kind].provenance(a[name])
        )
        assert set(held) == inputs and set(held.values()) == {1}, kind

    # the series: 5 (stories 1-3, 4-5), then 4 and the 2 merged ones again, then 2; the merged
    # ones' first versions stay in the first two WARCs, which the manifest says
    series = [m for m in manifest["associatedMedia"] if m["contentUrl"].startswith("warc/")]
    assert [m["contentUrl"] for m in series] == [f"warc/saved-articles-{n:05d}.warc.gz" for n in range(1, 6)]
    assert [len(m["prov:wasDerivedFrom"]) for m in series] == [2, 1, 3, 3, 2]
    assert [len(m.get("archiver:earlierVersionOf", [])) for m in series] == [1, 1, 0, 0, 0]
    tagged = [node for node in manifest["hasPart"] if node["keywords"] == ["harbour"]]
    assert [node["headline"] for node in tagged] == ["Story 2", "Story 4"]

    # the site's index in pages of 3, each article's page once
    site = sorted(n for n in a if n.startswith("site/"))
    assert [n for n in site if n.startswith("site/index")] == [
        "site/index-2.html", "site/index-3.html", "site/index-4.html", "site/index.html"
    ]  # fmt: skip
    assert len([n for n in site if n.startswith("site/articles/")]) == 11
    listing = a["site/listing.js"].decode()
    assert listing.startswith("window.archiverListing = [") and listing.count('"h": "articles/') == 11
    assert all(check.ok for check in archiver.verify(tmp_path / "a")), list(archiver.verify(tmp_path / "a"))

    # the search's shards, grown segment by segment (4 articles each, 2 a text file), are those
    # of a site and a search index written at once
    grown = {n: v for n, v in a.items() if n.startswith("site/search/")}
    assert {n.split("/")[-1] for n in grown} >= {"meta.js", "l0.js", "l2.js", "d2.js", "t2-1.js"}
    shutil.rmtree(tmp_path / "a" / "site")
    (tmp_path / "a" / ".archiver" / "search.sqlite").unlink()
    events = list(archiver.export([], tmp_path / "a", ExportSettings(formats=FORMATS, jobs=1)))
    assert [e.dest.name for e in events if isinstance(e, Written)] == ["site"]
    again = files(tmp_path / "a")
    assert {n: v for n, v in again.items() if n.startswith("site/search/")} == grown


def test_the_grown_package_passes_every_validator_and_replays_early_and_late(
    small_bounds: None,
    tmp_path: Path,
    pywb,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    grow_package(out, tmp_path / "in")
    volumes = sorted(out.glob("*.epub"))
    assert len(volumes) == 3
    assert epubcheck_problems(*volumes) == {str(book): [] for book in volumes}
    for pdf in sorted(out.glob("*.pdf")):  # each volume, read by pypdf and by poppler
        assert len(PdfReader(pdf).pages) >= 4 and pdf_problems(pdf) == []
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Story" in text
    warcs = sorted(out.glob("warc/*.warc.gz"))
    check = subprocess.run(
        [str(BIN / "warcio"), "check", *map(str, warcs)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    wacz = subprocess.run(
        [str(BIN / "wacz"), "validate", "-f", str(out / "saved-articles.wacz")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert wacz.returncode == 0 and "valid" in wacz.stdout, wacz.stdout + wacz.stderr
    # pywb, from the WACZ of the series: a page of the first WARC and one of the last
    prefix = pywb(out / "saved-articles.wacz")
    for number in (1, 11):
        page = replay(prefix, "2030", f"https://news.example/story-{number}")
        assert page == (tmp_path / "in" / f"story-{number:02d}.html").read_bytes()
    assert all(check.ok for check in archiver.verify(out))
