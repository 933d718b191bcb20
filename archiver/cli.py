"""The command line: thin commands over the library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .collection import ORDERS, order_articles
from .export import CACHE_FOLDER, export_all
from .exporters import BY_NAME, ExportOptions
from .fetch import HttpFetcher
from .model import Article, Failure
from .readers import ReadOptions, read_inputs
from .report import article_row, json_line

app = typer.Typer(
    help="Turn saved articles (web pages, Reader View pages, mail, mbox, MHTML) into archival packages.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print someone's mail
    add_completion=False,
)


@app.callback()
def main() -> None:
    """archiver: saved articles in, archival packages with provenance out."""


@app.command()
def inspect(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders of saved articles.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article per line.")] = False,
    fetch: Annotated[bool, typer.Option("--fetch", help="Download remote images (off by default).")] = False,
) -> None:
    """Read saved articles and show what archiver finds in each: metadata, images, warnings."""
    out = Console(soft_wrap=True, highlight=False)
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per problem, however long
    options = ReadOptions(fetcher=HttpFetcher() if fetch else None)
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
    out: Annotated[Path, typer.Option("--out", help="Folder to write the outputs into.")],
    formats: Annotated[list[str] | None, typer.Option(
        "--format", help=f"Output format, repeatable: {', '.join(BY_NAME)}. Default: all.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the collection.")] = None,
    author: Annotated[str | None, typer.Option(help="Who compiled the collection.")] = None,
    style: Annotated[Path | None, typer.Option(help="A CSS file to use instead of the built-in one.")] = None,
    per_article: Annotated[bool, typer.Option("--per-article", help="One output per article.")] = False,
    order: Annotated[str, typer.Option(help=f"Article order: {', '.join(ORDERS)}.")] = "input",
    fetch: Annotated[bool, typer.Option("--fetch", help="Download remote images (off by default).")] = False,
    page_size: Annotated[str, typer.Option(help="PDF page size: A4, Letter or A5.")] = "A4",
    pdf_variant: Annotated[str, typer.Option(
        help="PDF variant for WeasyPrint (pdf/a-3b, pdf/a-2b, pdf/ua-1, ...) or 'none'.")] = "pdf/a-3b",
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for rendering. Default: every core.")] = None,
    cache: Annotated[bool, typer.Option(
        help=f"Keep rendered articles in OUT/{CACHE_FOLDER} so that a rebuild renders only new ones.")] = True,
) -> None:
    """Turn saved articles into archival outputs: EPUB, PDF, WARC and WACZ."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    chosen = list(dict.fromkeys(formats or BY_NAME))
    problems = [f"unknown format {f!r} (choose from {', '.join(BY_NAME)})" for f in chosen if f not in BY_NAME]
    if order not in ORDERS:
        problems.append(f"unknown order {order!r} (choose from {', '.join(ORDERS)})")
    if style is not None and not style.is_file():
        problems.append(f"--style {style}: no such file")
    if problems:
        for problem in problems:
            err.print(f"[bold red]error[/]: {escape(problem)}")
        raise typer.Exit(code=2)
    fetcher = HttpFetcher() if fetch else None
    articles: list[Article] = []
    failed = 0
    for item in read_inputs(inputs, ReadOptions(fetcher=fetcher)):
        if isinstance(item, Failure):
            failed += 1
            _report_failure(err, item)
        else:
            articles.append(item)
    if not articles:
        err.print("[bold red]error[/]: no articles could be read; nothing written")
        raise typer.Exit(code=1)
    options = ExportOptions(title=title, author=author, style=style, exchange=fetcher.exchange if fetcher else None,
                            page_size=page_size, pdf_variant=None if pdf_variant == "none" else pdf_variant,
                            jobs=jobs, cache=out / CACHE_FOLDER if cache else None)
    try:
        for written in export_all(order_articles(articles, order), out, chosen, options, per_article):
            for warning in written.warnings:
                err.print(f"[yellow]warning[/]: {escape(warning)}")
            if written.error:
                failed += 1
                err.print(f"[bold red]error[/]: {escape(str(written.dest))}: {escape(written.error)}")
            else:
                err.print(f"wrote {escape(str(written.dest))} ({written.articles} article"
                          f"{'s' * (written.articles != 1)})")
    except OSError as exc:
        err.print(f"[bold red]error[/]: cannot write into {escape(str(out))}: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(code=2) from exc
    if failed:
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
