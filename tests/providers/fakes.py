"""Local servers speaking OpenAI's and ElevenLabs' HTTP formats, with fault modes.

Each server records every request (method, path, headers, JSON body) and answers from a queue
of modes, one per request ("ok" once the queue is empty):
  "ok", "429" (with Retry-After), "500", "garbage" (200 with a body that is not JSON),
  "slow" (holds the answer until the test ends, so the client's timeout fires), "401",
plus provider-specific ones ("bad_plan", "empty_audio", "bad_alignment", "insufficient_quota").
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RETRY_AFTER_S = 7


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


@dataclass
class FakeServer:
    """A threaded HTTP server on 127.0.0.1 with a fault queue and a request log."""

    modes: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self):
        self.release = threading.Event()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        self.release.set()  # frees any "slow" answer still held from the last test
        self.release = threading.Event()
        with self._lock:
            self.modes.clear()
            self.requests.clear()

    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    # -------------------------------------------------------- plumbing

    def _next_mode(self) -> str:
        with self._lock:
            return self.modes.pop(0) if self.modes else "ok"

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = handler.path
        with self._lock:
            self.requests.append(
                Recorded(method, path, {k.lower(): v for k, v in handler.headers.items()}, body)
            )
        mode = self._next_mode()
        if mode == "slow":
            self.release.wait(10)
            return None  # the client gave up long ago; close without an answer
        if mode == "429":
            return self._send(
                handler, 429, self.error_body(429), headers={"Retry-After": str(RETRY_AFTER_S)}
            )
        if mode == "500":
            return self._send(handler, 500, self.error_body(500))
        if mode == "401":
            return self._send(handler, 401, self.error_body(401))
        if mode == "garbage":
            return self._send(
                handler, 200, b"<html>oops, not json", content_type="application/json"
            )
        status, payload = self.answer(method, path, body, mode)
        return self._send(handler, status, json.dumps(payload).encode())

    @staticmethod
    def _send(handler, status, data: bytes, *, headers=None, content_type="application/json"):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def error_body(self, status: int) -> bytes:
        return json.dumps({"error": {"message": f"fake error {status}"}}).encode()

    def answer(self, method: str, path: str, body: dict | None, mode: str) -> tuple[int, dict]:
        raise NotImplementedError


# ---------------------------------------------------------------- OpenAI


def valid_plan(*, duration_s: int = 8, title: str = "Fake plan title", scenes: int = 4) -> dict:
    """A plan that keeps every rule for a `duration_s` brief."""
    each = duration_s / scenes
    return {
        "title": title,
        "hook": "Stop scrolling now",
        "scenes": [
            {
                "narration": f"Scene {n} speaks now.",
                "visual_prompt": f"a bright cafe table, shot {n}, soft morning light",
                "duration_s": each,
                "key_phrase": f"Scene {n}",
            }
            for n in range(1, scenes + 1)
        ],
        "call_to_action": "Follow for more",
        "post_caption": "Fresh every morning ☕",
        "hashtags": ["#coffee", "#morning", "#cafe", "#reels", "#daily"],
    }


class FakeOpenAI(FakeServer):
    """POST /v1/chat/completions and /v1/responses (json_schema), GET /v1/models."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.plan = valid_plan()
        # Narration that cannot be used: repair_plan mends arithmetic but not missing words.
        self.bad_plan = {
            **valid_plan(),
            "scenes": [{**scene, "narration": ""} for scene in valid_plan()["scenes"]],
        }
        self.model_ids = ["gpt-4o-mini", "local-llama"]

    def error_body(self, status: int) -> bytes:
        kind = {401: "invalid_api_key", 429: "rate_limit_exceeded"}.get(status, "server_error")
        return json.dumps(
            {"error": {"message": f"fake {kind}", "type": kind, "param": None, "code": kind}}
        ).encode()

    def answer(self, method, path, body, mode):
        if method == "GET" and path.rstrip("/").endswith("/models"):
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in self.model_ids
            ]
            return 200, {"object": "list", "data": data}
        if mode == "insufficient_quota":
            return 429, {
                "error": {
                    "message": "You exceeded your current quota",
                    "type": "insufficient_quota",
                    "code": "insufficient_quota",
                }
            }
        content = json.dumps(self.bad_plan if mode == "bad_plan" else self.plan, ensure_ascii=False)
        if path.endswith("/chat/completions"):
            return 200, {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
            }
        if path.endswith("/responses"):
            return 200, {
                "id": "resp_fake",
                "object": "response",
                "created_at": 0,
                "status": "completed",
                "model": body["model"],
                "output": [
                    {
                        "type": "message",
                        "id": "msg_fake",
                        "status": "completed",
                        "role": "assistant",
                        "content": [{"type": "output_text", "text": content, "annotations": []}],
                    }
                ],
                "parallel_tool_calls": True,
                "tool_choice": "auto",
                "tools": [],
                "usage": {
                    "input_tokens": 1000,
                    "output_tokens": 250,
                    "total_tokens": 1250,
                    "input_tokens_details": {"cached_tokens": 0},
                    "output_tokens_details": {"reasoning_tokens": 0},
                },
            }
        return 404, {"error": {"message": f"no route {path}"}}


# ---------------------------------------------------------------- ElevenLabs

SECONDS_PER_CHAR = 0.05


@cache
def tone_mp3(duration_s: float) -> bytes:
    """A real MP3 (a 220 Hz tone), made by FFmpeg once per length."""
    done = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:sample_rate=44100:duration={duration_s:.3f}",
            "-ac",
            "1",
            "-b:a",
            "64k",
            "-f",
            "mp3",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    )
    return done.stdout


# GET /v1/voices: a multilingual voice with no verified languages, and a Korean-only one.
ELEVENLABS_VOICES = [
    {
        "voice_id": "JBFqnCBsd6RMkjVDRZzb",
        "name": "Fake George",
        "category": "premade",
        "preview_url": "https://storage.example/george.mp3",
        "verified_languages": [],
    },
    {
        "voice_id": "ko0000000000jiyoung",
        "name": "Fake Jiyoung",
        "category": "professional",
        "preview_url": "https://storage.example/jiyoung.mp3",
        "verified_languages": [
            {
                "language": "ko",
                "model_id": "eleven_multilingual_v2",
                "preview_url": "https://storage.example/jiyoung-ko.mp3",
            }
        ],
    },
]


class FakeElevenLabs(FakeServer):
    """POST /v1/text-to-speech/{voice}/with-timestamps, GET /v1/voices[/{voice}]."""

    def error_body(self, status: int) -> bytes:
        kind = {401: "invalid_api_key", 429: "too_many_concurrent_requests"}.get(status, "error")
        return json.dumps({"detail": {"status": kind, "message": f"fake {kind}"}}).encode()

    def answer(self, method, path, body, mode):
        if method == "GET" and path.split("?")[0] == "/v1/voices":
            return 200, {"voices": ELEVENLABS_VOICES}
        if method == "GET" and path.startswith("/v1/voices/"):
            voice_id = path.split("/")[3].split("?")[0]
            return 200, {"voice_id": voice_id, "name": "Fake George", "category": "premade"}
        if not (method == "POST" and "/with-timestamps" in path):
            return 404, {"detail": {"status": "not_found", "message": path}}
        text = body["text"]
        duration = max(0.5, len(text) * SECONDS_PER_CHAR)
        audio = b"" if mode == "empty_audio" else tone_mp3(round(duration, 2))
        starts = [round(i * SECONDS_PER_CHAR, 3) for i in range(len(text))]
        ends = [round(s + SECONDS_PER_CHAR, 3) for s in starts]
        if mode == "bad_alignment":
            starts = starts[:-3]
        alignment = {
            "characters": list(text),
            "character_start_times_seconds": starts,
            "character_end_times_seconds": ends,
        }
        return 200, {
            "audio_base64": base64.b64encode(audio).decode(),
            "alignment": alignment,
            "normalized_alignment": alignment,
        }
