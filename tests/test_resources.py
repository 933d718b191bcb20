"""Image resolution: a saved page's own folder only, never beyond it, never the network unasked."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archiver.images.resolve import ResolveContext, Resolver
from archiver.model import Article, ResourceStatus
from archiver.readers import ReadOptions, read_inputs
from tests.helpers import read_one
from tests.test_sanitize import PNG


def saved_page(folder: Path, body: str, name: str = "story") -> Path:
    """A "Save Page As, complete" layout: story.html beside story_files/."""
    files = folder / f"{name}_files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "photo.png").write_bytes(PNG)
    page = folder / f"{name}.html"
    page.write_text(
        "<!DOCTYPE html>\n<!-- saved from url=(0042)https://news.example.org/2024/story.html -->\n"
        "<html lang='en'><head><meta charset='utf-8'><title>A story</title></head>"
        f"<body><article><h1>A story</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    return page


def test_save_page_as_complete_reads_its_files_folder(tmp_path: Path) -> None:
    page = saved_page(
        tmp_path,
        "<p>" + "Words of the story. " * 30 + "</p>"
        '<figure><img src="story_files/photo.png" srcset="https://cdn.example.org/p-2x.png 2x" '
        'alt="A photo"><figcaption>Caption</figcaption></figure>',
    )
    article = read_one(page)
    assert article.url == "https://news.example.org/2024/story.html"
    assert article.source.origins["url"] == "saved-page:address"
    [image] = article.resources
    assert image.status is ResourceStatus.EMBEDDED and image.resolved_by == "file"
    assert f'src="{image.name}"' in article.body and "<figcaption>Caption</figcaption>" in article.body


@pytest.mark.parametrize(
    "ref",
    [
        "../secret.png",
        "story_files/../../secret.png",
        "/etc/passwd",
        "file:///etc/passwd",
        "story_files/link.png",
    ],
)
def test_nothing_outside_the_input_folder_is_read(tmp_path: Path, ref: str) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    folder = tmp_path / "saved"
    page = saved_page(folder, "<p>" + "Words of the story. " * 30 + f'</p><img src="{ref}" alt="x">')
    os.symlink(outside, folder / "story_files" / "link.png")
    article = read_one(page)
    assert [r.status for r in article.resources] != [ResourceStatus.EMBEDDED]
    assert all(r.data is None for r in article.resources)


class RecordingFetcher:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def fetch(self, url: str) -> bytes:
        self.urls.append(url)
        return PNG


def test_remote_images_are_fetched_only_when_asked(tmp_path: Path) -> None:
    page = saved_page(tmp_path, "<p>" + "Words of the story. " * 30 + '</p><img src="/img/a.png" alt="a">')
    [offline] = [a for a in read_inputs([str(page)]) if isinstance(a, Article)]
    assert [r.status for r in offline.resources] == [ResourceStatus.REMOTE]
    assert offline.resources[0].ref == "https://news.example.org/img/a.png"

    fetcher = RecordingFetcher()
    [online] = [a for a in read_inputs([str(page)], ReadOptions(fetcher=fetcher)) if isinstance(a, Article)]
    assert fetcher.urls == ["https://news.example.org/img/a.png"]
    assert (
        online.resources[0].status is ResourceStatus.EMBEDDED and online.resources[0].resolved_by == "fetch"
    )


def test_a_part_that_is_not_an_image_is_missing_not_embedded() -> None:
    resolver = Resolver(ResolveContext(parts_by_cid={"x@y": b"<html>404 Not Found</html>"}))
    resource = resolver.resolve("cid:x@y")
    assert resource.status is ResourceStatus.MISSING and "not an image" in (resource.reason or "")


def test_identical_images_share_one_name(tmp_path: Path) -> None:
    resolver = Resolver(ResolveContext(parts_by_cid={"a": PNG, "b": PNG}))
    first, second = resolver.resolve("cid:a"), resolver.resolve("cid:b")
    assert first.ref != second.ref and first.name == second.name


def test_a_cut_off_jpeg_is_refused_even_after_weasyprint_made_pillow_lenient(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """WeasyPrint's import sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and a worker
    forked from the fork server that warmed WeasyPrint inherits it: the check must not."""
    from PIL import ImageFile

    from archiver.errors import ArchiverError
    from archiver.images.check import check_image
    from tests.hostile_corpus import jpeg

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    with pytest.raises(ArchiverError, match="damaged or cut off"):
        check_image(jpeg()[:900], "image/jpeg")
    check_image(jpeg(), "image/jpeg")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's own setting, as it was


def test_a_bomb_is_refused_and_pillows_own_pixel_bound_is_as_the_caller_set_it() -> None:
    """Pillow's decompression-bomb bound is the whole process's: the check sets its own for the
    opening alone, and a caller's (here Pillow's default) is back after, whatever the outcome."""
    from PIL import Image

    from archiver.errors import ArchiverError
    from archiver.images.check import MAX_PIXELS, check_image
    from tests.hostile_corpus import bomb_png, jpeg

    callers = Image.MAX_IMAGE_PIXELS
    assert callers != MAX_PIXELS  # Pillow's default: a change would show
    with pytest.raises(ArchiverError, match="decompression bomb"):
        check_image(bomb_png(), "image/png")
    assert Image.MAX_IMAGE_PIXELS == callers
    check_image(jpeg(), "image/jpeg")
    assert Image.MAX_IMAGE_PIXELS == callers


def test_checks_in_many_threads_refuse_every_cut_off_image_and_leave_pillow_as_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Captures resolve their pages' images on threads at once. Each check turns Pillow's
    process-wide leniency off and back on: unsynchronised, one thread's restore let another
    accept a cut-off image, or left the setting off (CI saw the second)."""
    from PIL import ImageFile

    from archiver.errors import ArchiverError
    from archiver.images.check import check_image
    from tests.hostile_corpus import jpeg

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole, cut_off = jpeg(), jpeg()[:900]

    def checked(n: int) -> str:
        try:
            check_image(cut_off if n % 2 else whole, "image/jpeg")
        except ArchiverError:
            return "refused"
        return "kept"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(checked, range(2000)))
    assert outcomes == ["refused" if n % 2 else "kept" for n in range(2000)]
    assert ImageFile.LOAD_TRUNCATED_IMAGES
