"""An SSRF guard for every URL the server fetches or posts to on a user's or provider's say-so.

A URL is refused when any address its host resolves to is private, loopback, link-local,
multicast, reserved or unspecified, unless `allow_private` is set (tests and trusted
deployments). Check again right before connecting: DNS can change between save and send.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from reelmaker.errors import InvalidRequest


class UnsafeUrl(InvalidRequest):
    default_message = _("This URL points to a private or local address and cannot be used.")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_public(url: str, *, allow_private: bool = False) -> list[str]:
    """The addresses `url` resolves to. Raises UnsafeUrl for a bad scheme, an unresolvable host
    or any non-public address (unless `allow_private`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl(
            _("Only http and https URLs with a host name are accepted."), details={"url": url}
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrl(
            _("The host name of this URL does not resolve."), details={"url": url}
        ) from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not allow_private:
        private = [a for a in addresses if not _is_public(a)]
        if private:
            raise UnsafeUrl(details={"url": url, "addresses": private})
    return addresses
