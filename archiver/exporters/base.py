"""What every exporter shares: the user's choices for an export, and the record that describes
an exporter to the registry, the manifest and `verify`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from ..book.grouping import GroupBy
    from ..book.selection import DateOf
    from ..capture.store import CaptureStore
    from ..model import Article, Source
    from ..runtime.runner import Runner


PageSize: TypeAlias = Literal["A4", "Letter", "A5"]


def _here() -> Runner:
    """This machine's worker processes, every core (imported when an export needs it, not when
    the command starts)."""
    from ..runtime.runner import Runner

    return Runner()


@dataclass(frozen=True)
class Volume:
    """One of the books a collection over --max-size is shared out into."""

    number: int  # from 1
    of: int
    series: str  # the collection's title; the volume's own is "series, volume 1 of 3"


@dataclass(frozen=True)
class ExportOptions:
    title: str | None = None  # the collection's title; derived from the articles when None
    author: str | None = None  # who compiled the collection
    style: Path | None = None  # a stylesheet that replaces the built-in one
    captures: CaptureStore | None = None  # the live captures (--fetch): their exchanges go in the WARC
    page_size: PageSize = "A4"  # PDF
    pdf_variant: str | None = "pdf/a-3b"  # PDF: a WeasyPrint variant, or None for plain PDF
    runner: Runner = field(default_factory=_here)  # where the rendering runs (runtime/runner.py)
    render_cache: Path | None = None  # where rendered articles are kept for the next build; None: nowhere
    original: Callable[[Source], bytes] | None = None  # an input's bytes as saved; None: read its file again
    cover: Path | None = None  # EPUB: the user's cover image; None: one drawn from the collection
    image_max: int = 1600  # EPUB: an image's longest side in pixels, larger ones scaled down; 0: as saved
    pdf_max_pages: int = 300  # PDF: pages of one article at most (0: no bound); a longer one is abridged
    group_by: GroupBy = "none"  # EPUB, PDF: sections by tag, folder, outlet, month or year (book/grouping.py)
    date_of: DateOf = "published"  # which date month and year sections go by: published or saved
    max_size: int = 0  # EPUB: bytes a book may take at most, a larger collection split into volumes; 0: one
    volume: Volume | None = None  # this output is one volume of a collection (set by outputs.py)
    alongside: tuple[str, ...] = ()  # the other files written with the same articles, for notes naming them


@dataclass(frozen=True)
class Abridged:
    """An article that an output holds only in part: the reader must learn where the rest is."""

    index: int  # of the article among the output's articles
    note: str  # what the output holds of it, and where the whole text is


@dataclass(frozen=True)
class Report:
    """What writing one output has to say besides the file itself."""

    warnings: tuple[str, ...] = ()
    abridged: tuple[Abridged, ...] = ()


Writer: TypeAlias = "Callable[[Sequence[Article], Path, ExportOptions], Report]"


@dataclass(frozen=True)
class Exporter:
    """One output format. Everything archiver knows about a format is here or in its module, so
    a new format is its module and one line in the registry (exporters/__init__.py)."""

    name: str  # as the user chooses it: --format NAME
    suffix: str  # of the file written
    media_type: str  # in the manifest; also how an earlier manifest's outputs are recognized
    software: tuple[str, ...]  # the libraries that make this output, named in the manifest
    write: Writer  # writes one output file atomically; reports warnings and abridged articles
    conforms_to: Callable[[ExportOptions], str]  # the standard the output follows, as the manifest says
    provenance: Callable[[bytes], list[dict[str, Any]]]  # the provenance records inside an output (verify)
    in_workers: bool = (
        False  # one output per article: each written on a worker process, options without callables
    )
    preload: tuple[str, ...] = ()  # what such a worker imports before its first output
    folder: str | None = None  # the output is a folder of this name (the HTML site), one per collection
    # How a collection is shared out into volumes of at most options.max_size bytes; None: never
    volumes: Callable[[Sequence[Article], ExportOptions], list[list[Article]]] | None = None


@dataclass(frozen=True)
class Written:
    """One output, written or not: an export reports each as it is done."""

    exporter: Exporter
    dest: Path
    articles: tuple[Article, ...]
    report: Report = Report()
    error: str | None = None  # why `dest` was not written

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.report.warnings
