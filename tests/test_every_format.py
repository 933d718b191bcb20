"""One saved page (with its image) through every output format, and the package verified: the fast
lane's proof that each exporter still runs. The validators' full checks (EPUBCheck, poppler, pywb)
are the slow tests of each format."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.exporters import BY_NAME
from tests.conftest import BIN, ROOT

PAGE = ROOT / "examples" / "saved-page" / "keeping-pages.html"


def test_one_page_comes_out_in_every_format_and_the_package_verifies(tmp_path: Path) -> None:
    out = tmp_path / "out"
    formats = [arg for name in sorted(BY_NAME) for arg in ("--format", name)]
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(PAGE), "--out", str(out), *formats, "--title", "One", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(BY_NAME) == ["epub", "html", "pdf", "wacz", "warc"]  # a new format joins this test

    with zipfile.ZipFile(out / "one.epub") as epub:
        assert epub.testzip() is None and epub.read("mimetype") == b"application/epub+zip"
        assert any(
            "Keeping pages" in epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml")
        )
    pdf = PdfReader(out / "one.pdf")
    assert len(pdf.pages) >= 2 and "Keeping pages" in "".join(page.extract_text() for page in pdf.pages)
    check = subprocess.run(
        [str(BIN / "warcio"), "check", str(out / "warc" / "one-00001.warc.gz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out / "one.wacz") as wacz:
        assert wacz.testzip() is None and "datapackage.json" in wacz.namelist()
    assert "Keeping pages" in (out / "site" / "index.html").read_text(encoding="utf-8")

    verified = runner.invoke(app, ["verify", str(out)])
    assert verified.exit_code == 0 and "everything matches" in verified.output, verified.output
