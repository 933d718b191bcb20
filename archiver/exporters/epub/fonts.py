"""The book's text face, embedded: Charis SIL (SIL Open Font License, which allows embedding in
documents), installed from Debian's fonts-sil-charis by scripts/install-system-deps.sh. Many
reading systems have only one or two serifs of their own; with the face in the book, the
text reads as designed, and a reader can still choose another.

Each face is subset to the characters the book uses (fontTools, which WeasyPrint already
brings): a few tens of kB instead of 750 kB each. The font's names, copyright and licence stay
in it. Without the font installed, nothing is embedded and the stylesheet's fallbacks apply.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path("/usr/share/fonts/truetype/charis")
FAMILY = "Charis SIL"


@dataclass(frozen=True)
class Face:
    file: str
    weight: str
    style: str


FACES = (
    Face("CharisSIL-Regular.ttf", "normal", "normal"),
    Face("CharisSIL-Italic.ttf", "normal", "italic"),
    Face("CharisSIL-Bold.ttf", "bold", "normal"),
    Face("CharisSIL-BoldItalic.ttf", "bold", "italic"),
)
# SIL's Graphite tables: only Graphite engines read them, and fontTools cannot subset them.
GRAPHITE = ["Silt", "Sill", "Glat", "Gloc", "Feat"]


@dataclass(frozen=True)
class EmbeddedFont:
    href: str  # in the book: fonts/<file>
    data: bytes


def embedded_fonts(text: str, folder: Path = FOLDER) -> list[EmbeddedFont]:
    """Each installed face subset to the characters of `text`; [] when the font is not here."""
    if not all((folder / face.file).is_file() for face in FACES):
        return []
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]  # the copyright, licence and names travel with the glyphs
    options.notdef_outline = True
    options.drop_tables += GRAPHITE
    characters = "".join(sorted(set(text) | set(" -–—‘’“”…0123456789")))
    fonts = []
    quiet = logging.getLogger("fontTools")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for face in FACES:
            with TTFont(folder / face.file, lazy=True, recalcTimestamp=False) as font:  # same bytes each time
                subsetter = subset.Subsetter(options)
                subsetter.populate(text=characters)
                subsetter.subset(font)
                out = io.BytesIO()
                font.save(out)
            fonts.append(EmbeddedFont(f"fonts/{face.file}", out.getvalue()))
    finally:
        quiet.setLevel(level)
    return fonts


def font_faces(fonts: list[EmbeddedFont]) -> str:
    """The @font-face rules for the embedded faces, relative to style/ in the book."""
    rules = []
    for face, font in zip(FACES, fonts, strict=True):
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; font-style: {face.style}; '
            f'src: url("../{font.href}") format("truetype"); }}\n'
        )
    return "".join(rules)
