"""WARC and WACZ: checked by warcio, cdxj-indexer and wacz, and replayed by a real pywb."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.exporters.warc.records import original_uri
from archiver.model import Article, Failure
from tests.conftest import replay
from tests.helpers import export, kept_by_export
from tests.test_resources import saved_page

pytestmark = [pytest.mark.export, pytest.mark.network]
WARC = "warc/the-whole-corpus-00001.warc.gz"  # in the shared corpus package (conftest.py)

BIN = Path(sys.executable).parent


def records(warc: Path) -> list[dict[str, Any]]:
    found = []
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            headers = dict(record.rec_headers.headers)
            found.append({**headers, "payload": record.content_stream().read()})
    return found


@pytest.fixture(scope="module")
def corpus_outputs(corpus_package: Path) -> Path:
    return corpus_package


@pytest.fixture(scope="module")
def corpus_articles(
    corpus: Path, corpus_items: tuple[Article | Failure, ...], corpus_outputs: Path
) -> list[Article]:
    return kept_by_export([a for a in corpus_items if isinstance(a, Article)], corpus_outputs, corpus)


def test_warcio_check_verifies_every_digest(corpus_outputs: Path) -> None:
    result = subprocess.run(
        [str(BIN / "warcio"), "check", "-v", str(corpus_outputs / WARC)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "digest pass" in result.stdout and "fail" not in result.stdout
    assert "no digest" not in result.stdout


def test_records_per_article(corpus_outputs: Path, corpus_articles: list[Article]) -> None:
    found = records(corpus_outputs / WARC)
    assert found[0]["WARC-Type"] == "warcinfo" and b"saved articles, not live captures" in found[0]["payload"]
    by_id = {r["WARC-Record-ID"]: r for r in found}
    conversions = [r for r in found if r["WARC-Type"] == "conversion"]
    metadata = [r for r in found if r["WARC-Type"] == "metadata"]
    images = [r for r in found if r["WARC-Type"] == "resource" and "WARC-Concurrent-To" in r]
    assert len(conversions) == len(metadata) == len(corpus_articles)
    assert all(by_id[r["WARC-Concurrent-To"]]["WARC-Type"] == "resource" for r in images)
    assert len(found) == 1 + 3 * len(corpus_articles) + len(images)
    for conversion, meta in zip(conversions, metadata, strict=True):
        original = by_id[conversion["WARC-Refers-To"]]
        assert original["WARC-Type"] == "resource" and meta["WARC-Refers-To"] == conversion["WARC-Refers-To"]
        assert conversion["WARC-Target-URI"].startswith("urn:archiver:conversion:")
        assert meta["WARC-Target-URI"].startswith("urn:archiver:provenance:")
        assert conversion["WARC-Refers-To-Target-URI"] == original["WARC-Target-URI"]
        provenance = json.loads(meta["payload"])
        assert provenance["input"]["sha256"] in original["WARC-Target-URI"] or original[
            "WARC-Target-URI"
        ].startswith("http")
        assert conversion["payload"].startswith(b"<?xml")
    for record in found:
        assert record.get("WARC-Block-Digest", "").startswith("sha1:"), record["WARC-Type"]
        if record["WARC-Type"] != "warcinfo":
            assert record.get("WARC-Payload-Digest", "").startswith("sha1:")


def test_warc_date_is_the_save_date(corpus: Path, tmp_path: Path) -> None:
    export(
        str(corpus / "email/php-mime-mail-parser/m0008/m0008.eml"), "--out", str(tmp_path), "--format", "warc"
    )
    [warc] = tmp_path.glob("warc/*.warc.gz")
    original = next(
        r for r in records(warc) if r["WARC-Type"] == "resource" and r["Content-Type"] == "message/rfc822"
    )
    assert original["WARC-Date"] == "2005-04-30T22:28:29Z"  # Sat, 30 Apr 2005 19:28:29 -0300
    assert original["payload"] == (corpus / "email/php-mime-mail-parser/m0008/m0008.eml").read_bytes()
    cids = {r["WARC-Target-URI"] for r in records(warc) if r.get("WARC-Target-URI", "").startswith("cid:")}
    assert cids == {"cid:ae0357e57f04b8347f7621662cb63855.jpg", "cid:4c837ed463ad29c820668e835a270e8a.jpg"}


def test_cdxj_index_has_each_original_url_and_nothing_shadows_it(
    corpus_outputs: Path, corpus_articles: list[Article]
) -> None:
    result = subprocess.run(
        [str(BIN / "cdxj-indexer"), str(corpus_outputs / WARC)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = [json.loads(line.split(" ", 2)[2]) for line in result.stdout.splitlines()]
    urls = defaultdict(list)
    for line in lines:
        urls[line["url"]].append(line["mime"])
    web = {a.url for a in corpus_articles if a.url and a.url.startswith("http")}
    assert len(web) > 50
    for article in corpus_articles:
        if article.url and article.url.startswith("http"):
            mimes = urls[original_uri(article)]
            assert mimes and "application/json" not in mimes and "application/xhtml+xml" not in mimes


def test_wacz_validates_and_lists_every_page(
    corpus_outputs: Path, corpus_articles: list[Article], tmp_path: Path
) -> None:
    wacz = corpus_outputs / "the-whole-corpus.wacz"
    result = subprocess.run(
        [str(BIN / "wacz"), "validate", "-f", str(wacz)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and "valid" in result.stdout, result.stdout + result.stderr
    with zipfile.ZipFile(wacz) as archive:
        package = json.loads(archive.read("datapackage.json"))
        for resource in package["resources"]:
            data = archive.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["path"]
            assert resource["bytes"] == len(data)
        digest = json.loads(archive.read("datapackage-digest.json"))
        assert digest["hash"] == "sha256:" + hashlib.sha256(archive.read("datapackage.json")).hexdigest()
        # the package's WARC series, each WARC as it is beside the WACZ
        assert [n for n in archive.namelist() if n.startswith("archive/")] == [f"archive/{Path(WARC).name}"]
        assert archive.read(f"archive/{Path(WARC).name}") == (corpus_outputs / WARC).read_bytes()
        pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0"
    with_url = [a for a in corpus_articles if a.url and a.url.startswith("http")]
    assert len(pages) - 1 == len(with_url)
    assert {p["title"] for p in pages[1:]} >= {a.title for a in with_url if a.title}


def test_same_inputs_give_the_same_records(corpus: Path, tmp_path: Path) -> None:
    inputs = [str(corpus / "synthesized"), str(corpus / "email"), str(corpus / "mbox")]
    export(*inputs, "--out", str(tmp_path / "a"), "--format", "warc", "--format", "wacz")
    export(*inputs, "--out", str(tmp_path / "b"), "--format", "warc", "--format", "wacz")
    names = sorted(
        p.relative_to(tmp_path / "a").as_posix()
        for p in [*(tmp_path / "a").glob("*.wacz"), *(tmp_path / "a").glob("warc/*")]
    )
    assert [n.split(".", 1)[1] for n in names] == ["wacz", "warc.gz"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_pywb_replays_every_saved_article_byte_for_byte(
    pywb,
    corpus_outputs: Path,  # type: ignore[no-untyped-def]
    corpus_articles: list[Article],
) -> None:
    prefix = pywb(corpus_outputs / WARC)
    saved: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records(corpus_outputs / WARC):
        if (
            record["WARC-Type"] == "resource"
            and record["WARC-Target-URI"].startswith("http")
            and "WARC-Concurrent-To" not in record
        ):
            ts = record["WARC-Date"].replace("-", "").replace(":", "").replace("T", "")[:14]
            saved[(record["WARC-Target-URI"], ts)].add(hashlib.sha256(record["payload"]).hexdigest())
    inputs = {
        hashlib.sha256(Path(a.source.path).read_bytes()).hexdigest()
        for a in corpus_articles
        if a.source.kind != "mbox"
    }
    assert len(saved) > 50
    for (url, ts), digests in saved.items():
        assert digests <= inputs  # what the WARC holds is exactly what was saved
        got = hashlib.sha256(replay(prefix, ts, url)).hexdigest()
        assert got in digests, url


def test_pywb_replays_a_saved_page_and_its_images(pywb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = saved_page(
        tmp_path / "in", "<p>" + "Words of the story. " * 30 + '</p><img src="story_files/photo.png">'
    )
    export(str(page), "--out", str(tmp_path / "out"), "--format", "warc")
    [warc] = (tmp_path / "out").glob("warc/*.warc.gz")
    prefix = pywb(warc)
    ts = "20240101000000"
    assert replay(prefix, ts, "https://news.example.org/2024/story.html") == page.read_bytes()
    image = (tmp_path / "in" / "story_files" / "photo.png").read_bytes()
    assert replay(prefix, ts, "https://news.example.org/2024/story_files/photo.png") == image


def test_gzip_per_record(corpus_outputs: Path) -> None:
    """Each record is its own gzip member, so that an index can point into the file."""
    data = (corpus_outputs / WARC).read_bytes()
    members = data.count(b"\x1f\x8b\x08")
    assert members >= len(records(corpus_outputs / WARC))
    assert gzip.decompress(data).startswith(b"WARC/1.1\r\n")
    assert (
        shutil.which("gzip") is None
        or subprocess.run(["gzip", "-t", str(corpus_outputs / WARC)], check=False).returncode == 0
    )
