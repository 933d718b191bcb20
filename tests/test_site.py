"""The archive as a web page (--format html), tried in a real browser: Debian's headless Chromium,
driven by Selenium through Debian's chromedriver (scripts/install-test-tools.sh installs both).
Opened from the disk, the index's search filters the list, every image of every page loads, no
request leaves the site's folder, and the pages look as they should (a screenshot, kept in the
test's folder and checked not to be blank). The inputs are written here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import app
from tests.test_highlights import TEXT

pytestmark = [pytest.mark.export, pytest.mark.browser]

runner = CliRunner()


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    Image.new("RGB", (640, 360), (40, 90, 140)).save(folder / "harbour.png")
    Image.new("RGB", (300, 300), (200, 120, 40)).save(folder / "tide.jpg")
    page = folder / "harbour.html"
    page.write_text(
        "<html lang='en'><head><title>Harbour at dawn</title>"
        "<meta property='og:site_name' content='Harbour News'>"
        "<meta property='article:published_time' content='2024-03-21'></head><body><article>"
        "<h1>Harbour at dawn</h1>" + "<p>The boats came in as the ledger says.</p>" * 8 + "<figure>"
        "<img src='harbour.png' alt='The harbour'><figcaption>The harbour, 6 a.m.</figcaption></figure>"
        "<p><img src='tide.jpg' alt='Tide table'></p>"
        "<p><img src='https://tracker.example.net/pixel.gif' alt='remote pixel'></p></article></body></html>",
        encoding="utf-8",
    )
    export = folder / "wallabag.json"
    export.write_text(
        json.dumps(
            [
                {
                    "url": "https://news.example.org/2024/keeping-pages",
                    "title": "Keeping pages",
                    "content": TEXT,
                    "tags": ["archives"],
                    "is_archived": 0,
                    "is_starred": 1,
                    "created_at": "2024-05-02T09:00:00+0200",
                    "annotations": [{"quote": "keeps newspapers on paper", "text": "so true", "ranges": []}],
                },
                {
                    "url": "https://weather.example.com/storm",
                    "title": "Storm warning for the coast",
                    "content": "<p>" + "Winds will rise through the night along the coast. " * 10 + "</p>",
                    "tags": ["weather"],
                    "is_archived": 1,
                    "is_starred": 0,
                    "created_at": "2024-06-01T09:00:00+0200",
                },
            ]
        ),
        encoding="utf-8",
    )
    return [page, export]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    out = root / "out"
    result = runner.invoke(
        app,
        [
            "export",
            *map(str, _inputs(root / "in")),
            "--out",
            str(out),
            "--format",
            "epub",
            "--format",
            "html",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    return out / "site"


def _requests(browser: Any) -> list[str]:
    """Every address the browser asked for since the last call (Chrome's network log)."""
    asked = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            asked.append(message["params"]["request"]["url"])
    return asked


def test_the_site_works_from_the_disk_in_a_real_browser(site: Path, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    index = site / "index.html"
    browser.get(index.as_uri())
    entries = browser.find_elements(By.CSS_SELECTOR, "li.entry")
    assert len(entries) == 3
    shown = browser.find_element(By.ID, "shown")
    assert shown.text == "3 articles"
    box = browser.find_element(By.ID, "search")
    box.send_keys("coast")
    visible = [e.find_element(By.CSS_SELECTOR, "a.title").text for e in entries if e.is_displayed()]
    assert visible == ["Storm warning for the coast"]
    assert shown.text == "1 of 3 articles"
    box.clear()
    box.send_keys("harbour news")  # every word, in any field: here the outlet
    assert [e.find_element(By.CSS_SELECTOR, "a.title").text for e in entries if e.is_displayed()] == [
        "Harbour at dawn"
    ]
    box.clear()
    box.send_keys("starred archives")  # the state and a tag
    assert [e.find_element(By.CSS_SELECTOR, "a.title").text for e in entries if e.is_displayed()] == [
        "Keeping pages"
    ]
    browser.save_screenshot(str(tmp_path / "index.png"))

    pages = sorted((site / "articles").glob("*.html"))
    assert len(pages) == 3
    loaded = 0
    for page in pages:
        browser.get(page.as_uri())
        images = browser.execute_script(
            "return Array.from(document.images)"
            ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])"
        )
        assert all(ok for _, ok in images), images
        loaded += len(images)
        assert browser.find_element(By.CSS_SELECTOR, ".provenance-block").is_displayed()
        if "harbour" in page.name:
            browser.save_screenshot(str(tmp_path / "article.png"))
            assert "[Image: remote pixel]" in browser.page_source  # not fetched: shown as missing
        if "keeping" in page.name:
            mark = browser.find_element(By.CSS_SELECTOR, "mark.highlight")
            assert mark.text.startswith("keeps newspapers on")
            color = mark.value_of_css_property("background-color")
            assert color in ("rgba(255, 241, 118, 1)", "rgb(255, 241, 118)"), color
    assert loaded == 2  # the harbour and the tide table; the remote pixel is not an image here

    asked = _requests(browser)
    assert asked, "the browser's network log is empty"
    outside = [url for url in asked if not url.startswith(site.as_uri() + "/")]
    assert outside == [], outside

    for shot in ("index.png", "article.png"):
        with Image.open(tmp_path / shot) as image:
            colours = image.convert("L").getcolors(1 << 16) or []
        assert len(colours) > 20, f"{shot} is nearly blank"
    keep = Path("/tmp/archiver-site-screenshots")  # for a person to look at after the run
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(tmp_path, keep, ignore=shutil.ignore_patterns("*.html"))


def test_the_site_links_to_the_package_files_and_verify_checks_it(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    package = site.parent
    [book] = package.glob("*.epub")
    assert f'href="../{book.name}"' in index and 'href="../manifest.json"' in index
    result = runner.invoke(app, ["verify", str(package)])
    assert result.exit_code == 0, result.output
    assert "site: sha256 matches; provenance of 3 article(s) agrees" in result.output
    (site / "style.css").write_text("body { color: red }", encoding="utf-8")
    result = runner.invoke(app, ["verify", str(package)])
    assert result.exit_code != 0 and "site" in result.output


def test_a_second_export_replaces_the_site_whole_in_a_bag(tmp_path: Path) -> None:
    page, export = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    for given in (page, export):
        result = runner.invoke(
            app, ["export", str(given), "--out", str(out), "--format", "html", "--bag", "-q"]
        )
        assert result.exit_code == 0, result.output
    site = out / "data" / "site"
    assert len(list((site / "articles").glob("*.html"))) == 3  # the first export's article and the two added
    assert sorted(p.name for p in site.parent.iterdir()) == [
        "manifest.json",
        "site",
    ]  # nothing set aside left
    bag_manifest = (out / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert "data/site/index.html" in bag_manifest and "data/site/search.js" in bag_manifest
    result = runner.invoke(app, ["verify", str(out)])
    assert result.exit_code == 0, result.output
