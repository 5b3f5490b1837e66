"""What every operation of the schema gets without asking: its error responses (the `Error`
envelope), the headers it reads and sends, integer ids in its path; and the whole document's
servers and shared components (a drf-spectacular postprocessing hook)."""

from __future__ import annotations

from typing import Any

from reelmaker.error_schema import STATUS_TEXT, error_components

ERROR_REF = {"$ref": "#/components/schemas/Error"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 0},
}
REPLAYED = {
    "description": "`true` when this is the stored answer to an earlier request with the same "
    "Idempotency-Key (nothing new was started).",
    "schema": {"type": "string", "enum": ["true"]},
}
IDEMPOTENCY_KEY = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID). A repeat with the same key returns the first "
    "response and starts nothing new. Kept for 24 hours.",
    "schema": {"type": "string", "maxLength": 255},
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "The language of messages (`ko` or `en`; the default is English).",
    "schema": {"type": "string", "example": "ko"},
}
DEPRECATION_HEADERS = {
    "Deprecation": "When the operation was deprecated (RFC 9745): `@` and a Unix time.",
    "Sunset": "When it stops working (RFC 8594), when that is decided.",
    "Link": 'Where to read about it (`rel="deprecation"`).',
}


def complete_operation(
    operation: dict[str, Any], *, method: str, deprecation: Any, is_idempotent: bool = False
) -> None:
    """Add to one operation what every operation documents the same way."""
    _integer_ids(operation)
    operation.setdefault("security", [])  # open operations say so: `security: []`
    parameters = operation.setdefault("parameters", [])
    if is_idempotent and not any(p.get("name") == IDEMPOTENCY_HEADER for p in parameters):
        parameters.append(IDEMPOTENCY_KEY)  # a view decorated with reelmaker.idempotency
    parameters.append({"$ref": "#/components/parameters/AcceptLanguage"})
    responses = operation.setdefault("responses", {})
    for status in _default_error_statuses(operation, method=method):
        responses.setdefault(str(status), {})
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400:
            response["content"] = {"application/json": {"schema": ERROR_REF}}
            if not response.get("description"):
                response["description"] = STATUS_TEXT.get(int(status), "An error.")
    if "429" in responses:
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
    headers: dict[str, dict] = {}
    if any(p.get("name") == IDEMPOTENCY_HEADER for p in operation["parameters"]):
        headers["Idempotent-Replayed"] = REPLAYED
    if deprecation:
        headers.update(
            {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in DEPRECATION_HEADERS.items()
                if name in deprecation
            }
        )
    for status, response in responses.items():
        if headers and status.startswith("2"):
            response.setdefault("headers", {}).update(headers)
    operation["responses"] = dict(sorted(responses.items()))


def _default_error_statuses(operation: dict[str, Any], *, method: str) -> list[int]:
    signed_in = operation["security"] and {} not in operation["security"]
    parameters = [p for p in operation.get("parameters", []) if "in" in p]
    statuses = [429]
    if signed_in:
        statuses.append(401)
        if method not in SAFE_METHODS:
            statuses.append(403)  # a session without its CSRF token
    if any(p["in"] == "path" for p in parameters):
        statuses.append(404)
    if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
        statuses.append(400)
    if "requestBody" in operation:
        statuses += [413, 415]
    return statuses


# Ids that are names, not rows: a voice is "en_US-joe" offline or a provider's own id.
STRING_IDS = {"voice_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 64}}


def _integer_ids(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        name = parameter.get("name", "")
        if parameter.get("in") == "path" and name.endswith("_id"):
            parameter["schema"] = STRING_IDS.get(name, {"type": "integer", "minimum": 1})


def postprocess_schema(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict:
    """POSTPROCESSING_HOOKS: the shared components the operations refer to."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(error_components())
    components.setdefault("parameters", {})["AcceptLanguage"] = ACCEPT_LANGUAGE
    for schema in components["schemas"].values():
        _typed_nullable_refs(schema)
    return result


def _typed_nullable_refs(schema: dict[str, Any]) -> None:
    """drf-spectacular writes a nullable reference `allOf: [$ref], nullable: true`, which
    generated clients read as never null: write `oneOf: [$ref], nullable: true`, which they
    read as "X or null" (redocly.yaml says why no `type` stands beside it)."""
    for prop in schema.get("properties", {}).values():
        if prop.get("nullable") and len(prop.get("allOf", ())) == 1:
            prop["oneOf"] = prop.pop("allOf")
