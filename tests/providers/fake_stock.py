"""Local servers speaking Pexels' and Unsplash's documented HTTP APIs, plus the small HTTP
server every fake in this module family is built on (fault modes, recorded requests).

Fault modes, queued per path prefix with `fail_next(mode, path=...)`: "429" (with
Retry-After), "500", "401", "garbage" (a 200 whose body is not JSON), "slow" (answers after
the client's timeout), "broken-image" (media that is not an image).
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(payload, status: int = 200, **headers) -> Answer:
    return Answer(status, json.dumps(payload).encode(), headers=headers)


def jpeg_bytes(width: int = 540, height: int = 960, colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


class FakeServer:
    """A threaded HTTP server on 127.0.0.1 and a free port; subclasses implement `route`."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.faults: deque[tuple[str, str]] = deque()
        self.canned: deque[tuple[str, Answer]] = deque()
        self.release = threading.Event()  # ends "slow" answers at shutdown
        self.retry_after = "1"
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                return

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with server.lock:
                    server.requests.append(seen)
                answer = server._fault_for(seen) or server.route(seen)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    # The client may have given up (a timeout test): nothing to tell it then.
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(answer.body)

            do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_next(self, mode: str, *, path: str = "/", times: int = 1) -> None:
        for _ in range(times):
            self.faults.append((mode, path))

    def answer_next(self, answer: Answer, *, path: str = "/") -> None:
        """Answer the next request under `path` with `answer` (a provider-specific error)."""
        self.canned.append((path, answer))

    def seen(self, path_prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def _fault_for(self, seen: Seen) -> Answer | None:
        with self.lock:
            for i, (path, answer) in enumerate(self.canned):
                if seen.path.startswith(path):
                    del self.canned[i]
                    return answer
            match = next(
                (i for i, (_, path) in enumerate(self.faults) if seen.path.startswith(path)), None
            )
            if match is None:
                return None
            mode = self.faults[match][0]
            del self.faults[match]
        if mode == "429":
            return json_answer(
                {"error": "Rate limit exceeded"}, 429, **{"Retry-After": self.retry_after}
            )
        if mode == "500":
            return json_answer({"error": "internal"}, 500)
        if mode == "401":
            return json_answer({"errors": ["OAuth error: The access token is invalid"]}, 401)
        if mode == "garbage":
            return Answer(200, b"<html>gateway says hi</html>", "application/json")
        if mode == "slow":
            self.release.wait(5)
            return json_answer({}, 200)
        if mode == "broken-image":
            return Answer(200, b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "image/jpeg")
        raise AssertionError(f"unknown fault mode {mode}")

    def route(self, seen: Seen) -> Answer:
        raise NotImplementedError


class FakeStock(FakeServer):
    """Pexels (/v1/search, /videos/search) and Unsplash (/search/photos, /photos/<id>/download)
    plus the media they link to (/media/...). `clip` is the MP4 served for stock videos."""

    def __init__(self, *, clip: bytes = b"", results: int = 3) -> None:
        super().__init__()
        self.clip = clip
        self.results = results
        self.image = jpeg_bytes()

    def route(self, seen: Seen) -> Answer:
        base = self.url
        if seen.path == "/v1/search":
            photos = [
                {
                    "id": 1000 + i,
                    "width": 3000,
                    "height": 4500,
                    "url": f"https://www.pexels.com/photo/scene-{1000 + i}/",
                    "photographer": f"Pexels Person {i}",
                    "photographer_url": f"https://www.pexels.com/@person{i}",
                    "alt": seen.query.get("query", [""])[0],
                    "src": {
                        "original": f"{base}/media/pexels-{i}.jpg",
                        "large2x": f"{base}/media/pexels-{i}.jpg?auto=compress&h=1920",
                        "portrait": f"{base}/media/pexels-{i}.jpg?h=1200&w=800",
                    },
                }
                for i in range(self.results)
            ]
            return json_answer(
                {"page": 1, "per_page": len(photos), "photos": photos, "total_results": len(photos)}
            )
        if seen.path == "/videos/search":
            videos = [
                {
                    "id": 2000 + i,
                    "width": 1080,
                    "height": 1920,
                    "duration": 2,
                    "url": f"https://www.pexels.com/video/clip-{2000 + i}/",
                    "user": {
                        "id": 7,
                        "name": f"Pexels Filmer {i}",
                        "url": "https://www.pexels.com/@f",
                    },
                    "video_files": [
                        {
                            "id": 1,
                            "quality": "sd",
                            "file_type": "video/mp4",
                            "width": 360,
                            "height": 640,
                            "link": f"{base}/media/clip-{i}.mp4",
                        },
                        {
                            "id": 2,
                            "quality": "hd",
                            "file_type": "video/mp4",
                            "width": 1080,
                            "height": 1920,
                            "link": f"{base}/media/clip-{i}.mp4?hd=1",
                        },
                    ],
                }
                for i in range(self.results)
            ]
            return json_answer({"page": 1, "per_page": len(videos), "videos": videos})
        if seen.path == "/search/photos":
            results = [
                {
                    "id": f"uns{i}",
                    "width": 4000,
                    "height": 6000,
                    "urls": {
                        "raw": f"{base}/media/unsplash-{i}.jpg?ixid=abc{i}",
                        "regular": f"{base}/media/unsplash-{i}.jpg?w=1080",
                    },
                    "links": {
                        "html": f"https://unsplash.com/photos/uns{i}",
                        "download_location": f"{base}/photos/uns{i}/download?ixid=abc{i}",
                    },
                    "user": {
                        "name": f"Unsplash Person {i}",
                        "username": f"person{i}",
                        "links": {"html": f"https://unsplash.com/@person{i}"},
                    },
                }
                for i in range(self.results)
            ]
            return json_answer({"total": len(results), "total_pages": 1, "results": results})
        if seen.path.startswith("/photos/") and seen.path.endswith("/download"):
            photo_id = seen.path.split("/")[2]
            return json_answer({"url": f"{base}/media/unsplash-{photo_id}.jpg"})
        if seen.path.startswith("/media/") and seen.path.endswith(".mp4"):
            return Answer(200, self.clip, "video/mp4")
        if seen.path.startswith("/media/"):
            return Answer(200, self.image, "image/jpeg")
        return json_answer({"error": "not found"}, 404)
