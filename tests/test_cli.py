"""`archiver inspect` as a user meets it: the JSON format, the table, and bad input."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli.app import app
from tests.test_mail import RELATED

KEYS = [
    "input",
    "index",
    "title",
    "url",
    "outlet",
    "authors",
    "published",
    "saved",
    "language",
    "images",
    "warnings",
    "tags",
    "folder",
    "status",
    "starred",
    "content",
    "highlights",
]
runner = CliRunner()


def make_inputs(folder: Path) -> None:
    (folder / "good.eml").write_text(RELATED)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 20)
    (folder / "truncated.eml").write_text(RELATED[:700])
    (folder / "broken.mbox").write_bytes(
        b"From a Mon Jan  1 00:00:00 2024\nSubject: ok\n\nfine\n"
        b"From b Mon Jan  1 00:00:00 2024\n\x00\x00\x00\n"
    )
    (folder / "legacy.html").write_bytes(
        "<html><head><meta charset='utf-8'><title>Déjà vu</title></head>"
        "<body><p>Voilà un café très crémeux.</p></body></html>".encode("cp1252")
    )
    page = folder / "page_files"
    page.mkdir()
    (page / "inner.html").write_text("<p>a frame the page saved</p>")
    (folder / "page.html").write_text("<html><body><p>The saved page.</p></body></html>")
    (folder / "notes.txt").write_text("not an article")


def test_json_lines_have_exactly_the_documented_keys(tmp_path: Path) -> None:
    (tmp_path / "good.eml").write_text(RELATED)
    result = runner.invoke(app, ["inspect", "--json", str(tmp_path / "good.eml")])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(row) == KEYS
    assert row["input"] == str(tmp_path / "good.eml") and row["index"] == 0
    assert list(row["images"][0]) == ["ref", "status", "media_type", "sha256"]


def test_bad_inputs_are_reported_one_line_each_and_the_rest_still_comes_out(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    result = runner.invoke(app, ["inspect", "--json", str(tmp_path), str(tmp_path / "missing.html")])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    shown = [os.path.relpath(r["input"], tmp_path) for r in rows]
    assert shown == ["broken.mbox", "good.eml", "legacy.html", "page.html", "truncated.eml"]
    legacy = rows[2]
    assert legacy["title"] == "Déjà vu"
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4, errors
    assert any("binary.html" in e and "binary data" in e for e in errors)
    assert any("empty.html" in e and "empty file" in e for e in errors)
    assert any("broken.mbox" in e and "message 1" in e for e in errors)
    assert any("missing.html" in e and "no such file" in e for e in errors)
    assert "Traceback" not in result.output


def test_table_for_people(tmp_path: Path) -> None:
    (tmp_path / "good.eml").write_text(RELATED)
    result = runner.invoke(app, ["inspect", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Café news" in result.stdout and "Jürgen Müller" in result.stdout and "1 article" in result.stdout
    assert "2/2" in result.stdout and "2024-03-05" in result.stdout


def test_help_lists_every_command_with_its_summary_and_each_command_has_help() -> None:
    """Each registered command is in the top-level help with the first words of its docstring,
    and its own --help names its options."""
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    commands = {
        (command.name or command.callback.__name__).replace("_", "-"): command.callback.__doc__ or ""
        for command in app.registered_commands
        if command.callback is not None
    }
    assert {"inspect", "export", "verify"} <= commands.keys()
    for name, doc in commands.items():
        summary = " ".join(doc.split())[:40]
        assert re.search(rf"\b{re.escape(name)}\s+{re.escape(summary)}", result.stdout), (name, summary)
        own = runner.invoke(app, [name, "--help"], terminal_width=200)
        assert own.exit_code == 0 and "--help" in own.stdout and "Usage:" in own.stdout, name


def test_capture_browser_without_chromium_stops_before_reading_and_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it; nothing is fetched either way
    address = "http://127.0.0.1:9/never-asked"
    out = tmp_path / "out"
    for command in (
        ["export", address, "--fetch", "--capture", "browser", "--out", str(out)],
        ["inspect", address, "--fetch", "--capture", "browser"],
    ):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        [line] = [line for line in result.output.splitlines() if line.strip()]
        assert line.startswith("error: --capture browser needs Chromium and Playwright")
        assert "apt install chromium" in line and "pip install 'archiver[browser]'" in line
    assert not out.exists()
    # auto captures as sent instead, and says so in one line
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "none.html")])
    assert "note:" not in result.output  # without --fetch, no word about browsers


def test_capture_auto_says_in_one_line_which_it_chose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Kept</title></head><body><p>Nothing to fetch.</p></body></html>")
    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setattr("archiver.capture.fetcher.DEFAULT_CACHE", tmp_path / "cache")  # not the user's

    def notes() -> list[str]:
        result = CliRunner().invoke(app, ["inspect", str(page), "--fetch"])
        assert result.exit_code == 0, result.output
        return [line for line in result.output.splitlines() if line.startswith("note:")]

    assert notes() == [
        "note: pages are captured as sent, without a browser (their scripts do not run): install them "
        "with: apt install chromium (or your system's own) and pip install 'archiver[browser]'"
    ]
    chromium = tools / "chromium"  # never started: the page has no link to capture
    chromium.write_text("#!/bin/sh\nexit 1\n")
    chromium.chmod(0o755)
    assert notes() == [f"note: pages are rendered in {chromium}; --capture http takes them as sent, faster"]
