"""The HTML site: index.html lists the articles (title, outlet, dates, tags, state) with a search
box that filters the list in the page itself; each article has a page with its text, images,
highlights and where it came from; the package's other files are linked from the index.

Everything is in the folder: the stylesheet, the search script, the images, provenance.json. No
page refers to anything outside it, so the site works opened from the disk and shows nothing
that a third party could log. The folder is written under a temporary name and renamed whole.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ... import __version__
from ...book.collection import build_time, clean_language, collection_title, main_language
from ...book.grouping import sections
from ...images.collect import collect_images
from ...model import Article
from ...package.provenance import collection_json
from ...urls import link_href
from ..base import ExportOptions, Report
from ..styles import builtin_style, stylesheet
from ..xhtml import ImageHref, article_section, count_line, human_time, machine_time, plain_html, span_line
from .names import index_name, page_name


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    images, warnings = collect_images(articles)
    # mkdir, not mkdtemp: the folder gets the umask's permissions, as every other output does
    # (mkdtemp's 0700 is one a web server running as another user cannot serve)
    building = dest.parent / f".{dest.name}-{os.getpid()}-{secrets.token_hex(6)}"
    building.mkdir()
    try:
        (building / "articles").mkdir()
        (building / "images").mkdir()
        for image in images.values():
            (building / image.href).write_bytes(image.data)
        write_static(building, options)
        (building / "provenance.json").write_bytes(collection_json(articles))
        names = page_names(articles)
        for article, name in zip(articles, names, strict=True):
            page = article_page(article, lambda ref: f"../{images[ref].href}" if ref in images else None)
            (building / "articles" / name).write_text(page, encoding="utf-8")
        index = index_page(articles, names, options)
        (building / "index.html").write_text(index, encoding="utf-8")
        os.replace(building, dest)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Report(tuple(warnings))


def page_names(articles: Sequence[Article]) -> list[str]:
    return [page_name(n, a.title) for n, a in enumerate(articles, 1)]


def write_pages(articles: Sequence[tuple[int, Article]], folder: Path, present: Path) -> list[str]:
    """Pages of these (number, article) into `folder`, with their images, except those already
    in the site `present`; the warnings of images left out."""
    images, warnings = collect_images([article for _, article in articles])
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    for image in images.values():
        if not (present / image.href).is_file():
            (folder / image.href).write_bytes(image.data)
    for number, article in articles:
        page = article_page(article, lambda ref: f"../{images[ref].href}" if ref in images else None)
        (folder / "articles" / page_name(number, article.title)).write_text(page, encoding="utf-8")
    return warnings


def write_static(folder: Path, options: ExportOptions) -> None:
    """The site's stylesheet and script."""
    (folder / "style.css").write_text(stylesheet("site.css", options.style), encoding="utf-8")
    (folder / "search.js").write_bytes(builtin_style("site.js"))


def index_page(articles: Sequence[Article], names: Sequence[str], options: ExportOptions) -> str:
    title = options.title or collection_title(articles)
    facts = " · ".join(filter(None, [count_line(articles), span_line(articles)]))
    return listing_page(articles, [f"articles/{n}" for n in names], options, title, facts, 1, 1)


def listing_page(
    articles: Sequence[Article],
    hrefs: Sequence[str],
    options: ExportOptions,
    title: str,
    facts: str,
    page: int,
    pages: int,
    searchable: bool = False,
) -> str:
    """One page of the index: its articles, and links to the other pages. Of a package's site,
    every page's filter searches every article (listing.js), and a link leads to the search of
    their full text (search.html)."""
    html, body = _page(title, main_language(articles), "style.css")
    header = etree.SubElement(body, "header", {"class": "site-header"})
    etree.SubElement(header, "h1").text = title
    etree.SubElement(header, "p").text = facts
    files = [*options.alongside, "manifest.json"]  # beside the site folder, in the package
    line = etree.SubElement(header, "p", {"class": "downloads"})
    line.text = "Files: "
    for number, name in enumerate(files):
        link = etree.SubElement(line, "a", href=f"../{name}")
        link.text = name
        link.tail = " · " if number < len(files) - 1 else ""
    search = etree.SubElement(body, "p", {"class": "search"})
    etree.SubElement(
        search,
        "input",
        {
            "type": "search",
            "id": "search",
            "placeholder": "Filter by title, outlet, author, tag, date…",
            "aria-label": "Filter the articles",
            "hidden": "hidden",  # shown by search.js: without scripts, there is nothing to type into
            **({"data-listing": "listing.js"} if pages > 1 else {}),
        },
    )
    etree.SubElement(search, "span", {"id": "shown", "aria-live": "polite"})
    if searchable:
        search.append(etree.Element("a", {"class": "fulltext", "href": "search.html"}))
        search[-1].text = "Search the full text"
    if pages > 1:
        _pager(body, page, pages)
    href_of = {id(a): href for a, href in zip(articles, hrefs, strict=True)}
    main = etree.SubElement(body, "main")
    for section in sections(articles, options.group_by, options.date_of):
        group = etree.SubElement(main, "section", {"class": "group"})
        if section.title is not None:
            etree.SubElement(group, "h2").text = section.title
        listing = etree.SubElement(group, "ol", {"class": "articles"})
        for article in section.articles:
            _entry(listing, article, href_of[id(article)])
    if pages > 1:
        etree.SubElement(body, "ol", {"class": "articles", "id": "found", "hidden": "hidden"})
        _pager(body, page, pages)
    made = etree.SubElement(body, "footer")
    made.text = f"Archived with archiver {__version__}, {build_time(articles).date().isoformat()}"
    etree.SubElement(body, "script", src="search.js").text = ""
    return _serialize(html)


def search_page(title: str, language: str) -> str:
    """The page that searches the articles' full text (fulltext.js, and the shards of search/)."""
    html, body = _page(f"Search: {title}", language, "style.css")
    header = etree.SubElement(body, "header", {"class": "site-header"})
    etree.SubElement(header, "h1").text = title
    nav = etree.SubElement(header, "p", {"class": "site-nav"})
    etree.SubElement(nav, "a", href="index.html").text = "← All articles"
    box = etree.SubElement(body, "p", {"class": "search"})
    etree.SubElement(
        box,
        "input",
        {
            "type": "search",
            "id": "q",
            "placeholder": 'Words of the articles: "a phrase", -left out, this OR that',
            "aria-label": "Search the full text of the articles",
            "hidden": "hidden",  # shown by fulltext.js
        },
    )
    etree.SubElement(box, "span", {"id": "said", "aria-live": "polite"})
    noscript = etree.SubElement(body, "noscript")
    noscript.text = "The search runs in the page: it needs scripts."
    etree.SubElement(etree.SubElement(body, "main"), "ol", {"class": "articles", "id": "hits"})
    etree.SubElement(body, "script", src="fulltext.js").text = ""
    return _serialize(html)


def _pager(body: etree._Element, page: int, pages: int) -> None:
    nav = etree.SubElement(body, "nav", {"class": "pager", "aria-label": "Pages of the index"})
    nav.text = "Pages: "
    for number in range(1, pages + 1):
        if number == page:
            etree.SubElement(nav, "strong").text = str(number)
        else:
            etree.SubElement(nav, "a", href=index_name(number)).text = str(number)
        nav[-1].tail = " "


def listing_entry(article: Article, href: str) -> dict[str, object]:
    """What listing.js holds of an article: what the filter searches and what it shows."""
    facts, searched = _facts(article)
    return {
        "t": article.title or "Untitled",
        "h": href,
        "f": " · ".join(facts),
        "g": list(article.tags),
        "s": searched,
    }


def _facts(article: Article) -> tuple[list[str], str]:
    """The facts an index entry shows, and the text its filter searches, folded."""
    facts = [article.outlet or "", ", ".join(article.authors)]
    facts.append(f"published {human_time(article.published)}" if article.published else "")
    facts.append(f"saved {human_time(article.source.saved)}" if article.source.saved else "")
    facts += [article.status or "", "starred" if article.starred else ""]
    facts.append("saved link" if article.content == "link" else "")
    facts = [fact for fact in facts if fact]
    searched = [article.title or "", *facts, *article.tags, article.folder or "", article.description or ""]
    searched += [h.quote for h in article.highlights]
    return facts, " ".join(searched).casefold()


def _entry(listing: etree._Element, article: Article, href: str) -> None:
    facts, searched = _facts(article)
    item = etree.SubElement(listing, "li", {"class": "entry", "data-search": searched})
    etree.SubElement(item, "a", {"class": "title", "href": href}).text = article.title or "Untitled"
    etree.SubElement(item, "p", {"class": "facts"}).text = " · ".join(facts)
    if article.tags:
        tags = etree.SubElement(item, "p", {"class": "tags"})
        for tag in article.tags:
            etree.SubElement(tags, "span", {"class": "tag"}).text = tag
    if article.highlights:
        count = len(article.highlights)
        etree.SubElement(item, "p", {"class": "facts"}).text = f"{count} highlight{'s' * (count != 1)}"


def article_page(article: Article, image_href: ImageHref) -> str:
    language = clean_language(article.language) or "und"
    html, body = _page(article.title or "Untitled", language, "../style.css")
    nav = etree.SubElement(body, "nav", {"class": "site-nav"})
    etree.SubElement(nav, "a", href="../index.html").text = "← All articles"
    main = etree.SubElement(body, "main")
    main.append(plain_html(article_section(article, image_href, "article")))
    main.append(_provenance(article))
    return _serialize(html)


def _provenance(article: Article) -> etree._Element:
    """Where the article came from, as a researcher cites it: the input, its checksum, and where
    each piece of metadata was found."""
    box = etree.Element("aside", {"class": "provenance-block"})
    etree.SubElement(box, "h2").text = "Provenance"
    facts = etree.SubElement(box, "dl")
    source = article.source
    rows: list[tuple[str, str | etree._Element]] = []
    if article.url:
        href = link_href(article.url)
        link = etree.Element("a", href=href) if href else etree.Element("span")
        link.text = article.url
        rows.append(("Address", link))
    rows.append(("Input", f"{source.path} ({source.kind})"))
    if source.locator:
        rows.append(("Within it", source.locator))
    rows.append(("Input's SHA-256", source.sha256))
    rows.append(("Input's size", f"{source.size:,} bytes"))
    if source.saved:
        saved = etree.Element("time", datetime=machine_time(source.saved))
        saved.text = human_time(source.saved)
        rows.append(("Saved", saved))
    for other in article.also_from:
        rows.append(("Also saved in", f"{other.path} ({other.kind})"))
    if article.capture is not None and article.capture.final is not None:
        final = article.capture.final
        rows.append(("Captured", f"{final.url}: HTTP {final.status}, {machine_time(final.at)}"))
    for field, origin in sorted(source.origins.items()):
        rows.append((f"{field.capitalize()} from", origin))
    for term, value in rows:
        etree.SubElement(facts, "dt").text = term
        described = etree.SubElement(facts, "dd")
        if isinstance(value, str):
            described.text = value
        else:
            described.append(value)
    return box


def _page(title: str, language: str, style: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element("html", lang=language)
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    # Nothing but the folder's own files, whatever a saved page's markup asks for.
    etree.SubElement(
        head,
        "meta",
        {
            "http-equiv": "Content-Security-Policy",
            "content": "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        },
    )
    etree.SubElement(head, "meta", name="generator", content=f"archiver {__version__}")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "link", rel="stylesheet", href=style)
    return html, etree.SubElement(html, "body")


def _serialize(html: etree._Element) -> str:
    return "<!DOCTYPE html>\n" + str(etree.tostring(html, encoding="unicode", method="html")) + "\n"
