"""The store a cluster's workers share (--store): what it is given back is checked, a part's facts
travel with it, and a store that cannot be used is said so before anything is read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archiver.errors import ArchiverError
from archiver.runtime.shared_store import opened

pytest.importorskip("fsspec", reason="pip install 'archiver[cluster]'")


def test_bytes_come_back_as_put_and_damage_is_caught(tmp_path: Path) -> None:
    store = opened((tmp_path / "store").as_uri())
    digest = store.put(b"a saved page")
    assert store.put(b"a saved page") == digest and store.get(digest) == b"a saved page"
    source = tmp_path / "big.mbox"
    source.write_bytes(b"From x\n" * 100_000)

    streamed = hashlib.sha256(source.read_bytes()).hexdigest()
    store.put_file(source, streamed)
    copy = tmp_path / "copy.mbox"
    store.get_file(streamed, copy)
    assert copy.read_bytes() == source.read_bytes()
    (tmp_path / "store" / "objects" / digest[:2] / digest).write_bytes(b"a forged page")
    with pytest.raises(ArchiverError, match="damaged"):
        store.get(digest)
    with pytest.raises(ArchiverError, match="has no stored copy"):
        store.get("0" * 64)
    assert not list((tmp_path / "store").rglob("*.part"))  # nothing left half-written


def test_a_rendered_part_and_its_facts(tmp_path: Path) -> None:
    store = opened((tmp_path / "store").as_uri())
    key = "ab" * 32
    assert store.part_facts(key) is None
    facts = store.put_part(key, b"%PDF-1.7 part", {"pages": 3, "warnings": ["w"]})
    assert store.part_facts(key) == facts and facts["pages"] == 3
    assert store.get_part(key, facts) == b"%PDF-1.7 part"
    (tmp_path / "store" / "parts" / "ab" / f"{key}.pdf").write_bytes(b"%PDF-1.7 other")
    with pytest.raises(ArchiverError, match="damaged"):
        store.get_part(key, facts)


def test_a_store_that_cannot_be_used_is_named(tmp_path: Path) -> None:
    with pytest.raises(ArchiverError, match="Protocol not known"):
        opened("nosuch://bucket/prefix")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ArchiverError, match="cannot be written"):
        opened((blocker / "store").as_uri())


def test_store_without_a_cluster_is_a_usage_error(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from archiver.cli.app import app

    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["export", str(page), "--out", str(tmp_path / "out"), "--store", (tmp_path / "s").as_uri()]
    )
    assert result.exit_code == 2 and "--store is where a cluster's workers exchange files" in result.output
    assert not (tmp_path / "out").exists()
