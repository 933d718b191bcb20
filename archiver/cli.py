"""The command line: thin commands over the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from . import interrupts
from .collection import ORDERS
from .commit import finish
from .errors import ArchiverError, unexpected
from .export import Written
from .exporters import BY_NAME, ExportOptions
from .fetch import HttpFetcher
from .model import Article, Failure
from .package import Package
from .readers import ReadOptions, input_files, read_files, read_inputs
from .report import article_row, json_line
from .user_style import read_style
from .verify import verify as verify_package

app = typer.Typer(
    help="Turn saved articles (web pages, Reader View pages, mail, mbox, MHTML) into archival packages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # run() reports bugs in one line; a traceback could show someone's mail
    add_completion=False,
)


FETCH_PRIVATE_HELP = "With --fetch, also fetch from loopback, private and link-local addresses (refused by default)."


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
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]error[/]: {escape(unexpected(exc))} (ARCHIVER_DEBUG=1 shows where)")
        sys.exit(3)


def _fetcher(fetch: bool, fetch_private: bool) -> HttpFetcher | None:
    return HttpFetcher(allow_private=fetch_private) if fetch or fetch_private else None


@app.command()
def inspect(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders of saved articles.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article per line.")] = False,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download remote images (off by default).")] = False,
    fetch_private: Annotated[bool, typer.Option("--fetch-private", help=FETCH_PRIVATE_HELP)] = False,
) -> None:
    """Read saved articles and show what archiver finds in each: metadata, images, warnings."""
    out = Console(soft_wrap=True, highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per problem, however long
    options = ReadOptions(fetcher=_fetcher(fetch, fetch_private))
    failed = 0
    counts: dict[str, int] = {}
    table, warnings = _table(), []
    for item in read_inputs(inputs, options):
        if isinstance(item, Failure):
            failed += 1
            _report_failure(err, item)
            continue
        shown = item.source.path
        index = counts.get(shown, 0)
        counts[shown] = index + 1
        if as_json:
            print(json_line(article_row(item, shown, index)), flush=True)
        else:
            _add_row(table, sum(counts.values()), item)
            warnings += [f"{sum(counts.values())}: {w}" for w in item.warnings]
    if not as_json:
        out.print(table)
        for warning in warnings:
            out.print(f"[yellow]warning[/] {escape(warning)}")
        total = sum(counts.values())
        out.print(f"{total} article{'s' * (total != 1)}" + (f", {failed} input problem{'s' * (failed != 1)}"
                                                             if failed else ""))
    if failed:
        raise typer.Exit(code=1)


@app.command()
def export(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders of saved articles.")],
    out: Annotated[Path, typer.Option("--out", help="The package folder (created, or added to).")],
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help=f"Output format, repeatable: {', '.join(BY_NAME)}. Default: all.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the collection.")] = None,
    author: Annotated[str | None, typer.Option(help="Who compiled the collection (also the bag's organization).")] = None,
    style: Annotated[Path | None, typer.Option(help="A CSS file to use instead of the built-in one.")] = None,
    per_article: Annotated[bool, typer.Option("--per-article", help="One output per article.")] = False,
    order: Annotated[str, typer.Option(help=f"Article order: {', '.join(ORDERS)}.")] = "input",
    fetch: Annotated[bool, typer.Option("--fetch", help="Download remote images (off by default).")] = False,
    fetch_private: Annotated[bool, typer.Option("--fetch-private", help=FETCH_PRIVATE_HELP)] = False,
    page_size: Annotated[str, typer.Option(help="PDF page size: A4, Letter or A5.")] = "A4",
    pdf_variant: Annotated[str, typer.Option(
        help="PDF variant for WeasyPrint (pdf/a-3b, pdf/a-2b, pdf/ua-1, ...) or 'none'.")] = "pdf/a-3b",
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for reading and rendering. Default: every core.")] = None,
    cache: Annotated[bool, typer.Option(
        help="Keep rendered articles in OUT/.archiver/ so that a rebuild renders only new ones.")] = True,
    bag: Annotated[bool, typer.Option("--bag", help="Write OUT as a BagIt 1.0 bag (outputs under data/).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every warning of every article.")] = False,
) -> None:
    """Turn saved articles into an archival package: EPUB, PDF, WARC, WACZ and manifest.json.

    Exporting again into the same OUT adds new articles to those already there."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    chosen = list(dict.fromkeys(formats or BY_NAME))
    problems = [f"unknown format {f!r} (choose from {', '.join(BY_NAME)})" for f in chosen if f not in BY_NAME]
    if order not in ORDERS:
        problems.append(f"unknown order {order!r} (choose from {', '.join(ORDERS)})")
    if style is not None:
        try:
            read_style(style)
        except ArchiverError as exc:
            problems.append(str(exc))
    try:
        package = Package(out, bag) if not problems else None
    except ArchiverError as exc:
        problems.append(str(exc))
    if problems or package is None:
        for problem in problems:
            err.print(f"[bold red]error[/]: {escape(problem)}")
        raise typer.Exit(code=2)
    fetcher = _fetcher(fetch, fetch_private)
    try:
        _export(package, inputs, chosen, fetcher, err, quiet=quiet, verbose=verbose, per_article=per_article,
                order=order, cache=cache, options=ExportOptions(
                    title=title, author=author, style=style, exchange=fetcher.exchange if fetcher else None,
                    page_size=page_size, pdf_variant=None if pdf_variant == "none" else pdf_variant, jobs=jobs))
    except KeyboardInterrupt:
        state = "holds this export's outputs" if finish(package.out, package.state) else "is as it was before"
        err.print(f"[bold red]interrupted[/]: {escape(str(out))} {state}")
        raise InterruptReported(interrupts.EXIT_STATUS) from None


def _export(package: Package, inputs: list[str], chosen: list[str], fetcher: HttpFetcher | None, err: Console, *,
            quiet: bool, verbose: bool, per_article: bool, order: str, cache: bool, options: ExportOptions) -> None:
    failed = 0
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=quiet) as progress:
        reading = progress.add_task("reading", total=None)

        given_for: dict[str, str] = {}  # each file's path as shown -> the input argument it came from

        def unread() -> Iterator[tuple[Path, str] | Failure]:
            for given in inputs:
                for item in input_files(given):
                    given_for[item.path if isinstance(item, Failure) else item[1]] = given
                    if isinstance(item, Failure) or (kept := package.already_read(*item, given)) is None:
                        yield item
                    elif not quiet:
                        progress.console.print(f"[yellow]duplicate[/]: {escape(item[1])} was read before, for "
                                               f"{escape(kept)}; skipped")

        # closed at once on Ctrl-C: reading stops without waiting for what was not started yet
        with closing(read_files(unread(), ReadOptions(fetcher=fetcher), options.jobs)) as articles:
            for item in articles:
                given = given_for[item.path if isinstance(item, Failure) else item.source.path]
                progress.advance(reading)
                if isinstance(item, Failure):
                    failed += 1
                    package.fail(item, given)
                    _report_failure(progress.console, item)
                    continue
                progress.update(reading, description=f"reading {escape(Path(item.source.path).name)[:40]}")
                try:
                    added = package.add(item, given)
                except (ArchiverError, OSError) as exc:
                    failed += 1
                    progress.console.print(f"[bold red]error[/]: {escape(item.source.path)}: {escape(str(exc))}")
                    continue
                if added.entry is None and not quiet:
                    progress.console.print(f"[yellow]duplicate[/]: {escape(item.source.path)} is already in the "
                                           f"package as {escape(added.duplicate_of or '')}; skipped")
                if verbose and added.entry is not None:
                    for warning in item.warnings:
                        progress.console.print(f"[yellow]warning[/]: {escape(item.source.path)}: {escape(warning)}")
        progress.update(reading, description="read", total=progress.tasks[0].completed)
        count = len(package.entries) if per_article else 1
        writing = progress.add_task("writing", total=count * len(chosen))

        def on_written(written: Written) -> None:
            nonlocal failed
            progress.advance(writing)
            progress.update(writing, description=f"wrote {escape(written.dest.name)[:40]}")
            if written.error:
                failed += 1
                progress.console.print(f"[bold red]error[/]: {escape(written.dest.name)}: {escape(written.error)}")
            elif verbose:
                for warning in written.warnings:
                    progress.console.print(f"[yellow]warning[/]: {escape(written.dest.name)}: {escape(warning)}")

        try:
            package.write(chosen, options, per_article, order, on_written, cache)
        except ArchiverError as exc:
            err.print(f"[bold red]error[/]: {escape(str(exc))}")
            raise typer.Exit(code=1) from exc
        except OSError as exc:
            err.print(f"[bold red]error[/]: cannot write into {escape(str(package.out))}: "
                      f"{escape(exc.strerror or str(exc))}; the package there is as it was")
            raise typer.Exit(code=2) from exc
    if not quiet:
        _summary(err, package)
    if failed:
        raise typer.Exit(code=1)


def _summary(console: Console, package: Package) -> None:
    warnings = sum(len(e.article.warnings) for e in package.entries)
    console.print(f"{len(package.entries)} article{'s' * (len(package.entries) != 1)} in {escape(str(package.out))}"
                  f" ({warnings} warning{'s' * (warnings != 1)}"
                  + (", see manifest.json; --verbose prints them" if warnings else "")
                  + f"; {len(package.failures)} input problem{'s' * (len(package.failures) != 1)}"
                  + f"; {len(package.duplicates)} duplicate{'s' * (len(package.duplicates) != 1)} skipped)")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("output")
    table.add_column("size", justify="right")
    folder = package.payload
    for path in sorted(folder.iterdir()):
        if path.is_file():
            table.add_row(escape(str(path.relative_to(package.out))), _size(path.stat().st_size))
    console.print(table)


def _size(octets: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if octets < 1000 or unit == "GB":
            return f"{octets:.0f} {unit}" if unit == "B" else f"{octets:.1f} {unit}"
        octets /= 1000  # type: ignore[assignment]
    return str(octets)


@app.command()
def verify(
    folder: Annotated[Path, typer.Argument(help="A package folder written by archiver export.")],
) -> None:
    """Check a package: every output's hash, the provenance inside each output against the
    manifest, and every input still where it was read. Exit status 0 only when all match."""
    out = Console(highlight=False, soft_wrap=True)
    bad = 0
    for check in verify_package(folder):
        bad += not check.ok
        mark = "[green]ok[/]  " if check.ok else "[bold red]FAIL[/]"
        out.print(f"{mark} {escape(check.subject)}: {escape(check.detail)}")
    out.print("everything matches" if not bad else f"{bad} problem{'s' * (bad != 1)}")
    if bad:
        raise typer.Exit(code=1)


def _report_failure(err: Console, failure: Failure) -> None:
    where = f" ({failure.locator})" if failure.locator and failure.locator not in failure.problem else ""
    err.print(f"[bold red]error[/]: {escape(failure.path)}{escape(where)}: {escape(failure.problem)}")


def _table() -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("article", ratio=3, overflow="fold")
    table.add_column("published", no_wrap=True)
    table.add_column("input", ratio=2, overflow="fold", style="dim")
    table.add_column("images", justify="right", no_wrap=True)
    return table


def _add_row(table: Table, number: int, article: Article) -> None:
    """Title with outlet and authors under it; the input's file name (the path is in --json)."""
    byline = " · ".join(dict.fromkeys(x for x in (article.outlet, ", ".join(article.authors)) if x))
    cell = f"[bold]{escape(article.title or '(no title)')}[/]" + (f"\n[dim]{escape(byline)}[/]" if byline else "")
    first = (article.source.locator or "").split()[:1]
    where = Path(article.source.path).name + (f" #{first[0].removeprefix('mbox-index:')}"
                                              if first and first[0].startswith("mbox-index:") else "")
    published = article.published.isoformat()[:10] if article.published else "—"
    images = f"{len(article.embedded)}/{len(article.resources)}" if article.resources else "—"
    table.add_row(str(number), cell, published, escape(where), images)
