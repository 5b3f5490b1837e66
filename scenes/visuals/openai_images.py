"""OpenAI image generation (gpt-image-1, portrait 1024x1536) through the official SDK.

GPT image models always answer with `b64_json`; the bytes are decoded, checked by content
(an image that does not decode is a permanent error) and handed to the renderer, which
scales and crops to the frame.
"""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal
from pathlib import Path

import openai

from scenes.providers_base import PermanentProviderError, TransientProviderError, Usage
from scenes.visuals import fetch
from scenes.visuals.base import VisualResult

PROVIDER = "openai"
DEFAULT_MODEL = "gpt-image-1"
KEY_SETTING = "OPENAI_API_KEY"
CREDIT_IN_CAPTION = False
# USD per image for gpt-image-1 at 1024x1536 / 1536x1024 (1024x1024 is cheaper; see README).
PRICE_USD = {"low": Decimal("0.016"), "medium": Decimal("0.063"), "high": Decimal("0.25")}


def image_size(width: int, height: int) -> str:
    """The GPT image size closest to the frame's shape: portrait, landscape or square."""
    if height > width:
        return "1024x1536"
    return "1536x1024" if width > height else "1024x1024"


def map_openai_error(exc: Exception, *, provider: str = PROVIDER, key_setting: str = KEY_SETTING):
    """The Transient/PermanentProviderError for an error raised by the openai SDK."""
    if isinstance(exc, openai.APITimeoutError):
        return TransientProviderError("timed out", provider=provider)
    if isinstance(exc, openai.APIConnectionError):
        return TransientProviderError(f"could not connect ({exc})", provider=provider)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            return TransientProviderError(
                "rate limited (HTTP 429)",
                provider=provider,
                retry_after_s=fetch.retry_after_s(exc.response),
            )
        if status >= 500:
            return TransientProviderError(f"server error (HTTP {status})", provider=provider)
        if status in (401, 403):
            return PermanentProviderError(
                f"refused the credentials (HTTP {status}); check {key_setting} and the "
                "account's access to this model",
                provider=provider,
            )
        return PermanentProviderError(
            f"rejected the request (HTTP {status}): {exc.message}", provider=provider
        )
    if isinstance(exc, (json.JSONDecodeError, openai.APIResponseValidationError)):
        return PermanentProviderError(
            "answered with a body that is not the documented JSON", provider=provider
        )
    return PermanentProviderError(f"{type(exc).__name__}: {exc}", provider=provider)


OPENAI_ERRORS = (openai.OpenAIError, json.JSONDecodeError)


class OpenAIImageProvider:
    """One generated image per scene. Raises Transient/PermanentProviderError."""

    name = PROVIDER
    credit_in_caption = CREDIT_IN_CAPTION

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout_s: float,
        model: str = "",
        quality: str = "medium",
    ):
        # Retries belong to the job (attempts, backoff): the SDK must not retry on its own.
        self.client = openai.OpenAI(
            api_key=api_key, base_url=base_url or None, timeout=timeout_s, max_retries=0
        )
        self.model = model or DEFAULT_MODEL
        self.quality = quality if quality in PRICE_USD else "medium"

    def make(
        self,
        *,
        prompt: str,
        key_phrase: str,
        style: str,
        language: str,
        index: int,
        width: int,
        height: int,
        out_path: Path,
    ) -> VisualResult:
        """Generate a portrait image for the prompt and write it as PNG."""
        text = " ".join((prompt or key_phrase).split())
        if style:
            text = f"{text}. Style: {style}. Vertical composition, no text or lettering."
        try:
            answer = self.client.images.generate(
                model=self.model,
                prompt=text,
                size=image_size(width, height),
                quality=self.quality,
                n=1,
            )
        except OPENAI_ERRORS as exc:
            raise map_openai_error(exc) from exc
        data = answer.data or []
        encoded = data[0].b64_json if data else None
        if not encoded:
            raise PermanentProviderError("answered without b64_json image data", provider=PROVIDER)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise PermanentProviderError(
                "sent image data that is not base64", provider=PROVIDER
            ) from exc
        path = out_path.with_suffix(".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        info = fetch.checked_media(path, provider=PROVIDER, kind="image")
        return VisualResult(
            path=path,
            kind="image",
            width=info.width,
            height=info.height,
            mime=info.mime,
            provider=PROVIDER,
            attribution="",
            licence="generated by OpenAI (owned by the creator)",
            usage=Usage(
                provider=PROVIDER,
                model=self.model,
                units=1.0,
                unit="images",
                cost_usd=PRICE_USD[self.quality],
            ),
        )
