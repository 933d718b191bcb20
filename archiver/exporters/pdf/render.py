"""WeasyPrint rendering of one HTML document to PDF bytes, in whichever process runs it.

Everything going in and out is plain data (strings, bytes, tuples), so that worker processes can
render articles in parallel and the results can be cached by content.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from ...runtime import patches

BASE = "https://archiver.invalid/"  # the only address the renderer may ask for; it serves our images


@dataclass(frozen=True)
class RenderJob:
    html: str
    stylesheets: tuple[str, ...]
    images: tuple[tuple[str, str, bytes], ...] = ()  # (href, media type, bytes): all it may load
    variant: str | None = None
    attachment: bytes | None = None  # provenance.json, attached with relationship "Source"
    when: datetime | None = None  # creation time written into the PDF
    identifier: bytes | None = None

    def key(self, version: str) -> str:
        """A content hash: the same job always gives the same PDF, so its result can be reused."""
        digest = hashlib.sha256(version.encode())
        for text in (self.html, *self.stylesheets, self.variant or ""):
            digest.update(hashlib.sha256(text.encode()).digest())
        for href, media_type, data in self.images:
            digest.update(f"{href}\0{media_type}\0".encode() + hashlib.sha256(data).digest())
        return digest.hexdigest()


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = field(default=())


def render(job: RenderJob) -> Rendered:
    """The job's PDF, with the patches that spare WeasyPrint's dependencies repeated work in
    force while it renders."""
    from . import tuning

    with patches.applied(patches.FONT_ARRAYS, patches.HYPHENATION):
        return _render(job, tuning.tuned_fonts())


def _render(job: RenderJob, fonts: Any) -> Rendered:
    from weasyprint import HTML, Attachment

    warnings: list[str] = []
    fetcher = _fetcher({href: (media_type, data) for href, media_type, data in job.images}, warnings)
    document = HTML(string=job.html, base_url=BASE, url_fetcher=fetcher).render(
        stylesheets=[_parsed(css) for css in job.stylesheets], font_config=fonts
    )
    attachments = (
        []
        if job.attachment is None
        else [
            Attachment(
                string=job.attachment,
                name="provenance.json",
                relationship="Source",
                description="Where each article came from (archiver provenance)",
                created=job.when,
                modified=job.when,
                url_fetcher=fetcher,
                base_url=BASE,
            )
        ]
    )
    pdf = document.write_pdf(
        attachments=attachments,
        pdf_variant=job.variant,
        pdf_identifier=job.identifier,
        uncompressed_pdf=False,
    )
    return Rendered(pdf, len(document.pages), tuple(warnings))


@lru_cache(maxsize=32)
def _parsed(css: str) -> Any:
    """A stylesheet parsed once per process: every part shares it, and parsing print.css cost a
    third of a short article's rendering. Its url() values are fetched while a document is laid
    out, by that document's fetcher; what parsing itself would fetch (@import, @color-profile)
    is refused, as it names nothing of the collection."""
    from weasyprint import CSS

    return CSS(string=css, base_url=BASE, url_fetcher=_fetcher({}, []))


def _fetcher(images: dict[str, tuple[str, bytes]], warnings: list[str]) -> Any:
    """WeasyPrint's fetcher, narrowed to the given images: anything else a page asks for
    (a stylesheet on the web, file:///etc/passwd in a rel=attachment link) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CollectionOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = images.get(url.removeprefix(BASE)) if url.startswith(BASE) else None
            if found is None:
                warnings.append(f"PDF: refused to load {url[:80]}")
                raise ValueError(f"not part of the collection: {url[:80]}")
            return URLFetcherResponse(url, found[1], {"Content-Type": found[0]})

    return CollectionOnly()


def warm_up() -> None:
    """One small page rendered, so that what WeasyPrint loads on its first rendering is loaded
    (runtime/preload/warm_pdf.py). One that fails (no Pango here) costs nothing but the warmth."""
    from ..styles import builtin_style

    with contextlib.suppress(Exception):
        render(
            RenderJob(
                '<!DOCTYPE html>\n<html lang="en"><body><h1>Warm</h1><p>Fonts <em>and</em> '
                "<strong>faces</strong>.</p><p><code>code</code></p></body></html>",
                (builtin_style("print.css").decode("utf-8"),),
            )
        )
