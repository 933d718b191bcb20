"""The command line: thin commands over the library."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

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
    table = _table()
    failed = 0
    counts: dict[str, int] = {}
    for item in read_inputs(inputs, options):
        if isinstance(item, Failure):
            failed += 1
            where = f" ({item.locator})" if item.locator and item.locator not in item.problem else ""
            err.print(f"[bold red]error[/]: {escape(item.path)}{escape(where)}: {escape(item.problem)}")
            continue
        shown = item.source.path
        index = counts.get(shown, 0)
        counts[shown] = index + 1
        if as_json:
            print(json_line(article_row(item, shown, index)), flush=True)
        else:
            _add_row(table, item)
    if not as_json:
        out.print(table)
        total = sum(counts.values())
        out.print(f"{total} article{'s' * (total != 1)}" + (f", {failed} input problem{'s' * (failed != 1)}"
                                                             if failed else ""))
    if failed:
        raise typer.Exit(code=1)


def _table() -> Table:
    table = Table(show_lines=False, expand=False)
    for column in ("input", "title", "outlet", "published", "authors", "images", "warnings"):
        table.add_column(column, overflow="fold")
    return table


def _add_row(table: Table, article: Article) -> None:
    embedded = len(article.embedded)
    published = article.published.isoformat()[:10] if article.published else ""
    where = article.source.path + (f" [{article.source.locator.split()[0]}]" if article.source.locator else "")
    table.add_row(escape(where), escape(article.title or ""), escape(article.outlet or ""), published,
                  escape(", ".join(article.authors)), f"{embedded}/{len(article.resources)}",
                  str(len(article.warnings)))
