"""Google Veo through the official google-genai SDK (2.x, Gemini API).

`models.generate_videos` starts a long-running operation (POST
/v1beta/models/{model}:predictLongRunning); `operations.get` is polled with backoff until
`done`; the video is fetched with `files.download`. A safety block ends `done` with no
videos and `raiMediaFilteredReasons`, not with an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from providers.base import PermanentProviderError, TransientProviderError
from providers.video.base import clip_result, clip_seconds, poll
from providers.visual.base import VisualResult

try:  # google-genai sends through httpx2 when it is installed
    import httpx2

    _TIMEOUTS: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx2.TimeoutException)
    _TRANSPORT: tuple[type[Exception], ...] = (httpx.TransportError, httpx2.TransportError)
except ImportError:  # pragma: no cover - depends on the environment
    _TIMEOUTS = (httpx.TimeoutException,)
    _TRANSPORT = (httpx.TransportError,)

PROVIDER = "veo"
DEFAULT_MODEL = "veo-3.0-generate-001"
KEY_SETTING = "GEMINI_API_KEY"
SECONDS = (4, 6, 8)
CREDIT_IN_CAPTION = False


def _retry_delay_s(details) -> float | None:
    """The RetryInfo delay Google puts in a 429 body (it sends no Retry-After)."""
    error = details.get("error", details) if isinstance(details, dict) else {}
    for item in error.get("details") or []:
        delay = str(item.get("retryDelay") or "") if isinstance(item, dict) else ""
        match = re.fullmatch(r"(\d+(?:\.\d+)?)s", delay)
        if match:
            return float(match.group(1))
    return None


def map_genai_error(exc: Exception) -> Exception:
    if isinstance(exc, genai_errors.APIError):
        code = int(exc.code or 0)
        if code == 429:
            return TransientProviderError(
                "quota exhausted (HTTP 429 RESOURCE_EXHAUSTED)",
                provider=PROVIDER,
                retry_after_s=_retry_delay_s(exc.details),
            )
        if code >= 500:
            return TransientProviderError(f"server error (HTTP {code})", provider=PROVIDER)
        if code in (401, 403) or "API_KEY" in str(exc.details):
            return PermanentProviderError(
                f"refused the credentials (HTTP {code}); check {KEY_SETTING} and that the "
                "key may use Veo",
                provider=PROVIDER,
            )
        return PermanentProviderError(
            f"rejected the request (HTTP {code} {exc.status}): {exc.message}", provider=PROVIDER
        )
    if isinstance(exc, _TIMEOUTS):
        return TransientProviderError("timed out", provider=PROVIDER)
    if isinstance(exc, _TRANSPORT):
        return TransientProviderError(f"could not connect ({exc})", provider=PROVIDER)
    return PermanentProviderError(
        f"answered with something unexpected ({type(exc).__name__}: {exc})", provider=PROVIDER
    )


class VeoProvider:
    """Text-to-video clips from Veo. Raises Transient/PermanentProviderError."""

    name = PROVIDER
    credit_in_caption = CREDIT_IN_CAPTION

    def __init__(self, *, api_key: str, base_url: str, timeout_s: float, model: str = ""):
        options = types.HttpOptions(
            base_url=base_url or None,
            timeout=int(timeout_s * 1000),
            # Retries belong to the job (attempts, backoff), not to the SDK.
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        # Kept on the instance: a client used on one line can be collected mid-call.
        self.client = genai.Client(api_key=api_key, http_options=options)
        self.model = model or DEFAULT_MODEL

    def make_clip(
        self,
        *,
        prompt: str,
        width: int,
        height: int,
        duration_ms: int,
        index: int,
        out_path: Path,
    ) -> VisualResult:
        """Start the operation, poll it, download the video, check and trim it."""
        seconds = clip_seconds(duration_ms, SECONDS)
        config = types.GenerateVideosConfig(
            aspect_ratio="9:16" if height >= width else "16:9",
            duration_seconds=seconds,
            number_of_videos=1,
        )
        try:
            operation = self.client.models.generate_videos(
                model=self.model, source=types.GenerateVideosSource(prompt=prompt), config=config
            )
        except Exception as exc:  # every SDK failure is mapped, none escapes raw
            raise map_genai_error(exc) from exc

        def check():
            try:
                current = self.client.operations.get(operation)
            except Exception as exc:
                raise map_genai_error(exc) from exc
            return current if current.done else None

        done = poll(check, provider=PROVIDER)
        if done.error:
            message = (done.error or {}).get("message", "") if isinstance(done.error, dict) else ""
            raise PermanentProviderError(f"the video job failed: {message}", provider=PROVIDER)
        videos = (done.response.generated_videos if done.response else None) or []
        if not videos or videos[0].video is None:
            reasons = (done.response.rai_media_filtered_reasons if done.response else None) or []
            why = "; ".join(reasons) or "no video in the finished operation"
            raise PermanentProviderError(f"returned no video: {why}", provider=PROVIDER)
        video = videos[0].video
        raw = out_path.with_suffix(".src.mp4")
        raw.parent.mkdir(parents=True, exist_ok=True)
        try:
            if video.video_bytes:
                raw.write_bytes(video.video_bytes)
            else:
                self.client.files.download(file=video, destination=str(raw))
        except Exception as exc:
            raise map_genai_error(exc) from exc
        return clip_result(
            raw,
            out_path=out_path,
            duration_ms=duration_ms,
            provider=PROVIDER,
            model=self.model,
            licence="generated by Google Veo (owned by the creator)",
            seconds=seconds,
        )
