"""Exports made here, for the formats without a public sample file: each is written from the
fields its service documents, with what each entry should read as. MADE HERE, not real exports:
they test that the documented fields are read, not how the services fill them in.

`python -m tests.export_samples DIR` writes them into DIR (the same bytes each run).
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

URL_A = "https://news.example.org/2024/keeping-pages"
URL_B = "https://blog.example.net/posts/checksums"


def readwise_csv() -> str:
    return (
        "Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen\n"
        f"Keeping pages,{URL_A},01h0aaa,\"['archives', 'paper']\",2024-05-02 09:30:00+00:00,0.5,later,True\n"
        f"Checksums,{URL_B},01h0bbb,[],2024-05-03 10:00:00+00:00,1,archive,True\n"
    )


def raindrop_csv() -> str:
    return (
        "id,title,note,excerpt,url,folder,tags,created,cover,highlights,favorite\n"
        f'1,Keeping pages,Read this twice,Paper turns brown.,{URL_A},Reading/Archives,"archives, paper",'
        f'2024-05-02T09:30:00.000Z,,"Highlight: the paper turns brown\nNote: so it does",true\n'
        f"2,Checksums,,,{URL_B},Unsorted,,2024-05-03T10:00:00.000Z,,,false\n"
    )


def pinboard_json() -> str:
    records: list[dict[str, Any]] = [
        {"href": URL_A, "description": "Keeping pages", "extended": "Read this twice", "meta": "0",
         "hash": "a", "time": "2024-05-02T09:30:00Z", "shared": "no", "toread": "yes",
         "tags": "archives paper"},
        {"href": URL_B, "description": "Checksums", "extended": "", "meta": "0", "hash": "b",
         "time": "2024-05-03T10:00:00Z", "shared": "yes", "toread": "no", "tags": ""},
    ]  # fmt: skip
    return json.dumps(records, indent=1)


def chrome_bookmarks() -> str:
    def url(name: str, address: str, added: str) -> dict[str, Any]:
        return {"date_added": added, "guid": name, "id": name, "name": name, "type": "url", "url": address}

    roots = {
        "bookmark_bar": {"children": [{"children": [url("Keeping pages", URL_A, "13360000000000000")],
                                       "name": "Reading", "type": "folder"}],
                         "name": "Bookmarks bar", "type": "folder"},
        "other": {"children": [url("Checksums", URL_B, "0")], "name": "Other bookmarks", "type": "folder"},
        "synced": {"children": [], "name": "Mobile bookmarks", "type": "folder"},
    }  # fmt: skip
    return json.dumps({"checksum": "0", "roots": roots, "version": 1}, indent=1)


def zipped(members: dict[str, str]) -> bytes:
    """A zip of these members, the same bytes each time."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return out.getvalue()


def pocket_zip() -> bytes:
    highlight = {"quote": "the paper turns brown", "created_at": 1714650000}
    annotations = [{"url": URL_A, "title": "Keeping pages", "highlights": [highlight]}]
    rows = [
        f"Keeping pages,{URL_A},1714640000,archives|paper,unread",
        f"Checksums,{URL_B},1714730000,,archive",
    ]
    return zipped(
        {
            "part_000000.csv": "title,url,time_added,tags,status\n" + "".join(row + "\n" for row in rows),
            "annotations/part_000000.json": json.dumps(annotations),
        }
    )


def omnivore_zip() -> bytes:
    metadata = [
        {"id": "1", "slug": "keeping-pages", "title": "Keeping pages", "description": "On paper.",
         "author": "Ada", "url": URL_A, "state": "Active", "readingProgress": 40, "labels": ["archives"],
         "savedAt": "2024-05-02T09:30:00.000Z", "updatedAt": "2024-05-02T09:30:00.000Z", "publishedAt": None},
        {"id": "2", "slug": "checksums", "title": "Checksums", "description": "", "author": None,
         "url": URL_B, "state": "Archived", "readingProgress": 100, "labels": [],
         "savedAt": "2024-05-03T10:00:00.000Z"},
    ]  # fmt: skip
    return zipped({
        "metadata_0_to_1.json": json.dumps(metadata),
        "content/keeping-pages.html": "<html><body><article><p>Every library that keeps newspapers on paper "
                                      "knows the problem: the paper turns brown, then brittle.</p></article>"
                                      "</body></html>",
        "highlights/keeping-pages.md": "> the paper turns brown,\n> then brittle\n\nTrue of every paper.\n",
    })  # fmt: skip


def obsidian_clip() -> str:
    return (
        "---\n"
        'title: "Keeping pages"\n'
        f'source: "{URL_A}"\n'
        "author:\n"
        '  - "[[Ada Example]]"\n'
        "published: 2024-05-01\n"
        "created: 2024-05-02\n"
        'description: "On paper and pages."\n'
        "tags:\n"
        '  - "clippings"\n'
        "---\n"
        "# Keeping pages\n\n"
        "Every library that keeps newspapers on *paper* knows the problem.\n\n"
        "- the paper turns brown\n- then brittle\n\n<script>alert(1)</script>\n"
    )


def instapaper_html() -> str:
    return (
        "<!DOCTYPE html><html><head><title>Instapaper: Export</title></head><body>"
        f'<h1>Unread</h1><ol><li><a href="{URL_A}">Keeping pages</a></li></ol>'
        f'<h1>Research</h1><ol><li><a href="{URL_B}">Checksums</a></li></ol>'
        "</body></html>"
    )


def matter_zip() -> bytes:
    history = (
        "Title,Author,Publisher,URL,Word Count,Saved,Read,File Id,Tags,Favorited\n"
        f"Keeping pages,Ada Example,Example Press,{URL_A},120,2024-05-02T09:30:00Z,2024-05-04T08:00:00Z,"
        'a1b2,"archives, paper",True\n'
        f"Checksums,,,{URL_B},900,2024-05-03T10:00:00Z,,,,False\n"
    )
    highlights = (
        f"Title,URL,Text,Note,Created Date\nKeeping pages,{URL_A},the paper turns brown,Yes,2024-05-04\n"
    )
    page = "<html><body><p>Every library that keeps newspapers on paper knows it: the paper turns brown.</p>"
    return zipped({"_matter_history.csv": history, "_matter_highlights.csv": highlights, "a1b2.html": page})


def instapaper_tags_csv() -> str:
    """The newer export, with a Timestamp and the tags as a JSON list in their cell."""
    return (
        "URL,Title,Selection,Folder,Timestamp,Tags\n"
        f'{URL_A},Keeping pages,the paper turns brown,Unread,1714640000,"[""archives"", ""paper""]"\n'
        f"{URL_B},Checksums,,Starred,1714730000,[]\n"
    )


def _png(colour: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def pocket_exporter() -> dict[str, bytes | str]:
    """ArchiveBox's pocket-exporter folder: articles/{savedId}/index.json (Pocket's GraphQL
    SavedItem, as its types/article.ts states it) beside Pocket's parsed article.html with the
    images it saved, or the downloaded original.html (its later versions), or nothing (a link)."""
    press = "https://news.example.org/img/press%20room.png"
    first = {
        "_createdAt": 1714640000,
        "_updatedAt": 1714650000,
        "title": "Keeping pages",
        "url": URL_A,
        "savedId": "1001",
        "status": "UNREAD",
        "isFavorite": True,
        "favoritedAt": 1714650000,
        "isArchived": False,
        "archivedAt": None,
        "tags": [{"id": "t1", "name": "archives"}, {"id": "t2", "name": "paper"}],
        "annotations": {
            "highlights": [
                {
                    "id": "h1",
                    "quote": "the paper turns brown",
                    "patch": "",
                    "version": 2,
                    "_createdAt": 1714660000,
                    "_updatedAt": 1714660000,
                    "note": {"text": "so it does", "_createdAt": 1714660000, "_updatedAt": 1714660000},
                }
            ]
        },
        "item": {
            "isArticle": True,
            "hasImage": "HAS_IMAGES",
            "hasVideo": "NO_VIDEOS",
            "timeToRead": 3,
            "shareId": "s1",
            "itemId": "i1",
            "givenUrl": URL_A,
            "title": "Keeping pages",
            "authors": [{"id": "a1", "name": "Ada Example", "url": ""}],
            "datePublished": "2024-04-30 00:00:00",
            "excerpt": "On paper.",
            "topImageUrl": "https://news.example.org/img/top",
            "images": [{"caption": "", "credit": "", "height": 30, "imageId": 1, "src": press, "width": 40}],
        },
    }
    second = {
        "_createdAt": 1714730000,
        "title": "Checksums",
        "url": URL_B,
        "savedId": "1002",
        "status": "ARCHIVED",
        "isFavorite": False,
        "isArchived": True,
        "tags": [],
        "annotations": {"highlights": []},
        "item": {"givenUrl": URL_B, "images": None},
    }
    third = {
        "_createdAt": 1714820000,
        "title": "Only a link",
        "url": "https://example.org/only-a-link",
        "savedId": "1003",
        "status": "UNREAD",
        "isFavorite": False,
        "isArchived": False,
        "tags": [],
        "annotations": {"highlights": []},
        "item": {"excerpt": "A page never downloaded."},
    }
    return {
        "articles/1001/index.json": json.dumps(first, indent=2),
        "articles/1001/article.html": (
            "<div><p>Every library that keeps newspapers on paper knows that the paper turns brown, "
            f'then brittle.</p><figure><img src="{press}"><figcaption>The press room.</figcaption>'
            "</figure><p>Microfilm came next, and then the scans.</p></div>"
        ),
        "articles/1001/press_20room.png": _png("teal"),
        "articles/1001/top_image.jpg": _png("navy"),  # named by the exporter, whatever the bytes
        "articles/1002/index.json": json.dumps(second, indent=2),
        "articles/1002/original.html": (
            "<html><head><title>Checksums | Blog</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/about'>About</a> Subscribe to our newsletter</nav>"
            "<article><h1>Checksums</h1>" + "".join(
                f"<p>Paragraph {n}: a checksum says that the bytes kept are the bytes read, and "
                "a manifest says which checksum belongs to which file, years later.</p>" for n in range(6)
            ) + "</article><footer>Copyright Blog, all rights reserved.</footer></body></html>"
        ),
        "articles/1003/index.json": json.dumps(third, indent=2),
    }  # fmt: skip


SAMPLES: dict[str, Any] = {
    "readwise.csv": readwise_csv,
    "raindrop.csv": raindrop_csv,
    "pinboard.json": pinboard_json,
    "Bookmarks": chrome_bookmarks,
    "pocket.zip": pocket_zip,
    "omnivore.zip": omnivore_zip,
    "clip.md": obsidian_clip,
    "instapaper.html": instapaper_html,
    "Archive.zip": matter_zip,
    "instapaper-tags.csv": instapaper_tags_csv,
    "pocket-exporter": pocket_exporter,  # a folder
}

# (url, title, saved day, tags, folder, status, starred) each entry should read as
EXPECTED: dict[
    str, list[tuple[str, str, str | None, tuple[str, ...], str | None, str | None, bool | None]]
] = {
    "readwise.csv": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "unread", None),
        (URL_B, "Checksums", "2024-05-03", (), None, "archived", None),
    ],
    "raindrop.csv": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), "Reading/Archives", None, True),
        (URL_B, "Checksums", "2024-05-03", (), None, None, False),
    ],
    "pinboard.json": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "unread", None),
        (URL_B, "Checksums", "2024-05-03", (), None, None, None),
    ],
    "Bookmarks": [
        (URL_A, "Keeping pages", "2024-05-12", (), "Bookmarks bar/Reading", None, None),
        (URL_B, "Checksums", None, (), "Other bookmarks", None, None),
    ],
    "pocket.zip": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "unread", None),
        (URL_B, "Checksums", "2024-05-03", (), None, "archived", None),
    ],
    "omnivore.zip": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives",), None, "unread", None),
        (URL_B, "Checksums", "2024-05-03", (), None, "archived", None),
    ],
    "clip.md": [(URL_A, "Keeping pages", "2024-05-02", ("clippings",), None, None, None)],
    "instapaper.html": [
        (URL_A, "Keeping pages", None, (), None, "unread", None),
        (URL_B, "Checksums", None, ("Research",), "Research", None, None),
    ],
    "Archive.zip": [
        (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "archived", True),
        (URL_B, "Checksums", "2024-05-03", (), None, "unread", False),
    ],
}
EXPECTED["instapaper-tags.csv"] = [
    (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "unread", None),
    (URL_B, "Checksums", "2024-05-03", (), None, None, True),
]
EXPECTED["pocket-exporter"] = [
    (URL_A, "Keeping pages", "2024-05-02", ("archives", "paper"), None, "unread", True),
    (URL_B, "Checksums", "2024-05-03", (), None, "archived", False),
    ("https://example.org/only-a-link", "Only a link", "2024-05-04", (), None, "unread", False),
]
CONTENT = {
    "omnivore.zip": ["full", "link"],
    "clip.md": ["full"],
    "Archive.zip": ["full", "link"],
    "pocket-exporter": ["full", "full", "link"],
}  # the others: every entry a link


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SAMPLES.items():
        made = make()
        for relative, data in (made if isinstance(made, dict) else {"": made}).items():
            path = folder / name / relative if relative else folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1])):
        print(path)
