"""The error envelope in the OpenAPI schema: {"error": {"code", "message", "details"}} and
what each status means, for `extend_schema(responses=error_responses(...))`."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "INVALID_REQUEST",
            "UNAUTHORIZED",
            "FORBIDDEN",
            "NOT_FOUND",
            "ILLEGAL_TRANSITION",
            "PLAN_LOCKED",
            "EMAIL_TAKEN",
            "EMAIL_NOT_VERIFIED",
            "RATE_LIMIT_EXCEEDED",
            "QUOTA_EXCEEDED",
            "ALREADY_RUNNING",
            "TOO_MANY_QUEUED_JOBS",
            "STORAGE_QUOTA_EXCEEDED",
            "PAYLOAD_TOO_LARGE",
            "EXTERNAL_API_ERROR",
            "FALLBACK_REFUSED",
            "INTERNAL_ERROR",
        ]
    )
    message = serializers.CharField()
    details = serializers.DictField()


class ErrorSerializer(serializers.Serializer):
    """Every API error: {"error": {"code", "message", "details"}}."""

    error = ErrorDetailSerializer()


_ERROR_TEXT = {
    400: "INVALID_REQUEST: a field or parameter is invalid (details.fields names them).",
    401: "UNAUTHORIZED: no or an invalid access token.",
    402: "QUOTA_EXCEEDED: the plan's quota is used up.",
    403: "FORBIDDEN, or EMAIL_NOT_VERIFIED where work starts (REQUIRE_VERIFIED_EMAIL).",
    404: "NOT_FOUND: no such object among yours.",
    405: "INVALID_REQUEST: method not allowed.",
    409: "ILLEGAL_TRANSITION (details.allowed), PLAN_LOCKED, ALREADY_RUNNING or EMAIL_TAKEN.",
    413: "PAYLOAD_TOO_LARGE (JSON body over MAX_JSON_BODY_BYTES) or STORAGE_QUOTA_EXCEEDED.",
    415: "INVALID_REQUEST: unsupported media type.",
    429: "RATE_LIMIT_EXCEEDED (with a Retry-After header) or TOO_MANY_QUEUED_JOBS.",
    502: "EXTERNAL_API_ERROR: a provider failed.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for these error statuses (401 and 429 are always added)."""
    wanted = sorted({*statuses, 401, 429})
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_TEXT.get(code, ""))
        for code in wanted
    }
