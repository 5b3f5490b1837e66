"""How a job's failure is told: a plain message (with a reference id when the cause is ours or
a provider's) for users, the full text for operators, one log line either way."""

from __future__ import annotations

import logging
import uuid
from typing import NamedTuple

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.utils.translation import gettext

from jobs import dispatch
from jobs.models import Job
from providers.base import InvalidInput, ProviderError
from reelmaker.errors import DomainError
from render.qc import QCFailed
from render.runner import RenderError
from scenes.services.reel_qc import check_label

log = logging.getLogger("jobs.pipeline")


class Failure(NamedTuple):
    """How a job's error is shown: `message` to users (API, events, webhooks), `detail` to
    operators only (admin, logs), tied together by `ref` when the message hides the detail."""

    code: str
    message: str
    detail: str
    ref: str = ""


def describe_failure(error: BaseException, *, kind: str = "") -> Failure:
    """The user's code and plain message for an exception raised by a job. Our own refusals and
    a user's unusable input say what to do; anything else (a bug, FFmpeg's stderr, a provider's
    answer) is a plain sentence with a reference id that is also in the log line."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, SoftTimeLimitExceeded | TimeLimitExceeded):
        limit_s = dispatch.soft_time_limit_s(kind)
        message = gettext("took longer than %(seconds)d s and was stopped; retry it") % {
            "seconds": limit_s
        }
        return Failure("TIMEOUT", message, detail)
    if isinstance(error, DomainError):
        return Failure(error.code, str(error.message), detail)
    if isinstance(error, InvalidInput):
        return Failure("INVALID_REQUEST", str(error), detail)
    ref = uuid.uuid4().hex[:12]
    if isinstance(error, ProviderError):
        message = gettext(
            "An outside service (%(provider)s) could not do this step. Try again later; "
            "if it keeps failing, contact support with reference %(ref)s."
        ) % {"provider": error.provider or "-", "ref": ref}
        return Failure("EXTERNAL_API_ERROR", message, detail, ref)
    if isinstance(error, QCFailed):
        checks = ", ".join(check_label(name) for name in error.report.failed)
        message = gettext(
            "The video did not pass its quality check (%(checks)s), even when made again with "
            "safe settings. Change the scenes (visuals, narration, music) or try again."
        ) % {"checks": checks}
        return Failure("QC_FAILED", message, detail)
    if isinstance(error, RenderError):
        message = gettext(
            "The video could not be rendered. Try again; if it keeps failing, contact support "
            "with reference %(ref)s."
        ) % {"ref": ref}
        return Failure("INTERNAL_ERROR", message, detail, ref)
    message = gettext(
        "Something went wrong on our side. Try again later; if it keeps failing, contact "
        "support with reference %(ref)s."
    ) % {"ref": ref}
    return Failure("INTERNAL_ERROR", message, detail, ref)


def error_code_and_message(error: BaseException, *, kind: str = "") -> tuple[str, str]:
    """The error code and plain message a user sees for an exception raised by a job of `kind`."""
    failure = describe_failure(error, kind=kind)
    return failure.code, failure.message


# Refusals the user can act on (a bad key, a quota, a bad input, a provider refusal): their
# message says what to do, so a traceback would only bury it.
EXPECTED_ERRORS = (DomainError, ProviderError, InvalidInput)


def log_job_failure(*, job_id: int, kind: str, error: BaseException, failure: Failure) -> None:
    """One line per failed job: a warning with the full text for an expected error (its
    traceback only at DEBUG), the traceback for anything else, which is a bug to look at;
    with the reference id the user was given, if any."""
    ref = f" [ref {failure.ref}]" if failure.ref else ""
    label = Job.Kind(kind).label if kind in Job.Kind.values else kind
    if isinstance(error, EXPECTED_ERRORS):
        log.warning("job %s: %s step failed: %s%s", job_id, label, error, ref)
        log.debug("job %s traceback", job_id, exc_info=error)
    else:
        log.error("job %s (%s) failed%s: %s", job_id, kind, ref, failure.detail, exc_info=error)
