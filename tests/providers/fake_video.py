"""Local servers for the video APIs, each in its documented wire format:

- Google Veo on the Gemini API: POST /v1beta/models/{model}:predictLongRunning, GET
  /v1beta/{operation name} (no `done` key while running), GET /v1beta/files/{id}:download.
- Runway: POST /v1/text_to_video, GET /v1/tasks/{id} (PENDING -> RUNNING -> SUCCEEDED,
  or FAILED / CANCELLED), output URLs served from /media/.
- OpenAI Sora: POST /v1/videos, GET /v1/videos/{id}, GET /v1/videos/{id}/content.

`polls_before_done` polls answer "still running" first; `ending` picks how a job ends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import time
from pathlib import Path

from tests.providers.fake_stock import Answer, FakeServer, Seen, json_answer


class FakeVideo(FakeServer):
    def __init__(self, *, clip: bytes) -> None:
        super().__init__()
        self.clip = clip
        self.polls_before_done = 2
        self.ending = "success"  # success | failed | cancelled | blocked
        self.polls: dict[str, int] = {}

    def _progress(self, job: str) -> bool:
        """True once `job` has been polled `polls_before_done` times."""
        with self.lock:
            self.polls[job] = self.polls.get(job, 0) + 1
            return self.polls[job] > self.polls_before_done

    def route(self, seen: Seen) -> Answer:
        path = seen.path
        # ---- Veo (Gemini API)
        if seen.method == "POST" and path.endswith(":predictLongRunning"):
            model = path.split("/models/", 1)[1].split(":", 1)[0]
            return json_answer({"name": f"models/{model}/operations/op{len(self.requests)}"})
        if seen.method == "GET" and "/operations/" in path and path.startswith("/v1beta/"):
            name = path.removeprefix("/v1beta/")
            if not self._progress(name):
                return json_answer({"name": name, "metadata": {}})
            if self.ending == "blocked":
                response = {
                    "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                    "PredictLongRunningResponse",
                    "generateVideoResponse": {
                        "raiMediaFilteredCount": 1,
                        "raiMediaFilteredReasons": ["The prompt was blocked by a safety filter"],
                    },
                }
                return json_answer({"name": name, "done": True, "response": response})
            if self.ending == "failed":
                return json_answer(
                    {"name": name, "done": True, "error": {"code": 13, "message": "internal"}}
                )
            uri = (
                "https://generativelanguage.googleapis.com/v1beta/files/vid42abc:download?alt=media"
            )
            response = {
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                "PredictLongRunningResponse",
                "generateVideoResponse": {"generatedSamples": [{"video": {"uri": uri}}]},
            }
            return json_answer({"name": name, "done": True, "response": response})
        if (
            seen.method == "GET"
            and path.startswith("/v1beta/files/")
            and path.endswith(":download")
        ):
            return Answer(200, self.clip, "video/mp4")
        # ---- Runway
        if seen.method == "POST" and path == "/v1/text_to_video":
            return json_answer({"id": f"task-{len(self.requests)}"})
        if seen.method == "GET" and path.startswith("/v1/tasks/"):
            task = path.rsplit("/", 1)[1]
            base = {"id": task, "createdAt": "2026-01-01T00:00:00Z"}
            if not self._progress(task):
                return json_answer(
                    {**base, "status": "RUNNING", "progress": 0.4, "estimatedCost": {"credits": 25}}
                )
            if self.ending == "cancelled":
                return json_answer({**base, "status": "CANCELLED", "cost": {"credits": 0}})
            if self.ending == "failed":
                return json_answer(
                    {
                        **base,
                        "status": "FAILED",
                        "failure": "Content moderated",
                        "failureCode": "SAFETY.INPUT.TEXT",
                        "cost": {"credits": 0},
                    }
                )
            return json_answer(
                {
                    **base,
                    "status": "SUCCEEDED",
                    "output": [f"{self.url}/media/{task}.mp4"],
                    "cost": {"credits": 25},
                }
            )
        if path.startswith("/media/"):
            return Answer(200, self.clip, "video/mp4")
        # ---- Sora
        if seen.method == "POST" and path == "/v1/videos":
            body = _multipart_or_json(seen)
            return json_answer(_sora_video(f"video_{len(self.requests)}", "queued", body))
        if seen.method == "GET" and path.startswith("/v1/videos/") and path.endswith("/content"):
            return Answer(200, self.clip, "video/mp4")
        if seen.method == "GET" and path.startswith("/v1/videos/"):
            video_id = path.rsplit("/", 1)[1]
            if not self._progress(video_id):
                return json_answer(_sora_video(video_id, "in_progress", {}))
            if self.ending == "failed":
                video = _sora_video(video_id, "failed", {})
                video["error"] = {"code": "moderation_blocked", "message": "blocked by moderation"}
                return json_answer(video)
            return json_answer(_sora_video(video_id, "completed", {}))
        return json_answer({"error": {"message": f"no route {path}"}}, 404)


def _multipart_or_json(seen: Seen) -> dict:
    if seen.headers.get("content-type", "").startswith("application/json"):
        return seen.json()
    return {}


def _sora_video(video_id: str, status: str, body: dict) -> dict:
    return {
        "id": video_id,
        "object": "video",
        "created_at": 1_760_000_000,
        "model": body.get("model", "sora-2"),
        "progress": 100 if status == "completed" else 30,
        "seconds": body.get("seconds", "4"),
        "size": body.get("size", "720x1280"),
        "status": status,
    }


def signed_webhook(payload: dict, *, secret: str, timestamp: int | None = None):
    """A Standard Webhooks delivery as OpenAI sends it: body and webhook-* headers."""
    body = json.dumps(payload)
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    webhook_id = "wh_test_1"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{webhook_id}.{stamp}.{body}".encode(), hashlib.sha256).digest()
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
        "content-type": "application/json",
    }
    return body, headers


def make_clip(path: Path, *, seconds: float = 3, size: str = "360x640") -> bytes:
    """A real H.264 clip with an audio track (providers' audio is dropped when trimmed)."""
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size={size}:rate=30",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=48000:cl=mono",
            "-t",
            str(seconds),
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path.read_bytes()
