"""Property (issue 27): nested, aliased, oversized and truncated inputs for every reader that takes
JSON, YAML, CSV, a zip or HTML give articles or one-line problems, never an exception, a
traceback or archiver's own "could not handle it". A few examples of each in the suite; many more
with ARCHIVER_PROPERTY_EXAMPLES (fuzz/hostile_properties.sh).

Read through `archiver.read`, as a user's export reads: in a bounded worker."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archiver
from archiver.errors import INTERNAL
from archiver.model import Article, Failure
from tests.hostile_probes import GOOD, POCKET_HEADER

EXAMPLES = int(os.environ.get("ARCHIVER_PROPERTY_EXAMPLES", "8"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

depths = st.integers(0, 30_000)
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


@st.composite
def truncated(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


def _nest(depth: int, kind: str = "[") -> str:
    """A value nested `depth` deep: lists in lists, or objects in objects."""
    if kind == "[":
        return "[" * depth + "0" + "]" * depth
    return '{"x":' * depth + "0" + "}" * depth


@st.composite
def wallabag(draw: st.DrawFn) -> tuple[str, bytes]:
    good = {"url": GOOD, "title": draw(text), "is_archived": 0, "content": "<p>good</p>"}
    deep = _nest(draw(depths), draw(st.sampled_from(["[", "{"])))
    big = "y" * draw(st.sampled_from([0, 1000, 70 * 2**20 // 64]))
    extra = f'{{"url":"https://a.example/2","is_archived":0,"x":{deep},"content":"{big}"}}'
    return "w.json", draw(truncated(f"[{json.dumps(good)},{extra}]".encode()))


@st.composite
def obsidian(draw: st.DrawFn) -> tuple[str, bytes]:
    levels, width = draw(st.integers(0, 8)), draw(st.integers(1, 9))
    lines = ['a0: &a0 "lol"'] + [
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels + 1)
    ]
    title = f"*a{levels}" if draw(st.booleans()) else json.dumps(draw(text))
    nested = "[" * draw(st.integers(0, 5000)) + "]" * draw(st.integers(0, 5000))
    front = "\n".join([*lines, f"title: {title}", f"tags: {nested}", f"source: {GOOD}"])
    return "clip.md", draw(truncated(f"---\n{front}\n---\n\n# {draw(text)}\n\ntext\n".encode()))


@st.composite
def pocket_csv(draw: st.DrawFn) -> tuple[str, bytes]:
    rows = [f"Good,{GOOD},1700000000,,unread"]
    for _ in range(draw(st.integers(0, 4))):
        field = draw(st.sampled_from(["", "x" * 200_000, '"open quote', "a\x00b", "é"]))
        rows.append(
            f"{field},https://a.example/{draw(st.integers(0, 99))},{draw(text).replace(',', '')},,unread"
        )
    return "pocket.csv", draw(truncated((POCKET_HEADER + "\n".join(rows) + "\n").encode()))


@st.composite
def pocket_zip(draw: st.DrawFn) -> tuple[str, bytes]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part_000000.csv", f"{POCKET_HEADER}Good,{GOOD},1700000000,,unread\n")
        for n in range(draw(st.integers(0, 3))):
            archive.writestr(f"part_{n + 1:06d}.csv", draw(st.binary(max_size=200)))
        notes = draw(st.sampled_from([f'[{{"url": "{GOOD}", "highlights": 7}}]', _nest(20_000), "{", "[]"]))
        archive.writestr("annotations/part_000000.json", notes)
        if draw(st.booleans()):
            archive.writestr("../escape.csv", "x")
    return "pocket.zip", draw(truncated(out.getvalue()))


@st.composite
def html_page(draw: st.DrawFn) -> tuple[str, bytes]:
    depth = draw(st.integers(0, 50_000))
    tag = draw(st.sampled_from(["div", "b", "table", "dl", "a href='javascript:x'"]))
    name = tag.split()[0]
    page = f"<html><head><title>{draw(text)}</title></head><body><p>{'words ' * 50}</p>"
    page += f"<{tag}>" * depth + "deep" + f"</{name}>" * draw(st.integers(0, depth)) + "</body></html>"
    return draw(st.sampled_from(["page.html", "bookmarks.html"])), draw(truncated(page.encode()))


@SETTINGS
@given(st.one_of(wallabag(), obsidian(), pocket_csv(), pocket_zip(), html_page()))
def test_hostile_inputs_give_articles_or_one_line_problems(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data if name != "bookmarks.html" else b"<!DOCTYPE NETSCAPE-Bookmark-file-1>" + data)
        items = list(archiver.read([path]))
    # an empty bookmark file gives nothing, and that is its truth
    for item in items:
        assert isinstance(item, Article | Failure)
        if isinstance(item, Failure):
            assert "\n" not in item.problem and INTERNAL not in item.problem, item.problem
