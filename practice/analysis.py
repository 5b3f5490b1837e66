"""A take's analysis as a job (jobs.Job of kind `analysis`, with no story): submitted with a
202 at once, run by a worker under the jobs machinery (lease, retries, the reaper, the admin's
retry), followed on the take's own event stream (the job's events), and told to the take's
callback URL by a signed analysis.completed / analysis.failed webhook (jobs.webhooks).

Speech recognition, when configured, checks the words said; what it costs is recorded against
the user and the job like any provider call (billing.services.record_usage).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from billing.services import record_usage
from jobs import dispatch, webhooks
from jobs import services as job_services
from jobs.models import Job
from media import services as media_services
from practice.models import Line, Take
from practice.services import RecordingTooLong, recording_cap_s, recording_duration_s
from providers import registry
from providers.base import ProviderError, Usage
from reelmaker.errors import DomainError, TooManyQueuedJobs
from render.types import WordTiming
from speech.analyze import NoSpeech, compare_files
from speech.audio import UnreadableAudio

log = logging.getLogger(__name__)


class NoSpeechHeard(DomainError):
    code = "NO_SPEECH"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = _("No speech was heard.")


class UnreadableRecording(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = _("The recording could not be read.")


# The take's own error code for the job's, as the take has always shown them.
_TAKE_CODES = {
    NoSpeechHeard.code: NoSpeech.reason,
    UnreadableRecording.code: "unreadable_audio",
    "CANCELED": "canceled",
}


def submit_take(*, user, line: Line, recording: File, callback_url: str = "") -> Take:
    """Store a recording of `line` (checked by content, no longer than recording_cap_s) and
    queue its analysis job after commit; `callback_url` is told the outcome by a signed
    webhook. Raises InvalidRequest (400), UnsafeUrl (400) or RecordingTooLong (413)."""
    webhooks.check_callback_url(callback_url)
    _ensure_queue_room(user)
    cap = recording_cap_s(line.reference_duration_ms)
    found = recording_duration_s(recording)
    if found is not None and found > cap:
        raise RecordingTooLong(
            gettext("The recording is %(found).1f s long; this line takes at most %(cap).1f s.")
            % {"found": found, "cap": cap},
            details={"max_duration_s": round(cap, 2), "duration_s": round(found, 2)},
        )
    asset = media_services.store_upload(owner=user, file=recording, expect=("music",))
    with transaction.atomic():
        job = job_services.create_job(story=None, kind=Job.Kind.ANALYSIS)
        take = Take.objects.create(
            user=user, line=line, recording=asset, callback_url=callback_url, job=job
        )
        job.options = {"take": take.pk}
        job.save(update_fields=["options", "updated_at"])
        job_services.record_job_event(job_id=job.pk)  # the stream's first event: queued
        dispatch.queue_jobs([job])
    return take


def _ensure_queue_room(user) -> None:
    """Takes count against MAX_QUEUED_JOBS_PER_USER like a story's jobs: TooManyQueuedJobs
    (429) while that many of the user's analyses are queued or running."""
    waiting = Take.objects.filter(user=user, job__status__in=job_services.OPEN).count()
    if waiting >= settings.MAX_QUEUED_JOBS_PER_USER:
        raise TooManyQueuedJobs(
            details={"open_jobs": waiting, "max_open_jobs": settings.MAX_QUEUED_JOBS_PER_USER}
        )


def analyse_take_job(job: Job) -> dict:
    """The `analysis` job's handler: analyse its take and record the result (the take
    SUCCEEDED and its webhook queued, in one transaction). Raises NoSpeechHeard,
    UnreadableRecording or anything unexpected: jobs.side_jobs then fails the job and
    take_job_failed the take. Run again (a retry, a redelivery) it analyses afresh."""
    take = Take.objects.select_related("line__reference", "recording").get(pk=job.options["take"])
    Take.objects.filter(pk=take.pk).update(status=Take.Status.RUNNING)
    words = [WordTiming.from_json(word) for word in take.line.words]
    with tempfile.TemporaryDirectory(prefix="analysis-") as workdir:
        recording = media_services.local_copy(take.recording, Path(workdir))
        heard, unchecked, usage = _heard(take, recording)
        job_services.set_progress(job_id=job.pk, progress=30)
        try:
            result = compare_files(
                reference=media_services.local_copy(take.line.reference, Path(workdir)),
                recording=recording,
                words=words,
                heard=heard,
            )
        except NoSpeech:
            raise NoSpeechHeard() from None
        except UnreadableAudio:
            raise UnreadableRecording() from None
    job_services.set_progress(job_id=job.pk, progress=90)
    with transaction.atomic():
        take.status = Take.Status.SUCCEEDED
        take.result = result.to_json()
        if unchecked:
            take.result["text_not_checked_because"] = unchecked
        take.score, take.rank = result.score, result.rank
        take.error_code = take.error_message = ""
        take.save(
            update_fields=[
                "status", "result", "score", "rank", "error_code", "error_message", "updated_at",
            ]
        )  # fmt: skip
        record = record_usage(usage=usage, user_id=take.user_id, job=job)
        _tell(job, take)
    done: dict = {"provider": usage.provider if usage else ""}
    if record is not None:
        done["cost_usd"] = record.cost_usd
    return done


def take_job_failed(job: Job, code: str, message: str) -> None:
    """The `analysis` job failed for good: so does its take, and its callback is told (runs in
    the transaction that fails the job)."""
    take = Take.objects.filter(pk=job.options.get("take")).first()
    if take is None:
        return
    take.status = Take.Status.FAILED
    take.error_code = _TAKE_CODES.get(code, "analysis_error")
    take.error_message = message
    take.save(update_fields=["status", "error_code", "error_message", "updated_at"])
    _tell(job, take)


def take_job_retried(job: Job) -> None:
    """The `analysis` job is queued again (a retry): its take waits for it again."""
    Take.objects.filter(pk=job.options.get("take")).update(
        status=Take.Status.QUEUED, error_code="", error_message=""
    )


def take_job_canceled(job: Job) -> None:
    """The `analysis` job was canceled: its take fails with that reason, and its callback is
    told."""
    take_job_failed(job, "CANCELED", gettext("The analysis was canceled."))


def _heard(take: Take, recording: Path) -> tuple[list[str] | None, str, Usage | None]:
    """The words speech recognition hears in the take and what that used, or None and why
    they were not checked (no recogniser configured, or it failed: the analysis goes on)."""
    transcriber = registry.get_transcriber()
    if transcriber is None:
        return None, "", None
    try:
        transcript = transcriber.transcribe(
            audio_path=recording,
            language=take.line.language,
            duration_s=(take.recording.duration_ms or 0) / 1000,
        )
    except ProviderError as exc:
        log.warning("speech recognition failed for take %s: %s", take.pk, exc)
        return None, str(exc), None
    return transcript.words, "", transcript.usage


def _tell(job: Job, take: Take) -> None:
    kind = "completed" if take.status == Take.Status.SUCCEEDED else "failed"
    webhooks.queue_job_webhook(
        about=job,
        user_id=take.user_id,
        callback_url=take.callback_url,
        event_type=f"analysis.{kind}",
        data={"take": take_payload(take)},
    )


def take_payload(take: Take) -> dict:
    """What a take's webhook carries: the take as the API shows it, without signed URLs."""
    return {
        "id": take.pk,
        "job": take.job_id,
        "line": take.line_id,
        "status": take.status,
        "score": take.score,
        "rank": take.rank,
        "error_code": take.error_code,
        "error_message": take.error_message,
        "result": take.result,
    }
