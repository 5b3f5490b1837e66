"""A take's events over HTTP: the events of its analysis job (it has no story), served by the
story views of jobs.events_api (polling page, server-sent events resumable with Last-Event-ID,
heartbeats, single-use EventSource tickets), following the job instead of a story."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status

from jobs import events_api
from jobs.events_api import AFTER, LAST_EVENT_ID, Followed, follow_job
from jobs.serializers import EventTicketSerializer, ServerSentEventSerializer
from practice.models import Take
from practice.serializers import TakeEventPageSerializer
from reelmaker.error_schema import error_responses
from reelmaker.errors import DomainError
from stories import event_tickets


class TicketForAnotherTake(DomainError):
    code = "FORBIDDEN"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = _("This ticket opens the events of something else than this take.")


def _followed(request, take_id: str) -> Followed:
    job_id = (
        Take.objects.filter(pk=int(take_id), user=request.user)
        .values_list("job_id", flat=True)
        .first()
    )
    if job_id is None:
        raise Http404
    return follow_job(job_id)


class TakeEventsView(events_api.StoryEventsView):
    """A page of the take's events after `?after=` (at most 500), oldest first, for polling."""

    serializer_class = TakeEventPageSerializer

    @extend_schema(
        operation_id="practice_takes_events_list",
        summary="The take's analysis events after an id (polling)",
        parameters=[AFTER],
        responses={
            (200, "application/json"): TakeEventPageSerializer,
            **error_responses(400, 404),
        },
    )
    def get(self, request, take_id: str):
        return self.page(request, _followed(request, take_id))


class TakeEventStreamView(events_api.StoryEventStreamView):
    """Server-sent events of the take's analysis, as a story's stream: `job` and `progress`
    events, the `webhook` event once its callback is told, then `end` with the job's status."""

    @extend_schema(
        operation_id="practice_takes_events_stream",
        summary="Follow the take's analysis live (server-sent events)",
        parameters=[AFTER, LAST_EVENT_ID],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                ServerSentEventSerializer,
                description="An event stream; each message as described (see above).",
            ),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request, take_id: str):
        followed = _followed(request, take_id)
        ticket = request.auth
        if isinstance(ticket, event_tickets.Ticket) and ticket.job_id != followed.job_id:
            raise TicketForAnotherTake()
        return events_api.stream_response(request, followed)


class TakeEventTicketView(events_api.EventTicketView):
    """A ticket that opens the take's event stream once, within EVENTS_TICKET_TTL_S."""

    @extend_schema(
        operation_id="practice_takes_events_ticket",
        summary="A single-use ticket to open the take's event stream from a browser",
        request=None,
        responses={201: EventTicketSerializer, **error_responses(404)},
    )
    def post(self, request, take_id: str):
        return self.issue(request, _followed(request, take_id))
