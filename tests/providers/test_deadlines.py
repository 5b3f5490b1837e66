"""Every provider call has a total deadline: a server trickling its answer is cut off at
PROVIDER_DEADLINE_S, however short each single wait is."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import openai
import pytest

from providers import deadlines, http
from providers.base import TransientProviderError


class TricklingServer:
    """Answers every request with 200 and a declared body, sent one byte every 0.2 s."""

    def __init__(self, content_type: str = "application/json", give_up_s: float = 20):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.content_type, self.give_up_s = content_type, give_up_s
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            body = b'{"data": [' + b" " * 400 + b"]}"
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: "
                + self.content_type.encode()
                + b"\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
            )
            started = time.monotonic()
            for byte in body:
                if time.monotonic() - started > self.give_up_s:
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.2)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()


@pytest.fixture
def short_deadline(settings):
    settings.PROVIDER_TIMEOUT_S = 10  # each single wait is far shorter than this
    settings.PROVIDER_DEADLINE_S = 1
    settings.FETCH_ALLOW_PRIVATE_URLS = True
    return settings


def test_an_api_call_to_a_trickling_server_is_cut_at_the_deadline(short_deadline):
    with TricklingServer() as server, httpx.Client(timeout=http.timeout()) as client:
        started = time.monotonic()
        with pytest.raises(TransientProviderError, match="within 1 s"):
            http.request(
                client,
                "GET",
                server.url + "/v1/search",
                provider="pexels",
                key_setting="PEXELS_API_KEY",
            )
        elapsed = time.monotonic() - started

    assert 1 <= elapsed < 2.5


def test_a_media_download_from_a_trickling_server_is_cut_and_leaves_nothing(
    short_deadline, tmp_path
):
    out = tmp_path / "photo.jpg"

    with TricklingServer(content_type="image/jpeg") as server:
        started = time.monotonic()
        with pytest.raises(TransientProviderError, match="within 1 s"):
            http.download(server.url + "/photo.jpg", out_path=out, provider="pexels")
        elapsed = time.monotonic() - started

    assert 1 <= elapsed < 2.5
    assert list(tmp_path.iterdir()) == []


def test_an_sdk_client_with_a_per_read_timeout_is_cut_at_the_deadline(short_deadline):
    with TricklingServer() as server:
        client = openai.OpenAI(
            api_key="sk-test",
            base_url=server.url + "/v1",
            timeout=10,
            max_retries=0,
            http_client=deadlines.openai_deadline_client(),
        )
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            client.models.list()
        elapsed = time.monotonic() - started

    assert 1 <= elapsed < 2.5
