import pytest

from archiver.errors import ArchiverError
from archiver.urls import absolute, content_id, parse_data_uri, scheme


def test_relative_links_resolve_against_the_page() -> None:
    assert (
        absolute("../b/c.html?x=1", "https://example.org/a/d/e.html") == "https://example.org/a/b/c.html?x=1"
    )
    assert absolute("//cdn.example.org/i.png", "https://example.org/") == "https://cdn.example.org/i.png"
    assert absolute("img.png", None) is None
    assert absolute("img.png", "cid:foo") is None  # only web pages are bases


def test_scheme_ignores_what_browsers_ignore() -> None:
    assert scheme(" java\tscript:alert(1)") == "javascript"
    assert scheme("JAVASCRIPT:alert(1)") == "javascript"
    assert scheme("img/a.png") is None


def test_data_uris() -> None:
    assert parse_data_uri("data:image/png;base64,iVBORw0KGgo=") == ("image/png", b"\x89PNG\r\n\x1a\n")
    assert parse_data_uri("data:image/svg+xml;utf8,<svg%20x='1'/>") == ("image/svg+xml", b"<svg x='1'/>")
    assert parse_data_uri("data:,hello") == (None, b"hello")
    with pytest.raises(ArchiverError):
        parse_data_uri("data:image/png;base64")


@pytest.mark.parametrize(
    "value",
    [
        "<part1.abc@example.org>",
        "cid:part1.abc@example.org",
        "cid:part1%2Eabc%40example.org",
        " <part1.abc@example.org> ",
    ],
)
def test_content_id_and_cid_url_share_one_key(value: str) -> None:
    """RFC 2392: the header writes <id>, the URL writes cid:id with %-escapes."""
    assert content_id(value) == "part1.abc@example.org"
