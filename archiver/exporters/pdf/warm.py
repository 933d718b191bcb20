"""Imported by the fork server when an export will write a PDF: WeasyPrint's first rendering in a
process costs about 2.5 s of CPU (its import, then the lazy imports, fontconfig and Pango's
font map that the first layout loads) and every later one none of it. Done once here, before
any worker is forked, each render worker starts warm instead of paying it again. The process is
still single-threaded afterwards, so forking it is safe."""

from __future__ import annotations

import contextlib

from ..styles import builtin_style
from .render import RenderJob, render

# A warm-up that fails (no Pango here) costs nothing but the warmth: the fork server must start.
with contextlib.suppress(Exception):
    render(
        RenderJob(
            '<!DOCTYPE html>\n<html lang="en"><body><h1>Warm</h1><p>Fonts <em>and</em> <strong>faces</strong>'
            ".</p><p><code>code</code></p></body></html>",
            (builtin_style("print.css").decode("utf-8"),),
        )
    )
