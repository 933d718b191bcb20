"""PDF for print and for the shelf: PDF/A-3b by default, with bookmarks, a table of contents
with page numbers, and each article's provenance attached as provenance.json.

Each article is rendered by WeasyPrint on its own, in worker processes and cached by content;
the front matter (title page, contents, the PDF/A catalog and attachment) is rendered last,
when every article's page count is known, and the parts are bound by pdf_assemble. Tagged
variants (PDF/UA, PDF/A-*a) keep one structure tree only when rendered whole, so they are.

The renderer's URL fetcher serves the article's own images and nothing else: no network, and no
local file, however the saved page's markup asks for one.
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from functools import cache
from html import escape
from importlib import metadata
from itertools import accumulate
from pathlib import Path
from typing import Any, get_args

from lxml import etree

from ... import __version__
from ...atomic import atomic_path, write_atomic
from ...book.collection import build_time, collection_title, main_language
from ...book.grouping import sections
from ...errors import ArchiverError
from ...images.collect import OutputImage, collect_images
from ...model import Article
from ...package.provenance import collection_json
from ...runtime.preload import WARM_PDF
from ...runtime.runner import Runner
from ...runtime.shared_store import SharedStore
from ..base import Abridged, ExportOptions, PageSize, Report
from ..styles import stylesheet
from ..xhtml import (
    article_section,
    count_line,
    cover_outlets,
    highlight_id,
    highlights_section,
    plain_html,
    saved_links_label,
    saved_links_section,
    span_line,
    split_links,
    toc_label,
)
from .abridge import CHARS_PER_PAGE, Cut, abridged_note, cut, may_be_over, text_weight
from .bind import ARTICLE_LINK, PLACE_LINK, assemble
from .cache import RenderCache, Stored
from .render import Rendered, RenderJob, render

PAGE_SIZES: tuple[PageSize, ...] = get_args(PageSize)
TAGGED_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1a", "pdf/a-2a", "pdf/a-3a")
# Page numbers are drawn over the bound book from the @bottom-right box (print.css); the parts
# leave it empty and a document of blank pages draws only it.
TEXT_BLOCKS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "summary",
)
WITHOUT_NUMBERS = "@page { @bottom-right { content: none; } }"
NUMBERED_RUN = 64  # pages per rendering of page numbers
MAX_CUTS = 4  # renderings of an abridged article before giving up on the bound
ONLY_NUMBERS = (
    "@page { "
    + " ".join(
        f"@{box} {{ content: none; }}"
        for box in (
            "top-left-corner",
            "top-left",
            "top-center",
            "top-right",
            "top-right-corner",
            "left-top",
            "left-middle",
            "left-bottom",
            "right-top",
            "right-middle",
            "right-bottom",
            "bottom-left-corner",
            "bottom-left",
            "bottom-center",
            "bottom-right-corner",
        )
    )
    + " }"
)


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    if not articles:
        raise ArchiverError("no articles to put in the PDF")
    if options.page_size not in PAGE_SIZES:
        raise ArchiverError(f"unknown page size {options.page_size!r} (choose from {', '.join(PAGE_SIZES)})")
    when = build_time(articles)
    stylesheets = (stylesheet("print.css", options.style), f"@page {{ size: {options.page_size}; }}")
    full, links = split_links(articles)
    groups = sections(full, options.group_by, options.date_of)
    full = [article for group in groups for article in group.articles]
    cuts = {n: c for n, a in enumerate(full) if (c := _first_cut(a, options)) is not None}
    printed = [cuts[n].article if n in cuts else a for n, a in enumerate(full)]
    if options.pdf_variant in TAGGED_VARIANTS:
        shortened = {id(full[n]): c.article for n, c in cuts.items()}
        whole = [shortened.get(id(a), a) for a in (*full, *links)]
        warnings = _write_whole(whole, dest, options, stylesheets, when)
        return Report(tuple(warnings), _abridged(articles, full, cuts, options))
    with _render_folder(options) as folder:
        cache = RenderCache(folder)

        def parts_of(numbers: Sequence[int], ahead: Sequence[RenderJob] = ()) -> list[Stored]:
            jobs = [_article_job(printed[n], stylesheets, options) for n in numbers]
            rendered = render_cached([*jobs, *ahead], cache, options.runner)[: len(jobs)]
            return _with_plain_fallback([printed[n] for n in numbers], jobs, rendered, cache, options.runner)

        parts = parts_of(range(len(full)), _numbers_ahead(printed, links, stylesheets))
        for _ in range(MAX_CUTS):  # a cut guessed from the text's length, too long for its images
            over = [
                n
                for n, part in enumerate(parts)
                if options.pdf_max_pages and part.pages > options.pdf_max_pages
            ]
            if not over:
                break
            for n in over:
                kept = cuts[n].kept if n in cuts else text_weight(full[n].body)
                budget = int(kept * options.pdf_max_pages / parts[n].pages * 0.95)
                cuts[n] = cut(full[n], budget, options.pdf_max_pages, options.alongside)
                printed[n] = cuts[n].article
            for n, part in zip(over, parts_of(over), strict=True):
                parts[n] = part
        closing = [saved_links_html(links)] if links else []
        listed = highlights_section([*full, *links], _place_in_parts, "highlights")
        if listed is not None:
            closing.append(_document_of(plain_html(listed), "Highlights", main_language(articles)))
        jobs = [RenderJob(html, (*stylesheets, WITHOUT_NUMBERS), (), options.pdf_variant) for html in closing]
        parts += _all_rendered(
            render_cached(jobs, cache, options.runner.alone()), "the saved links and highlights"
        )
        pages = [part.pages for part in parts]
        front = _render_front(articles, options, stylesheets, when, pages)
        numbers = _all_rendered(
            render_cached(_number_jobs(front.pages + sum(pages), stylesheets), cache, options.runner),
            "page numbers",
        )
        with atomic_path(dest) as temporary:
            assemble(
                front.pdf,
                [part.path for part in parts],
                pages,
                [run.path for run in numbers],
                temporary,
                [(group.title, len(group.articles)) for group in groups if group.title is not None],
            )
    return Report(tuple(w for part in parts for w in part.warnings), _abridged(articles, full, cuts, options))


def _article_job(article: Article, stylesheets: tuple[str, ...], options: ExportOptions) -> RenderJob:
    images = collect_images([article])[0]
    return RenderJob(
        article_html(article, images),
        (*stylesheets, WITHOUT_NUMBERS),
        _job_images(images),
        options.pdf_variant,
    )


def _first_cut(article: Article, options: ExportOptions) -> Cut | None:
    """The article's beginning when its text alone would fill more than the page bound."""
    limit = options.pdf_max_pages
    if not limit or not may_be_over(article, limit) or text_weight(article.body) <= limit * CHARS_PER_PAGE:
        return None
    return cut(article, limit * CHARS_PER_PAGE, limit, options.alongside)


def _abridged(
    articles: Sequence[Article], full: Sequence[Article], cuts: dict[int, Cut], options: ExportOptions
) -> tuple[Abridged, ...]:
    index = {id(a): n for n, a in enumerate(articles)}
    return tuple(
        Abridged(
            index[id(full[n])],
            abridged_note(options.pdf_max_pages, c.kept, c.whole, options.alongside),
        )
        for n, c in sorted(cuts.items())
    )


@contextmanager
def _render_folder(options: ExportOptions) -> Iterator[Path]:
    """Where renderings go: the package's cache, or for a build that keeps none, a folder that is
    gone afterwards (the binder reads them from disk either way)."""
    if options.render_cache is not None:
        yield options.render_cache
    else:
        with tempfile.TemporaryDirectory(prefix="archiver-pdf-") as folder:
            yield Path(folder)


def _with_plain_fallback(
    articles: Sequence[Article],
    jobs: Sequence[RenderJob],
    parts: list[Stored | str],
    cache: RenderCache,
    runner: Runner,
) -> list[Stored]:
    """An article WeasyPrint cannot lay out (it recurses past Python's limit on some markup) is
    printed as plain paragraphs of its text, with a warning, rather than costing the whole PDF."""
    failed = [n for n, part in enumerate(parts) if isinstance(part, str)]
    plain = render_cached(
        [replace(jobs[n], html=article_html(_as_plain_text(articles[n]), {}), images=()) for n in failed],
        cache,
        runner,
    )
    for n, part in zip(failed, plain, strict=True):
        if isinstance(part, str):
            raise ArchiverError(f"cannot render {articles[n].source.path}: {parts[n]}")
        why = (
            f"{articles[n].source.path}: laid out as plain text in the PDF, "
            f"its markup could not be ({parts[n]})"
        )
        parts[n] = replace(part, warnings=(*part.warnings, why))
    return _all_rendered(parts, "articles")


def _as_plain_text(article: Article) -> Article:
    root = etree.fromstring(f"<div>{article.body}</div>")
    blocks = [
        " ".join("".join(e.itertext()).split())
        for e in root.iter(*TEXT_BLOCKS)
        if not any(isinstance(c.tag, str) and c.tag in TEXT_BLOCKS for c in e.iterdescendants())
    ]
    blocks = [b for b in blocks if b] or [" ".join("".join(root.itertext()).split())]
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in blocks)
    return replace(article, body=paragraphs, resources=())


def _all_rendered(outcomes: Sequence[Stored | str], what: str) -> list[Stored]:
    failed = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if failed:
        raise ArchiverError(f"cannot render {what}: {failed[0]}")
    return [outcome for outcome in outcomes if not isinstance(outcome, str)]


def render_cached(jobs: Sequence[RenderJob], cache: RenderCache, runner: Runner) -> list[Stored | str]:
    """Each job's PDF on disk, from the cache when rendered before, else rendered where `runner`
    runs work, each worker storing what it rendered; why it failed, for a job that did."""
    keys = [job.key(_renderer_version()) for job in jobs]
    found: list[Stored | str | None] = [cache.get(key) for key in keys]
    missing = [n for n, hit in enumerate(found) if hit is None]
    store = runner.store
    results = runner.run_all(
        _render_part,
        [(jobs[n], cache.folder, keys[n], store) for n in missing],
        preload=[__name__, WARM_PDF],
        cost=lambda task: len(task[0].html) + sum(len(data) for _, _, data in task[0].images),
        lost=lambda task, exc: f"its cluster worker died on every try ({type(exc).__name__})",
    )
    for number, result in zip(missing, results, strict=True):
        if isinstance(result, dict):  # left in the cluster's store
            assert store is not None
            result = _taken(result, keys[number], cache, store)
        found[number] = result
    return found  # type: ignore[return-value]  # every None was filled


def _number_jobs(total: int, stylesheets: tuple[str, ...]) -> list[RenderJob]:
    """Blank pages showing only the page number, in fixed runs so that they are cached for any
    book; counter(pages) is the book's, not the run's."""
    css = (*(sheet.replace("counter(pages)", f'"{total}"') for sheet in stylesheets), ONLY_NUMBERS)
    return [
        RenderJob(
            "<!DOCTYPE html>\n<html><head><style>@page :first { counter-reset: page "
            f"{first} }}</style></head><body>"
            + '<div style="break-after: page"></div>' * NUMBERED_RUN
            + "</body></html>",
            css,
        )
        for first in range(1, total + 1, NUMBERED_RUN)
    ]


def _numbers_ahead(
    printed: Sequence[Article], links: Sequence[Article], stylesheets: tuple[str, ...]
) -> list[RenderJob]:
    """The page-number runs the book will need, as far as its length can be guessed, to render in
    the parts' own batch: its short tail keeps both workers busy, and the runs are in the cache
    when the book's real length is known (those it still lacks are rendered then). Only when the
    stylesheets do not print the page count, which the runs would depend on."""
    if any("counter(pages)" in sheet for sheet in stylesheets):
        return []
    guess = 2 + len(links) // 30 + sum(text_weight(a.body) for a in printed) // CHARS_PER_PAGE
    return _number_jobs(guess, stylesheets)


def _render_part(task: tuple[RenderJob, Path, str, SharedStore | None]) -> Stored | dict[str, Any] | str:
    """The part, rendered into the cache (a worker's own, or one on the file system it shares with
    the coordinator), or into the cluster's store, where it may be already: what the store says of
    it. Why it failed, for a part that did."""
    job, folder, key, store = task
    try:
        if store is None:
            return RenderCache(folder).put(key, render(job))
        facts = store.part_facts(key)
        if facts is None:
            rendered = render(job)
            facts = store.put_part(
                key, rendered.pdf, {"pages": rendered.pages, "warnings": list(rendered.warnings)}
            )
        return facts
    except Exception as exc:  # noqa: BLE001 - the parent reports which article failed
        return f"{type(exc).__name__}: {exc}"


def _taken(facts: dict[str, Any], key: str, cache: RenderCache, store: SharedStore) -> Stored | str:
    """A part a worker left in the store, in this machine's cache, where the binder reads it."""
    try:
        pdf = store.get_part(key, facts)
    except ArchiverError as exc:
        return str(exc)
    return cache.put(key, Rendered(pdf, int(facts["pages"]), tuple(facts["warnings"])))


def _render_front(
    articles: Sequence[Article],
    options: ExportOptions,
    stylesheets: tuple[str, ...],
    when: datetime,
    pages: Sequence[int],
) -> Rendered:
    """Title page and contents, carrying the PDF/A catalog and the attachment. The contents'
    page numbers depend on its own length: guess it, and render again if the guess was wrong."""
    guess = 1 + (math.ceil(len(pages) / 30) if len(pages) > 1 else 0)
    job = RenderJob(
        "",
        (*stylesheets, WITHOUT_NUMBERS),
        variant=options.pdf_variant,
        attachment=collection_json(articles),
        when=when,
        identifier=_identifier(articles),
    )
    for _ in range(3):
        starts = [guess + before + 1 for before in accumulate(pages[:-1], initial=0)]
        # In a worker forked warm (runtime/preload/warm_pdf.py), sooner than WeasyPrint's first
        # rendering in this process.
        [front] = options.runner.run_all(
            render,
            [replace(job, html=document_html(articles, options, {}, when, starts))],
            preload=[__name__, WARM_PDF],
        )
        if front.pages == guess:
            break
        guess = front.pages
    return front


def _write_whole(
    articles: Sequence[Article],
    dest: Path,
    options: ExportOptions,
    stylesheets: tuple[str, ...],
    when: datetime,
) -> list[str]:
    images, warnings = collect_images(articles)
    job = RenderJob(
        document_html(articles, options, images, when),
        stylesheets,
        _job_images(images),
        options.pdf_variant,
        collection_json(articles),
        when,
        _identifier(articles),
    )
    rendered = render(job)
    write_atomic(dest, rendered.pdf)
    return [*warnings, *rendered.warnings]


def document_html(
    articles: Sequence[Article],
    options: ExportOptions,
    images: dict[str, OutputImage],
    when: datetime,
    starts: Sequence[int] | None = None,
) -> str:
    """Title page and contents, then one section per article; with `starts` (each article's first
    page number), only the front matter, its contents linking to the articles bound after it."""
    title = options.title or collection_title(articles)
    html = etree.Element("html", lang=main_language(articles))
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = title
    authors = options.author or ", ".join(dict.fromkeys(a for article in articles for a in article.authors))
    for name, content in (
        ("author", authors),
        ("generator", f"archiver {__version__}"),
        ("description", f"{len(articles)} saved articles"),
        ("keywords", ", ".join(dict.fromkeys(a.outlet for a in articles if a.outlet))),
        ("dcterms.created", when.isoformat()),
        ("dcterms.modified", when.isoformat()),
    ):
        if content:
            etree.SubElement(head, "meta", name=name, content=content)
    body = etree.SubElement(html, "body")
    front = etree.SubElement(body, "section", {"class": "title-page"})  # the EPUB cover's design
    etree.SubElement(front, "h1").text = title
    etree.SubElement(front, "div", {"class": "rule"})
    for line in filter(None, [count_line(articles), span_line(articles)]):
        etree.SubElement(front, "p", {"class": "facts"}).text = line
    outlets = etree.SubElement(front, "div", {"class": "outlets"})
    for outlet in cover_outlets(articles):
        etree.SubElement(outlets, "p").text = outlet
    made = f"Archived with archiver {__version__}, {when.date().isoformat()}"
    etree.SubElement(outlets, "p", {"class": "made"}).text = made
    full, links = split_links(articles)
    groups = sections(full, options.group_by, options.date_of)
    closing = [(saved_links_label(links), f"#article-{len(full) + 1:04d}")] if links else []
    closing += [("Highlights", "#highlights")] if any(a.highlights for a in articles) else []
    if len(full) + len(closing) > 1:
        nav = etree.SubElement(body, "nav", {"class": "toc"})
        etree.SubElement(nav, "h2").text = "Contents"
        listing = etree.SubElement(nav, "ol")
        number = 0

        def entry(into: etree._Element, label: str, anchor: str | None = None) -> None:
            item = etree.SubElement(into, "li")
            if starts is None:
                etree.SubElement(item, "a", href=anchor or f"#article-{number + 1:04d}").text = label
            else:
                etree.SubElement(
                    item, "a", {"href": f"{ARTICLE_LINK}{number}", "data-page": str(starts[number])}
                ).text = label

        for group in groups:
            into = listing
            if group.title is not None:
                part = etree.SubElement(listing, "li", {"class": "toc-part"})
                etree.SubElement(part, "span").text = group.title
                into = etree.SubElement(part, "ol")
            for article in group.articles:
                entry(into, toc_label(article))
                number += 1
        for label, anchor in closing:
            entry(listing, label, anchor)
            number += 1
    if starts is None:
        number = 0
        for group in groups:
            for first, article in enumerate(group.articles):
                number += 1
                section = _section(article, images, f"article-{number:04d}")
                if group.title is not None and first == 0:  # the section's bookmark, on its first page
                    body.set("class", "grouped")  # the articles' bookmarks go one level down (print.css)
                    section.insert(0, etree.Element("div", {"class": "part-mark", "title": group.title}))
                body.append(section)
        if links:
            body.append(plain_html(saved_links_section(links, f"article-{len(full) + 1:04d}")))
        listed = highlights_section([*full, *links], _place_in_whole, "highlights")
        if listed is not None:
            body.append(plain_html(listed))
    return "<!DOCTYPE html>\n" + str(etree.tostring(html, encoding="unicode", method="html"))


def article_html(article: Article, images: dict[str, OutputImage]) -> str:
    """One article as a document of its own. Nothing in it depends on its place in a collection,
    so its rendering can be reused in any collection."""
    return _document_of(
        _section(article, images, "article"), article.title or "Untitled", main_language([article])
    )


def saved_links_html(links: Sequence[Article]) -> str:
    """The closing "Saved links" section as a document of its own, bound after the articles."""
    return _document_of(
        plain_html(saved_links_section(links, "article")), "Saved links", main_language(links)
    )


def _document_of(section: etree._Element, title: str, language: str) -> str:
    html = etree.Element("html", lang=language)
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = title
    etree.SubElement(html, "body").append(section)
    return "<!DOCTYPE html>\n" + str(etree.tostring(html, encoding="unicode", method="html"))


def _place_in_parts(n: int, highlight: int | None) -> str:
    """Where the Highlights part links, bound from parts: each article's part names its places
    with the anchor "article" (article_html); the binder points these at the book's pages."""
    return (
        f"{ARTICLE_LINK}{n}" if highlight is None else f"{PLACE_LINK}{n}:{highlight_id('article', highlight)}"
    )


def _place_in_whole(n: int, highlight: int | None) -> str:
    anchor = f"article-{n + 1:04d}"
    return f"#{anchor}" if highlight is None else f"#{highlight_id(anchor, highlight)}"


def _section(article: Article, images: dict[str, OutputImage], anchor: str) -> etree._Element:
    return plain_html(
        article_section(article, lambda name: images[name].href if name in images else None, anchor, "inline")
    )


def _job_images(images: dict[str, OutputImage]) -> tuple[tuple[str, str, bytes], ...]:
    return tuple((image.href, image.media_type, image.data) for image in images.values())


def _identifier(articles: Sequence[Article]) -> bytes:
    return hashlib.sha256("".join(a.source.sha256 for a in articles).encode()).hexdigest()[:32].encode()


@cache
def _renderer_version() -> str:
    """From the installed package's metadata: importing WeasyPrint here (a second) would delay
    every worker's first render; the workers import it themselves."""
    return f"archiver {__version__} weasyprint {metadata.version('weasyprint')}"
