"""A Suno-style song gateway, in sunoapi.org's documented format:

    POST /api/v1/generate {customMode, instrumental, prompt (the lyrics), style, title,
         model, vocalGender, callBackUrl}                -> {code, msg, data: {taskId}}
    GET  /api/v1/generate/record-info?taskId=...         -> data.status, data.response.sunoData
    POST /api/v1/generate/get-timestamped-lyrics {taskId, audioId}
                                                         -> data.alignedWords: word, startS, endS

The task is polled with growing pauses up to a deadline; the first track is downloaded through
the SSRF guard and converted to WAV; the aligned words (with "[Chorus]"-style section markers
and line breaks inside them) become word and line timings. A song longer than the reel is cut
from its first chorus, with a fade in and out. SENSITIVE_WORD_ERROR is a content-policy
refusal: the caller's lyrics were refused, said plainly.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from providers import http
from providers.base import (
    InvalidInput,
    PermanentProviderError,
    TransientProviderError,
    Usage,
)
from providers.song.base import LineTiming, SongRequest, SongResult
from render.types import WordTiming

PROVIDER = "suno"
KEY_SETTING = "SUNO_API_KEY"
SAMPLE_RATE = 48_000
FADE_S = 0.5
CHORUS_LEAD_MS = 250  # start the cut a breath before the chorus
DONE = "SUCCESS"
FAILED = {"CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION"}
REFUSED = "SENSITIVE_WORD_ERROR"
# Body codes that mean "try again later" (sunoapi.org: 429 rate, 430 frequency, 455
# maintenance, 5xx); 400 with a policy message is a refusal; the rest are permanent.
TRANSIENT_CODES = {429, 430, 455, 500, 502, 503}
_MARKER = re.compile(r"\[([A-Za-z][A-Za-z -]*)\]")


class SongRefused(InvalidInput):
    """The gateway refused the lyrics or style under its content policy."""


class SongTimedOut(TransientProviderError):
    """The song was not ready before the deadline."""


class SunoGatewayProvider:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        model: str,
        callback_url: str,
        timeout_s: float,
        poll_first_s: float,
        poll_max_s: float,
        deadline_s: float,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not api_key:
            raise PermanentProviderError(f"{KEY_SETTING} is not set", provider=PROVIDER)
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.callback_url = callback_url
        self.poll_first_s, self.poll_max_s, self.deadline_s = poll_first_s, poll_max_s, deadline_s
        self.sleep = sleep
        self.client = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=http.timeout(timeout_s),
        )

    def make(
        self,
        request: SongRequest,
        *,
        out_dir: Path,
        task_id: str = "",
        on_task: Callable[[str], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> SongResult:
        """Generate (unless `task_id` names the task an earlier try had accepted: that one is
        polled again, never paid for twice), poll, download, align; cut to the reel from the
        first chorus. `on_task` hears the new task's id before the first poll."""
        if not task_id:
            task_id = self._generate(request)
            if on_task is not None:
                on_task(task_id)
        track = self._poll(task_id, on_progress)
        return self._fetch(request, task_id, track, out_dir)

    def _generate(self, request: SongRequest) -> str:
        lyrics = request.lyrics
        body = {
            "customMode": True,
            "instrumental": False,
            "prompt": lyrics.as_text(),
            "style": f"{request.genre}, {request.mood}, {lyrics.bpm} bpm",
            "title": lyrics.sections[0].lines[0][:80] if lyrics.sections else "song",
            "model": self.model,
            "vocalGender": "f" if request.vocal == "female" else "m",
            "callBackUrl": self.callback_url,
        }
        task_id = str(self._call("POST", "/api/v1/generate", json=body).get("taskId") or "")
        if not task_id:
            raise PermanentProviderError("the gateway returned no taskId", provider=PROVIDER)
        return task_id

    def _fetch(self, request: SongRequest, task_id: str, track: dict, out_dir: Path) -> SongResult:
        audio_id, audio_url = str(track.get("id") or ""), str(track.get("audioUrl") or "")
        if not audio_id or not audio_url:
            raise PermanentProviderError("the finished task has no track", provider=PROVIDER)
        out_dir.mkdir(parents=True, exist_ok=True)
        raw = http.download(audio_url, out_path=out_dir / "track.raw", provider=PROVIDER)
        aligned = self._call(
            "POST",
            "/api/v1/generate/get-timestamped-lyrics",
            json={"taskId": task_id, "audioId": audio_id},
        ).get("alignedWords")
        words, lines = parse_aligned(aligned or [])
        length_ms = round(float(track.get("duration") or 0) * 1000) or request.duration_ms
        start_ms = 0
        if length_ms > request.duration_ms:
            start_ms = cut_start_ms(lines)
        words, lines = shift(words, lines, start_ms=start_ms, length_ms=request.duration_ms)
        audio = to_wav(raw, out_dir / "song.wav", start_ms=start_ms, length_ms=request.duration_ms)
        return SongResult(
            audio_path=audio,
            duration_ms=request.duration_ms,
            provider=PROVIDER,
            words=words,
            lines=lines,
            sketch=False,
            usage=Usage(provider=PROVIDER, model=self.model, units=1, unit="songs"),
        )

    def _poll(self, task_id: str, on_progress: Callable[[float], None] | None = None) -> dict:
        started = time.monotonic()
        deadline = started + self.deadline_s
        wait = self.poll_first_s
        while True:
            data = self._call("GET", "/api/v1/generate/record-info", params={"taskId": task_id})
            status = str(data.get("status") or "")
            if status == REFUSED:
                raise SongRefused(
                    "the song gateway refused the lyrics under its content policy: "
                    f"{data.get('errorMessage') or 'sensitive words'}; edit the lyrics",
                    provider=PROVIDER,
                )
            if status in FAILED:
                raise PermanentProviderError(
                    f"the song task failed ({status}: {data.get('errorMessage') or '-'})",
                    provider=PROVIDER,
                )
            tracks = ((data.get("response") or {}).get("sunoData")) or []
            if status == DONE and tracks:
                return tracks[0]
            left = deadline - time.monotonic()
            if left <= 0:
                raise SongTimedOut(
                    f"the song was not ready within {self.deadline_s:g} s", provider=PROVIDER
                )
            if on_progress is not None:
                on_progress((time.monotonic() - started) / self.deadline_s)
            self.sleep(min(wait, left))
            wait = min(wait * 1.5, self.poll_max_s)

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """One call; the body's own `code` is checked too (the gateway answers 200 with it)."""
        response = http.request(
            self.client, method, path, provider=PROVIDER, key_setting=KEY_SETTING, **kwargs
        )
        body = http.json_body(response, provider=PROVIDER)
        code = int(body.get("code") or 0)
        message = str(body.get("msg") or "")
        if code == 200:
            data = body.get("data")
            if not isinstance(data, dict):
                raise PermanentProviderError("the answer has no data", provider=PROVIDER)
            return data
        if code in TRANSIENT_CODES:
            raise TransientProviderError(f"gateway code {code}: {message}", provider=PROVIDER)
        if code == 400 and re.search(r"sensitive|policy|prohibited|forbidden", message, re.I):
            raise SongRefused(
                f"the song gateway refused the lyrics under its content policy: {message}",
                provider=PROVIDER,
            )
        raise PermanentProviderError(f"gateway code {code}: {message}", provider=PROVIDER)


def parse_aligned(aligned: list) -> tuple[list[WordTiming], list[LineTiming]]:
    """Words and lines from aligned words whose text may carry "[Section]" markers and line
    breaks ("[Verse]\\nWaggin'"): a marker starts a section, a break starts a line."""
    words: list[WordTiming] = []
    lines: list[LineTiming] = []
    section = "Verse"
    current: list[WordTiming] = []

    def close() -> None:
        if current:
            lines.append(
                LineTiming(
                    section,
                    " ".join(w.text for w in current),
                    current[0].start_ms,
                    current[-1].end_ms,
                )
            )
            current.clear()

    for item in aligned:
        if not isinstance(item, dict) or item.get("success") is False:
            continue
        text = str(item.get("word") or "")
        start = round(float(item.get("startS") or 0) * 1000)
        end = max(start, round(float(item.get("endS") or 0) * 1000))
        marker = _MARKER.search(text)
        if marker:
            close()
            section = marker.group(1).strip().title()
            text = _MARKER.sub("", text)
        elif "\n" in text.strip("\n ") or text.startswith("\n"):
            close()
        for piece in text.split():
            word = WordTiming(piece, start, end)
            words.append(word)
            current.append(word)
        if text.endswith("\n"):
            close()
    close()
    return words, lines


def cut_start_ms(lines: list[LineTiming]) -> int:
    """Where a reel-length cut starts: just before the first chorus (else the start)."""
    for line in lines:
        if line.section.lower().startswith("chorus"):
            return max(0, line.start_ms - CHORUS_LEAD_MS)
    return 0


def shift(
    words: list[WordTiming], lines: list[LineTiming], *, start_ms: int, length_ms: int
) -> tuple[list[WordTiming], list[LineTiming]]:
    """The words and lines sung inside [start, start + length), in the cut's time."""
    end = start_ms + length_ms - round(FADE_S * 1000)
    kept = [
        WordTiming(w.text, w.start_ms - start_ms, w.end_ms - start_ms)
        for w in words
        if start_ms <= w.start_ms < end
    ]
    kept_lines = [
        LineTiming(x.section, x.text, x.start_ms - start_ms, x.end_ms - start_ms)
        for x in lines
        if start_ms <= x.start_ms < end
    ]
    return kept, kept_lines


def to_wav(raw: Path, out: Path, *, start_ms: int, length_ms: int) -> Path:
    """The track from `start_ms`, `length_ms` long, as 48 kHz stereo WAV, faded in and out
    when it is a cut. Raises PermanentProviderError for audio FFmpeg cannot read."""
    length_s = length_ms / 1000
    fades = f"afade=t=out:st={max(0.0, length_s - FADE_S):.3f}:d={FADE_S}"
    if start_ms:
        fades = f"afade=t=in:d={FADE_S / 2},{fades}"
    command = [
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-ss", f"{start_ms / 1000:.3f}", "-t", f"{length_s:.3f}", "-i", str(raw),
        "-af", f"{fades},apad=whole_dur={length_s:.3f}",
        "-ar", str(SAMPLE_RATE), "-ac", "2", "-c:a", "pcm_s16le", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise PermanentProviderError(
            f"the downloaded track is not audio FFmpeg can read: {done.stderr[-300:]}",
            provider=PROVIDER,
        )
    return out
