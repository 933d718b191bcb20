"""The command line: thin commands over the library."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

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
            _print_article(out, item)
    if not as_json:
        total = sum(counts.values())
        out.print(f"{total} article{'s' * (total != 1)}" + (f", {failed} input problem{'s' * (failed != 1)}"
                                                             if failed else ""))
    if failed:
        raise typer.Exit(code=1)


def _print_article(out: Console, article: Article) -> None:
    """A few lines per article: readable at any terminal width, warnings included."""
    where = article.source.path + (f"  [{article.source.locator}]" if article.source.locator else "")
    published = article.published.isoformat() if article.published else "no publication date"
    facts = " · ".join(x for x in (article.outlet, published, ", ".join(article.authors)) if x)
    out.print(f"[bold]{escape(article.title or '(no title)')}[/]")
    out.print(f"  {escape(where)}  ({article.source.kind})", style="dim")
    out.print(f"  {escape(facts)}")
    if article.url:
        out.print(f"  {escape(article.url)}")
    out.print(f"  images: {len(article.embedded)} of {len(article.resources)} embedded")
    for warning in article.warnings:
        out.print(f"  [yellow]warning[/]: {escape(warning)}")
    out.print()
