"""Domain errors and the one handler that renders every API error as
{"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A refusal a client can act on: a code, an HTTP status and a translated message."""

    code = "INVALID_REQUEST"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = _("The request is invalid.")

    def __init__(self, message: Any = None, *, details: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.message))


class InvalidRequest(DomainError):
    pass


class IllegalTransition(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT

    def __init__(self, *, current: str, target: str, allowed: list[str]):
        super().__init__(
            _("A story in %(current)s cannot move to %(target)s. Allowed: %(allowed)s.")
            % {"current": current, "target": target, "allowed": ", ".join(allowed) or "-"},
            details={"current": current, "target": target, "allowed": allowed},
        )


class PlanLocked(DomainError):
    code = "PLAN_LOCKED"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("The plan is locked while it renders. Unlock it or wait for the render.")


class QuotaExceeded(DomainError):
    code = "QUOTA_EXCEEDED"
    http_status = status.HTTP_402_PAYMENT_REQUIRED
    default_message = _("Your plan's quota is used up.")


class ExternalApiError(DomainError):
    code = "EXTERNAL_API_ERROR"
    http_status = status.HTTP_502_BAD_GATEWAY
    default_message = _("An outside service failed.")


class JobNotRetryable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT


_DRF_CODES = {
    exceptions.NotAuthenticated: "UNAUTHORIZED",
    exceptions.AuthenticationFailed: "UNAUTHORIZED",
    exceptions.PermissionDenied: "FORBIDDEN",
    exceptions.NotFound: "NOT_FOUND",
    exceptions.Throttled: "RATE_LIMIT_EXCEEDED",
    exceptions.ValidationError: "INVALID_REQUEST",
    exceptions.ParseError: "INVALID_REQUEST",
    exceptions.MethodNotAllowed: "INVALID_REQUEST",
    exceptions.UnsupportedMediaType: "INVALID_REQUEST",
    exceptions.NotAcceptable: "INVALID_REQUEST",
}


def error_body(code: str, message: Any, details: Any = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error, DRF's own included, in one envelope."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "INVALID_REQUEST")
    if isinstance(exc, exceptions.ValidationError):
        message, details = _("Some fields are invalid."), {"fields": response.data}
    else:
        message, details = getattr(exc, "detail", str(exc)), {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        details = {"retry_after_s": int(exc.wait)}
    response.data = error_body(code, message, details)
    return response
