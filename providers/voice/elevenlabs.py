"""ElevenLabs text-to-speech with timestamps: audio plus a start time for every character.

The character alignment becomes one WordTiming per whitespace token of our text (the same
tokens the offline voices time), so captions follow the voice. The audio (MP3 by default)
is decoded by FFmpeg and written as the mono WAV the renderer expects. A story's `voice` may
hold an ElevenLabs voice id, optionally with a model: "VOICE_ID" or "VOICE_ID:MODEL_ID"; an
offline voice id or an empty one means the configured default voice.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import functools
import subprocess
from pathlib import Path

import httpx
import numpy as np
from elevenlabs.client import ElevenLabs
from elevenlabs.core.api_error import ApiError
from elevenlabs.core.parse_error import ParsingError
from elevenlabs.core.request_options import RequestOptions

from providers.base import (
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
    Usage,
)
from providers.deadlines import deadline_client
from providers.http import error_for_status
from providers.voice.audio import Token, finish_speech, require_text
from providers.voice.base import LANGUAGES, VOICES, SpeechResult, Voice

PROVIDER = "elevenlabs"
DEFAULT_MODEL_ID = "eleven_multilingual_v2"
DEFAULT_OUTPUT_FORMAT = "mp3_44100_128"
DECODE_RATE = 44_100
DEFAULT_TIMEOUT_S = 60.0
# Models that accept `language_code`; others (multilingual v2) reject or ignore it.
LANGUAGE_CODE_MODELS = frozenset({"eleven_flash_v2_5", "eleven_turbo_v2_5"})
_OFFLINE_VOICE_IDS = frozenset(voice.id for voice in VOICES)


def token_starts_ms(
    text: str, tokens: list[Token], *, characters: list[str], starts_s: list[float]
) -> list[int | None]:
    """Each token's start: the start of its first character the alignment knows, else None.

    ElevenLabs aligns the text it was sent, so the characters usually spell it exactly; when
    they differ (normalised spaces or quotes), characters are matched by diff.
    """
    spoken = "".join(characters)
    if spoken == text and len(characters) == len(text):
        index = list(range(len(text)))
    else:
        index = [-1] * len(text)
        # One alignment entry may hold more than one character: map by cumulative offset.
        owner = [i for i, chunk in enumerate(characters) for _ in chunk]
        matcher = difflib.SequenceMatcher(None, text, spoken, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                index[block.a + k] = owner[block.b + k]
    result: list[int | None] = []
    for token in tokens:
        known = [index[i] for i in range(token.start_char, token.end_char) if index[i] >= 0]
        result.append(round(starts_s[known[0]] * 1000) if known else None)
    return result


class ElevenLabsVoice:
    """VoiceProvider over the official `elevenlabs` SDK. Thread-safe; one client per call."""

    def __init__(
        self,
        *,
        api_key: str,
        api_key_env: str = "ELEVENLABS_API_KEY",
        base_url: str = "",
        model_id: str = DEFAULT_MODEL_ID,
        default_voice_id: str = "",
        timeout_s: float = DEFAULT_TIMEOUT_S,
        output_format: str = DEFAULT_OUTPUT_FORMAT,
        ffmpeg: str = "ffmpeg",
    ):
        self.api_key = api_key
        self.api_key_env = api_key_env or "ELEVENLABS_API_KEY"
        self.base_url = base_url
        self.model_id = model_id or DEFAULT_MODEL_ID
        self.default_voice_id = default_voice_id
        self.timeout_s = float(timeout_s)
        self.output_format = output_format
        self.ffmpeg = ffmpeg

    @classmethod
    def from_settings(cls, config) -> ElevenLabsVoice:
        """Built from a ProviderSettings (options: voice_id, output_format, timeout_s)."""
        from django.conf import settings

        options = config.options
        return cls(
            api_key=config.api_key,
            api_key_env=config.api_key_env,
            base_url=config.base_url,
            model_id=config.model or settings.ELEVENLABS_MODEL_ID,
            default_voice_id=str(options.get("voice_id") or settings.ELEVENLABS_VOICE_ID),
            timeout_s=float(options.get("timeout_s") or settings.ELEVENLABS_TIMEOUT_S),
            output_format=str(options.get("output_format") or DEFAULT_OUTPUT_FORMAT),
            ffmpeg=settings.FFMPEG_BIN,
        )

    # -------------------------------------------------------- public

    def voice_and_model(self, voice: str) -> tuple[str, str]:
        """(voice id, model id) for a story's voice field."""
        voice = (voice or "").strip()
        if not voice or voice in _OFFLINE_VOICE_IDS:
            voice = self.default_voice_id
        voice_id, _, model_id = voice.partition(":")
        if not voice_id:
            raise PermanentProviderError(
                "no voice id: set ELEVENLABS_VOICE_ID or the story's voice", provider=PROVIDER
            )
        return voice_id, model_id.strip() or self.model_id

    def synthesize(self, *, text: str, language: str, voice: str, out_path: Path) -> SpeechResult:
        """Speak `text` with the story's ElevenLabs voice and model into `out_path` (WAV mono).
        Raises TransientProviderError (timeouts, 429, 5xx) or PermanentProviderError."""
        tokens = require_text(text, provider=PROVIDER)
        voice_id, model_id = self.voice_and_model(voice)
        client = self._client()
        speak = functools.partial(
            client.text_to_speech.convert_with_timestamps,
            voice_id,
            text=text,
            model_id=model_id,
            output_format=self.output_format,
            request_options=self._request_options(),
        )
        try:
            # language_code is left out of the request for models that do not accept it.
            if model_id in LANGUAGE_CODE_MODELS:
                response = speak(language_code=language)
            else:
                response = speak()
        except (ApiError, ParsingError, httpx.HTTPError, ValueError) as exc:
            raise self._mapped(exc, what=f"voice '{voice_id}' or model '{model_id}'") from exc

        audio = self._audio_bytes(response)
        characters, starts_s = self._alignment(response)
        samples = self._decode(audio)
        usage = Usage(
            provider=PROVIDER,
            model=model_id,
            units=len(text),
            unit="characters",
        )
        return finish_speech(
            samples=samples,
            sample_rate=DECODE_RATE,
            tokens=tokens,
            starts_ms=token_starts_ms(text, tokens, characters=characters, starts_s=starts_s),
            out_path=out_path,
            usage=usage,
        )

    def list_voices(self) -> list[Voice]:
        """The account's voices (GET /v1/voices), one entry per language of ours each speaks:
        its verified languages, or every language when it lists none (the multilingual
        models speak them all), with ElevenLabs' preview URL. Raises TransientProviderError
        or PermanentProviderError."""
        client = self._client()
        try:
            found = client.voices.get_all(request_options=self._request_options())
        except (ApiError, ParsingError, httpx.HTTPError, ValueError) as exc:
            raise self._mapped(exc, what="the voice list") from exc
        voices = []
        for voice in found.voices:
            verified = {
                (entry.language or "").split("-")[0].lower(): entry.preview_url or ""
                for entry in voice.verified_languages or []
            }
            languages = [lang for lang in LANGUAGES if lang in verified] if verified else LANGUAGES
            voices += [
                Voice(
                    id=voice.voice_id,
                    language=language,
                    engine=PROVIDER,
                    label=voice.name or voice.voice_id,
                    sample_url=verified.get(language) or voice.preview_url or "",
                )
                for language in languages
            ]
        return voices

    def check_connection(self) -> str:
        """Look up the default voice: checks the key, the base URL and the voice id."""
        voice_id, model_id = self.voice_and_model("")
        client = self._client()
        try:
            found = client.voices.get(voice_id, request_options=self._request_options())
        except (ApiError, ParsingError, httpx.HTTPError, ValueError) as exc:
            raise self._mapped(exc, what=f"voice '{voice_id}'") from exc
        name = getattr(found, "name", "") or voice_id
        return f"connected to {self._where()}; voice '{name}' ({voice_id}), model '{model_id}'"

    # -------------------------------------------------------- I/O

    def _where(self) -> str:
        return self.base_url or "api.elevenlabs.io"

    def _client(self) -> ElevenLabs:
        if not self.api_key:
            raise PermanentProviderError(f"no API key: set {self.api_key_env}", provider=PROVIDER)
        return ElevenLabs(
            api_key=self.api_key,
            base_url=self.base_url or None,
            timeout=self.timeout_s,
            httpx_client=deadline_client(),  # timeout is per read; this bounds the whole call
        )

    def _request_options(self) -> RequestOptions:
        # The job layer retries with backoff and counts attempts; the SDK must not retry too.
        return RequestOptions(
            max_retries=0,
            # The stub says int, but the SDK hands the value to httpx, which takes a float.
            timeout_in_seconds=self.timeout_s,  # type: ignore[typeddict-item]
        )

    def _audio_bytes(self, response) -> bytes:
        encoded = getattr(response, "audio_base_64", None)
        if not isinstance(encoded, str):
            raise self._malformed("no audio_base64 in the answer")
        try:
            audio = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise self._malformed("audio_base64 is not base64") from None
        if not audio:
            raise self._malformed("the audio has zero length")
        return audio

    def _alignment(self, response) -> tuple[list[str], list[float]]:
        alignment = getattr(response, "alignment", None)
        if alignment is None:
            raise self._malformed("no character alignment in the answer")
        try:
            characters = [str(c) for c in alignment.characters]
            starts = [float(s) for s in alignment.character_start_times_seconds]
        except (AttributeError, TypeError, ValueError):
            raise self._malformed("no character alignment in the answer") from None
        if len(characters) != len(starts) or not characters:
            raise self._malformed(
                f"the alignment lists {len(characters)} characters and {len(starts)} start times"
            )
        return characters, starts

    def _decode(self, audio: bytes) -> np.ndarray:
        command = [
            self.ffmpeg, "-v", "error", "-i", "pipe:0",
            "-f", "f32le", "-ac", "1", "-ar", str(DECODE_RATE), "pipe:1",
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, input=audio, capture_output=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PermanentProviderError(
                f"cannot decode the audio with FFmpeg ({exc})", provider=PROVIDER
            ) from exc
        samples = np.frombuffer(done.stdout, dtype="<f4").copy()
        if done.returncode != 0 or samples.size == 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no audio"]
            raise self._malformed(f"the audio does not decode ({detail[0]})")
        return samples

    def _malformed(self, what: str) -> PermanentProviderError:
        return PermanentProviderError(
            f"ElevenLabs ({self._where()}) sent a malformed answer: {what}", provider=PROVIDER
        )

    def _mapped(self, exc: Exception, *, what: str) -> ProviderError:
        if isinstance(exc, httpx.TimeoutException):
            return TransientProviderError(
                f"ElevenLabs did not answer within {self.timeout_s:g} s ({self._where()})",
                provider=PROVIDER,
            )
        if isinstance(exc, httpx.TransportError):
            return TransientProviderError(
                f"cannot reach {self._where()}: {exc}; check ELEVENLABS_BASE_URL and the network",
                provider=PROVIDER,
            )
        if isinstance(exc, ParsingError):
            return self._malformed("the JSON does not have the expected shape")
        if isinstance(exc, ApiError):
            status = exc.status_code or 0
            if 200 <= status < 300:
                # The SDK reports a 2xx body it cannot read as JSON this way.
                return self._malformed("the body is not JSON")
            return error_for_status(
                status,
                provider=PROVIDER,
                name="ElevenLabs",
                key_env=self.api_key_env,
                detail=_detail(exc.body),
                headers=exc.headers,
                what=what,
            )
        return self._malformed(f"{type(exc).__name__}: {exc}")


def _detail(body) -> str:
    """ElevenLabs errors read {"detail": {"status": ..., "message": ...}} (or a plain string)."""
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, dict):
        detail = detail.get("message") or detail.get("status") or ""
    return str(detail or "")[:300]
