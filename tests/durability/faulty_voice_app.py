"""The project's Celery app with a voice provider that fails on purpose (tests only).

A test cannot monkeypatch a worker process, so the worker is started with
`celery -A tests.durability.faulty_voice_app worker` and `REELMAKER_VOICE=faulty-test`: the
real app and tasks, and the real provider selection, which finds the provider registered
below. It wraps the offline voice, which does the work once the fault is spent:

- FAULTY_VOICE_MODE=transient: each narration first fails FAULTY_VOICE_FAILURES times (2) with
  TransientProviderError, as a provider answering 503 would.
- FAULTY_VOICE_MODE=permanent: every call fails with PermanentProviderError while the file
  `broken` exists in FAULTY_VOICE_STATE (the test deletes it to "fix the provider").

Failure counts are files in FAULTY_VOICE_STATE, so they hold across retries and processes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import django

from reelmaker.celery import app

django.setup()  # providers.registry imports models

from providers import registry as providers  # noqa: E402
from providers.base import PermanentProviderError, TransientProviderError  # noqa: E402

__all__ = ["app"]

PROVIDER = "faulty-test"


class FaultyVoiceProvider:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.state = Path(os.environ["FAULTY_VOICE_STATE"])
        self.mode = os.environ.get("FAULTY_VOICE_MODE", "transient")
        self.failures = int(os.environ.get("FAULTY_VOICE_FAILURES", "2"))

    def synthesize(self, *, text: str, **kwargs):
        if self.mode == "permanent":
            if (self.state / "broken").exists():
                raise PermanentProviderError("voice 'nobody' does not exist", provider=PROVIDER)
        else:
            counter = self.state / hashlib.sha256(text.encode()).hexdigest()
            failed = len(counter.read_text()) if counter.exists() else 0
            if failed < self.failures:
                with counter.open("a") as fh:
                    fh.write("x")
                raise TransientProviderError(
                    "503 Service Unavailable", provider=PROVIDER, retry_after_s=0.5
                )
        return self.inner.synthesize(text=text, **kwargs)


def _faulty_voice(config):
    return FaultyVoiceProvider(providers.BUILDERS[("voice", "offline")](config))


providers.BUILDERS[("voice", PROVIDER)] = _faulty_voice
