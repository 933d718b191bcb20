"""The package: one export writes every format and manifest.json; verify catches tampering; the
bag validates; rebuilds are byte-identical; an export into an existing package adds to it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import jsonschema
import pytest
from typer.testing import CliRunner

from archiver.cli import app
from tests.conftest import ROOT

runner = CliRunner()
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))


def export(*args: str) -> str:
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def verify(folder: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", str(folder)])
    return result.exit_code, result.output


def manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def examples_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "archive"
    shutil.copytree(EXAMPLES, out.parent / "examples")  # verify hashes inputs; tests change a copy
    export(str(out.parent / "examples"), "--out", str(out))
    return out


def test_examples_give_every_format_and_a_manifest_that_validates(examples_package: Path) -> None:
    document = manifest(examples_package)
    jsonschema.validate(document, SCHEMA)
    kinds = {a["prov:wasDerivedFrom"]["archiver:reader"] for a in document["hasPart"]}
    assert kinds == {"reader-view", "html", "eml", "mbox", "mhtml"}
    formats = sorted(o["encodingFormat"] for o in document["associatedMedia"])
    assert formats == ["application/epub+zip", "application/pdf", "application/wacz+zip", "application/warc"]
    for output in document["associatedMedia"]:
        assert (examples_package / output["contentUrl"]).stat().st_size == output["contentSize"]
        assert len(output["prov:wasDerivedFrom"]) == len(document["hasPart"]) == 6
    paths = {a["prov:wasDerivedFrom"]["archiver:path"] for a in document["hasPart"]}
    assert "examples/mail/saved-articles.mbox" in paths and not any(p.startswith("/") for p in paths)
    mail = next(a for a in document["hasPart"] if a["headline"] == "Checksums for readers")
    assert mail["prov:wasDerivedFrom"]["archiver:messageId"] == "<checksums-1@example.org>"
    assert mail["image"][0]["archiver:resolvedBy"] == "mime-part" and mail["image"][0]["sha256"]
    assert mail["archiver:origins"]["datePublished"] == "mail:Date"
    boxed = sorted(a["prov:wasDerivedFrom"]["archiver:mboxIndex"] for a in document["hasPart"]
                   if a["prov:wasDerivedFrom"]["archiver:reader"] == "mbox")
    assert boxed == [0, 1]


def test_verify_passes_then_fails_on_every_tampering(examples_package: Path, tmp_path: Path) -> None:
    code, output = verify(examples_package)
    assert code == 0 and "everything matches" in output, output
    package = tmp_path / "copy"
    shutil.copytree(examples_package, package)
    for output_node in manifest(package)["associatedMedia"]:
        target = package / output_node["contentUrl"]
        original = target.read_bytes()
        target.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
        code, text = verify(package)
        assert code == 1 and f"FAIL {output_node['contentUrl']}" in text, text
        target.write_bytes(original)
    assert verify(package)[0] == 0
    page = examples_package.parent / "examples" / "saved-page" / "keeping-pages.html"
    saved = page.read_bytes()
    page.write_bytes(saved.replace(b"brittle", b"brattle"))
    try:
        code, text = verify(package)
        assert code == 1 and "FAIL examples/saved-page/keeping-pages.html" in text, text
    finally:
        page.write_bytes(saved)


def test_verify_reads_the_provenance_inside_each_output(examples_package: Path, tmp_path: Path) -> None:
    """An output swapped for another package's output, with the manifest's hash updated to match,
    still fails: what it says about its articles disagrees with the manifest."""
    other = tmp_path / "other"
    export(str(EXAMPLES / "mail"), "--out", str(other), "--format", "epub", "--title", "Collection")
    package = tmp_path / "copy"
    shutil.copytree(examples_package, package)
    document = manifest(package)
    node = next(o for o in document["associatedMedia"] if o["encodingFormat"] == "application/epub+zip")
    foreign = manifest(other)["associatedMedia"][0]
    shutil.copy(other / foreign["contentUrl"], package / node["contentUrl"])
    node["sha256"], node["contentSize"] = foreign["sha256"], foreign["contentSize"]
    (package / "manifest.json").write_text(json.dumps(document), encoding="utf-8")
    code, text = verify(package)
    assert code == 1 and "provenance" in text and node["contentUrl"] in text, text


def test_bag_validates(tmp_path: Path) -> None:
    out = tmp_path / "bag"
    export(str(EXAMPLES), "--out", str(out), "--bag", "--author", "Example Library", "--format", "epub",
           "--format", "warc")
    assert (out / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    bag = bagit.Bag(str(out))
    bag.validate()
    assert bag.info["Source-Organization"] == "Example Library" and bag.info["Payload-Oxum"]
    assert bag.info["Bagging-Date"] and "6 saved articles" in bag.info["External-Description"]
    assert (out / "data" / "manifest.json").is_file() and verify(out)[0] == 0
    (out / "data" / "manifest.json").write_bytes(b"{}")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()


def test_same_inputs_and_epoch_give_identical_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("a", "b"):
        export(str(EXAMPLES), "--out", str(tmp_path / name), "--format", "epub", "--format", "warc",
               "--format", "wacz", "--format", "pdf")
    files = sorted(p.name for p in (tmp_path / "a").iterdir() if p.is_file())
    assert len(files) == 5
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_incremental_export_equals_one_export_of_the_union(corpus: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = str(EXAMPLES), str(corpus / "mhtml")
    formats = ["--format", "epub", "--format", "warc", "--format", "pdf", "--order", "date"]
    export(first, "--out", str(tmp_path / "inc"), *formats)
    output = export(second, first + "/mail", "--out", str(tmp_path / "inc"), *formats)
    assert output.count("duplicate") >= 3  # the mail folder was exported already
    export(first, second, "--out", str(tmp_path / "full"), *formats)
    inc, full = manifest(tmp_path / "inc"), manifest(tmp_path / "full")
    assert [a["@id"] for a in inc["hasPart"]] == [a["@id"] for a in full["hasPart"]]
    assert len(inc["archiver:duplicates"]) == 2 and not full["archiver:duplicates"]  # the .eml and the .mbox file
    for output_node, other in zip(inc["associatedMedia"], full["associatedMedia"], strict=True):
        assert output_node == other
    assert verify(tmp_path / "inc")[0] == 0


def test_earlier_articles_survive_without_their_inputs(tmp_path: Path) -> None:
    """The package keeps what it needs: the first inputs can be gone when more are added."""
    inputs = tmp_path / "in"
    shutil.copytree(EXAMPLES / "mail", inputs)
    export(str(inputs), "--out", str(tmp_path / "out"), "--format", "warc")
    shutil.rmtree(inputs)
    export(str(EXAMPLES / "mhtml"), "--out", str(tmp_path / "out"), "--format", "warc")
    titles = [a["headline"] for a in manifest(tmp_path / "out")["hasPart"]]
    assert titles == ["Checksums for readers", "Why archives keep checksums", "Reading list: paper and pixels",
                      "Pages as single files"]
    code, text = verify(tmp_path / "out")
    assert code == 0 and "not present here; not checked" in text


def test_a_failed_output_leaves_the_previous_package_true(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(str(EXAMPLES / "mail"), "--out", str(out), "--format", "epub", "--format", "pdf")
    before = manifest(out)
    result = runner.invoke(app, ["export", str(EXAMPLES / "mhtml"), "--out", str(out), "--format", "epub",
                                 "--format", "pdf", "--page-size", "B7"])
    assert result.exit_code == 1 and "page size" in result.output
    after = manifest(out)
    pdfs = [o for o in after["associatedMedia"] if o["encodingFormat"] == "application/pdf"]
    assert pdfs == [o for o in before["associatedMedia"] if o["encodingFormat"] == "application/pdf"]
    assert verify(out)[0] == 0
    assert not list(out.glob("*.partial")) and not list((out / ".archiver").glob("staging/*"))


def test_the_examples_outputs_pass_their_validators(examples_package: Path) -> None:
    """What the README's first command leaves behind is valid by each format's own checker."""
    import subprocess
    import sys

    from tests.validators import epubcheck_problems, require

    [book] = examples_package.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    [warc] = examples_package.glob("*.warc.gz")
    check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", str(warc)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout
    [pdf] = examples_package.glob("*.pdf")
    qpdf = subprocess.run([require("qpdf"), "--check", str(pdf)], capture_output=True, text=True, check=False)
    assert qpdf.returncode == 0 and "No syntax or stream encoding errors" in qpdf.stdout
    text = subprocess.run([require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Checksums for readers" in text and "Pages as single files" in text
