"""An SSRF guard for every URL the server fetches or posts to on a user's or provider's say-so.

A URL is refused when any address its host resolves to is private, loopback, link-local,
multicast, reserved or unspecified, unless `allow_private` is set (tests and trusted
deployments). An IPv6 address that carries an IPv4 one (IPv4-mapped, IPv4-compatible, 6to4,
Teredo, NAT64) is judged by that IPv4 address too: `64:ff9b::7f00:1` reaches 127.0.0.1 through
a NAT64 gateway. Check again right before connecting: DNS can change between save and send;
better still, connect to the very address that was checked (jobs.webhooks, providers.http).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from reelmaker.errors import InvalidRequest

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class UnsafeUrl(InvalidRequest):
    default_message = _("This URL points to a private or local address and cannot be used.")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, compatible, 6to4, Teredo, NAT64."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client): the client is de-obfuscated already
    if any(ip in network for network in _NAT64) or (
        ip in _IPV4_COMPATIBLE and int(ip) > 1  # :: and ::1 are themselves, not IPv4
    ):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public_address(address: str) -> bool:
    """Whether connecting to `address` reaches the public internet, and only it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner:
            return all(v4.is_global and not v4.is_multicast for v4 in inner)
    return ip.is_global and not ip.is_multicast


def resolve_public(url: str, *, allow_private: bool = False, allow_http: bool = True) -> list[str]:
    """The addresses `url` resolves to. Raises UnsafeUrl for a bad scheme (http too unless
    `allow_http`), an unresolvable host or any non-public address (unless `allow_private`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl(
            _("Only http and https URLs with a host name are accepted."), details={"url": url}
        )
    if parts.scheme == "http" and not allow_http:
        raise UnsafeUrl(_("Only https URLs are accepted here."), details={"url": url})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrl(
            _("The host name of this URL does not resolve."), details={"url": url}
        ) from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not allow_private:
        private = [a for a in addresses if not is_public_address(a)]
        if private:
            raise UnsafeUrl(details={"url": url, "addresses": private})
    return addresses
