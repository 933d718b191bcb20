"""One HTTP exchange as it happened on the wire: the request's bytes as sent and the response's as
received (status line, headers, body as transferred), for the WARC's request and response records.

The connection goes to the address that was checked (addresses.py), never to a name resolved
again later: between a check and a second lookup, a name can be made to point at the user's own
network (DNS rebinding). TLS still verifies the certificate for the name. Nothing is kept between
exchanges: no cookies, no connection reuse.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import ArchiverError

READ_CHUNK = 65536


class ConnectFailed(ArchiverError):
    """No connection to this address: another address of the same name may answer."""


@dataclass(frozen=True)
class Limits:
    """What one exchange may take; defaults a user would accept for pages and their images."""

    timeout: float = 20.0  # seconds to connect, and for each read
    deadline: float = 60.0  # seconds for the whole exchange: a server that drips bytes is cut off
    max_bytes: int = 50 * 2**20  # of a body; past it the response is kept truncated, and marked so


@dataclass(frozen=True)
class Exchanged:
    """What one request got: the raw bytes both ways, and the parsed parts a reader needs."""

    url: str
    at: datetime  # when the request was sent, UTC
    ip: str
    request: bytes  # as sent
    response: bytes  # as received, up to the body's cap
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # the entity, de-chunked and decoded (what the page or image is)
    truncated: bool  # the body was longer than Limits.max_bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def response_headers(response: bytes) -> list[tuple[str, str]]:
    """The headers of a response as received (the raw bytes a Hop's `response` names), in order."""
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    found = []
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip():
            found.append((name.strip(), value.strip()))
    return found


def exchange(
    url: str, ip: str, headers: dict[str, str], limits: Limits, stopping: threading.Event | None = None
) -> Exchanged:
    """GET `url` from `ip`; ArchiverError saying what failed (refused, timed out, TLS, protocol)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    wire = _Wire()
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _TlsConnection(host, port, ip, wire, limits.timeout)
    else:
        connection = _PlainConnection(host, port, ip, wire, limits.timeout)
    at = datetime.now(UTC)
    # One deadline from connect to the last byte: a timer shuts the socket down when it passes, so
    # that a server dripping its status line or headers a byte at a time is cut off as surely as
    # one dripping its body (a per-read timeout restarts with every byte).
    expired = threading.Event()
    timer = threading.Timer(limits.deadline, _expire, (connection, expired))
    timer.daemon = True
    timer.start()
    try:
        return _exchange(connection, url, ip, headers, limits, at, wire, stopping, expired)
    except ArchiverError:
        raise
    except (ssl.SSLError, TimeoutError, http.client.HTTPException, OSError) as exc:
        if expired.is_set():
            raise ArchiverError(f"timed out (the whole exchange took over {limits.deadline:.0f} s)") from exc
        raise _failed(exc) from exc
    finally:
        timer.cancel()
        connection.close()


def _exchange(
    connection: http.client.HTTPConnection,
    url: str,
    ip: str,
    headers: dict[str, str],
    limits: Limits,
    at: datetime,
    wire: _Wire,
    stopping: threading.Event | None,
    expired: threading.Event,
) -> Exchanged:
    try:
        connection.connect()
    except ssl.SSLError as exc:
        raise ArchiverError(f"TLS failed ({exc.reason or exc})") from exc
    except OSError as exc:
        if expired.is_set():
            raise
        why = "timed out" if isinstance(exc, TimeoutError) else exc.strerror or type(exc).__name__
        raise ConnectFailed(f"no connection to {ip} ({why})") from exc
    if expired.is_set():  # the timer fired while connecting, before there was a socket to shut
        raise TimeoutError
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", parts.netloc.rsplit("@", 1)[-1])
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body, truncated = _read_body(response, limits, stopping or threading.Event(), expired)
    return Exchanged(
        url=url,
        at=at,
        ip=ip,
        request=bytes(wire.sent),
        response=bytes(wire.received),
        status=response.status,
        reason=response.reason or "",
        headers=tuple(response.getheaders()),
        body=body,
        truncated=truncated,
    )


def _expire(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once


def _failed(exc: BaseException) -> ArchiverError:
    if isinstance(exc, ssl.SSLError):
        return ArchiverError(f"TLS failed ({exc.reason or exc})")
    if isinstance(exc, TimeoutError):
        return ArchiverError("timed out")
    if isinstance(exc, ConnectionRefusedError):
        return ArchiverError("connection refused")
    return ArchiverError(f"failed ({type(exc).__name__}: {exc})")


def _read_body(
    response: http.client.HTTPResponse, limits: Limits, stopping: threading.Event, expired: threading.Event
) -> tuple[bytes, bool]:
    """The entity, decoded as it arrives, and whether it was cut at the cap: the bytes on the
    wire and the decoded entity are each bounded by `max_bytes`, so that a 1 MiB gzip body that
    inflates to 1 GiB stops at the cap (the response record keeps the bytes as sent)."""
    decoder = _Decoder(response.getheader("Content-Encoding"))
    chunks: list[bytes] = []
    received = decoded = 0
    while True:
        if stopping.is_set():
            raise ArchiverError("stopped")
        if expired.is_set():
            raise TimeoutError
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        received += len(chunk)
        part = decoder.decode(
            chunk[: limits.max_bytes - received + len(chunk)], limits.max_bytes - decoded + 1
        )
        chunks.append(part)
        decoded += len(part)
        if received > limits.max_bytes or decoded > limits.max_bytes:
            return b"".join(chunks)[: limits.max_bytes], True
    tail = decoder.finish(limits.max_bytes - decoded + 1)
    body = b"".join([*chunks, tail])
    return body[: limits.max_bytes], len(body) > limits.max_bytes


class _Decoder:
    """The entity as the page or image it is: archiver asks for `identity`, but a server may
    compress anyway. Decoded a chunk at a time, never more than the room given."""

    def __init__(self, encoding: str | None) -> None:
        self.coding = (encoding or "identity").strip().lower()
        self.started = False
        self.inflater: Any = None
        if self.coding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif self.coding == "deflate":
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding not in ("", "identity"):
            raise ArchiverError(
                f"a body in {self.coding}, which archiver cannot read (it asked for identity)"
            )

    def decode(self, data: bytes, room: int) -> bytes:
        if self.inflater is None:
            return data
        try:
            out: bytes = self.inflater.decompress(data, room)
        except zlib.error:
            if self.coding != "deflate" or self.started:
                raise ArchiverError(f"a body that is not the {self.coding} it says") from None
            self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # servers send raw deflate as often as zlib's
            self.started = True
            return self.decode(data, room)
        self.started = True
        return out

    def finish(self, room: int) -> bytes:
        """What the inflater still holds once the body has ended (no more than `room`)."""
        return b"" if self.inflater is None else bytes(self.inflater.flush())[:room]


class _Wire:
    """The bytes that crossed the connection, both ways."""

    def __init__(self) -> None:
        self.sent = bytearray()
        self.received = bytearray()


class _RecordingFile:
    """The response's socket file, keeping a copy of every byte read from it."""

    def __init__(self, raw: Any, wire: _Wire) -> None:
        self.raw = raw
        self.wire = wire

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self.raw.readline(limit)
        self.wire.received += line
        return line

    def read(self, amount: int | None = None) -> bytes:
        data: bytes = self.raw.read(amount)
        self.wire.received += data
        return data

    def read1(self, amount: int = -1) -> bytes:
        data: bytes = self.raw.read1(amount)
        self.wire.received += data
        return data

    def readinto(self, buffer: Any) -> int:
        count: int = self.raw.readinto(buffer)
        self.wire.received += bytes(memoryview(buffer)[:count])
        return count

    def peek(self, amount: int = 0) -> bytes:
        data: bytes = self.raw.peek(amount)
        return data

    def close(self) -> None:
        self.raw.close()

    def flush(self) -> None:
        pass


def _response_class(wire: _Wire) -> type[http.client.HTTPResponse]:
    class Recording(http.client.HTTPResponse):
        def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp = _RecordingFile(self.fp, wire)  # type: ignore[assignment]

    return Recording


class _PlainConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, wire: _Wire, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.ip, self.wire = ip, wire
        self.response_class = _response_class(wire)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)

    def send(self, data: Any) -> None:
        self.wire.sent += data
        super().send(data)


class _TlsConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, wire: _Wire, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.ip, self.wire = ip, wire
        self.response_class = _response_class(wire)

    def connect(self) -> None:
        sock = socket.create_connection((self.ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]

    def send(self, data: Any) -> None:
        self.wire.sent += data
        super().send(data)
