"""Broken, hostile and exhausting inputs (tests/hostile_corpus.py) through `archiver export`, every
format: each input is exported as well as it can be or reported in one line; every output passes
its validators, runs no code and loads nothing from outside itself; nothing is ever fetched."""

from __future__ import annotations

import hashlib
import http.server
import json
import resource
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.hostile_corpus import Case, build
from tests.test_fetch import _Handler
from tests.validators import epub_problems, epubcheck_problems, markup_problems, pdf_problems, require

pytestmark = pytest.mark.export

ARCHIVER = Path(sys.executable).parent / "archiver"
FOLDERS = ("broken", "images", "mail", "hostile", "names")


@dataclass(frozen=True)
class Run:
    corpus: Path
    cases: list[Case]
    out: Path
    code: int
    stderr: str
    hits: list[str]
    peak_rss_mib: float


@pytest.fixture(scope="module")
def beacon() -> Iterator[str]:
    """A server on loopback that records every request: the hostile pages point at it."""
    _Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def run(beacon: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    corpus = tmp_path_factory.mktemp("hostile")
    cases = build(corpus, beacon)
    out = corpus / "out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [str(ARCHIVER), "export", *FOLDERS, "--out", str(out)],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(
        corpus, cases, out, result.returncode, result.stderr, list(_Handler.hits), max(peak, before) / 1024
    )


def manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_each_input_is_exported_or_reported_in_one_line(run: Run) -> None:
    assert run.code == 1  # some inputs could not be read: said, and the rest written
    assert "Traceback" not in run.stderr and "please report" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    document = manifest(run.out)
    exported = {a["prov:wasDerivedFrom"]["archiver:path"] for a in document["hasPart"]}
    reported = {p["archiver:path"] for p in document["archiver:problems"]}
    for case in run.cases:
        if case.expect == "article":
            assert case.path in exported, (case, run.stderr)
        elif case.expect == "failure":
            assert case.path in reported, (case, run.stderr)
            [line] = [e for e in errors if e.startswith(f"error: {case.path}: ")]
            assert len(line) < 200
        else:
            assert case.path in exported | reported
    assert exported & reported == set()
    assert len(errors) == len(reported)


def test_text_after_a_flaw_is_kept(run: Run) -> None:
    """Deep nesting and an unclosed title used to end the page where they began."""
    articles = {a["prov:wasDerivedFrom"]["archiver:path"]: a for a in manifest(run.out)["hasPart"]}
    [book] = run.out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        text = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
    assert "Deep down:" in text
    assert articles["broken/unclosed.html"]["headline"] == "Unclosed tags"
    assert articles["broken/fifty-megabytes.html"]["headline"] == "A fifty megabyte page"
    assert articles["broken/lying-charset.html"]["headline"] == "Café crème"


def test_every_output_passes_its_validators(run: Run) -> None:
    [book] = run.out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    [warc] = run.out.glob("warc/*.warc.gz")
    check = subprocess.run(
        [str(ARCHIVER.parent / "warcio"), "check", str(warc)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout
    [wacz] = run.out.glob("*.wacz")
    check = subprocess.run(
        [str(ARCHIVER.parent / "wacz"), "validate", "-f", str(wacz)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    [pdf] = run.out.glob("*.pdf")
    qpdf = subprocess.run([require("qpdf"), "--check", str(pdf)], capture_output=True, text=True, check=False)
    assert qpdf.returncode == 0 and "No syntax or stream encoding errors" in qpdf.stdout, qpdf.stdout
    info = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=False)
    assert info.returncode == 0 and "Syntax Error" not in info.stderr, info.stderr


def test_no_output_runs_code_or_loads_anything_from_outside(run: Run) -> None:
    [book] = run.out.glob("*.epub")
    assert epub_problems(book) == []
    [pdf] = run.out.glob("*.pdf")
    assert pdf_problems(pdf) == []


def test_the_warc_keeps_inputs_as_saved_and_everything_else_clean(run: Run) -> None:
    """The WARC's original records are the inputs' bytes, scripts and all: that is what was
    saved, and their hashes are the manifest's. Everything archiver made from them (conversion
    records) is as clean as the EPUB, and its images are records of the same WARC."""
    [warc] = run.out.glob("warc/*.warc.gz")
    inputs = {a["prov:wasDerivedFrom"]["sha256"] for a in manifest(run.out)["hasPart"]}
    resources, conversions, uris = set(), [], set()
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            payload = record.content_stream().read()
            uris.add(uri)
            if record.rec_type == "conversion":
                conversions.append((uri, payload))
            elif record.rec_type == "resource":
                resources.add(hashlib.sha256(payload).hexdigest())
    assert inputs <= resources
    for uri, payload in conversions:
        assert markup_problems(payload, lambda ref: ref in uris, frozenset(["meta"])) == [], uri


def test_nothing_was_fetched(run: Run) -> None:
    assert run.hits == []


def test_memory_stays_bounded(run: Run) -> None:
    """A 30000 x 30000 PNG, a 3000-frame GIF, a 50 MB page and 10,000-deep nesting among the inputs."""
    assert run.peak_rss_mib < 1024, run.peak_rss_mib


def test_image_problems_are_named_in_the_manifest(run: Run) -> None:
    article = next(a for a in manifest(run.out)["hasPart"] if a["headline"] == "Broken and exhausting images")
    warnings = "\n".join(article["archiver:warnings"])
    for name, why in [
        ("truncated.png", "damaged or cut off"),
        ("truncated.jpg", "damaged or cut off"),
        ("really-html.jpg", "not an image"),
        ("zero.png", "not an image"),
        ("bomb.png", "decompression bomb"),
        ("frames.gif", "3000 frames"),
    ]:
        assert f"images_files/{name} missing: " in warnings and why in warnings, (name, warnings)
    [image] = [i for i in article["image"] if i.get("sha256")]  # only ok.png is carried
    assert image["archiver:reference"] == "images_files/ok.png"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["export", "missing-folder", "--out", "{tmp}/out"],
            "error: missing-folder: no such file or directory",
        ),
        (["export", "{examples}/mail", "--out", "{tmp}/a-file"], "is a file, not a folder"),
        (
            ["export", "{examples}/mail", "--out", "/proc/archiver-cannot-write-here"],
            "cannot write into --out",
        ),
        (["export", "{examples}/mail", "--out", "{tmp}/out", "--format", "docx"], "unknown format 'docx'"),
        (
            ["export", "{examples}/mail", "--out", "{tmp}/out", "--style", "{tmp}/missing.css"],
            "cannot be read",
        ),
        (["export", "{examples}/mail", "--out", "{tmp}/out", "--style", "{tmp}/import.css"], "@import"),
        (["export", "{examples}/mail", "--out", "{tmp}/out", "--style", "{tmp}/binary.css"], "not UTF-8"),
        (["export", "{examples}/mail", "--out", "{tmp}/out", "--style", "{tmp}/remote.css"], "url()"),
        (["verify", "{tmp}"], "cannot read the manifest"),
    ],
)
def test_usage_errors_are_one_line_and_a_non_zero_exit(tmp_path: Path, args: list[str], says: str) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "import.css").write_text("p { color: red }\n@import url(other.css);\n")
    (tmp_path / "binary.css").write_bytes(b"\xff\xfe\x00p{}")
    (tmp_path / "remote.css").write_text("body { background: url(https://example.org/x.png) }\n")
    examples = Path(__file__).resolve().parent.parent / "examples"
    filled = [a.format(tmp=tmp_path, examples=examples) for a in args]
    result = subprocess.run(
        [str(ARCHIVER), *filled], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode in (1, 2) and "Traceback" not in output, output
    [line] = [line for line in output.splitlines() if says in line]
    assert line.startswith(("error", "FAIL")) and len(line) < 200
    assert not (tmp_path / "out").exists() or result.returncode == 1  # a usage error writes nothing


def test_fetch_refuses_private_addresses_unless_fetch_private(beacon: str, tmp_path: Path) -> None:
    from tests.hostile_corpus import page

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(
        page("Local image", f'<p><img src="{beacon}/local.png" alt="x"></p>')
    )
    _Handler.hits = []
    refused = subprocess.run(
        [str(ARCHIVER), "export", "in", "--out", "a", "--fetch", "--format", "epub", "-v"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert _Handler.hits == [] and "private or local address" in refused.stderr
    allowed = subprocess.run(
        [str(ARCHIVER), "export", "in", "--out", "b", "--fetch-private", "--format", "epub"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert allowed.returncode == 0, allowed.stderr
    assert _Handler.hits == ["/local.png"]
    document = manifest(tmp_path / "b")
    assert document["hasPart"][0]["image"][0]["archiver:resolvedBy"] == "fetch", document["hasPart"][0][
        "image"
    ][0]["archiver:whyMissing"]


def test_one_output_per_article_never_collides_or_escapes(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [
            str(ARCHIVER),
            "export",
            "names",
            "--out",
            str(out),
            "--per-article",
            "--format",
            "epub",
            "--title",
            "../../escape",
        ],
        cwd=run.corpus,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    books = sorted(p.name for p in out.glob("*.epub"))
    assert (
        len(books) == 2
        and len(set(books)) == 2
        and all("/" not in b and not b.startswith(".") for b in books)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing written beside --out


def test_a_mailbox_of_ten_thousand_messages_in_bounded_memory(tmp_path: Path) -> None:
    """Read as a stream, one message at a time; the PDF of 10,000 articles is left to bench/."""
    from tests.hostile_corpus import mailbox

    mailbox(tmp_path / "saved.mbox", 10_000)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [
            str(ARCHIVER),
            "export",
            "saved.mbox",
            "--out",
            "out",
            "--format",
            "epub",
            "--format",
            "warc",
            "--format",
            "wacz",
            "--quiet",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    peak_mib = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert result.returncode == 0, result.stderr
    assert len(manifest(tmp_path / "out")["hasPart"]) == 10_000
    assert peak_mib < 1024, peak_mib
    warcs = sorted((tmp_path / "out").glob("warc/*.warc.gz"))
    assert len(warcs) == 10  # the series: at most 1,000 articles a WARC
    check = subprocess.run(
        [str(ARCHIVER.parent / "warcio"), "check", *map(str, warcs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_a_bug_prints_one_line_without_locals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from archiver import api
    from archiver.cli import app as cli

    def read_and_fail(inputs: list[str], **options: object) -> None:
        private_mail = "Dear Ada, the password is hunter2"  # a local variable no report may show
        raise TypeError(f"cannot handle {len(private_mail)} characters")

    monkeypatch.setattr(api, "read", read_and_fail)
    monkeypatch.setattr(sys, "argv", ["archiver", "inspect", str(tmp_path)])
    monkeypatch.delenv("ARCHIVER_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.run()
    captured = capsys.readouterr()
    assert stopped.value.code == 3
    [line] = captured.err.strip().splitlines()
    assert "TypeError: cannot handle 33 characters" in line and "please report" in line
    assert "hunter2" not in captured.err + captured.out and "Traceback" not in captured.err
