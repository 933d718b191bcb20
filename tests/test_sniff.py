import pytest

from archiver.images.sniff import looks_binary, sniff_image

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.mark.parametrize(
    "data, media_type",
    [
        (PNG_1X1, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "image/avif"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00", "image/bmp"),
        (
            b"<?xml version='1.0'?>\n<!-- made by hand -->\n<svg xmlns='http://www.w3.org/2000/svg'/>",
            "image/svg+xml",
        ),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", None),
        (b"BMW owners club", None),
        (b"", None),
    ],
)
def test_image_types_come_from_bytes(data: bytes, media_type: str | None) -> None:
    assert sniff_image(data) == media_type


def test_binary_detection() -> None:
    assert looks_binary(b"\x00\x01\x02garbage")
    assert not looks_binary("<p>héllo</p>".encode())
    assert not looks_binary("<p>hello</p>".encode("utf-16"))
