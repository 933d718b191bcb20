"""The package, through the Python API: one export writes every format and manifest.json;
verify catches tampering; the bag validates; rebuilds are byte-identical; an export into an
existing package adds to it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import bagit
import jsonschema
import pytest

import archiver
from archiver import Duplicate, ExportSettings, Finished, Problem, Unchanged, Written
from archiver.package.verify import Check
from tests.conftest import ROOT

pytestmark = pytest.mark.export

EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))


def export(inputs: list[Path | str], out: Path, **settings: Any) -> list[archiver.Event]:
    """Every event of an export that must succeed: no problem, every output written, committed."""
    events = list(archiver.export(inputs, out, ExportSettings(**settings)))
    assert [e for e in events if isinstance(e, Problem) or (isinstance(e, Written) and e.error)] == []
    assert isinstance(events[-1], Finished) and events[-1].out == out
    return events


def failed(folder: Path) -> list[Check]:
    """The checks verify fails; [] for a package that holds what its manifest says."""
    checks = list(archiver.verify(folder))
    assert checks
    return [check for check in checks if not check.ok]


def manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def examples_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "archive"
    shutil.copytree(EXAMPLES, out.parent / "examples")  # verify hashes inputs; tests change a copy
    export([out.parent / "examples"], out)
    return out


def test_examples_give_every_format_and_a_manifest_that_validates(examples_package: Path) -> None:
    document = manifest(examples_package)
    jsonschema.validate(document, SCHEMA)
    kinds = {a["prov:wasDerivedFrom"]["archiver:reader"] for a in document["hasPart"]}
    assert kinds == {"reader-view", "html", "eml", "mbox", "mhtml"}
    formats = sorted(o["encodingFormat"] for o in document["associatedMedia"])
    assert formats == [
        "application/epub+zip",
        "application/pdf",
        "application/wacz+zip",
        "application/warc",
        "text/html",
    ]
    for output in document["associatedMedia"]:
        path = examples_package / output["contentUrl"]
        files = (
            [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        )  # the site: its files
        assert sum(p.stat().st_size for p in files) == output["contentSize"]
        assert len(output["prov:wasDerivedFrom"]) == len(document["hasPart"]) == 6
    paths = {a["prov:wasDerivedFrom"]["archiver:path"] for a in document["hasPart"]}
    assert "examples/mail/saved-articles.mbox" in paths and not any(p.startswith("/") for p in paths)
    mail = next(a for a in document["hasPart"] if a["headline"] == "Checksums for readers")
    assert mail["prov:wasDerivedFrom"]["archiver:messageId"] == "<checksums-1@example.org>"
    assert mail["image"][0]["archiver:resolvedBy"] == "mime-part" and mail["image"][0]["sha256"]
    assert mail["archiver:origins"]["datePublished"] == "mail:Date"
    boxed = sorted(
        a["prov:wasDerivedFrom"]["archiver:mboxIndex"]
        for a in document["hasPart"]
        if a["prov:wasDerivedFrom"]["archiver:reader"] == "mbox"
    )
    assert boxed == [0, 1]


def test_the_schema_names_every_reader() -> None:
    """A new reader is one module and one registry line; the manifest's schema must know its name."""
    from archiver.readers import BY_NAME

    node = SCHEMA["$defs"]["article"]["properties"]["prov:wasDerivedFrom"]["properties"]["archiver:reader"]
    assert sorted(node["enum"]) == sorted(BY_NAME)


def test_verify_passes_then_fails_on_every_tampering(examples_package: Path, tmp_path: Path) -> None:
    assert failed(examples_package) == []
    package = tmp_path / "copy"
    shutil.copytree(examples_package, package)
    for output_node in manifest(package)["associatedMedia"]:
        target = package / output_node["contentUrl"]
        if target.is_dir():  # the site: any one of its files changed is the site changed
            target /= "style.css"
        original = target.read_bytes()
        target.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
        assert [check.subject for check in failed(package)] == [output_node["contentUrl"]]
        target.write_bytes(original)
    assert failed(package) == []
    page = examples_package.parent / "examples" / "saved-page" / "keeping-pages.html"
    saved = page.read_bytes()
    page.write_bytes(saved.replace(b"brittle", b"brattle"))
    try:
        assert [check.subject for check in failed(package)] == ["examples/saved-page/keeping-pages.html"]
    finally:
        page.write_bytes(saved)


def test_verify_reads_the_provenance_inside_each_output(examples_package: Path, tmp_path: Path) -> None:
    """An output swapped for another package's output, with the manifest's hash updated to match,
    still fails: what it says about its articles disagrees with the manifest."""
    other = tmp_path / "other"
    export([EXAMPLES / "mail"], other, formats=["epub"], title="Collection")
    package = tmp_path / "copy"
    shutil.copytree(examples_package, package)
    document = manifest(package)
    node = next(o for o in document["associatedMedia"] if o["encodingFormat"] == "application/epub+zip")
    foreign = manifest(other)["associatedMedia"][0]
    shutil.copy(other / foreign["contentUrl"], package / node["contentUrl"])
    node["sha256"], node["contentSize"] = foreign["sha256"], foreign["contentSize"]
    (package / "manifest.json").write_text(json.dumps(document), encoding="utf-8")
    [check] = failed(package)
    assert check.subject == node["contentUrl"] and "provenance" in check.detail, check


def test_bag_validates(tmp_path: Path) -> None:
    out = tmp_path / "bag"
    export([EXAMPLES], out, bag=True, author="Example Library", formats=["epub", "warc"])
    assert (out / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    bag = bagit.Bag(str(out))
    bag.validate()
    assert bag.info["Source-Organization"] == "Example Library" and bag.info["Payload-Oxum"]
    assert bag.info["Bagging-Date"] and "6 saved articles" in bag.info["External-Description"]
    assert (out / "data" / "manifest.json").is_file() and failed(out) == []
    (out / "data" / "manifest.json").write_bytes(b"{}")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()


def test_same_inputs_and_epoch_give_identical_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("a", "b"):
        export([EXAMPLES], tmp_path / name, formats=["epub", "warc", "wacz", "pdf"])
    files = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").glob("**/*.*"))
    files = [name for name in files if not name.startswith(".archiver")]
    assert files == [
        "manifest.json",
        "saved-articles.epub",
        "saved-articles.pdf",
        "saved-articles.wacz",
        "warc/saved-articles-00001.warc.gz",
    ]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_incremental_export_equals_one_export_of_the_union(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = EXAMPLES, corpus / "mhtml"
    settings: dict[str, Any] = {"formats": ["epub", "warc", "pdf"], "order": "date"}
    export([first], tmp_path / "inc", **settings)
    events = export([second, first / "mail"], tmp_path / "inc", **settings)
    assert len([e for e in events if isinstance(e, Duplicate)]) == 2  # the mail folder was exported already
    export([first, second], tmp_path / "full", **settings)
    inc, full = manifest(tmp_path / "inc"), manifest(tmp_path / "full")
    assert [a["@id"] for a in inc["hasPart"]] == [a["@id"] for a in full["hasPart"]]
    assert (
        len(inc["archiver:duplicates"]) == 2 and not full["archiver:duplicates"]
    )  # the .eml and the .mbox file
    whole = [node for node in inc["associatedMedia"] if not node["contentUrl"].startswith("warc/")]
    assert whole == [node for node in full["associatedMedia"] if not node["contentUrl"].startswith("warc/")]
    # the WARC series: each export's own articles, in a WARC of its own; one export, one WARC
    series = [node for node in inc["associatedMedia"] if node["contentUrl"].startswith("warc/")]
    assert [len(node["prov:wasDerivedFrom"]) for node in series] == [6, 2]  # the corpus has 2 MHTML
    [one] = [node for node in full["associatedMedia"] if node["contentUrl"].startswith("warc/")]
    assert [d for node in series for d in node["prov:wasDerivedFrom"]] == one["prov:wasDerivedFrom"]
    assert failed(tmp_path / "inc") == []


def test_earlier_articles_survive_without_their_inputs(tmp_path: Path) -> None:
    """The package keeps what it needs: the first inputs can be gone when more are added."""
    inputs = tmp_path / "in"
    shutil.copytree(EXAMPLES / "mail", inputs)
    export([inputs], tmp_path / "out", formats=["warc"])
    shutil.rmtree(inputs)
    export([EXAMPLES / "mhtml"], tmp_path / "out", formats=["warc"])
    titles = [a["headline"] for a in manifest(tmp_path / "out")["hasPart"]]
    assert titles == [
        "Checksums for readers",
        "Why archives keep checksums",
        "Reading list: paper and pixels",
        "Pages as single files",
    ]
    checks = list(archiver.verify(tmp_path / "out"))
    assert all(check.ok for check in checks)
    assert "input not present here; not checked" in {check.detail for check in checks}


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a package, the index included, with when it was last written and its bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_export_with_nothing_new_exits_at_once_and_leaves_the_package(tmp_path: Path) -> None:
    """The same export again, and an export whose only input does not exist: neither writes a
    file (the index and manifest included), and each says why."""
    out = tmp_path / "out"
    export([EXAMPLES / "mail"], out, formats=["epub", "warc"])
    before = _files(out)
    again = list(archiver.export([EXAMPLES / "mail"], out, ExportSettings(formats=["epub", "warc"])))
    missing = list(archiver.export([tmp_path / "nowhere"], out, ExportSettings(formats=["warc", "epub"])))
    assert _files(out) == before
    assert [type(e) for e in again] == [Duplicate, Duplicate, Unchanged]
    assert again[-1].reason.startswith("nothing new (2 already in the package)")  # type: ignore[union-attr]
    assert [type(e) for e in missing] == [Problem, Unchanged]
    assert "1 could not be read" in missing[-1].reason  # type: ignore[union-attr]
    # what changes the outputs is written: another format, a setting, a deleted output
    assert isinstance(list(archiver.export([], out, ExportSettings(formats=["epub"])))[-1], Finished)
    titled = list(archiver.export([], out, ExportSettings(formats=["epub"], title="Mail")))
    assert isinstance(titled[-1], Finished) and [p.name for p in out.glob("*.epub")] == ["mail.epub"]
    (out / "mail.epub").unlink()
    assert isinstance(
        list(archiver.export([], out, ExportSettings(formats=["epub"], title="Mail")))[-1], Finished
    )
    assert failed(out) == []


def test_a_failed_output_leaves_the_previous_package_true(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export([EXAMPLES / "mail"], out, formats=["epub", "pdf"])
    before = manifest(out)
    events = list(
        archiver.export([EXAMPLES / "mhtml"], out, ExportSettings(formats=["epub", "pdf"], page_size="B7"))
    )
    [error] = [e.error for e in events if isinstance(e, Written) and e.error]
    assert "page size" in error and isinstance(events[-1], Finished)
    after = manifest(out)
    pdfs = [o for o in after["associatedMedia"] if o["encodingFormat"] == "application/pdf"]
    assert pdfs == [o for o in before["associatedMedia"] if o["encodingFormat"] == "application/pdf"]
    assert failed(out) == []
    assert not list(out.glob("*.partial")) and not list((out / ".archiver").glob("staging/*"))


def test_the_examples_outputs_pass_their_validators(examples_package: Path) -> None:
    """What the README's first command leaves behind is valid by each format's own checker."""
    import subprocess
    import sys

    from tests.validators import epubcheck_problems, require

    [book] = examples_package.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    [warc] = examples_package.glob("warc/*.warc.gz")
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", str(warc)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    [pdf] = examples_package.glob("*.pdf")
    qpdf = subprocess.run([require("qpdf"), "--check", str(pdf)], capture_output=True, text=True, check=False)
    assert qpdf.returncode == 0 and "No syntax or stream encoding errors" in qpdf.stdout
    text = subprocess.run(
        [require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Checksums for readers" in text and "Pages as single files" in text
