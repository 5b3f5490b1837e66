"""A local server speaking OpenAI's `POST /v1/audio/transcriptions` (multipart in, JSON out).

Answers from a queue of modes, one per request ("ok" once empty): "ok" ({"text": ...}),
"500", "429" (with Retry-After), "401", "garbage" (200, not JSON). Records each request's
form fields and the uploaded file's bytes.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Transcription:
    path: str
    authorization: str
    fields: dict[str, str]
    file: bytes


@dataclass
class FakeTranscriptions:
    text: str = ""
    modes: list[str] = field(default_factory=list)
    requests: list[Transcription] = field(default_factory=list)

    def __post_init__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append(fake._parse(self.path, self.headers, body))
                fake._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def _parse(path: str, headers, body: bytes) -> Transcription:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
        )
        fields, file = {}, b""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                file = part.get_payload(decode=True)
            else:
                fields[name] = part.get_content().strip()
        return Transcription(path, headers.get("Authorization", ""), fields, file)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        mode = self.modes.pop(0) if self.modes else "ok"
        status, body, extra = 200, json.dumps({"text": self.text}).encode(), {}
        if mode in ("500", "429", "401"):
            status = int(mode)
            message = {"500": "server error", "429": "slow down", "401": "bad key"}[mode]
            body = json.dumps({"error": {"message": message, "type": "error"}}).encode()
            if mode == "429":
                extra["Retry-After"] = "7"
        elif mode == "garbage":
            body = b"<html>oops</html>"
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
