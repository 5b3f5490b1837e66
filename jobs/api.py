"""Jobs over HTTP: list and detail (owner-scoped), retry, cancel, statistics; and a story's
event stream (server-sent events, or JSON when polled)."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import MayStartWork
from jobs import pipeline, selectors
from jobs.models import Job
from jobs.serializers import (
    EventPageSerializer,
    EventQuery,
    JobSerializer,
    JobStatisticsSerializer,
    ServerSentEventSerializer,
)
from reelmaker import streams
from reelmaker.error_schema import error_responses
from reelmaker.errors import DomainError, InvalidRequest, JobNotRetryable
from reelmaker.pagination import PageNumberPagination
from stories import events
from stories import selectors as story_selectors
from stories.states import WORKING


class JobNotCancelable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("Only queued or running jobs can be canceled.")


class JobFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Job.Status.choices)
    kind = filters.MultipleChoiceFilter(choices=Job.Kind.choices)
    story = filters.NumberFilter(field_name="story_id")

    class Meta:
        model = Job
        fields = ["status", "kind", "story"]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The jobs of your stories. Another user's job is 404."""

    queryset = Job.objects.none()  # for the schema; requests use get_queryset
    serializer_class = JobSerializer
    filterset_class = JobFilter
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "job_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return selectors.jobs_for(user=self.request.user)

    @extend_schema(
        summary="Retry a failed or canceled job",
        request=None,
        responses={202: JobSerializer, **error_responses(403, 404, 409)},
        description="Queue a failed or canceled job again; a FAILED story returns to the step "
        "that failed. 409 ILLEGAL_TRANSITION for any other job.",
    )
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    def retry(self, request, job_id=None):
        job = self.get_object()
        if not pipeline.retry_jobs(job_ids=[job.pk], by=request.user):
            raise JobNotRetryable(
                _("Only failed or canceled jobs can be retried."),
                details={"status": job.status, "allowed": [Job.Status.FAILED, Job.Status.CANCELED]},
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Cancel a queued or running job",
        request=None,
        responses={200: JobSerializer, **error_responses(404, 409)},
        description="Cancel a queued or running job: its task is revoked and a running render "
        "is stopped without keeping partial output. 409 ILLEGAL_TRANSITION for a finished job.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, job_id=None):
        job = self.get_object()
        if not pipeline.cancel_jobs(job_ids=[job.pk], by=request.user):
            raise JobNotCancelable(
                details={"status": job.status, "allowed": [Job.Status.QUEUED, Job.Status.RUNNING]}
            )
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Your jobs in numbers: by status and kind, durations, top failures",
        responses={200: JobStatisticsSerializer, **error_responses(400)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def statistics(self, request):
        jobs = self.filter_queryset(self.get_queryset())
        return Response(selectors.job_statistics(jobs=jobs))


class EventStreamRenderer(renderers.BaseRenderer):
    """text/event-stream. Streams are written by the view; this renders only error bodies."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = json.dumps(data, ensure_ascii=False, default=str)
        return f"event: error\ndata: {body}\n\n".encode()


class StoryEventsView(generics.GenericAPIView):
    """A story's events: every status change, job change and progress step.

    With `Accept: text/event-stream` (or `?format=sse`): server-sent events (`id`, `event`
    = status | job | progress | webhook, `data` = JSON), starting after `Last-Event-ID` or
    `?after=`, ending with `event: end` carrying the status once no step is running.
    Otherwise JSON for polling: the events after `?after=`, at most 500 at a time.
    """

    serializer_class = EventPageSerializer
    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        EventStreamRenderer,
    ]
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="only events with a greater id"),
            OpenApiParameter(
                "Last-Event-ID",
                int,
                location=OpenApiParameter.HEADER,
                description="resume a stream after this event id (sent by EventSource)",
            ),
        ],
        responses={
            (200, "application/json"): EventPageSerializer,
            (200, "text/event-stream"): ServerSentEventSerializer,
            **error_responses(400, 404),
        },
    )
    def get(self, request, story_id: str):
        story = story_selectors.story_for(user=request.user, story_id=int(story_id))
        after = self._after(request)
        if request.accepted_renderer.format == EventStreamRenderer.format:
            return self._stream(request, story_id=story.pk, after=after)
        # The status was read first (story_for): every event up to it is then in the batch.
        batch = events.events_after(story_id=story.pk, after=after)
        page = {
            "results": batch,
            "last_event_id": batch[-1].pk if batch else after,
            "status": story.status,
            "is_final": story.status not in WORKING and len(batch) < events.PAGE_SIZE,
        }
        return Response(self.get_serializer(page).data)

    @staticmethod
    def _stream(request, *, story_id: int, after: int) -> StreamingHttpResponse:
        user_id = request.user.pk
        streams.open_stream_slot(
            user_id=user_id,
            limit=settings.EVENTS_MAX_STREAMS_PER_USER,
            ttl_s=settings.EVENTS_STREAM_MAX_S + 60,
        )
        options = {
            "story_id": story_id,
            "after": after,
            "poll_s": settings.EVENTS_POLL_MS / 1000,
            "heartbeat_s": settings.EVENTS_HEARTBEAT_S,
            "max_s": settings.EVENTS_STREAM_MAX_S,
        }
        release = functools.partial(streams.close_stream_slot, user_id=user_id)
        stream: Iterator[str] | AsyncIterator[str]
        if isinstance(request._request, ASGIRequest):
            # The stream reads on the event loop's pool threads: this request's thread gives
            # its connection back now instead of holding it for as long as the stream lasts.
            connection.close()
            stream = events.astream_story_events(on_close=release, **options)
        else:  # WSGI (the test client, a live test server): a thread follows the story
            stream = _closing(events.stream_story_events(**options), release)
        response = StreamingHttpResponse(stream, content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response

    @staticmethod
    def _after(request) -> int:
        raw = request.headers.get("Last-Event-ID") or request.query_params.get("after") or "0"
        query = EventQuery(data={"after": raw})
        if not query.is_valid():
            raise InvalidRequest(
                _("after and Last-Event-ID must be an event id (a whole number)."),
                details={"fields": query.errors},
            )
        return query.validated_data["after"]


def _closing(stream: Iterator[str], on_close: Callable[[], None]) -> Iterator[str]:
    try:
        yield from stream
    finally:
        on_close()
