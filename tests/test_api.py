"""archiver from Python: the public names, what read/export/verify give, a package written by the
previous release, and the bag checks verify leaves to bagit-python."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import archiver
from archiver import ArticleAdded, Duplicate, ExportSettings, Finished, Problem, UsageError, Writing, Written
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
OLD_PACKAGES = [ROOT / "tests" / "fixtures" / name for name in ("package-0.1.0", "package-state-3")]


def test_the_public_api_is_pinned() -> None:
    """Changing these names is a breaking change for every library user: do it on purpose."""
    assert sorted(archiver.__all__) == [
        "ArchiverError",
        "Article",
        "ArticleAdded",
        "Capture",
        "Captured",
        "Duplicate",
        "Event",
        "ExportSettings",
        "Failure",
        "Finished",
        "Hop",
        "Problem",
        "Resource",
        "ResourceStatus",
        "Source",
        "Unchanged",
        "UsageError",
        "Writing",
        "Written",
        "__version__",
        "export",
        "finish_interrupted",
        "read",
        "verify",
    ]
    for name in archiver.__all__:
        assert getattr(archiver, name) is not None, name


def test_importing_archiver_loads_no_heavy_library() -> None:
    """`import archiver` and the command's --help stay fast: what makes outputs loads when needed."""
    code = (
        "import sys, archiver, archiver.cli.app; "
        "print(sorted(m for m in ('lxml', 'warcio', 'ebooklib', 'weasyprint', 'pikepdf', 'cdxj_indexer', "
        "'readability', 'trafilatura', 'PIL', 'rich', 'importlib.metadata') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert loaded.stdout.strip() == "[]"


def test_read_gives_articles_and_failures_in_order(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    items = list(archiver.read([EXAMPLES / "mail", tmp_path / "empty.html"]))
    assert [type(item).__name__ for item in items] == ["Article", "Article", "Article", "Failure"]
    articles = [item for item in items[:3] if isinstance(item, archiver.Article)]
    assert [(a.source.kind, a.source.entry_index) for a in articles] == [
        ("eml", None),
        ("mbox", 0),
        ("mbox", 1),
    ]
    assert [a.source.locator.split(" ")[0] for a in articles[1:] if a.source.locator] == [
        "mbox-index:0",
        "mbox-index:1",
    ]
    assert isinstance(items[3], archiver.Failure) and items[3].problem == "empty file"


@pytest.mark.export
def test_export_reports_each_step_as_an_event(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(EXAMPLES / "mail" / "saved-articles.mbox", tmp_path / "in")
    (tmp_path / "in" / "broken.eml").write_bytes(b"\x00\x01\x02 not mail")
    events = list(
        archiver.export([tmp_path / "in"], tmp_path / "out", ExportSettings(formats=["epub", "warc"]))
    )
    kinds = [type(event) for event in events]
    assert kinds == [Problem, ArticleAdded, ArticleAdded, Writing, Written, Written, Finished]
    assert isinstance(events[0], Problem) and events[0].path.endswith("broken.eml")
    written = [event for event in events if isinstance(event, Written)]
    assert [w.exporter.name for w in written] == ["epub", "warc"] and all(w.error is None for w in written)
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert (finished.articles, finished.problems, finished.duplicates) == (2, 1, 0)
    assert sorted(p.name for p in finished.payload.iterdir() if p.is_file())[0] == "manifest.json"
    again = list(archiver.export([tmp_path / "in"], tmp_path / "out", ExportSettings(formats=["epub"])))
    assert [e for e in again if isinstance(e, Duplicate)] == [
        Duplicate(str(tmp_path / "in" / "saved-articles.mbox"), "in/saved-articles.mbox", whole_input=True)
    ]


def test_settings_are_checked_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(UsageError) as caught:
        archiver.export([EXAMPLES], tmp_path / "out", ExportSettings(formats=["docx"], order="size"))
    assert len(caught.value.problems) == 2 and "docx" in caught.value.problems[0]
    with pytest.raises(UsageError, match="is a file"):
        archiver.export([EXAMPLES], tmp_path / "file")
    assert not (tmp_path / "out").exists()


def test_a_message_id_is_kept_whole(tmp_path: Path) -> None:
    """The locator is fields, not a string split again: a Message-ID with spaces (real in old
    mail, e.g. "<9209252113.AA00975@ ebony >") reaches the manifest whole."""
    (tmp_path / "box.mbox").write_bytes(
        b"From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: Spaced\n"
        b"Message-ID: <1234.AA5@ oldhost >\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nText.\n"
    )
    list(archiver.export([tmp_path / "box.mbox"], tmp_path / "out", ExportSettings(formats=["warc"])))
    [node] = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    source = node["prov:wasDerivedFrom"]
    assert (source["archiver:mboxIndex"], source["archiver:messageId"]) == (0, "<1234.AA5@ oldhost >")
    assert all(check.ok for check in archiver.verify(tmp_path / "out"))


@pytest.mark.export
@pytest.mark.parametrize("old", OLD_PACKAGES, ids=lambda path: path.name)
def test_a_package_written_by_an_earlier_release_opens_and_grows(
    old: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/fixtures/package-0.1.0 kept its locators as text (state version 1) and knew no language
    for its mailed articles; package-state-3 kept a message's index apart from an entry's. Adding
    to either gives what one export of all the inputs gives today."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # as the fixture was made
    inputs = tmp_path / "examples"
    shutil.copytree(EXAMPLES, inputs)
    grown = tmp_path / "grown"
    shutil.copytree(old, grown)
    events = list(archiver.export([inputs / "mhtml"], grown, ExportSettings(formats=["warc"])))
    assert isinstance(events[-1], Finished) and events[-1].articles == 4
    fresh = tmp_path / "fresh"
    list(archiver.export([inputs / "mail", inputs / "mhtml"], fresh, ExportSettings(formats=["warc"])))
    old, new = (json.loads((folder / "manifest.json").read_text()) for folder in (grown, fresh))
    assert old["hasPart"] == new["hasPart"]
    assert [n["prov:wasDerivedFrom"]["archiver:mboxIndex"] for n in new["hasPart"]] == [None, 0, 1, None]
    [warc] = grown.glob("warc/*.warc.gz")
    assert warc.read_bytes() == next(fresh.glob("warc/*.warc.gz")).read_bytes()
    assert all(check.ok for check in archiver.verify(grown))
    assert not (grown / ".archiver" / "state.json").exists()  # read into the index, which now holds it all
    with sqlite3.connect(grown / ".archiver" / "index.sqlite") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (4,)


@pytest.fixture()
def bag(tmp_path: Path) -> Path:
    """A bag whose payload holds, besides the outputs, a file named with a % and a line break:
    RFC 8493 has the bag writer percent-encode both in its manifest."""
    out = tmp_path / "bag"
    (out / "data").mkdir(parents=True)
    (out / "data" / "notes 100%.txt").write_text("kept with the outputs\n")
    (out / "data" / "two\nlines.txt").write_text("an awkward name\n")
    list(archiver.export([EXAMPLES / "mail"], out, ExportSettings(formats=["warc"], bag=True)))
    return out


def bag_problems(folder: Path) -> list[str]:
    return [check.detail for check in archiver.verify(folder) if not check.ok]


def set_oxum(bag: Path, change: Callable[[int, int], tuple[int, int]]) -> None:
    """Payload-Oxum changed in bag-info.txt, and the tag manifest kept true to that file: the bag
    is then wrong in one way only."""
    info = (bag / "bag-info.txt").read_text()
    oxum = next(line for line in info.splitlines() if line.startswith("Payload-Oxum: "))
    octets, files = map(int, oxum.removeprefix("Payload-Oxum: ").split("."))
    octets, files = change(octets, files)
    (bag / "bag-info.txt").write_text(info.replace(oxum, f"Payload-Oxum: {octets}.{files}"))
    digest = hashlib.sha256((bag / "bag-info.txt").read_bytes()).hexdigest()
    tags = [
        f"{digest}  bag-info.txt" if line.endswith("  bag-info.txt") else line
        for line in (bag / "tagmanifest-sha256.txt").read_text().splitlines()
    ]
    (bag / "tagmanifest-sha256.txt").write_text("\n".join(tags) + "\n")


def test_a_bag_with_awkward_file_names_verifies(bag: Path) -> None:
    manifest = (bag / "manifest-sha256.txt").read_text()
    assert "data/notes 100%25.txt" in manifest and "data/two%0Alines.txt" in manifest
    assert bag_problems(bag) == []


def test_verify_finds_a_payload_file_the_bag_manifest_leaves_out(bag: Path) -> None:
    extra = b"not in the manifest\n"
    (bag / "data" / "slipped in.txt").write_bytes(extra)
    set_oxum(bag, lambda octets, files: (octets + len(extra), files + 1))
    [problem] = bag_problems(bag)
    assert "slipped in.txt" in problem, problem


def test_verify_checks_the_payload_oxum(bag: Path) -> None:
    set_oxum(bag, lambda octets, files: (octets + 1, files))
    [problem] = bag_problems(bag)
    assert "Payload-Oxum" in problem, problem


def test_every_module_folder_is_installed() -> None:
    """pyproject lists the packages by name: a new folder missing there works in a development
    install and is absent from a real one."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "archiver").rglob("__init__.py")
    }
    assert folders <= listed, folders - listed
    code = {path.parent for path in (ROOT / "archiver").rglob("*.py")}
    assert [folder for folder in code if not (folder / "__init__.py").is_file()] == []


def test_the_settings_the_exporters_take_are_theirs_as_declared() -> None:
    """An option declared in ExportSettings and passed on to the exporters as it is has the same
    type and default in ExportOptions: they cannot drift apart unnoticed."""
    from dataclasses import MISSING, fields

    from archiver.api import SETTINGS_FOR_EXPORTERS
    from archiver.exporters.base import ExportOptions

    settings = {f.name: f for f in fields(ExportSettings)}
    options = {f.name: f for f in fields(ExportOptions)}
    for name in SETTINGS_FOR_EXPORTERS:
        assert (settings[name].type, settings[name].default) == (options[name].type, options[name].default), (
            name
        )
        assert settings[name].default is not MISSING
    shared = set(settings) & set(options)
    assert shared == set(SETTINGS_FOR_EXPORTERS), shared - set(SETTINGS_FOR_EXPORTERS)
