"""Which address a capture may connect to: only http and https, and by default only addresses
on the public internet, so that a saved link cannot make archiver probe the user's own network
(loopback, private, link-local, and the other special-purpose ranges)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ..errors import ArchiverError
from ..urls import is_web_url


def checked_addresses(url: str, allow_private: bool) -> list[str]:
    """The IP addresses to connect to for `url`, in the resolver's order, checked; ArchiverError
    when there is none.

    Every address the name resolves to must be public: one private address among public ones is
    refused too (a name that mixes them is where a rebinding attack starts)."""
    if not is_web_url(url):
        raise ArchiverError("only http and https addresses are fetched")
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise ArchiverError(f"DNS: cannot resolve {host}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise ArchiverError(f"DNS: no address for {host}")
    if not allow_private:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise ArchiverError(
                    f"refused: {host} is a private or local address ({address}); --fetch-private allows it"
                )
    return addresses
