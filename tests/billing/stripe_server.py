"""A local Stripe for the billing tests: localstripe extended by tests/billing/localstripe_shim.py,
started as a real server process on a free port, driven by reelmaker through the official
`stripe` SDK (STRIPE_API_BASE). `deliver_events` hands the events it recorded to reelmaker's
webhook, signed the way Stripe signs them (t=<unix time>,v1=<HMAC-SHA256 of "t.body">)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import stripe

from tests.pgserver import free_port

SHIM = Path(__file__).with_name("localstripe_shim.py")
API_KEY = "sk_test_reelmaker"
WEBHOOK_SECRET = "whsec_test_reelmaker"
WEBHOOK_PATH = "/api/v1/billing/stripe/webhook/"


class LocalStripe:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        handle, log_path = tempfile.mkstemp(prefix="localstripe-", suffix=".log")
        self.log_path = Path(log_path)
        self.log = os.fdopen(handle, "wb")
        self.process: subprocess.Popen | None = None
        self.delivered: set[str] = set()

    def start(self, timeout_s: float = 20) -> LocalStripe:
        command = [sys.executable, str(SHIM), "--port", str(self.port), "--from-scratch"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                self._request("GET", "/v1/customers")
                return self
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    raise RuntimeError(f"localstripe exited: {self.log_tail()}") from None
                time.sleep(0.05)
        raise RuntimeError(f"localstripe did not start: {self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()
        self.log_path.unlink(missing_ok=True)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def _request(self, method: str, path: str, data: dict | None = None) -> dict:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - the test's own server
            self.url + path, data=body, method=method
        )
        request.add_header("Authorization", f"Bearer {API_KEY}")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            raw = response.read()
        return json.loads(raw) if raw.strip() else {}

    def flush(self) -> None:
        self._request("DELETE", "/_config/data")
        self.delivered.clear()

    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(API_KEY, base_addresses={"api": self.url})

    # What a person on Stripe's pages, or Stripe's clock, does (the shim's /_test/ routes).
    def pay_checkout(self, session_id: str, card: str = "4242424242424242") -> dict:
        return self._request("POST", f"/_test/checkout/sessions/{session_id}/pay", {"card": card})

    def renewal(self, subscription_id: str, outcome: str) -> dict:
        path = f"/_test/subscriptions/{subscription_id}/renewal"
        return self._request("POST", path, {"outcome": outcome})

    def end_period(self, subscription_id: str) -> dict:
        return self._request("POST", f"/_test/subscriptions/{subscription_id}/end_period", {})

    def new_events(self) -> list[dict]:
        """Events recorded since the last call, oldest first."""
        events = self.client().v1.events.list(params={"limit": 100}).to_dict()["data"]
        fresh = [event for event in events if event["id"] not in self.delivered]
        fresh.sort(key=lambda event: (event["created"], events.index(event)))
        self.delivered.update(event["id"] for event in fresh)
        return fresh


def sign(body: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_event(client, event: dict, **sign_options):
    body = json.dumps(event).encode()
    return client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, **sign_options),
    )
