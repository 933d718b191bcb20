"""Binding separately rendered PDFs into one: front matter first (it carries the PDF/A catalog,
metadata and attachment), then each article's pages, page numbers drawn over every page, links
and bookmarks pointed at their pages in the whole book.

Pages are copied, not rendered again, which is what makes a per-article cache worth having: an
unchanged article costs a page copy, not a layout. The book is written as it is bound, one part
open at a time (pdf_stream.py), so its memory does not grow with the number of articles: what
stays is each object's offset and the outline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from io import BytesIO
from itertools import accumulate
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, Pdf

from .stream import ObjectCopier, PdfStreamWriter

ARTICLE_LINK = "archiver-article:"  # the contents page links to "archiver-article:N" (N from 0)
PLACE_LINK = "archiver-place:"  # a link to "archiver-place:N:name" goes to part N's named place
PLACE_MARKER = "-hl-"  # the names kept as places: highlights' (xhtml.highlight_id)
PAGES_PER_NODE = 256  # kids of each node of the page tree, well under readers' array limits


@dataclass
class OutlineItem:
    entries: bytes  # /Title and /Dest (or /A) and the like, in the book's numbering
    open: bool
    children: list[OutlineItem] = field(default_factory=list)

    def visible(self) -> int:
        """Descendants shown when this item is open (the /Count of an outline item)."""
        return len(self.children) + sum(child.visible() for child in self.children if child.open)


def assemble(
    front: bytes,
    parts: Sequence[Path],
    part_pages: Sequence[int],
    numbers: Sequence[Path],
    dest: Path,
    sections: Sequence[tuple[str, int]] = (),
) -> None:
    """Write the book to `dest` (a temporary path the caller renames into place). Each part's
    bookmarks (its title, headings nested below) and internal links come along with its pages.
    `sections` (title, how many parts) nest the first parts' bookmarks under one for the section."""
    with Pdf.open(BytesIO(front)) as front_pdf, dest.open("wb") as out:
        book = PdfStreamWriter(out, front_pdf.pdf_version)
        with closing(_number_forms(book, numbers)) as forms:
            counts = [len(front_pdf.pages), *part_pages]
            starts, total = list(accumulate(counts, initial=0))[:-1], sum(counts)
            pages_root, outline_root = book.allocate(), book.allocate()
            nodes = book.allocate(math.ceil(total / PAGES_PER_NODE))
            first_page = book.allocate(total)
            binder = _Binder(book, nodes, first_page, forms, starts[1:])
            outline, copier = binder.bind(front_pdf, 0)
            catalog = _copy_catalog(copier, front_pdf, pages_root, outline_root)
            info = _copy_info(copier, front_pdf)
            outlines = []
            for number, (part, start, count) in enumerate(zip(parts, starts[1:], part_pages, strict=True)):
                with Pdf.open(part) as source:
                    if len(source.pages) != count:
                        raise ValueError(f"{part.name} has {len(source.pages)} pages, not {count}")
                    outlines.append(binder.bind(source, start, number)[0])
            outline += _in_sections(outlines, sections, [first_page + s for s in starts[1:]])
            _write_page_tree(book, pages_root, nodes, first_page, total)
            _write_outline(book, outline_root, outline)
            book.finish(catalog, info)


class _Binder:
    def __init__(
        self,
        book: PdfStreamWriter,
        nodes: int,
        first_page: int,
        forms: Iterator[tuple[int, pikepdf.Object]],
        part_starts: Sequence[int],
    ) -> None:
        self.book, self.nodes, self.first_page, self.forms = book, nodes, first_page, forms
        self.part_starts = part_starts
        # "part:name" -> (book page number, the rest of its destination): the highlights' places,
        # for links from a later part (PLACE_LINK) to a place in an earlier one
        self.places: dict[str, tuple[int, list[object]]] = {}

    def bind(
        self, source: Pdf, start: int, part: int | None = None
    ) -> tuple[list[OutlineItem], ObjectCopier]:
        """Copy the source's pages as book pages start, start+1, ...: its outline, and the copier
        that knows where its objects went. `part`: its number among the parts (None: the front)."""
        fixed = {page.obj.objgen: self.first_page + start + n for n, page in enumerate(source.pages)}
        placeholders: dict[int, pikepdf.Object] = {}  # book number -> a source object standing for it

        def stand_in(number: int) -> pikepdf.Object:
            if number not in placeholders:
                placeholders[number] = source.make_indirect(Dictionary())
                fixed[placeholders[number].objgen] = number
            return placeholders[number]

        names = _named_destinations(source)
        pages = list(source.pages)
        if part is not None:
            self._keep_places(part, start, pages, names)

        def target(uri: str) -> Array | None:
            if uri.startswith(ARTICLE_LINK) and uri[len(ARTICLE_LINK) :].isdigit():
                number = int(uri[len(ARTICLE_LINK) :])
                if number < len(self.part_starts):
                    return Array([stand_in(self.first_page + self.part_starts[number]), Name.Fit])
            elif uri.startswith(PLACE_LINK) and uri[len(PLACE_LINK) :] in self.places:
                page_number, rest = self.places[uri[len(PLACE_LINK) :]]
                return Array([stand_in(page_number), *rest])
            return None

        for index, page in enumerate(pages):
            for annotation in page.obj.get("/Annots", Array()):
                _make_destination_explicit(annotation, names)
                _point_within_book(annotation, target)
            form_number, form = next(self.forms)
            if start + index > 0:  # the first page is the cover, and shows no number
                _draw_over(page, form, stand_in(form_number), Name(f"/ArchiverPageNumber{start + index + 1}"))
        copier = ObjectCopier(self.book, source, fixed)
        outlines = source.Root.get("/Outlines")
        outline = _outline(
            copier, outlines.get("/First") if isinstance(outlines, Dictionary) else None, names
        )
        for index, page in enumerate(pages):
            del page.obj["/Parent"]  # what it inherited from its tree, qpdf moved onto it when reading
            node = self.nodes + (start + index) // PAGES_PER_NODE
            copier.copy(page.obj, self.first_page + start + index, b" /Parent %d 0 R" % node)
        return outline, copier

    def _keep_places(
        self, part: int, start: int, pages: Sequence[pikepdf.Page], names: dict[str, pikepdf.Object]
    ) -> None:
        numbers = {page.obj.objgen: self.first_page + start + n for n, page in enumerate(pages)}
        for name in names:
            if PLACE_MARKER in name:
                explicit = _explicit(pikepdf.String(name), names)
                if explicit is not None and len(explicit) and explicit[0].objgen in numbers:
                    self.places[f"{part}:{name}"] = (numbers[explicit[0].objgen], list(explicit[1:]))


def _number_forms(
    book: PdfStreamWriter, runs: Sequence[Path]
) -> Generator[tuple[int, pikepdf.Object], None, None]:
    """Each page number, in page order, as a form XObject copied into the book once: its number
    there, and the form (for its placement) in the run, which stays open until its pages are used."""
    for run in runs:
        with Pdf.open(run) as source:
            copier = ObjectCopier(book, source)  # one per run: the run's font is copied once
            for page in source.pages:
                form = page.as_form_xobject()
                yield copier.copy(form), form


def _draw_over(page: pikepdf.Page, form: pikepdf.Object, stand_in: pikepdf.Object, name: Name) -> None:
    """Page.add_overlay with a name of our choosing (it picks a random one, and the same book must
    give the same bytes), and with a stand-in for the form, which is already in the book."""
    page.add_resource(stand_in, Name.XObject, name=name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox)))


def _named_destinations(source: Pdf) -> dict[str, pikepdf.Object]:
    tree = source.Root.get("/Names", Dictionary()).get("/Dests")
    return {} if tree is None else dict(NameTree(tree).items())


def _explicit(target: pikepdf.Object | None, names: dict[str, pikepdf.Object]) -> pikepdf.Object | None:
    """A destination as [page /XYZ ...]: a part's names would clash with the next part's."""
    if isinstance(target, Array):
        return target
    if isinstance(target, pikepdf.String | Name):
        found = names.get(str(target).removeprefix("/") if isinstance(target, Name) else str(target))
        if isinstance(found, Dictionary):
            found = found.get("/D")
        return found if isinstance(found, Array) else None
    return None


def _point_within_book(annotation: pikepdf.Object, target: Callable[[str], Array | None]) -> None:
    """A link to ARTICLE_LINK or PLACE_LINK as a link to that page of the book."""
    uri = str(annotation.get("/A", Dictionary()).get("/URI", ""))
    if uri.startswith((ARTICLE_LINK, PLACE_LINK)):
        destination = target(uri)
        if destination is not None:
            del annotation["/A"]
            annotation.Dest = destination


def _outline(
    copier: ObjectCopier, first: pikepdf.Object | None, names: dict[str, pikepdf.Object]
) -> list[OutlineItem]:
    """Outline items from `first` on, with those below them, their destinations made explicit and
    their entries unparsed in the book's numbering."""
    items: list[OutlineItem] = []
    seen: set[tuple[int, int]] = set()
    item = first
    while isinstance(item, Dictionary) and item.objgen not in seen:
        seen.add(item.objgen)
        _make_destination_explicit(item, names)
        entries = b"".join(
            Name(key).unparse() + b" " + copier.unparse(item[key])
            for key in ("/Title", "/Dest", "/A", "/C", "/F")
            if key in item
        )
        items.append(
            OutlineItem(entries, int(item.get("/Count", 0)) > 0, _outline(copier, item.get("/First"), names))
        )
        item = item.get("/Next")
    return items


def _in_sections(
    outlines: Sequence[list[OutlineItem]], sections: Sequence[tuple[str, int]], first_pages: Sequence[int]
) -> list[OutlineItem]:
    """The parts' bookmarks, those of each section under one bookmark for it (open, so that its
    articles show), pointed at its first part's first page; parts after the sections stay on top."""
    items: list[OutlineItem] = []
    done = 0
    for title, count in sections:
        children = [item for outline in outlines[done : done + count] for item in outline]
        entries = b"/Title " + pikepdf.String(title).unparse() + b" /Dest [ %d 0 R /Fit ]" % first_pages[done]
        items.append(OutlineItem(entries, True, children))
        done += count
    return items + [item for outline in outlines[done:] for item in outline]


def _make_destination_explicit(holder: pikepdf.Object, names: dict[str, pikepdf.Object]) -> None:
    """A link's or bookmark's destination (a /Dest, or a GoTo action's /D) as an explicit /Dest.
    One that leads nowhere in its part is dropped: a dead link, not a wrong one."""
    action = holder.get("/A")
    if isinstance(action, Dictionary) and action.get("/S") == Name.GoTo:
        target = action.get("/D")
        del holder["/A"]
    elif "/Dest" in holder:
        target = holder.Dest
    else:
        return  # a link to the web, or no destination at all
    explicit = _explicit(target, names)
    if explicit is not None:
        holder.Dest = explicit
    elif "/Dest" in holder:
        del holder["/Dest"]


def _copy_catalog(copier: ObjectCopier, front: Pdf, pages_root: int, outline_root: int) -> int:
    """The front matter's catalog (PDF/A output intent, metadata, attachment) for the book."""
    root = front.Root
    for key in ("/Pages", "/Outlines", "/Dests"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        if "/Dests" in names:
            del names["/Dests"]
        if not names.keys():
            del root["/Names"]
    return copier.copy(root, extra=b" /Pages %d 0 R /Outlines %d 0 R" % (pages_root, outline_root))


def _copy_info(copier: ObjectCopier, front: Pdf) -> int | None:
    info = front.trailer.get("/Info")
    if not isinstance(info, Dictionary):
        return None
    return copier.copy(info if info.is_indirect else front.make_indirect(info))


def _write_page_tree(book: PdfStreamWriter, root: int, nodes: int, first_page: int, total: int) -> None:
    count = math.ceil(total / PAGES_PER_NODE)
    for node in range(count):
        pages = range(
            first_page + node * PAGES_PER_NODE, first_page + min(total, (node + 1) * PAGES_PER_NODE)
        )
        kids = b" ".join(b"%d 0 R" % page for page in pages)
        book.write(
            nodes + node,
            b"<< /Type /Pages /Parent %d 0 R /Count %d /Kids [ %s ] >>" % (root, len(pages), kids),
        )
    kids = b" ".join(b"%d 0 R" % (nodes + node) for node in range(count))
    book.write(root, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (total, kids))


def _write_outline(book: PdfStreamWriter, root: int, items: Sequence[OutlineItem]) -> None:
    visible = len(items) + sum(item.visible() for item in items if item.open)
    if not items:
        book.write(root, b"<< /Type /Outlines /Count 0 >>")
        return
    first, last = _write_siblings(book, root, items)
    book.write(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, visible))


def _write_siblings(book: PdfStreamWriter, parent: int, items: Sequence[OutlineItem]) -> tuple[int, int]:
    first = book.allocate(len(items))
    for index, item in enumerate(items):
        links = b" /Parent %d 0 R" % parent
        if index > 0:
            links += b" /Prev %d 0 R" % (first + index - 1)
        if index < len(items) - 1:
            links += b" /Next %d 0 R" % (first + index + 1)
        if item.children:
            child_first, child_last = _write_siblings(book, first + index, item.children)
            count = item.visible() if item.open else -item.visible()
            links += b" /First %d 0 R /Last %d 0 R /Count %d" % (child_first, child_last, count)
        book.write(first + index, b"<< " + item.entries + links + b" >>")
    return first, first + len(items) - 1
