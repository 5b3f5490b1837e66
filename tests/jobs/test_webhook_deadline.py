"""A webhook delivery has a total deadline: a receiver trickling its answer is cut off."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from jobs import webhooks


class TricklingReceiver:
    """Reads the request, then answers one byte a second (for at most `give_up_s`)."""

    def __init__(self, give_up_s: float = 20):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.give_up_s = give_up_s
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000
            started = time.monotonic()
            for byte in answer:
                if time.monotonic() - started > self.give_up_s:
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the sender hung up
                time.sleep(1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()


def test_a_receiver_trickling_one_byte_a_second_is_cut_at_the_deadline(settings):
    settings.WEBHOOK_SECRET = "whsec-test"
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True  # the local receiver speaks plain http
    settings.WEBHOOK_TIMEOUT_S = 10
    settings.WEBHOOK_DEADLINE_S = 2

    with TricklingReceiver() as receiver:
        started = time.monotonic()
        with pytest.raises(webhooks.WebhookDeliveryFailed, match="within 2 s"):
            webhooks.post_signed(
                url=receiver.url, body=b"{}", event_type="story.completed", delivery="evt_1"
            )
        elapsed = time.monotonic() - started

    assert 2 <= elapsed < 4
