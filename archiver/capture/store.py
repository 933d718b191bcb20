"""Captures kept as they complete, in the package's state folder (`.archiver/captures/`, one JSON
record per address; the bytes in `.archiver/objects/`). They are written at once, outside the
export's commit: an export stopped midway (Ctrl-C, a kill, a lost network) leaves what it
captured, and the next run takes it from here instead of fetching it again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..atomic import write_atomic
from ..errors import ArchiverError
from ..model import Capture
from ..package.store import ObjectStore
from .record import capture_from_record, capture_to_record


class CaptureStore:
    def __init__(self, folder: Path, objects: ObjectStore) -> None:
        self.folder = folder
        self.objects = objects

    def get(self, url: str) -> Capture | None:
        """The capture kept for this address, if one is (and is whole)."""
        path = self._path(url)
        try:
            return capture_from_record(json.loads(path.read_bytes()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged record is captured again

    def put(self, capture: Capture) -> None:
        path = self._path(capture.requested)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(capture_to_record(capture), sort_keys=True).encode("utf-8"))

    def put_bytes(self, data: bytes) -> str:
        return self.objects.put(data)

    def body(self, capture: Capture) -> bytes:
        """The page to read: the DOM as a browser rendered it, else the final response's body;
        ArchiverError when the store has lost it."""
        if capture.final is None:
            raise ArchiverError(f"{capture.requested}: no response was captured")
        return self.objects.get(capture.rendered or capture.final.payload)

    def _path(self, url: str) -> Path:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / key[:2] / f"{key}.json"
