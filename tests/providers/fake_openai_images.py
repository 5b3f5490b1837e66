"""A local server for OpenAI's image API: POST /v1/images/generations answers `b64_json`
(GPT image models always do), with the fault modes of FakeServer plus "not-an-image"."""

from __future__ import annotations

import base64
import io

from PIL import Image

from tests.providers.fake_stock import Answer, FakeServer, Seen, json_answer


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeOpenAIImages(FakeServer):
    def route(self, seen: Seen) -> Answer:
        if seen.method == "POST" and seen.path == "/v1/images/generations":
            if self.faults_not_image:
                self.faults_not_image -= 1
                data = base64.b64encode(b"this is not a png at all").decode()
            else:
                width, height = (int(v) for v in seen.json().get("size", "1024x1536").split("x"))
                # Smaller than asked to keep the suite fast; the shape is what matters.
                data = base64.b64encode(png_bytes(width // 8, height // 8)).decode()
            return json_answer(
                {
                    "created": 1_760_000_000,
                    "data": [{"b64_json": data}],
                    "output_format": "png",
                    "size": seen.json().get("size"),
                    "usage": {
                        "input_tokens": 12,
                        "output_tokens": 1056,
                        "total_tokens": 1068,
                        "input_tokens_details": {"image_tokens": 0, "text_tokens": 12},
                    },
                }
            )
        return json_answer(
            {"error": {"message": "not found", "type": "invalid_request_error"}}, 404
        )

    faults_not_image = 0
