"""Stylesheets: the built-in ones (styles/ in the repository, installed as the archiver.styles
package), or one the user gives with --style, checked before anything is written, because one
that cannot be read, does not parse, or loads other files would make every output invalid or
make it reach outside itself."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import ArchiverError

_CHECKOUT = Path(__file__).resolve().parents[2] / "styles"
MAX_STYLE_BYTES = 1 << 20


def stylesheet(builtin: str, user: Path | None) -> str:
    """The user's stylesheet when there is one, else the built-in one named `builtin`."""
    return builtin_style(builtin).decode("utf-8") if user is None else read_style(user)


def builtin_style(name: str) -> bytes:
    in_checkout = _CHECKOUT / name
    if in_checkout.is_file():  # running from a source tree, where archiver/ shadows the installed package
        return in_checkout.read_bytes()
    return files("archiver.styles").joinpath(name).read_bytes()


def read_style(path: Path) -> str:
    """The stylesheet's text; ArchiverError saying what is wrong and where."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiverError(f"--style {path}: cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_STYLE_BYTES:
        raise ArchiverError(f"--style {path}: larger than {MAX_STYLE_BYTES // 1024} KiB; is it a stylesheet?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiverError(f"--style {path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    import tinycss2

    for node in _walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)):
        where = f"--style {path}, line {getattr(node, 'source_line', '?')}"
        if node.type == "error":
            raise ArchiverError(f"{where}: not valid CSS ({node.message})")
        if node.type == "at-rule" and node.lower_at_keyword == "import":
            raise ArchiverError(f"{where}: @import loads another file; put its rules in this one")
        if node.type == "url" or (node.type == "function" and node.lower_name == "url"):
            raise ArchiverError(
                f"{where}: url() loads a file from outside the package; "
                "styles may not refer to fonts or images"
            )
    return text


def _walk(nodes: list[Any]) -> list[Any]:
    found = []
    for node in nodes:
        found.append(node)
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                found += _walk(children)
    return found
