"""The OpenAPI schema is a contract generated clients can build on: no warnings, a clean
redocly lint, readable names, integer ids, JSON bodies, and every error in the envelope."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from reelmaker.error_schema import DETAILS
from reelmaker.errors import DomainError
from reelmaker.schema_hooks import STRING_IDS
from stories.models import Event

ROOT = Path(settings.BASE_DIR)
METHODS = {"get", "post", "put", "patch", "delete"}
OPERATION_ID = re.compile(r"^[a-z]+(_[a-z]+)*$")


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns every generator warning or error into a CommandError.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")

    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["paths"]


def test_redocly_lints_the_schema_clean(tmp_path):
    redocly = ROOT / "node_modules" / ".bin" / "redocly"
    assert redocly.exists(), (
        "node_modules/.bin/redocly is missing: run `npm ci` (scripts/setup.sh test does)."
    )
    assert shutil.which("node"), "node is missing: scripts/setup.sh test installs it."
    call_command("spectacular", "--file", tmp_path / "schema.yaml")

    result = subprocess.run(
        [
            str(redocly),
            "lint",
            "--config",
            str(ROOT / "redocly.yaml"),
            "--format",
            "stylish",
            str(tmp_path / "schema.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " error " not in result.stdout


def test_only_the_v1_api_is_described(schema):
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert schema["servers"]
    assert schema["info"]["description"]


def test_no_enum_has_a_generated_name(schema):
    names = set(schema["components"]["schemas"])

    generated = [n for n in names if re.search(r"([0-9A-F]{3}Enum|Enum)$", n) or n[0] == "_"]

    assert generated == []
    assert {"StoryStatus", "JobKind", "JobStatus", "EventKind", "PromptKind", "ErrorCode"} <= names


def test_every_operation_has_a_readable_unique_id_a_summary_and_a_tag(schema):
    ids = [operation["operationId"] for _path, _method, operation in operations(schema)]

    assert [i for i in ids if not OPERATION_ID.match(i)] == []
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert len(operation["tags"]) == 1, (method, path)
        assert operation["tags"] != ["v1"], (method, path)
    assert {"stories_list", "stories_plan", "jobs_retry", "uploads_create", "auth_login"} <= set(
        ids
    )


def test_every_path_parameter_is_an_integer_named_for_its_object(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "path":
                continue
            name = parameter["name"]
            assert name.endswith("_id"), (method, path, name)
            expected = "string" if name in STRING_IDS else "integer"
            assert parameter["schema"]["type"] == expected, (method, path, name)
    story_paths = [p for p in schema["paths"] if p.startswith("/api/v1/stories/{")]
    assert story_paths
    assert all(p.startswith("/api/v1/stories/{story_id}/") for p in story_paths)


def test_every_error_response_is_the_error_envelope(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "Retry-After" in responses["429"]["headers"], (method, path)
        if operation["security"]:
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert "400" in responses, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                content = response["content"]
                assert content == {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                }, (method, path, status)


def test_every_domain_error_code_has_its_details_in_the_schema(schema):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    codes = {cls.code for cls in subclasses(DomainError)}
    body = schema["components"]["schemas"]["ErrorBody"]

    assert codes <= set(DETAILS)
    assert set(body["discriminator"]["mapping"]) == set(DETAILS)
    assert set(schema["components"]["schemas"]["ErrorCode"]["enum"]) == set(DETAILS)


# operation id -> its binary multipart field
MULTIPART_UPLOADS = {
    "uploads_create": "file",
    "practice_lines_import": "audio",
    "practice_takes_upload": "recording",
    "practice_scene_voice_upload": "recording",
    "practice_story_voice_upload": "recording",
}


def test_bodies_are_json_except_the_uploads_which_are_binary_multipart(schema):
    for path, method, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        content = operation["requestBody"]["content"]
        if operation["operationId"] in MULTIPART_UPLOADS:
            field = MULTIPART_UPLOADS[operation["operationId"]]
            assert list(content) == ["multipart/form-data"]
            ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
            upload = schema["components"]["schemas"][ref]
            assert upload["properties"][field]["type"] == "string"
            assert upload["properties"][field]["format"] == "binary"
        else:
            assert list(content) == ["application/json"], (method, path)


def test_refresh_asks_for_the_refresh_token_only(schema):
    body = schema["paths"]["/api/v1/auth/refresh/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    assert schema["components"]["schemas"][ref]["required"] == ["refresh"]
    assert list(schema["components"]["schemas"][ref]["properties"]) == ["refresh"]


def test_story_fields_are_typed(schema):
    story = schema["components"]["schemas"]["Story"]["properties"]

    assert story["hashtags"]["type"] == "array"
    assert story["hashtags"]["items"] == {"type": "string"}
    assert "$ref" in story["business"] or "allOf" in story["business"]


def test_events_are_a_union_by_kind_and_the_stream_is_its_own_operation(schema):
    event = schema["components"]["schemas"]["Event"]
    stream = schema["paths"]["/api/v1/stories/{story_id}/events/stream/"]["get"]
    poll = schema["paths"]["/api/v1/stories/{story_id}/events/"]["get"]

    assert event["discriminator"]["propertyName"] == "kind"
    assert set(event["discriminator"]["mapping"]) == set(Event.Kind.values)
    assert list(stream["responses"]["200"]["content"]) == ["text/event-stream"]
    assert list(poll["responses"]["200"]["content"]) == ["application/json"]
    assert {"eventTicket": []} in stream["security"]


def test_idempotent_operations_declare_the_key_and_the_replay_header(schema):
    plan = schema["paths"]["/api/v1/stories/{story_id}/plan/"]["post"]
    names = [p.get("name") or p.get("$ref") for p in plan["parameters"]]

    assert "Idempotency-Key" in names
    assert "#/components/parameters/AcceptLanguage" in names
    assert "Idempotent-Replayed" in plan["responses"]["202"]["headers"]


def test_page_size_is_capped_in_the_schema(schema):
    stories = schema["paths"]["/api/v1/stories/"]["get"]
    page_size = next(p for p in stories["parameters"] if p.get("name") == "page_size")

    assert page_size["schema"]["maximum"] == 100
