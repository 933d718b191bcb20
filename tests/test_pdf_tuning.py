"""The shared font configuration (exporters/pdf/tuning.py) and the patches to WeasyPrint's
dependencies (runtime/patches.py) save work and change nothing rendered. Each side runs in a
fresh process, as both keep what they saved for the process's life."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pdf

pytest.importorskip("weasyprint")

# Words long enough to be hyphenated, in two spellings of German that pyphen keeps in two files,
# and text enough that the fonts' subsets have glyph counts of their own.
DOCUMENT = (
    '<!DOCTYPE html>\n<html lang="de"><body style="width: 9em; hyphens: auto">'
    "<p>Donaudampfschifffahrtsgesellschaftskapitän Rechtsschutzversicherungsgesellschaften</p>"
    '<p lang="de-DE">Kraftfahrzeughaftpflichtversicherung Grundstücksverkehrsgenehmigungszuständigkeit</p>'
    '<p lang="en-US"><em>Incomprehensibilities</em> <strong>counterrevolutionaries</strong> 0123456789</p>'
    "</body></html>"
)

SCRIPT = """
import contextlib, hashlib, json, sys, threading
import pyphen
from weasyprint.text import fonts
from weasyprint.text.ffi import ffi
from archiver.exporters.pdf import render, tuning
from archiver.runtime import patches
if sys.argv[1] == "untuned":
    tuning.tuned_fonts = lambda: None
    patches.applied = lambda *_: contextlib.nullcontext()
made = []
configure = fonts.FontConfiguration.__init__
fonts.FontConfiguration.__init__ = lambda self: made.append(1) or configure(self)
pdfs = {render.render(render.RenderJob(sys.argv[2], ())).pdf for _ in range(2)}
thread = threading.Thread(target=lambda: pdfs.add(render.render(render.RenderJob(sys.argv[2], ())).pdf))
thread.start()
thread.join()
print(json.dumps({
    "sha256": sorted(hashlib.sha256(pdf).hexdigest() for pdf in pdfs),
    "font_configurations": len(made),
    "dictionaries": len({id(d) for d in pyphen.hdcache.values()}),
    "glyph_arrays": sorted(k for k in ffi._parsed_types if str(k).startswith("hb_codepoint_t[")),
}))
"""


def _rendered(mode: str, html: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, html],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return dict(json.loads(result.stdout))


def test_tuning_renders_the_same_bytes_parsing_less() -> None:
    untuned = _rendered("untuned", DOCUMENT)
    tuned = _rendered("tuned", DOCUMENT)
    assert len(tuned["sha256"]) == 1  # type: ignore[arg-type]
    assert tuned["sha256"] == untuned["sha256"]
    # each of the three renderings made its own font configuration; now the two on the main
    # thread share one, and the one on another thread has its own
    assert (untuned["font_configurations"], tuned["font_configurations"]) == (3, 2)
    # de (pyphen's de_AT) and de-DE: the same patterns, parsed once; en_US besides
    assert (untuned["dictionaries"], tuned["dictionaries"]) == (3, 2)
    # cffi parsed a type for each font subset's glyph count, and now none
    assert untuned["glyph_arrays"], "the untuned run should show what the tuning removes"
    assert tuned["glyph_arrays"] == ["hb_codepoint_t[]"]
