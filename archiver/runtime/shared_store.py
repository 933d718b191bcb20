"""The store a cluster's workers exchange bytes through (`--store URL`, any fsspec URL:
s3://bucket/prefix, gs://..., file:///mnt/shared/store), for workers that cannot reach the
package folder or the inputs.

With it, only the coordinator touches the inputs and the package: it puts each input file (and a
saved page's folder, whose images the page may show) in the store by content, the workers read
from there and put each PDF part they render there, and the coordinator takes the parts back.
Everything is named by its sha256 (a part by its render key, itself a hash of all it depends on),
so a store can be shared by many exports and kept between them: nothing is put twice, and nothing
read from it is trusted unchecked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ArchiverError
from ..hashing import sha256_file

INSTALL = "pip install 'archiver[cluster]'"


@dataclass(frozen=True)
class SharedStore:
    """A place by URL; what it holds is named by content. Picklable: a task carries it as its URL."""

    url: str

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self._put(_object(digest), data)
        return digest

    def put_file(self, path: Path, digest: str) -> None:
        """A file whose digest is known, streamed from disk: an input may be larger than memory."""
        self._place(_object(digest), lambda fs, part: fs.put_file(str(path), part))

    def get_file(self, digest: str, dest: Path) -> None:
        """Bytes put by put_file, streamed to `dest` and checked there."""
        fs, root = _filesystem(self.url)
        try:
            fs.get_file(f"{root}/{_object(digest)}", str(dest))
        except OSError as exc:
            raise ArchiverError(f"the store at {self.url} has no stored copy {digest[:16]}… ({exc})") from exc
        if sha256_file(dest)[0] != digest:
            raise ArchiverError(f"the store's copy {digest[:16]}… is damaged")

    def get(self, digest: str) -> bytes:
        data = self._get(_object(digest), f"stored copy {digest[:16]}…")
        if hashlib.sha256(data).hexdigest() != digest:
            raise ArchiverError(f"the store's copy {digest[:16]}… is damaged")
        return data

    def put_part(self, key: str, pdf: bytes, facts: dict[str, Any]) -> dict[str, Any]:
        """A rendered PDF part, under its render key, with what the binder needs to know of it;
        those facts, as part_facts will give them."""
        facts = {**facts, "sha256": _sha(pdf)}
        self._put(f"parts/{key[:2]}/{key}.pdf", pdf)
        self._put(f"parts/{key[:2]}/{key}.json", json.dumps(facts).encode())
        return facts

    def part_facts(self, key: str) -> dict[str, Any] | None:
        fs, root = _filesystem(self.url)
        try:
            facts: dict[str, Any] = json.loads(fs.cat_file(f"{root}/parts/{key[:2]}/{key}.json"))
        except (OSError, ValueError):  # not there (FileNotFoundError is an OSError), or torn
            return None
        return facts

    def get_part(self, key: str, facts: dict[str, Any]) -> bytes:
        pdf = self._get(f"parts/{key[:2]}/{key}.pdf", f"rendered part {key[:16]}…")
        if _sha(pdf) != facts.get("sha256"):
            raise ArchiverError(f"the store's rendered part {key[:16]}… is damaged")
        return pdf

    def _put(self, name: str, data: bytes) -> None:
        self._place(name, lambda fs, part: fs.pipe_file(part, data))

    def _place(self, name: str, write: Callable[[Any, str], None]) -> None:
        """`write(fs, path)` writes what is to be under `name`, unless it is there already: under
        a .part name first, so that no reader ever sees half of it under its own."""
        fs, root = _filesystem(self.url)
        path = f"{root}/{name}"
        if fs.exists(path):
            return
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        write(fs, f"{path}.part")
        fs.mv(f"{path}.part", path)

    def _get(self, name: str, what: str) -> bytes:
        fs, root = _filesystem(self.url)
        try:
            data: bytes = fs.cat_file(f"{root}/{name}")
        except OSError as exc:
            raise ArchiverError(f"the store at {self.url} has no {what} ({exc})") from exc
        return data


def opened(url: str) -> SharedStore:
    """The store at `url`, checked to be reachable and writable from here."""
    try:
        fs, root = _filesystem(url)
        fs.makedirs(root, exist_ok=True)
        fs.pipe_file(f"{root}/.archiver-store", b"archiver shared store\n")
    except ImportError as exc:
        raise ArchiverError(f"--store {url} needs a package fsspec names: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise ArchiverError(f"--store {url} cannot be written: {exc}") from exc
    return SharedStore(url)


@cache
def _filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem for the URL and the path in it, once per process."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise ArchiverError(f"--store needs fsspec: {INSTALL}") from None
    fs, root = url_to_fs(url)
    return fs, str(root).rstrip("/")


def _object(digest: str) -> str:
    if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise ArchiverError(f"not a sha256: {digest[:70]!r}")
    return f"objects/{digest[:2]}/{digest}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
