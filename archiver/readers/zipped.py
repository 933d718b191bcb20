"""Reading the members of an export's zip without trusting it: nothing is extracted, no member's
name is ever used as a file path, and members, sizes and compression ratios are bounded, so a zip
bomb or a `../` name is a reported problem, not a written file or an exhausted machine."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import ArchiverError

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 4 << 30
MAX_RATIO = 200  # uncompressed / compressed: text compresses 5-20 times, a bomb thousands


class Zip:
    """One zip, opened once for all its members: reopening it for each member read its central
    directory again each time, so a zip of 20,000 parts took minutes (defect 7 of issue 27)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiverError(f"a zip of {len(infos)} members; more than {MAX_MEMBERS} is refused")
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise ArchiverError(f"a zip that unpacks to more than {MAX_TOTAL_BYTES >> 30} GiB; refused")
        self.archive = archive
        self.names = sorted(info.filename for info in infos if not info.is_dir())  # the readable ones

    def read(self, name: str) -> bytes:
        """One member's bytes, refused when its name is unsafe, or it is too large or compressed
        like a bomb."""
        why = unsafe(name)
        if why is not None:
            raise ArchiverError(why)
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise ArchiverError(f"no member {name!r}") from None
        ratio = info.file_size / info.compress_size if info.compress_size else 1
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiverError(f"member {name!r} is over {MAX_MEMBER_BYTES >> 20} MiB; refused")
        if ratio > MAX_RATIO and info.file_size > 1 << 20:
            raise ArchiverError(f"member {name!r} is compressed {ratio:.0f} times (a zip bomb?); refused")
        try:
            with self.archive.open(info) as member:
                data = member.read(MAX_MEMBER_BYTES + 1)  # the header's size is not to be trusted either
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ArchiverError(f"member {name!r} cannot be read ({exc})") from exc
        if len(data) > MAX_MEMBER_BYTES:
            raise ArchiverError(f"member {name!r} is larger than its header says; refused")
        return data

    def members(self, wanted: Iterable[str]) -> Iterator[tuple[str, bytes | ArchiverError]]:
        """(name, bytes) for each wanted member, or (name, why not) when it cannot be read safely."""
        for name in wanted:
            try:
                yield name, self.read(name)
            except ArchiverError as exc:
                yield name, exc


@contextmanager
def opened(path: Path) -> Iterator[Zip]:
    """The zip at `path`; ArchiverError for a file that is not a readable zip, or past the bounds."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiverError(f"not a readable zip ({exc})") from exc
    with archive:
        yield Zip(archive)


def member_names(path: Path) -> list[str]:
    """The names of the members that can be read, sorted; ArchiverError for a zip that is not one."""
    with opened(path) as archive:
        return archive.names


def unsafe(name: str) -> str | None:
    """Why a member's name is not one an export writes, or None."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return f"member {name!r} names a place outside the zip; not read"
    return None
