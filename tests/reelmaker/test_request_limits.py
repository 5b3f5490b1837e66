import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stories.models import Story

BRIEF = {"keyword": "morning coffee", "language": "en", "duration_s": 30}


@pytest.mark.django_db
def test_a_json_body_over_the_limit_is_413_in_the_envelope_before_it_is_parsed(api, settings):
    settings.MAX_JSON_BODY_BYTES = 2048
    body = json.dumps({**BRIEF, "script": "x" * 4000})

    response = api.post("/api/v1/stories/", body, content_type="application/json")

    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert response.json()["error"]["details"] == {"max_bytes": 2048}
    assert Story.objects.count() == 0


@pytest.mark.django_db
def test_a_json_body_that_lies_about_its_length_is_cut_at_the_limit(api, settings):
    settings.MAX_JSON_BODY_BYTES = 2048
    body = json.dumps({**BRIEF, "script": "x" * 4000}).encode()

    # A short Content-Length passes the middleware; the parser still reads no more than allowed.
    response = api.generic(
        "POST", "/api/v1/stories/", body, content_type="application/json", CONTENT_LENGTH="100"
    )

    assert response.status_code in (400, 413), response.content
    assert Story.objects.count() == 0


@pytest.mark.django_db
def test_the_limit_is_in_the_clients_language(api, settings):
    settings.MAX_JSON_BODY_BYTES = 1024

    response = api.post(
        "/api/v1/stories/", json.dumps({"script": "x" * 2000}),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="ko",
    )  # fmt: skip

    assert response.status_code == 413
    assert response.json()["error"]["message"] == "요청 본문이 너무 큽니다."


@pytest.mark.django_db
def test_json_nested_past_the_limit_is_400(api, settings):
    deep = 33 * "[" + 33 * "]"

    response = api.post(
        "/api/v1/stories/", '{"keyword": ' + deep + "}", content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert response.json()["error"]["details"] == {"max_depth": 32}


@pytest.mark.django_db
def test_json_nested_past_the_interpreters_recursion_limit_is_400_not_500(api):
    deep = 100_000 * "[" + 100_000 * "]"

    response = api.post("/api/v1/stories/", deep, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


@pytest.mark.django_db
def test_uploads_are_not_held_to_the_json_limit(api, settings):
    settings.MAX_JSON_BODY_BYTES = 1024
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(out, "PNG")
    content = out.getvalue()
    response = api.post(
        "/api/v1/media/uploads",
        {"file": SimpleUploadedFile("big.png", content)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
