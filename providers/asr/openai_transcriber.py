"""OpenAI speech to text (`POST /v1/audio/transcriptions`) through the official SDK.

Switched on by `REELMAKER_ASR=openai` with OPENAI_API_KEY (or OPENAI_BASE_URL for a local
OpenAI-compatible server); the model is OPENAI_ASR_MODEL (whisper-1 by default). The answer's
`text` is split into words; usage is the seconds of audio sent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openai

from providers.asr.base import Transcript
from providers.base import PermanentProviderError, ProviderError, Usage
from providers.deadlines import openai_deadline_client
from providers.openai_errors import openai_error

PROVIDER = "openai"


class OpenAITranscriber:
    def __init__(
        self, *, model: str, api_key: str, api_key_env: str, base_url: str, timeout_s: float
    ):
        self.model = model
        self.api_key = api_key
        self.api_key_env = api_key_env
        self.base_url = base_url
        self.timeout_s = float(timeout_s)

    @classmethod
    def from_settings(cls, config) -> OpenAITranscriber:
        """Built from a providers.config.ProviderSettings (options: timeout_s)."""
        from django.conf import settings

        return cls(
            model=config.model or settings.OPENAI_ASR_MODEL,
            api_key=config.api_key,
            api_key_env=config.api_key_env,
            base_url=config.base_url,
            timeout_s=float(config.options.get("timeout_s") or settings.OPENAI_TIMEOUT_S),
        )

    def transcribe(self, *, audio_path: Path, language: str, duration_s: float) -> Transcript:
        """The words OpenAI hears in `audio_path` (language as a hint). Raises
        TransientProviderError (timeouts, 429, 5xx) or PermanentProviderError."""
        if not self.api_key and not self.base_url:
            raise PermanentProviderError(
                f"no API key: set {self.api_key_env} (or OPENAI_BASE_URL for a local server)",
                provider=PROVIDER,
            )
        client = openai.OpenAI(
            api_key=self.api_key or "unused",
            base_url=self.base_url or None,
            timeout=self.timeout_s,
            max_retries=0,  # the job layer retries
            http_client=openai_deadline_client(),
        )
        try:
            with audio_path.open("rb") as audio:
                answer = client.audio.transcriptions.create(
                    model=self.model, file=audio, language=language, response_format="json"
                )
            text = answer.text
        except (openai.OpenAIError, json.JSONDecodeError, AttributeError) as exc:
            raise self._mapped(exc) from exc
        if not isinstance(text, str):
            raise PermanentProviderError(
                "OpenAI sent a transcription without text", provider=PROVIDER
            )
        return Transcript(
            text=text,
            words=re.findall(r"[\w']+", text),
            usage=Usage(provider=PROVIDER, model=self.model, units=duration_s, unit="seconds"),
        )

    def _mapped(self, exc: Exception) -> ProviderError:
        return openai_error(
            exc,
            where=self.base_url or "api.openai.com",
            timeout_s=self.timeout_s,
            key_env=self.api_key_env,
            what=f"model '{self.model}'",
        )
