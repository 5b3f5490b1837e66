"""A local server speaking sunoapi.org's documented song API (generate, record-info,
get-timestamped-lyrics) and serving the finished track as MP3.

Modes: "ok" (PENDING, TEXT_SUCCESS, then SUCCESS on the third poll), "refuse" (the task ends
SENSITIVE_WORD_ERROR), "never" (stays PENDING: the client's deadline must end it)."""

from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TRACK_S = 40.0
CHORUS_AT_S = 20.0
API_KEY = "test-suno-key"


def make_track(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency=330:duration={TRACK_S}", "-ac", "2", "-b:a", "64k", str(path)],
        check=True,
    )  # fmt: skip
    return path


def aligned_words(prompt: str) -> list[dict]:
    """The lyrics' words, a verse from 2 s and the chorus from CHORUS_AT_S, half a second
    each; the first word of a section carries its marker, as the gateway sends them."""
    out: list[dict] = []
    at = {"Verse": 2.0, "Chorus": CHORUS_AT_S}
    section = "Verse"
    marker = ""
    for raw in prompt.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section, marker = line[1:-1], raw.strip() + "\n"
            continue
        for i, word in enumerate(line.split()):
            start = at.get(section, 30.0)
            text = (marker if i == 0 else "") + word + ("\n" if i == len(line.split()) - 1 else "")
            out.append({"word": text, "success": True, "startS": start, "endS": start + 0.4,
                        "palign": 0})  # fmt: skip
            at[section] = start + 0.5
            marker = ""
    return out


@dataclass
class State:
    mode: str = "ok"
    polls: int = 0
    prompt: str = ""
    requests: list[tuple[str, str, dict]] = field(default_factory=list)


class FakeSuno:
    def __init__(self, track: Path):
        self.state = State()
        self.track = track
        state, track_bytes = self.state, track.read_bytes()

        class Handler(BaseHTTPRequestHandler):
            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                    self._json({"code": 401, "msg": "Unauthorized", "data": None})
                    return False
                return True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                state.requests.append(("POST", self.path, body))
                if not self._authorised():
                    return
                if self.path == "/api/v1/generate":
                    state.prompt, state.polls = body.get("prompt", ""), 0
                    self._json({"code": 200, "msg": "success", "data": {"taskId": "task-1"}})
                elif self.path == "/api/v1/generate/get-timestamped-lyrics":
                    self._json({"code": 200, "msg": "success", "data": {
                        "alignedWords": aligned_words(state.prompt), "waveformData": [0, 1],
                        "hootCer": 0.1, "isStreamed": False}})  # fmt: skip
                else:
                    self._json({"code": 404, "msg": "not found", "data": None})

            def do_GET(self):
                parts = urlsplit(self.path)
                state.requests.append(("GET", parts.path, parse_qs(parts.query)))
                if parts.path == "/audio/track.mp3":
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/mpeg")
                    self.send_header("Content-Length", str(len(track_bytes)))
                    self.end_headers()
                    self.wfile.write(track_bytes)
                    return
                if not self._authorised():
                    return
                state.polls += 1
                if state.mode == "busy_once":  # one 429 while polling, then it goes on
                    state.mode = "ok"
                    self._json({"code": 429, "msg": "rate limited", "data": None})
                    return
                status = "PENDING"
                if state.mode == "refuse" and state.polls >= 2:
                    status = "SENSITIVE_WORD_ERROR"
                elif state.mode == "ok":
                    status = ["PENDING", "TEXT_SUCCESS", "SUCCESS"][min(state.polls, 3) - 1]
                host = f"http://127.0.0.1:{self.server.server_address[1]}"
                tracks = [{"id": "audio-1", "audioUrl": f"{host}/audio/track.mp3",
                           "duration": TRACK_S, "title": "t", "tags": "pop"}]  # fmt: skip
                self._json({"code": 200, "msg": "success", "data": {
                    "taskId": "task-1", "status": status,
                    "response": {"taskId": "task-1",
                                 "sunoData": tracks if status == "SUCCESS" else []},
                    "errorCode": None,
                    "errorMessage": "lyrics contain prohibited words"
                    if status == "SENSITIVE_WORD_ERROR" else None}})  # fmt: skip

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
