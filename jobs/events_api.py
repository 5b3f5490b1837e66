"""A story's events over HTTP: a page of them for polling (JSON), the live stream (server-sent
events), and the single-use tickets that let a browser's EventSource open the stream without
a bearer header."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, generics, renderers, status
from rest_framework.response import Response
from rest_framework_simplejwt.authentication import JWTAuthentication

from jobs.dispatch import SIDE_KINDS
from jobs.models import Job
from jobs.serializers import (
    EventPageSerializer,
    EventQuery,
    EventTicketSerializer,
    ServerSentEventSerializer,
)
from reelmaker import streams
from reelmaker.error_schema import error_responses
from reelmaker.errors import DomainError, InvalidRequest
from stories import event_tickets, events
from stories import selectors as story_selectors

TICKET_PARAMETER = "ticket"
_OPEN = (Job.Status.QUEUED, Job.Status.RUNNING)

AFTER = OpenApiParameter("after", int, description="only events with a greater id")
LAST_EVENT_ID = OpenApiParameter(
    "Last-Event-ID",
    int,
    location=OpenApiParameter.HEADER,
    description="resume a stream after this event id (sent by EventSource)",
)


class TicketForAnotherStory(DomainError):
    code = "FORBIDDEN"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = _("This ticket opens the events of another story.")


@dataclass(frozen=True)
class Followed:
    """Whose events a view serves: a story's, or a job's without a story (a practice take's
    analysis), and how to read its status and whether work on it goes on."""

    story_id: int | None
    job_id: int | None
    state: events.StateReader

    def after(self, after: int) -> list:
        return events.events_after(story_id=self.story_id, job_id=self.job_id, after=after)


def follow_story(story_id: int) -> Followed:
    """A story: work goes on while it is in a working status, or while a job that is no step
    of it runs (my own voice being set on a planned story)."""
    read = events.story_state(story_id)

    def state() -> tuple[str | None, bool]:
        status, working = read()
        if status is not None and not working:
            working = Job.objects.filter(
                story_id=story_id, kind__in=SIDE_KINDS, status__in=_OPEN
            ).exists()
        return status, working

    return Followed(story_id=story_id, job_id=None, state=state)


def follow_job(job_id: int) -> Followed:
    """A story-less job: work goes on while it is queued or running."""

    def state() -> tuple[str | None, bool]:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status, status in _OPEN

    return Followed(story_id=None, job_id=job_id, state=state)


class EventTicketAuthentication(authentication.BaseAuthentication):
    """`?ticket=`: a ticket from POST .../events/ticket/, used up by this request. Without the
    parameter the next authentication (a bearer token or the session) is tried."""

    def authenticate(self, request):
        token = request.query_params.get(TICKET_PARAMETER)
        if token is None:
            return None
        ticket = event_tickets.redeem_ticket(token=token)
        user = None
        if ticket is not None:
            user = get_user_model().objects.filter(pk=ticket.user_id, is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed(
                _("The ticket is invalid, expired or already used. Ask for a new one.")
            )
        return user, ticket

    def authenticate_header(self, request) -> str:
        return 'Ticket realm="events"'


class EventTicketScheme(OpenApiAuthenticationExtension):
    target_class = EventTicketAuthentication
    name = "eventTicket"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": TICKET_PARAMETER,
            "description": "A single-use ticket from stories_events_ticket (EventSource "
            "cannot send an Authorization header).",
        }


class EventStreamRenderer(renderers.BaseRenderer):
    """text/event-stream. Streams are written by the view; this renders only error bodies."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = json.dumps(data, ensure_ascii=False, default=str)
        return f"event: error\ndata: {body}\n\n".encode()


class StoryEventsView(generics.GenericAPIView):
    """A page of the story's events after `?after=` (at most 500), oldest first, for polling.

    Older clients may still ask this URL for the stream (`Accept: text/event-stream`); the
    stream's own operation is stories_events_stream."""

    serializer_class = EventPageSerializer
    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        EventStreamRenderer,
    ]
    pagination_class = None
    filter_backends: list = []
    schema_tag = "events"

    @extend_schema(
        operation_id="stories_events_list",
        summary="The story's events after an id (polling)",
        parameters=[AFTER],
        responses={(200, "application/json"): EventPageSerializer, **error_responses(400, 404)},
    )
    def get(self, request, story_id: str):
        return self.page(request, self.followed(request, story_id=story_id))

    def followed(self, request, **kwargs) -> Followed:
        story = story_selectors.story_for(user=request.user, story_id=int(kwargs["story_id"]))
        return follow_story(story.pk)

    def page(self, request, followed: Followed) -> Response | StreamingHttpResponse:
        after = _after(request)
        if request.accepted_renderer.format == EventStreamRenderer.format:
            return _stream(request, followed, after=after)
        # The status is read first: every event up to it is then in the batch.
        status, working = followed.state()
        batch = followed.after(after)
        page = {
            "results": batch,
            "last_event_id": batch[-1].pk if batch else after,
            "status": status,
            "is_final": not working and len(batch) < events.PAGE_SIZE,
        }
        return Response(self.get_serializer(page).data)


class StoryEventStreamView(generics.GenericAPIView):
    """Server-sent events: `id` (the event id), `event` (an EventKind) and `data` (the event as
    JSON, the `Event` schema), from after `Last-Event-ID` or `?after=`; comments keep the
    connection alive; `event: end` with `{"status", "last_event_id"}` closes it once no step
    runs. A browser opens it with `new EventSource(url + "?ticket=" + ticket)`."""

    authentication_classes = [
        EventTicketAuthentication,
        JWTAuthentication,
        authentication.SessionAuthentication,
    ]
    renderer_classes = [EventStreamRenderer]
    pagination_class = None
    filter_backends: list = []
    schema_tag = "events"

    @extend_schema(
        operation_id="stories_events_stream",
        summary="Follow the story's events live (server-sent events)",
        parameters=[AFTER, LAST_EVENT_ID],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                ServerSentEventSerializer,
                description="An event stream; each message as described (see above).",
            ),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request, story_id: str):
        ticket = request.auth
        if isinstance(ticket, event_tickets.Ticket) and ticket.story_id != int(story_id):
            raise TicketForAnotherStory()
        story = story_selectors.story_for(user=request.user, story_id=int(story_id))
        return _stream(request, follow_story(story.pk), after=_after(request))

    def handle_exception(self, exc):
        # Refusals are JSON (the Error envelope), whatever the client accepts.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)


class EventTicketView(generics.GenericAPIView):
    """A ticket that opens the story's event stream once, within EVENTS_TICKET_TTL_S."""

    serializer_class = EventTicketSerializer
    schema_tag = "events"

    @extend_schema(
        operation_id="stories_events_ticket",
        summary="A single-use ticket to open the story's event stream from a browser",
        request=None,
        responses={201: EventTicketSerializer, **error_responses(404)},
    )
    def post(self, request, story_id: str):
        story = story_selectors.story_for(user=request.user, story_id=int(story_id))
        return self.issue(request, follow_story(story.pk))

    def issue(self, request, followed: Followed) -> Response:
        ticket = event_tickets.issue_ticket(
            user_id=request.user.pk, story_id=followed.story_id, job_id=followed.job_id
        )
        body = {
            "ticket": ticket.token,
            "expires_at": ticket.expires_at,
            "expires_in_s": settings.EVENTS_TICKET_TTL_S,
        }
        return Response(self.get_serializer(body).data, status=status.HTTP_201_CREATED)


def _after(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.query_params.get("after") or "0"
    query = EventQuery(data={"after": raw})
    if not query.is_valid():
        raise InvalidRequest(
            _("after and Last-Event-ID must be an event id (a whole number)."),
            details={"fields": query.errors},
        )
    return query.validated_data["after"]


def _stream(request, followed: Followed, *, after: int) -> StreamingHttpResponse:
    user_id = request.user.pk
    streams.open_stream_slot(
        user_id=user_id,
        limit=settings.EVENTS_MAX_STREAMS_PER_USER,
        ttl_s=settings.EVENTS_STREAM_MAX_S + 60,
    )
    options = {
        "story_id": followed.story_id,
        "job_id": followed.job_id,
        "state": followed.state,
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


def stream_response(request, followed: Followed) -> StreamingHttpResponse:
    """The event stream of `followed` from after Last-Event-ID or `?after=` (for the views of
    other apps that follow a job: a take's analysis)."""
    return _stream(request, followed, after=_after(request))


def _closing(stream: Iterator[str], on_close: Callable[[], None]) -> Iterator[str]:
    try:
        yield from stream
    finally:
        on_close()
