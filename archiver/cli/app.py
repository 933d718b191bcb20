"""The command line: thin commands over the library (api.py), printing only. The library and rich
load when a command runs: --help needs neither. No `from __future__ import annotations` here:
typer would evaluate every option's annotation as a string when it builds the command."""

import os
import re
import signal
import sys
from collections.abc import Generator
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..api import ExportSettings
from ..book.collection import Order
from ..book.grouping import GroupBy
from ..book.selection import DateOf, Selection
from ..capture.mode import CaptureMode, choose
from ..errors import ArchiverError, UsageError, unexpected
from ..exporters import BY_NAME
from ..exporters.base import PageSize
from ..model import ReadingStatus
from ..runtime import interrupts

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.table import Table

    from ..api import Captured, Event, Finished
    from ..exporters.base import Written
    from ..model import Article, Failure

app = typer.Typer(
    help="Turn saved articles (web pages, Reader View pages, mail, mbox, MHTML) into archival packages.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich's help formatting alone takes longer to load than archiver
    pretty_exceptions_enable=False,  # run() reports bugs in one line; a traceback could show someone's mail
    add_completion=False,
)


# Every export setting is declared once, in api.ExportSettings: its default and its help come from there.
DEFAULT = ExportSettings()
_DECLARED = {setting.name: setting for setting in fields(ExportSettings)}


def about(name: str) -> str:
    return str(_DECLARED[name].metadata["help"])


ReadMemory = Annotated[int, typer.Option(min=0, help=about("read_memory"))]
ReadSeconds = Annotated[float, typer.Option(min=0, help=about("read_seconds"))]
CaptureOption = Annotated[CaptureMode, typer.Option(help=about("capture"))]


@app.callback()
def main() -> None:
    """archiver: saved articles in, archival packages with provenance out."""


class InterruptReported(SystemExit):
    """An interrupted command that has said so itself, and what state it left."""


def run() -> None:
    """The console entry point: a bug prints one line, never a traceback with someone's mail in it
    (ARCHIVER_DEBUG=1 shows the traceback); Ctrl-C always ends with one line saying so."""
    try:
        app()
    except KeyboardInterrupt:
        interrupts.exit_interrupted()
    except InterruptReported:
        raise
    except SystemExit as exc:  # typer turns a Ctrl-C while it parses the arguments into a silent exit 130
        if exc.code == interrupts.EXIT_STATUS:
            interrupts.exit_interrupted()
        raise
    except Exception as exc:
        if os.environ.get("ARCHIVER_DEBUG"):
            raise
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]error[/]: {escape(unexpected(exc))} (ARCHIVER_DEBUG=1 shows where)"
        )
        sys.exit(3)


@app.command()
def inspect(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files or folders of saved articles, or web addresses (captured with --fetch)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article per line.")] = False,
    with_text: Annotated[
        bool, typer.Option("--text", help="With --json, each article's body as plain text too.")
    ] = False,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download remote images (off by default).")] = False,
    fetch_private: Annotated[
        bool, typer.Option("--fetch-private", help=about("fetch_private"))
    ] = DEFAULT.fetch_private,
    capture: CaptureOption = DEFAULT.capture,
    read_memory: ReadMemory = DEFAULT.read_memory,
    read_seconds: ReadSeconds = DEFAULT.read_seconds,
) -> None:
    """Read saved articles and show what archiver finds in each: metadata, images, warnings."""
    from rich.console import Console
    from rich.markup import escape

    from .. import api
    from ..model import Failure
    from .report import article_row, json_line

    out = Console(soft_wrap=True, highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per problem, however long
    if fetch or fetch_private:  # said before anything is read, as export says it
        try:
            _, note = choose(capture)
        except ArchiverError as exc:
            err.print(f"[bold red]error[/]: {escape(str(exc))}")
            raise typer.Exit(code=2) from None
        if note:
            err.print(f"[cyan]note[/]: {escape(note)}")
    failed = 0
    counts: dict[str, int] = {}
    table, warnings = _table(), []
    reading = api.read(
        inputs,
        fetch=fetch,
        fetch_private=fetch_private,
        capture=capture,
        read_memory=read_memory,
        read_seconds=read_seconds,
    )
    for item in reading:
        if isinstance(item, Failure):
            failed += 1
            _report_failure(err, item)
            continue
        shown = item.source.path
        index = counts.get(shown, 0)
        counts[shown] = index + 1
        if as_json:
            print(json_line(article_row(item, shown, index, text=with_text)), flush=True)
        else:
            _add_row(table, sum(counts.values()), item)
            warnings += [f"{sum(counts.values())}: {w}" for w in item.warnings]
    if not as_json:
        out.print(table)
        for warning in warnings:
            out.print(f"[yellow]warning[/] {escape(warning)}")
        total = sum(counts.values())
        out.print(
            f"{total} article{'s' * (total != 1)}"
            + (f", {failed} input problem{'s' * (failed != 1)}" if failed else "")
        )
    if failed:
        raise typer.Exit(code=1)


# The selection's options: export picks a book's articles by them, search its hits (Selection)
Tags = Annotated[
    list[str] | None, typer.Option("--tag", help="Select: articles with this tag (repeatable: any of them).")
]
Folders = Annotated[
    list[str] | None, typer.Option("--folder", help="Select: articles in this folder or below (repeatable).")
]
Status = Annotated[ReadingStatus | None, typer.Option(help="Select: unread or archived articles.")]
Starred = Annotated[
    bool | None, typer.Option("--starred/--not-starred", help="Select: starred articles, or the others.")
]
Since = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Select: dated on or after this day.")
]
Until = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Select: dated on or before this day.")
]
DateOfOption = Annotated[
    DateOf, typer.Option(help="Which date --since, --until and --group-by month|year go by.")
]
Outlets = Annotated[
    list[str] | None, typer.Option("--outlet", help="Select: articles from this outlet (repeatable).")
]


def _selection(
    tag: list[str] | None,
    folder: list[str] | None,
    status: ReadingStatus | None,
    starred: bool | None,
    since: datetime | None,
    until: datetime | None,
    date_of: DateOf,
    outlet: list[str] | None,
) -> Selection:
    return Selection(
        tags=tuple(tag or ()),
        folders=tuple(folder or ()),
        status=status,
        starred=starred,
        since=since.date() if since else None,
        until=until.date() if until else None,
        date_of=date_of,
        outlets=tuple(outlet or ()),
    )


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="The package folder (created, or added to).")],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders of saved articles, or web addresses (captured with --fetch). None: "
            "the outputs are made again from what the package holds (with a selection, say)."
        ),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", help=f"Output format, repeatable: {', '.join(BY_NAME)}. Default: all."),
    ] = None,
    title: Annotated[str | None, typer.Option(help=about("title"))] = DEFAULT.title,
    author: Annotated[str | None, typer.Option(help=about("author"))] = DEFAULT.author,
    style: Annotated[Path | None, typer.Option(help=about("style"))] = DEFAULT.style,
    per_article: Annotated[
        bool, typer.Option("--per-article", help=about("per_article"))
    ] = DEFAULT.per_article,
    order: Annotated[Order, typer.Option(help=about("order"))] = DEFAULT.order,
    fetch: Annotated[bool, typer.Option("--fetch", help=about("fetch"))] = DEFAULT.fetch,
    fetch_private: Annotated[
        bool, typer.Option("--fetch-private", help=about("fetch_private"))
    ] = DEFAULT.fetch_private,
    refetch: Annotated[bool, typer.Option("--refetch", help=about("refetch"))] = DEFAULT.refetch,
    fallback_archive: Annotated[
        str | None, typer.Option(help=about("fallback_archive"))
    ] = DEFAULT.fallback_archive,
    capture: CaptureOption = DEFAULT.capture,
    connections: Annotated[int, typer.Option(min=1, max=64, help=about("connections"))] = DEFAULT.connections,
    per_host: Annotated[int, typer.Option(min=1, max=16, help=about("per_host"))] = DEFAULT.per_host,
    page_size: Annotated[PageSize, typer.Option(help=about("page_size"))] = DEFAULT.page_size,
    pdf_variant: Annotated[
        str, typer.Option(help="PDF variant for WeasyPrint (pdf/a-3b, pdf/a-2b, pdf/ua-1, ...) or 'none'.")
    ] = "pdf/a-3b",
    pdf_max_pages: Annotated[int, typer.Option(min=0, help=about("pdf_max_pages"))] = DEFAULT.pdf_max_pages,
    tag: Tags = None,
    folder: Folders = None,
    status: Status = None,
    starred: Starred = None,
    since: Since = None,
    until: Until = None,
    date_of: DateOfOption = "published",
    outlet: Outlets = None,
    max_size: Annotated[
        str | None,
        typer.Option(
            help="EPUB: at most this size (50MB, 200MB, 1.5GB, 30MiB); a larger collection is shared "
            "out into volumes, 'volume 1 of 3'. Default: one book.",
        ),
    ] = None,
    group_by: Annotated[GroupBy, typer.Option(help=about("group_by"))] = DEFAULT.group_by,
    cover: Annotated[Path | None, typer.Option(help=about("cover"))] = DEFAULT.cover,
    image_max: Annotated[int, typer.Option(min=0, help=about("image_max"))] = DEFAULT.image_max,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=about("jobs"))] = DEFAULT.jobs,
    read_memory: ReadMemory = DEFAULT.read_memory,
    read_seconds: ReadSeconds = DEFAULT.read_seconds,
    cache: Annotated[bool, typer.Option(help=about("cache"))] = DEFAULT.cache,
    cluster: Annotated[
        str | None, typer.Option(envvar="ARCHIVER_CLUSTER", help=about("cluster"))
    ] = DEFAULT.cluster,
    store: Annotated[str | None, typer.Option(envvar="ARCHIVER_STORE", help=about("store"))] = DEFAULT.store,
    bag: Annotated[bool, typer.Option("--bag", help=about("bag"))] = DEFAULT.bag,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every warning of every article.")
    ] = False,
) -> None:
    """Turn saved articles into an archival package: EPUB, PDF, WARC, WACZ and manifest.json.

    Exporting again into the same OUT adds new articles to those already there."""
    from rich.console import Console
    from rich.markup import escape

    from .. import api

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    settings = api.ExportSettings(
        formats=formats,
        title=title,
        author=author,
        style=style,
        per_article=per_article,
        order=order,
        fetch=fetch,
        fetch_private=fetch_private,
        refetch=refetch,
        fallback_archive=fallback_archive,
        capture=capture,
        connections=connections,
        per_host=per_host,
        page_size=page_size,
        pdf_variant=None if pdf_variant == "none" else pdf_variant,
        pdf_max_pages=pdf_max_pages,
        image_max=image_max,
        cover=cover,
        group_by=group_by,
        max_size=_bytes_in(max_size) if max_size else 0,
        selection=_selection(tag, folder, status, starred, since, until, date_of, outlet),
        jobs=jobs,
        read_memory=read_memory,
        read_seconds=read_seconds,
        cache=cache,
        bag=bag,
        cluster=cluster,
        store=store,
    )
    try:
        events = api.export(inputs or [], out, settings)
    except UsageError as exc:
        for problem in exc.problems:
            err.print(f"[bold red]error[/]: {escape(problem)}")
        raise typer.Exit(code=2) from None
    try:
        failed = _show_export(events, err, quiet=quiet, verbose=verbose)
    except KeyboardInterrupt:
        events.close()  # reading and rendering stop, workers with them, before the package is settled
        state = "holds this export's outputs" if api.finish_interrupted(out) else "is as it was before"
        err.print(f"[bold red]interrupted[/]: {escape(str(out))} {state}")
        raise InterruptReported(interrupts.EXIT_STATUS) from None
    except ArchiverError as exc:
        err.print(f"[bold red]error[/]: {escape(str(exc))}")
        raise typer.Exit(code=1) from exc
    except OSError as exc:
        err.print(
            f"[bold red]error[/]: cannot write into {escape(str(out))}: "
            f"{escape(exc.strerror or str(exc))}; the package there is as it was"
        )
        raise typer.Exit(code=2) from exc
    if failed:
        raise typer.Exit(code=1)


def _show_export(
    events: "Generator[Event, None, None]", err: "Console", *, quiet: bool, verbose: bool
) -> int:
    """A progress bar while the export runs, one line per problem (and duplicate, and with
    --verbose warning), the summary at the end; returns how many inputs or outputs failed."""
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from ..api import Captured, Finished, Note, Unchanged, Writing
    from ..exporters.base import Written

    failed, finished = 0, None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        reading = progress.add_task("reading", total=None)
        writing: TaskID | None = None
        capturing: TaskID | None = None
        counts = {"captured": 0, "dead": 0, "kept": 0}
        for event in events:
            if isinstance(event, Captured):
                if capturing is None:
                    progress.update(reading, description="read", total=progress.tasks[0].completed)
                    capturing = progress.add_task("capturing", total=None)
                _show_captured(progress, capturing, event, counts, quiet)
            elif isinstance(event, Note):
                if not quiet:
                    progress.console.print(f"[cyan]note[/]: {escape(event.text)}")
            elif isinstance(event, Writing):
                progress.update(reading, description="read", total=progress.tasks[0].completed)
                writing = progress.add_task("writing", total=event.outputs)
            elif isinstance(event, Written) and writing is not None:
                failed += _show_written(progress, writing, event, verbose)
            elif isinstance(event, Finished):
                finished = event
            elif isinstance(event, Unchanged):
                if not quiet:
                    progress.console.print(f"{escape(str(event.reason))}")
            else:
                failed += _show_read(progress, reading, event, quiet=quiet, verbose=verbose)
    if finished is not None and not quiet:
        _summary(err, finished)
    return failed


def _show_read(progress: "Progress", reading: "TaskID", event: "Event", *, quiet: bool, verbose: bool) -> int:
    from rich.markup import escape

    from ..api import ArticleAdded, Duplicate, Problem
    from ..model import Failure

    console = progress.console
    if isinstance(event, Problem):
        progress.advance(reading)
        _report_failure(console, Failure(event.path, event.problem, event.locator))
        return 1
    if isinstance(event, Duplicate):
        if not event.whole_input:
            progress.advance(reading)
        if event.merged and verbose:
            console.print(
                f"[cyan]merged[/]: {escape(event.path)} has the same address as {escape(event.of)}: "
                "one article, with the tags and state of both"
            )
        elif not quiet and not event.merged:
            console.print(
                f"[yellow]duplicate[/]: {escape(event.path)} "
                + (
                    f"was read before, for {escape(event.of)}; skipped"
                    if event.whole_input
                    else f"is already in the package as {escape(event.of)}; skipped"
                )
            )
    elif isinstance(event, ArticleAdded):
        progress.advance(reading)
        source = event.article.source
        progress.update(reading, description=f"reading {escape(Path(source.path).name)[:40]}")
        if verbose:
            for warning in event.article.warnings:
                console.print(f"[yellow]warning[/]: {escape(source.path)}: {escape(warning)}")
    return 0


def _show_captured(
    progress: "Progress", capturing: "TaskID", event: "Captured", counts: dict[str, int], quiet: bool
) -> None:
    from rich.markup import escape

    counts["kept" if not event.fresh else "dead" if event.problem else "captured"] += 1
    progress.advance(capturing)
    progress.update(
        capturing,
        description=f"capturing: {counts['captured']} captured, {counts['dead']} failed, "
        f"{counts['kept']} from earlier runs",
    )
    if event.problem and event.fresh and not quiet:
        progress.console.print(
            f"[yellow]not captured[/]: {escape(event.url)}: {escape(event.problem)} (kept as a link)"
        )
    elif event.fresh and not quiet:
        for warning in event.warnings:  # the browser's: a page that crashed, hung or never settled
            progress.console.print(f"[yellow]warning[/]: {escape(event.url)}: {escape(warning)}")


def _show_written(progress: "Progress", writing: "TaskID", written: "Written", verbose: bool) -> int:
    from rich.markup import escape

    progress.advance(writing)
    progress.update(writing, description=f"wrote {escape(written.dest.name)[:40]}")
    if written.error:
        progress.console.print(f"[bold red]error[/]: {escape(written.dest.name)}: {escape(written.error)}")
        return 1
    for abridged in written.report.abridged:
        title = written.articles[abridged.index].title or "Untitled"
        progress.console.print(
            f"[yellow]abridged[/]: {escape(written.dest.name)}: {escape(title)}: {escape(abridged.note)}"
        )
    if verbose:
        for warning in written.warnings:
            progress.console.print(f"[yellow]warning[/]: {escape(written.dest.name)}: {escape(warning)}")
    return 0


def _summary(console: "Console", done: "Finished") -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    console.print(
        f"{done.articles} article{'s' * (done.articles != 1)} in {escape(str(done.out))}"
        + (f", {done.links} of them only an address (listed under Saved links)" if done.links else "")
        + f" ({done.warnings} warning{'s' * (done.warnings != 1)}"
        + (", see manifest.json; --verbose prints them" if done.warnings else "")
        + f"; {done.problems} input problem{'s' * (done.problems != 1)}"
        + f"; {done.duplicates} duplicate{'s' * (done.duplicates != 1)} skipped"
        + (
            f"; {done.merged} save{'s' * (done.merged != 1)} of the same address merged"
            if done.merged
            else ""
        )
        + (f"; {done.captured} captured live" if done.captured else "")
        + (f"; {done.dead} link{'s' * (done.dead != 1)} could not be captured" if done.dead else "")
        + (
            f"; {done.abridged} article{'s' * (done.abridged != 1)} printed in part, "
            "too long for the PDF's page bound"
            if done.abridged
            else ""
        )
        + ")"
    )
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("output")
    table.add_column("size", justify="right")
    for path in sorted(done.payload.iterdir()):
        if path.is_file():
            table.add_row(escape(str(path.relative_to(done.out))), _size(path.stat().st_size))
        elif path.is_dir() and path.name != ".archiver":  # the site, the WARC series: the folder's size
            inner = [p for p in path.rglob("*") if p.is_file()]
            opened = " (open index.html)" if (path / "index.html").is_file() else f" ({len(inner)} files)"
            label = f"{path.relative_to(done.out)}/{opened}"
            table.add_row(escape(label), _size(sum(p.stat().st_size for p in inner)))
    console.print(table)


_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def _bytes_in(size: str) -> int:
    """ "50MB" is 50,000,000 bytes, "30MiB" 31,457,280, "800k" 800,000, "1000" 1000."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?b?\s*", size.lower())
    if found is None or float(found[1]) <= 0:
        raise typer.BadParameter(
            f"{size!r} is not a size such as 50MB, 200MB or 30MiB", param_hint="--max-size"
        )
    return int(float(found[1]) * _UNITS[found[2] or ""])


def _size(octets: int) -> str:
    amount = float(octets)
    for unit in ("B", "kB", "MB", "GB"):
        if amount < 1000 or unit == "GB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1000
    return str(octets)


@app.command()
def verify(
    folder: Annotated[Path, typer.Argument(help="A package folder written by archiver export.")],
) -> None:
    """Check a package: every output's hash, the provenance inside each output against the
    manifest, and every input still where it was read. Exit status 0 only when all match."""
    from rich.console import Console
    from rich.markup import escape

    from .. import api

    out = Console(highlight=False, soft_wrap=True)
    bad = 0
    for check in api.verify(folder):
        bad += not check.ok
        mark = "[green]ok[/]  " if check.ok else "[bold red]FAIL[/]"
        out.print(f"{mark} {escape(check.subject)}: {escape(check.detail)}")
    out.print("everything matches" if not bad else f"{bad} problem{'s' * (bad != 1)}")
    if bad:
        raise typer.Exit(code=1)


@app.command()
def search(
    out: Annotated[Path, typer.Argument(help="A package folder written by archiver export.")],
    query: Annotated[
        list[str],
        typer.Argument(
            help='Words to find; "a phrase" in quotes, -word to leave out (after --), this OR that.'
        ),
    ],
    limit: Annotated[int, typer.Option(min=1, help="At most this many articles.")] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object per article found.")] = False,
    tag: Tags = None,
    folder: Folders = None,
    status: Status = None,
    starred: Starred = None,
    since: Since = None,
    until: Until = None,
    date_of: DateOfOption = "published",
    outlet: Outlets = None,
) -> None:
    """Find articles in a package by their words: best first, each with the words found in
    their context, and where the package holds it. Exit status 1 when nothing is found."""
    import json
    from dataclasses import asdict

    from rich.console import Console
    from rich.markup import escape

    from .. import api

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    selection = _selection(tag, folder, status, starred, since, until, date_of, outlet)
    try:
        found = api.search(out, " ".join(query), selection, limit)
    except ArchiverError as exc:
        err.print(f"[bold red]error[/]: {escape(str(exc))}")
        raise typer.Exit(code=2) from None
    if found.stale:
        err.print(
            f"[yellow]note[/]: the search index does not hold {found.stale} of the articles as they are now;"
            " an export into the package brings it up to date"
        )
    for typed, searched in found.corrected:
        err.print(
            f"[cyan]note[/]: no article has {escape(typed)!r}; searched for {escape(searched)!r} instead"
        )
    if json_out:
        for hit in found.hits:
            print(json.dumps(asdict(hit), ensure_ascii=False), flush=True)
    else:
        screen = Console(highlight=False, soft_wrap=True)
        for hit in found.hits:
            said = " · ".join(filter(None, [hit.outlet, (hit.published or "")[:10], ", ".join(hit.authors)]))
            screen.print(
                f"[bold]{hit.rank}. {escape(hit.title or 'Untitled')}[/]"
                + (f"  [dim]{escape(said)}[/]" if said else "")
            )
            screen.print("   " + _marked(hit.snippet, hit.marks))
            for place in hit.places:
                screen.print(f"   [dim]{escape(place)}[/]")
    if not found.hits:
        err.print("nothing found")
        raise typer.Exit(code=1)


def _marked(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    """A snippet as Rich markup: its text escaped, the words found in bold."""
    from rich.markup import escape

    shown, end = [], 0
    for start, stop in marks:
        shown += [escape(text[end:start]), f"[bold yellow]{escape(text[start:stop])}[/]"]
        end = stop
    return "".join(shown) + escape(text[end:])


@app.command("cluster-local")
def cluster_local(
    workers: Annotated[int, typer.Option(min=1, help="Worker processes, one thread each.")] = 2,
    port: Annotated[int, typer.Option(min=0, help="The scheduler's port (0: any free one).")] = 8786,
) -> None:
    """Start a Dask cluster on this machine for trying --cluster: prints its address, runs until
    Ctrl-C. (On several machines: `dask scheduler`, then `dask worker ADDRESS` on each.)"""
    try:
        import distributed
    except ImportError:
        typer.echo("cluster-local needs Dask distributed: pip install 'archiver[cluster]'", err=True)
        raise typer.Exit(code=2) from None
    # The workers start with Ctrl-C ignored (kept across their exec), so that one Ctrl-C in the
    # terminal stops the cluster here, in order, and no worker prints a traceback.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        start: Any = distributed.LocalCluster  # distributed is only partly typed
        local = start(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            scheduler_port=port,
            dashboard_address=None,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    with local:
        typer.echo(f"export with: archiver export ... --cluster {local.scheduler_address}  (Ctrl-C stops it)")
        signal.pause()  # Ctrl-C ends it: the cluster closes on the way out, and the command says so


def _report_failure(err: "Console", failure: "Failure") -> None:
    from rich.markup import escape

    where = f" ({failure.locator})" if failure.locator and failure.locator not in failure.problem else ""
    err.print(f"[bold red]error[/]: {escape(failure.path)}{escape(where)}: {escape(failure.problem)}")


def _table() -> "Table":
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("article", ratio=3, overflow="fold")
    table.add_column("published", no_wrap=True)
    table.add_column("input", ratio=2, overflow="fold", style="dim")
    table.add_column("images", justify="right", no_wrap=True)
    return table


def _add_row(table: "Table", number: int, article: "Article") -> None:
    """Title with outlet and authors under it; the input's file name (the path is in --json)."""
    from rich.markup import escape

    byline = " · ".join(dict.fromkeys(x for x in (article.outlet, ", ".join(article.authors)) if x))
    cell = f"[bold]{escape(article.title or '(no title)')}[/]" + (
        f"\n[dim]{escape(byline)}[/]" if byline else ""
    )
    index = article.source.recorded_indexes[0]
    where = Path(article.source.path).name + (f" #{index}" if index is not None else "")
    published = article.published.isoformat()[:10] if article.published else "—"
    images = f"{len(article.embedded)}/{len(article.resources)}" if article.resources else "—"
    table.add_row(str(number), cell, published, escape(where), images)
