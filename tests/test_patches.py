"""archiver's patches to its libraries (archiver/runtime/patches.py): each target is still what it
was written for, each is in force only inside its scope, and a caller's process is left as it
was by reading and by exporting in that process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from archiver import dates
from archiver.runtime import patches
from archiver.runtime.patches import DATE_PARSER, FONT_ARRAYS, HYPHENATION, Patch, PatchTargetMoved

ROOT = Path(__file__).resolve().parent.parent


def _current(patch: Patch) -> object:
    return getattr(__import__(patch.module, fromlist=[patch.name]), patch.name)


@pytest.mark.parametrize("patch", [FONT_ARRAYS, HYPHENATION, DATE_PARSER], ids=lambda p: p.name)
def test_each_target_is_what_its_patch_was_written_for(patch: Patch) -> None:
    original = _current(patch)
    assert patch.checked(original) is original
    with patches.applied(patch):
        assert _current(patch) is not original
    assert _current(patch) is original


def test_a_moved_target_fails_loudly_naming_it() -> None:
    renamed = Patch("json", "dumps", ("obj",), lambda found: found)  # dumps takes (obj, *, skipkeys, ...)
    with pytest.raises(PatchTargetMoved, match=r"json\.dumps is not what archiver patches"):
        with patches.applied(renamed):
            pass
    gone = Patch("json", "no_such_function", (), lambda found: found)
    with pytest.raises(PatchTargetMoved, match="no_such_function"):
        with patches.applied(gone):
            pass
    import json as library

    assert not hasattr(library, "no_such_function")


def test_the_patches_stay_while_any_thread_is_inside() -> None:
    original = _current(HYPHENATION)
    entered, release = threading.Event(), threading.Event()

    def inside() -> None:
        with patches.applied(HYPHENATION):
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=inside)
    thread.start()
    entered.wait(10)
    with patches.applied(HYPHENATION):
        ours = _current(HYPHENATION)
    assert _current(HYPHENATION) is ours  # the other thread is still inside
    release.set()
    thread.join()
    assert _current(HYPHENATION) is original


def test_htmldate_asks_for_its_parser_where_the_patch_replaces_it() -> None:
    """htmldate has asked get_external_parser() for every dateparser date since 1.11: were it to
    stop, archiver's parser (fewer languages, seconds faster in each process) would be lost."""
    from htmldate import extractors

    asked: list[object] = []

    def counted() -> object:
        asked.append(dates.date_parser())
        return asked[-1]

    counting = Patch(DATE_PARSER.module, DATE_PARSER.name, DATE_PARSER.parameters, lambda _: counted)
    with patches.applied(counting):
        assert extractors.external_date_parser("le 17 mars 2021", "%Y-%m-%d") == "2021-03-17"
    assert asked, "htmldate no longer asks get_external_parser() for its dateparser"
    with patches.applied(DATE_PARSER):
        assert extractors.get_external_parser() is dates.date_parser()


LIBRARIES = """
import copyreg, json, sys
from pathlib import Path
picklers = sorted(map(repr, copyreg.dispatch_table))
import archiver

def state():
    import htmldate.extractors, pyphen
    import weasyprint.pdf.fonts as fonts
    from PIL import Image
    return {
        "ffi": type(fonts.ffi).__module__ + "." + type(fonts.ffi).__name__,
        "hyphenation": pyphen.HyphDict.__module__ + "." + pyphen.HyphDict.__qualname__,
        "date parser": htmldate.extractors.get_external_parser.__module__,
        "pixels": Image.MAX_IMAGE_PIXELS,
        "picklers": sorted(map(repr, copyreg.dispatch_table)) == picklers,
        # the fork server the work started is stopped when it ends (multiprocessing's own record)
        "fork server": __import__("multiprocessing.forkserver").forkserver._forkserver._forkserver_pid,
    }

before = state()
read = list(archiver.read(["examples"]))
after_read = state()
settings = archiver.ExportSettings(formats=["pdf", "epub"], jobs=1)
events = list(archiver.export(["examples"], sys.argv[1], settings))
print(json.dumps({"before": before, "after read": after_read, "after export": state(), "read": len(read)}))
"""


@pytest.mark.pdf
def test_reading_and_exporting_leave_the_callers_libraries_as_they_were(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LIBRARIES, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    found = json.loads(result.stdout)
    assert found["read"] == 6 and (tmp_path / "out" / "manifest.json").is_file()
    assert found["before"]["ffi"] == "cffi.api.FFI"
    assert found["before"]["hyphenation"] == "pyphen.HyphDict"
    assert found["before"]["date parser"] == "htmldate.extractors"
    assert found["before"]["picklers"]  # importing archiver taught pickle nothing
    assert found["before"]["fork server"] is None  # and nothing runs after the read and the export
    assert found["after read"] == found["before"]
    assert found["after export"] == found["before"]
