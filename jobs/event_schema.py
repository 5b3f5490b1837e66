"""The shape of a story's events in the OpenAPI schema: `Event` is a union told apart by
`kind`, each kind with its own payload (written by stories.events, jobs.services,
jobs.webhooks and stories.services). A drf-spectacular postprocessing hook, after the enum
hook: the payloads refer to the named enums it made. Clients must tolerate kinds and payload
keys they do not know: both may grow inside v1."""

from __future__ import annotations

from typing import Any

from stories.models import Event

_INT = {"type": "integer"}
_STRING = {"type": "string"}
_NULLABLE_ID = {"type": "integer", "nullable": True, "description": "the scene; null: the story"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


PAYLOADS: dict[str, tuple[str, dict[str, dict]]] = {
    Event.Kind.STATUS: (
        "StatusEventPayload",
        {"from": _ref("StoryStatus"), "to": _ref("StoryStatus"), "reason": _STRING},
    ),
    Event.Kind.JOB: (
        "JobEventPayload",
        {
            "job": _INT,
            "kind": _ref("JobKind"),
            "status": _ref("JobStatus"),
            "progress": _INT,
            "scene": _NULLABLE_ID,
            "profile": _STRING,
            "attempts": _INT,
            "error_code": _STRING,
            "error_message": _STRING,
        },
    ),
    Event.Kind.PROGRESS: (
        "ProgressEventPayload",
        {
            "job": _INT,
            "kind": _ref("JobKind"),
            "scene": _NULLABLE_ID,
            "profile": _STRING,
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        },
    ),
    Event.Kind.WEBHOOK: (
        "WebhookEventPayload",
        {
            "job": _INT,
            "transition": {
                **_NULLABLE_ID,
                "description": "the story's move it tells of; null for a take's analysis",
            },
            "type": {"type": "string", "description": "the webhook's event type"},
        },
    ),
    Event.Kind.QC: (
        "QCEventPayload",
        {
            "profile": _STRING,
            "status": {"type": "string", "enum": ["PASS", "WARN", "FAIL"]},
            "failed": {"type": "array", "items": _STRING, "description": "checks that failed"},
            "warned": {"type": "array", "items": _STRING, "description": "checks that warned"},
            "rerendered": {"type": "boolean", "description": "judged after the safe re-render"},
        },
    ),
    Event.Kind.DEGRADED: (
        "DegradedEventPayload",
        {"step": _STRING, "scene": _NULLABLE_ID, "reason": _STRING},
    ),
}


def event_components() -> dict[str, dict]:
    """Event (the union), one component per kind and one per payload."""
    components: dict[str, dict] = {}
    mapping = {}
    for kind, (payload_name, properties) in PAYLOADS.items():
        name = payload_name.removesuffix("Payload")
        mapping[str(kind)] = f"#/components/schemas/{name}"
        components[payload_name] = {
            "type": "object",
            "properties": properties,
            "required": list(properties),
        }
        components[name] = {
            "type": "object",
            "properties": {
                "id": {**_INT, "description": "also the server-sent event id"},
                "kind": {"type": "string", "enum": [str(kind)]},
                "payload": _ref(payload_name),
                "created_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "kind", "payload", "created_at"],
        }
    components["Event"] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "kind", "mapping": mapping},
    }
    return components


def postprocess_event_schema(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict:
    """POSTPROCESSING_HOOKS: replace the generated `Event` by the union."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(event_components())
    return result
