"""The error envelope in the OpenAPI schema: {"error": {"code", "message", "details"}}.

`Error` is one component: `error` is a union of one object per code, told apart by `code`
(a discriminator), each with its own `details`. Every operation's error responses point at it
(added by reelmaker.openapi.AutoSchema); `error_responses(...)` names the statuses a view can
answer beyond the ones every operation gets. Clients must tolerate codes and detail keys
they do not know: both may grow inside v1.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

_STRING = {"type": "string"}
_INT = {"type": "integer"}
_NUMBER = {"type": "number"}
_STRINGS = {"type": "array", "items": _STRING}

# code -> (component name, its `details` properties). Keys are optional: each refusal fills
# the ones that apply (DomainError.details in the code that raises it).
DETAILS: dict[str, tuple[str, dict[str, dict]]] = {
    "INVALID_REQUEST": (
        "InvalidRequestError",
        {
            "fields": {
                "type": "object",
                "additionalProperties": {},
                "description": "per field (or nested field), its messages",
            },
            "method": _STRING,
            "allowed": _STRINGS,
            "url": _STRING,
            "addresses": _STRINGS,
            "header": _STRING,
            "max_bytes": _INT,
            "max_depth": _INT,
            "file": _STRING,
            "expected": _STRING,
            "found": _STRING,
            "max_pixels": _INT,
            "pixels": _INT,
            "max_duration_s": _NUMBER,
            "duration_s": _NUMBER,
            "scene_ids": {"type": "array", "items": _INT},
            "max_scenes": _INT,
            "existing": _INT,
            "max_narration_chars": _INT,
            "narration_chars": _INT,
        },
    ),
    "UNAUTHORIZED": ("UnauthorizedError", {}),
    "FORBIDDEN": ("ForbiddenError", {}),
    "EMAIL_NOT_VERIFIED": ("EmailNotVerifiedError", {}),
    "NOT_FOUND": ("NotFoundError", {}),
    "ILLEGAL_TRANSITION": (
        "IllegalTransitionError",
        {"current": _STRING, "target": _STRING, "status": _STRING, "allowed": _STRINGS},
    ),
    "PLAN_LOCKED": ("PlanLockedError", {}),
    # a recording with no speech in it (a practice take, my own voice): on the job and events
    "NO_SPEECH": ("NoSpeechError", {}),
    "ALREADY_RUNNING": ("AlreadyRunningError", {"scene": _INT, "kind": _STRING}),
    "ALREADY_BOOKMARKED": ("AlreadyBookmarkedError", {}),
    "EMAIL_TAKEN": ("EmailTakenError", {}),
    "FALLBACK_REFUSED": (
        "FallbackRefusedError",
        {"step": _STRING, "scene": {"type": "integer", "nullable": True}, "reason": _STRING},
    ),
    "QUOTA_EXCEEDED": (
        "QuotaExceededError",
        {
            "subscription_status": _STRING,
            "max_duration_s": _INT,
            "duration_s": _INT,
            "estimate_usd": _STRING,
            "left_usd": _STRING,
            "reels_per_month": _INT,
            "used": _INT,
        },
    ),
    "ALREADY_SUBSCRIBED": ("AlreadySubscribedError", {"plan": _STRING}),
    "BILLING_NOT_CONFIGURED": ("BillingNotConfiguredError", {"plan": _STRING}),
    "PAYLOAD_TOO_LARGE": ("PayloadTooLargeError", {"max_bytes": _INT}),
    "STORAGE_QUOTA_EXCEEDED": (
        "StorageQuotaExceededError",
        {"quota_bytes": _INT, "used_bytes": _INT, "bytes": _INT},
    ),
    "RATE_LIMIT_EXCEEDED": ("RateLimitError", {"retry_after_s": _INT, "limit": _INT}),
    "TOO_MANY_QUEUED_JOBS": ("TooManyQueuedJobsError", {"open_jobs": _INT, "max_open_jobs": _INT}),
    "EXTERNAL_API_ERROR": ("ExternalApiError", {"provider": _STRING, "reason": _STRING}),
    "WORKER_LOST": ("WorkerLostError", {}),
    # A song reel's SONG job: the gateway refused the lyrics, or did not finish in time.
    "SONG_REFUSED": ("SongRefusedError", {}),
    "SONG_TIMEOUT": ("SongTimeoutError", {}),
    "NOT_CONFIGURED": (
        "NotConfiguredError",
        {"platforms": _STRINGS, "settings": _STRINGS},
    ),
    "ACCOUNT_NOT_LINKED": (
        "AccountNotLinkedError",
        {"platforms": _STRINGS, "reconnect": {"type": "boolean"}},
    ),
    "PUBLISH_REFUSED": (
        "PublishRefusedError",
        {"problems": {"type": "array", "items": {"type": "object"}}},
    ),
    "ID_TOKEN_INVALID": ("IdTokenInvalidError", {"provider": _STRING, "reason": _STRING}),
    "INTERNAL_ERROR": ("InternalError", {}),
}

ERROR_CODES = list(DETAILS)

# What each status means, for the response descriptions.
STATUS_TEXT = {
    400: "INVALID_REQUEST: a field or parameter is invalid (details.fields names them), or "
    "NOT_CONFIGURED (details.settings names what to set), or PUBLISH_REFUSED "
    "(details.problems: a platform's rules or an asset's licence), or ID_TOKEN_INVALID (a "
    "sign-in provider's ID token failed verification; details.reason says which check).",
    401: "UNAUTHORIZED: no or an invalid access token.",
    402: "QUOTA_EXCEEDED: the plan's quota is used up.",
    403: "FORBIDDEN, or EMAIL_NOT_VERIFIED where work starts (REQUIRE_VERIFIED_EMAIL).",
    404: "NOT_FOUND: no such object among yours.",
    405: "INVALID_REQUEST: method not allowed.",
    409: "ILLEGAL_TRANSITION (details.allowed), PLAN_LOCKED, ALREADY_RUNNING, ALREADY_BOOKMARKED, "
    "EMAIL_TAKEN, FALLBACK_REFUSED, ALREADY_SUBSCRIBED, ACCOUNT_NOT_LINKED, "
    "or an Idempotency-Key used for another request.",
    413: "PAYLOAD_TOO_LARGE (body over MAX_JSON_BODY_BYTES), an upload over UPLOAD_MAX_BYTES, "
    "or STORAGE_QUOTA_EXCEEDED.",
    415: "INVALID_REQUEST: unsupported media type (send JSON).",
    429: "RATE_LIMIT_EXCEEDED or TOO_MANY_QUEUED_JOBS: wait Retry-After seconds.",
    500: "INTERNAL_ERROR: something failed on our side.",
    502: "EXTERNAL_API_ERROR: a provider (or Stripe) failed.",
    503: "BILLING_NOT_CONFIGURED: payments are not set up on this server.",
}


def error_components() -> dict[str, dict]:
    """The schema components of the envelope: Error, ErrorBody, ErrorCode and one per code."""
    components: dict[str, dict] = {
        "ErrorCode": {
            "type": "string",
            "enum": ERROR_CODES,
            "description": "What went wrong. New codes may be added inside v1: treat an "
            "unknown one by its HTTP status.",
        },
        "Error": {
            "type": "object",
            "description": 'Every API error: {"error": {"code", "message", "details"}}.',
            "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
            "required": ["error"],
        },
    }
    mapping = {}
    for code, (name, properties) in DETAILS.items():
        mapping[code] = f"#/components/schemas/{name}"
        components[name] = {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": [code]},
                "message": {"type": "string", "description": "in the request's language"},
                "details": {
                    "type": "object",
                    "properties": properties,
                    "additionalProperties": True,
                },
            },
            "required": ["code", "message", "details"],
        }
    components["ErrorBody"] = {
        "oneOf": [{"$ref": ref} for ref in dict.fromkeys(mapping.values())],
        "discriminator": {"propertyName": "code", "mapping": mapping},
    }
    return components


class ErrorSerializer(serializers.Serializer):
    """Stands for the `Error` component in `extend_schema`; the hook writes its real shape."""

    error = serializers.DictField()


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for these error statuses. AutoSchema adds the ones every operation
    can answer (401 where signed in, 404 with ids in the path, 400 with input, 429)."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=STATUS_TEXT.get(code, ""))
        for code in sorted(set(statuses))
    }
