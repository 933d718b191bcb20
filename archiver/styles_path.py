"""The built-in stylesheets: styles/ in the repository, installed as the archiver.styles package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "styles"


def builtin_style(name: str) -> bytes:
    in_checkout = _CHECKOUT / name
    if in_checkout.is_file():  # running from a source tree, where archiver/ shadows the installed package
        return in_checkout.read_bytes()
    return files("archiver.styles").joinpath(name).read_bytes()
