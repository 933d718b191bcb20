"""The font configuration that every document a thread renders shares.

A book is rendered as many small documents, so what WeasyPrint does once per document adds up.
Sharing changes no byte of what is rendered (tests/test_pdf_tuning.py renders with and without
it). The patches to WeasyPrint's dependencies that save more are in archiver/runtime/patches.py.
"""

from __future__ import annotations

import threading
from typing import Any

_PER_THREAD = threading.local()


def tuned_fonts() -> Any:
    """The font configuration that every document this thread renders shares. WeasyPrint makes
    a new one for each document it is not given one for: fontconfig's configuration loaded
    again, and a new Pango font map whose fonts, metrics and shapes are all looked up afresh.
    Shared, the bench's 40 parts took 2-10% less CPU, byte for byte the same. One per thread: a
    cluster worker may render on several, and a Pango font map is not made to be used from two
    threads at once."""
    fonts = getattr(_PER_THREAD, "fonts", None)
    if fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        fonts = _PER_THREAD.fonts = FontConfiguration()
    return fonts
