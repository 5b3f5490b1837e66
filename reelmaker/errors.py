"""Domain errors and the one handler that renders every API error as
{"error": {"code", "message", "details"}}."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseBase, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal a client can act on: a code, an HTTP status and a translated message."""

    code: str = "INVALID_REQUEST"
    http_status: int = status.HTTP_400_BAD_REQUEST
    default_message: Any = _("The request is invalid.")

    def __init__(self, message: Any = None, *, details: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.message))


class InvalidRequest(DomainError):
    pass


class OutsideServiceError(Exception):
    """An outside service failed (providers.base.ProviderError and its kinds): `provider` names
    who failed, `message` says why. The handler shows it as EXTERNAL_API_ERROR, or as
    INVALID_REQUEST when `is_caller_input`: the user's own input was the cause."""

    is_caller_input = False

    def __init__(self, message: str, *, provider: str = ""):
        super().__init__(f"{provider}: {message}" if provider else message)
        self.provider = provider
        self.message = message


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


class AlreadyRunning(DomainError):
    """The same work is already queued or running for this scene: wait for it."""

    code = "ALREADY_RUNNING"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("This is already queued or running for the scene. Wait until it finishes.")


class TooManyQueuedJobs(DomainError):
    code = "TOO_MANY_QUEUED_JOBS"
    http_status = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("You have too much work queued. Wait until some of it finishes.")


class ExternalApiError(DomainError):
    code = "EXTERNAL_API_ERROR"
    http_status = status.HTTP_502_BAD_GATEWAY
    default_message = _("An outside service failed.")


class AlreadySubscribed(DomainError):
    code = "ALREADY_SUBSCRIBED"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("You already have a paid plan. Change or cancel it in the billing portal.")


class BillingNotConfigured(DomainError):
    code = "BILLING_NOT_CONFIGURED"
    http_status = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = _("Payments are not set up on this server yet.")


class JobNotRetryable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"
    http_status = status.HTTP_401_UNAUTHORIZED
    default_message = _("Authentication is required. Send a valid access token.")


class EmailTaken(DomainError):
    """Another account has this email (also when two requests race for it)."""

    code = "EMAIL_TAKEN"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("A user with this email already exists.")


class EmailNotVerified(DomainError):
    code = "EMAIL_NOT_VERIFIED"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = _(
        "Verify your email before starting work: follow the link we sent, or ask for a new "
        "one at /api/v1/auth/email/verify."
    )


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = status.HTTP_404_NOT_FOUND
    default_message = _("Not found.")


class StoryBusy(DomainError):
    """The story is being worked on (planning or rendering): edits and deletes wait."""

    code = "PLAN_LOCKED"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("The story is being worked on. Wait until it finishes or cancel it.")


class StoryInTrash(DomainError):
    """The story was deleted (it is in the trash): restore it before it can work again."""

    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("The story is in the trash. Restore it first.")


class NothingToCancel(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("Nothing is running for this story, so there is nothing to cancel.")


class FallbackRefused(DomainError):
    """A step would have used a fallback, and the story asked to fail instead (on_fallback)."""

    code = "FALLBACK_REFUSED"
    http_status = status.HTTP_409_CONFLICT

    def __init__(self, *, step: str, reason: str, scene: int | None = None):
        super().__init__(
            _(
                'The story asked to fail rather than degrade (on_fallback "fail"): the '
                "%(step)s step would have fallen back: %(reason)s"
            )
            % {"step": step, "reason": reason},
            details={"step": step, "scene": scene, "reason": reason},
        )


class BodyTooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _("The request body is too large.")


class JsonTooDeep(InvalidRequest):
    default_message = _("The JSON body is nested too deeply.")


class TooManyStreams(DomainError):
    """The user already holds EVENTS_MAX_STREAMS_PER_USER event streams open."""

    code = "RATE_LIMIT_EXCEEDED"
    http_status = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _(
        "Too many event streams are open for your account. Close one, or poll for events."
    )
    retry_after_s = 10


class IdempotencyConflict(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_409_CONFLICT
    default_message = _(
        "This Idempotency-Key was used for a different request, or that request is still running."
    )


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

# Our own wording for DRF's errors, in the request's language (DRF ships no "ko" catalogue).
_DRF_MESSAGES = {
    exceptions.NotAuthenticated: _("Authentication is required. Send a valid access token."),
    exceptions.AuthenticationFailed: _("The access token or credentials are invalid or expired."),
    exceptions.PermissionDenied: _("You do not have permission to do this."),
    exceptions.NotFound: _("Not found."),
    exceptions.ParseError: _("The request body could not be parsed."),
    exceptions.NotAcceptable: _("The requested response format is not available."),
}

AUTHENTICATE_HEADER = 'Bearer realm="api"'


def error_body(code: str, message: Any, details: Any = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def _message_and_details(
    exc: exceptions.APIException, response: Response, context: dict
) -> tuple[Any, dict]:
    if isinstance(exc, exceptions.ValidationError):
        return _("Some fields are invalid."), {"fields": response.data}
    if isinstance(exc, exceptions.Throttled):
        wait_s = getattr(exc, "wait", None)  # set by DRF's throttles; absent from the stubs
        wait = int(wait_s) if wait_s is not None else None
        if wait is None:
            return _("Too many requests. Try again later."), {}
        return (
            _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": wait},
            {"retry_after_s": wait},
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        method = getattr(request, "method", "") or ""
        return (
            _("Method %(method)s is not allowed here.") % {"method": method},
            {
                "method": method,
                "allowed": list(getattr(context.get("view"), "allowed_methods", [])),
            },
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Unsupported media type. Send JSON (application/json)."), {}
    for cls, message in _DRF_MESSAGES.items():
        if isinstance(exc, cls):
            return message, {}
    return getattr(exc, "detail", str(exc)), {}


def _provider_error(exc: Exception) -> DomainError | None:
    if not isinstance(exc, OutsideServiceError):
        return None
    if exc.is_caller_input:
        return InvalidRequest(str(exc))
    return ExternalApiError(details={"provider": exc.provider, "reason": exc.message})


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error, DRF's own included, in one envelope."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    exc = _provider_error(exc) or exc
    if isinstance(exc, DomainError):
        response = Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
        _add_headers(response, exc)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    drf_response = exception_handler(exc, context)
    if drf_response is None or not isinstance(exc, exceptions.APIException):
        log.exception("unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(
            error_body("INTERNAL_ERROR", _("Something went wrong on our side. Try again later.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "INVALID_REQUEST")
    response = drf_response
    message, details = _message_and_details(exc, response, context)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = AUTHENTICATE_HEADER
    response.data = error_body(code, message, details)
    return response


P = ParamSpec("P")


def domain_error_response(exc: DomainError) -> JsonResponse:
    """The envelope of a DomainError for a plain Django view (DRF views use the handler)."""
    response = JsonResponse(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    _add_headers(response, exc)
    return response


def _add_headers(response: HttpResponseBase, exc: DomainError) -> None:
    if exc.http_status == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = AUTHENTICATE_HEADER
    retry_after_s = getattr(exc, "retry_after_s", None)
    if retry_after_s is not None:
        response["Retry-After"] = str(retry_after_s)


def renders_domain_errors(view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """For a plain Django view (not DRF): a DomainError it raises is rendered in the same
    envelope as api_exception_handler renders it, so the view itself builds no error body."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            return view(*args, **kwargs)
        except DomainError as exc:
            return domain_error_response(exc)

    return wrapper


def json_not_found(request, exception=None) -> JsonResponse:
    """handler404 for the whole site: the API's envelope for unknown URLs too."""
    return JsonResponse(error_body("NOT_FOUND", _("Not found.")), status=404)


def json_server_error(request) -> JsonResponse:
    """handler500: the envelope, with no details of what broke."""
    return JsonResponse(
        error_body("INTERNAL_ERROR", _("Something went wrong on our side. Try again later.")),
        status=500,
    )
