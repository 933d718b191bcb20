"""BagIt 1.0 (RFC 8493), written here: the `bagit` package still writes version 0.97.

The package's outputs and manifest are the payload (data/); archiver's own state folder stays
outside it, as a tag folder no manifest needs to list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from .. import __version__
from ..hashing import sha256_file
from .manifest import created_time


def bag_tags(
    payload: Mapping[str, Path], title: str, articles: int, organization: str | None
) -> dict[str, bytes]:
    """The tag files of a bag whose payload will be `payload` (path in the bag, e.g.
    "data/manifest.json" -> where its bytes are now): written before the payload is in place."""
    hashed = {name: sha256_file(path) for name, path in sorted(payload.items())}
    info = {
        "Source-Organization": organization or "not stated",
        "Bagging-Date": created_time().date().isoformat(),
        "External-Description": f"{title}: {articles} saved article{'s' * (articles != 1)}, with their "
        "provenance (data/manifest.json), archived by archiver",
        "Payload-Oxum": f"{sum(size for _, size in hashed.values())}.{len(hashed)}",
        "Bag-Software-Agent": f"archiver {__version__}",
    }
    tags = {
        "bagit.txt": "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": "".join(f"{key}: {' '.join(value.split())}\n" for key, value in info.items()),
        "manifest-sha256.txt": "".join(
            f"{digest}  {_encode(name)}\n" for name, (digest, _) in hashed.items()
        ),
    }
    files = {name: text.encode("utf-8") for name, text in tags.items()}
    files["tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items()
    ).encode("utf-8")
    return files


def _encode(path: str) -> str:
    """RFC 8493 2.1.3: CR, LF and % in a file name are percent-encoded."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
