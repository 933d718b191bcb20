"""Gmail labels from a Google Takeout mailbox: the user's own labels become the article's tags,
Unread/Archived its reading status, Starred its star; every output and the manifest carry them,
and a package keeps them for the next export. The mailbox is written here, in Takeout's form
(X-Gmail-Labels as one CSV line)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

import archiver
from archiver import Article, ExportSettings
from archiver.cli.app import app
from tests.conftest import ROOT

TAKEOUT = (
    b"From 1790000000000000001@xxx Wed May 15 08:00:00 +0000 2024\n"
    b"X-GM-THRID: 1790000000000000001\n"
    b'X-Gmail-Labels: Archived,Opened,Category Updates,"Reading, later",Tech/Web\n'
    b"From: Ada <ada@example.org>\nSubject: Labelled and archived\nMessage-ID: <one@example.org>\n"
    b"Date: Wed, 15 May 2024 08:00:00 +0000\n\nThe first message.\n\n"
    b"From 1790000000000000002@xxx Thu May 16 08:00:00 +0000 2024\n"
    b"X-Gmail-Labels: Unread,Starred,Inbox,Important,Tech/Web\n"
    b"From: Ada <ada@example.org>\nSubject: Unread and starred\nMessage-ID: <two@example.org>\n"
    b"Date: Thu, 16 May 2024 08:00:00 +0000\n\nThe second message.\n\n"
    b"From nobody Fri May 17 08:00:00 2024\n"
    b"From: Ada <ada@example.org>\nSubject: Not from Gmail\nMessage-ID: <three@example.org>\n"
    b"Date: Fri, 17 May 2024 08:00:00 +0000\n\nThe third message.\n"
)
EXPECTED = [  # (tags, status, starred)
    (("Reading, later", "Tech/Web"), "archived", False),
    (("Tech/Web",), "unread", True),
    ((), None, None),
]


@pytest.fixture()
def takeout(tmp_path: Path) -> Path:
    path = tmp_path / "All mail Including Spam and Trash.mbox"
    path.write_bytes(TAKEOUT)
    return path


def test_labels_become_tags_status_and_star(takeout: Path) -> None:
    articles = [a for a in archiver.read([takeout]) if isinstance(a, Article)]
    assert [(a.tags, a.status, a.starred) for a in articles] == EXPECTED
    assert articles[0].source.origins["tags"] == "mail:X-Gmail-Labels"
    assert "tags" not in articles[2].source.origins


def test_inspect_json_says_so_and_gives_the_text(takeout: Path) -> None:
    result = CliRunner().invoke(app, ["inspect", "--json", "--text", str(takeout)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(tuple(r["tags"]), r["status"], r["starred"]) for r in rows] == EXPECTED
    assert [r["content"] for r in rows] == ["full"] * 3
    assert [r["text"] for r in rows] == ["The first message.", "The second message.", "The third message."]


@pytest.mark.export
def test_every_output_and_the_manifest_carry_them(takeout: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    list(archiver.export([takeout], out, ExportSettings(formats=["epub", "warc"])))
    manifest = json.loads((out / "manifest.json").read_text())
    schema = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
    jsonschema.validate(manifest, schema)
    nodes = manifest["hasPart"]
    assert [
        (tuple(n["keywords"]), n["archiver:readingStatus"], n["archiver:starred"]) for n in nodes
    ] == EXPECTED
    assert nodes[0]["archiver:origins"]["keywords"] == "mail:X-Gmail-Labels"
    [warc] = out.glob("warc/*.warc.gz")
    with warc.open("rb") as handle:
        records = [
            json.loads(r.content_stream().read()) for r in ArchiveIterator(handle) if r.rec_type == "metadata"
        ]
    assert [(tuple(r["tags"]), r["status"], r["starred"]) for r in records] == EXPECTED
    [epub] = out.glob("*.epub")
    with zipfile.ZipFile(io.BytesIO(epub.read_bytes())) as book:
        name = next(n for n in book.namelist() if n.endswith("provenance.json"))
        inside = json.loads(book.read(name))["articles"]
    assert [(tuple(r["tags"]), r["status"], r["starred"]) for r in inside] == EXPECTED


@pytest.mark.export
def test_the_package_keeps_them_for_the_next_export(takeout: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    list(archiver.export([takeout], out, ExportSettings(formats=["warc"])))
    takeout.unlink()  # the next export has only what the package kept
    list(archiver.export([ROOT / "examples" / "mhtml"], out, ExportSettings(formats=["warc"])))
    nodes = json.loads((out / "manifest.json").read_text())["hasPart"]
    assert [
        (tuple(n["keywords"]), n["archiver:readingStatus"], n["archiver:starred"]) for n in nodes[:3]
    ] == EXPECTED
    assert all(check.ok for check in archiver.verify(out))
