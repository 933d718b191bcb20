"""The package's site, grown in place (grow.py): an article's page is written when the article is
new or changed, and the index's pages, listing.js (what the filter of every page searches) and
provenance.json each time, from the summaries and records the index keeps. The site's files are
then put in place one by one beside those that stay."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import __version__
from ..book.collection import main_language
from ..errors import ArchiverError
from ..exporters.base import ExportOptions, Report, Written
from ..exporters.site.names import index_name, page_name
from ..exporters.site.pages import listing_entry, listing_page, search_page, write_pages, write_static
from ..exporters.styles import builtin_style
from ..exporters.xhtml import counted, spanned
from ..model import Article
from . import grow
from .index import Index, Stored
from .site_search import segment_of, segments_to_write, write_search


def grow_site(
    index: Index, task: grow.Task, earlier: Stored | None, dest: Path, present: Path, order: str
) -> tuple[Written, set[str]]:
    """Into `dest`, what the site `present` (as the index recorded it, `earlier`) lacks or holds
    as it was; with the article pages the site lists."""
    valid = grow.same_pages(earlier.recipe if earlier else None, task.recipe or "")
    unwritten = index.not_held([task.name]) if valid else None  # None: every page
    options = task.options
    title = options.title or index.title()
    counts = index.counts()
    facts = " · ".join(
        filter(None, [counted(counts.articles - counts.links, counts.links), spanned(index.span())])
    )
    pages = -(-counts.articles // grow.SITE_PAGE)
    stale: list[int] = []
    segments = segments_to_write(index.db, unwritten, present)
    shown: dict[int, tuple[str, str, str]] = {}
    language = "und"  # the first index page's  # what the search shows of the articles of those
    listed: set[str] = set()
    warnings: list[str] = list(earlier.warnings) if earlier and valid else []
    try:
        dest.mkdir(parents=True, exist_ok=True)
        write_static(dest, options)
        with (dest / "listing.js").open("w", encoding="utf-8") as listing:
            listing.write("window.archiverListing = [")
            page: list[tuple[int, Article]] = []
            for number, (position, article) in enumerate(index.summaries(order), 1):
                href = f"articles/{page_name(position, article.title)}"
                listed.add(href)
                if unwritten is None or position in unwritten or not (present / href).is_file():
                    stale.append(position)
                said = listing_entry(article, href)
                if segment_of(position) in segments:
                    shown[position] = (str(said["t"]), href, str(said["f"]))
                entry = json.dumps(said, ensure_ascii=False)
                listing.write(("," if number > 1 else "") + "\n" + entry)
                page.append((position, article))
                if len(page) == grow.SITE_PAGE or number == counts.articles:
                    place = (-(-number // grow.SITE_PAGE), pages)
                    _index_page(dest, page, options, title, facts, place)
                    language = main_language([a for _, a in page]) if place[0] == 1 else language
                    page = []
            listing.write("\n];\n")
        if pages == 1:  # the page's own list is everything
            (dest / "listing.js").unlink()
        for start in range(0, len(stale), grow.SITE_PAGE):
            chunk = stale[start : start + grow.SITE_PAGE]
            entries = index.load(chunk)
            warnings += write_pages(
                [(p, e.article) for p, e in zip(chunk, entries, strict=True)], dest, present
            )
        listed |= write_search(index.db, dest, present, segments, shown)
        (dest / "fulltext.js").write_bytes(builtin_style("fulltext.js"))
        (dest / "search.html").write_text(search_page(title, language), encoding="utf-8")
        head = '{\n  "generator": "archiver ' + __version__ + '",\n  "articles": ['
        _json_list(dest / "provenance.json", head, index.provenance(order), "]\n}\n")
    except (ArchiverError, OSError) as exc:
        return Written(task.exporter, dest, (), Report(), str(exc)), listed
    return Written(task.exporter, dest, (), Report(tuple(dict.fromkeys(warnings)))), listed


def site_after(present: Path, staged: Path, pages: set[str]) -> dict[str, Path]:
    """The site once the staged files are in place: its path -> where its bytes are now. Of the
    files already there, the article pages still listed (`pages`) stay, and the images (named by
    their content, shown by pages written earlier); the rest goes."""
    written = {path: staged / path for path in files_in(staged)}
    kept = {
        path: present / path
        for path in files_in(present)
        if path not in written and (path.startswith("images/") or path in pages)
    }
    return dict(sorted({**kept, **written}.items()))


def files_in(folder: Path) -> list[str]:
    """The files of a folder, by their path in it."""
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _index_page(
    dest: Path,
    page: Sequence[tuple[int, Article]],
    options: ExportOptions,
    title: str,
    facts: str,
    place: tuple[int, int],
) -> None:
    articles = [article for _, article in page]
    hrefs = [f"articles/{page_name(position, article.title)}" for position, article in page]
    text = listing_page(articles, hrefs, options, title, facts, *place, searchable=True)
    (dest / index_name(place[0])).write_text(text, encoding="utf-8")


def _json_list(path: Path, head: str, items: Iterable[str], tail: str) -> None:
    """A JSON document whose one list holds `items` (each indented by 2), as json.dumps(indent=2)
    writes it, without holding the list."""
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        count = 0
        for count, item in enumerate(items, 1):
            out.write(("\n    " if count == 1 else ",\n    ") + item.replace("\n", "\n    "))
        out.write(("\n  " if count else "") + tail)
