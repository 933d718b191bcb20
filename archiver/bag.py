"""BagIt 1.0 (RFC 8493), written here: the `bagit` package still writes version 0.97.

The package's outputs and manifest are the payload (data/); archiver's own state folder stays
outside it, as a tag folder no manifest needs to list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .manifest import created_time


def write_bag(folder: Path, title: str, articles: int, organization: str | None) -> None:
    payload = folder / "data"
    files = sorted(p for p in payload.rglob("*") if p.is_file())
    lines = [f"{_sha256(p)}  {_encode(p.relative_to(folder).as_posix())}\n" for p in files]
    octets = sum(p.stat().st_size for p in files)
    info = {
        "Source-Organization": organization or "not stated",
        "Bagging-Date": created_time().date().isoformat(),
        "External-Description": f"{title}: {articles} saved article{'s' * (articles != 1)}, with their "
                                "provenance (data/manifest.json), archived by archiver",
        "Payload-Oxum": f"{octets}.{len(files)}",
        "Bag-Software-Agent": f"archiver {__version__}",
    }
    tags = {
        "bagit.txt": "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": "".join(f"{key}: {' '.join(value.split())}\n" for key, value in info.items()),
        "manifest-sha256.txt": "".join(lines),
    }
    for name, text in tags.items():
        write_atomic(folder / name, text.encode("utf-8"))
    listed = "".join(f"{_sha256(folder / name)}  {name}\n" for name in tags)
    write_atomic(folder / "tagmanifest-sha256.txt", listed.encode("utf-8"))


def _encode(path: str) -> str:
    """RFC 8493 2.1.3: CR, LF and % in a file name are percent-encoded."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
