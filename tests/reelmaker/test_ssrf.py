import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from providers import http as provider_http
from reelmaker import ssrf
from reelmaker.ssrf import UnsafeUrl, resolve_public

_real_getaddrinfo = socket.getaddrinfo


def _answers(monkeypatch, host: str, *answers: str) -> list[str]:
    """Make `host` resolve to each of `answers` in turn (the last one sticks): a rebinding
    resolver. Returns the log of what was asked."""
    asked: list[str] = []
    pending = list(answers)

    def fake(name, port, *args, **kwargs):
        if name != host:
            return _real_getaddrinfo(name, port, *args, **kwargs)
        asked.append(name)
        address = pending.pop(0) if len(pending) > 1 else pending[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(ssrf.socket, "getaddrinfo", fake)
    return asked


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::7f00:1",  # IPv4-compatible
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
        "64:ff9b::c0a8:101",  # NAT64 of 192.168.1.1
    ],
)
def test_ipv4_hidden_in_ipv6_is_unwrapped_and_refused(monkeypatch, address):
    _answers(monkeypatch, "sneaky.example.com", address)

    with pytest.raises(UnsafeUrl) as refused:
        resolve_public("https://sneaky.example.com/hook")

    assert refused.value.details["addresses"] == [address]


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_still_pass(monkeypatch, address):
    _answers(monkeypatch, "fine.example.com", address)

    assert resolve_public("https://fine.example.com/") == [address]


class _MediaServer:
    def __init__(self):
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hosts.append(self.headers["Host"])
                body = b"media bytes"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_provider_download_connects_to_the_checked_address_not_a_second_dns_answer(
    monkeypatch, settings, tmp_path
):
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the local server stands in for a public one
    server = _MediaServer()
    # Checked: 127.0.0.1 (where the server is). Any later lookup: 127.0.0.2 (nothing there).
    asked = _answers(monkeypatch, "cdn.provider.test", "127.0.0.1", "127.0.0.2")
    try:
        out = provider_http.download(
            f"http://cdn.provider.test:{server.port}/image.png",
            out_path=tmp_path / "image.png",
            provider="stock",
        )
    finally:
        server.close()

    assert out.read_bytes() == b"media bytes"
    assert asked == ["cdn.provider.test"]  # resolved once, by the guard
    assert server.hosts == [f"cdn.provider.test:{server.port}"]


def test_provider_download_refuses_a_host_the_guard_did_not_check(tmp_path):
    transport = provider_http.PinnedTransport({"checked.example": ["127.0.0.1"]})

    with pytest.raises(provider_http.httpx.ConnectError, match="not checked"):
        transport.handle_request(provider_http.httpx.Request("GET", "http://unchecked.example:1/"))
