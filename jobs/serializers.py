"""Shapes of jobs, job statistics and story events in the API."""

from __future__ import annotations

from rest_framework import serializers

from jobs.models import Job
from stories.models import Event
from stories.states import Status


class JobSerializer(serializers.ModelSerializer):
    duration_s = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "story",
            "scene",
            "kind",
            "profile",
            "status",
            "attempts",
            "max_attempts",
            "progress",
            "error_code",
            "error_message",
            "provider",
            "cost_usd",
            "started_at",
            "finished_at",
            "duration_s",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _CountsByStatus(serializers.DictField):
    child = serializers.IntegerField()


class JobKindDurationSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)


class JobDurationsSerializer(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True, help_text="seconds")
    p95 = serializers.FloatField(allow_null=True, help_text="seconds")
    by_kind = serializers.DictField(child=JobKindDurationSerializer())


class JobFailureSerializer(serializers.Serializer):
    kind = serializers.CharField()
    error_code = serializers.CharField()
    count = serializers.IntegerField()
    example = serializers.CharField(help_text="one of the error messages")


class JobStatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = _CountsByStatus()
    by_kind = serializers.DictField(child=_CountsByStatus())
    duration_s = JobDurationsSerializer()
    top_failures = JobFailureSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    """One event; its `payload` depends on its `kind` (the schema's Event union,
    jobs/event_schema.py)."""

    class Meta:
        model = Event
        fields = ["id", "kind", "payload", "created_at"]
        read_only_fields = fields


class EventPageSerializer(serializers.Serializer):
    """One poll: the events after `after`, the id to ask after next time, and whether the
    story is resting (no step running), i.e. nothing more will come until new work starts."""

    results = EventSerializer(many=True)
    last_event_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    is_final = serializers.BooleanField()


class EventQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, default=0)


class EventTicketSerializer(serializers.Serializer):
    """Open the stream with `GET .../events/stream/?ticket=<ticket>` before it expires."""

    ticket = serializers.CharField(help_text="opens one stream of this story, once")
    expires_at = serializers.DateTimeField()
    expires_in_s = serializers.IntegerField()


class ServerSentEventSerializer(serializers.Serializer):
    """One message of the text/event-stream (how schema tools read each message)."""

    id = serializers.CharField(required=False, help_text="the event id: resume after it")
    event = serializers.CharField(
        required=False, help_text="an EventKind, or `end` (the last message) or `error`"
    )
    # A declared field named `data` (the SSE field), not Serializer.data: documentation only.
    data = serializers.CharField(  # type: ignore[assignment]
        required=False,
        help_text="JSON: the event (the Event schema), or for `end` the status and last id",
    )
    retry = serializers.IntegerField(required=False, help_text="reconnect delay (ms)")
