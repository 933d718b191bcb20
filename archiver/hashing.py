"""Hashing bytes, and files in blocks: inputs and outputs may be larger than memory."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> tuple[str, int]:
    """(sha256 hex digest, size in bytes) of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_tree(folder: Path) -> tuple[str, int]:
    """(sha256, size) of a folder output (the HTML site): the digest of its listing as BagIt writes
    one, "<sha256>  <relative path>" per file, sorted by path; the size of all its files."""
    files = (p for p in folder.rglob("*") if p.is_file())
    return sha256_listing({path.relative_to(folder).as_posix(): path for path in files})


def sha256_listing(files: dict[str, Path]) -> tuple[str, int]:
    """sha256_tree of the folder these files would make (its path -> where its bytes are)."""
    lines, size = [], 0
    for name in sorted(files):
        digest, length = sha256_file(files[name])
        lines.append(f"{digest}  {name}\n")
        size += length
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest(), size


def sha256_output(path: Path) -> tuple[str, int]:
    """An output's digest and size: a file's own, or a folder's listing (sha256_tree)."""
    return sha256_tree(path) if path.is_dir() else sha256_file(path)
