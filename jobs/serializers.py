"""Shapes of jobs, job statistics and story events in the API."""

from __future__ import annotations

from rest_framework import serializers

from jobs.models import Job
from stories.models import Event


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


class _DurationOfKind(serializers.Serializer):
    count = serializers.IntegerField()
    p50 = serializers.FloatField(allow_null=True)
    p95 = serializers.FloatField(allow_null=True)


class _Durations(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True, help_text="seconds")
    p95 = serializers.FloatField(allow_null=True, help_text="seconds")
    by_kind = serializers.DictField(child=_DurationOfKind())


class _Failure(serializers.Serializer):
    kind = serializers.CharField()
    error_code = serializers.CharField()
    count = serializers.IntegerField()
    example = serializers.CharField(help_text="one of the error messages")


class JobStatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = _CountsByStatus()
    by_kind = serializers.DictField(child=_CountsByStatus())
    duration_s = _Durations()
    top_failures = _Failure(many=True)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "kind", "payload", "created_at"]
        read_only_fields = fields


class EventPageSerializer(serializers.Serializer):
    """One poll: the events after `after`, the id to ask after next time, and whether the
    story is resting (no step running), i.e. nothing more will come until new work starts."""

    results = EventSerializer(many=True)
    last_event_id = serializers.IntegerField()
    status = serializers.CharField()
    is_final = serializers.BooleanField()


class EventQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, default=0)


class ServerSentEventSerializer(serializers.Serializer):
    """One message of the text/event-stream (the schema of each event, for documentation)."""

    id = serializers.CharField(required=False, help_text="the event id: resume after it")
    event = serializers.ChoiceField(choices=[*Event.Kind.values, "end", "error"], required=False)
    # A declared field named `data` (the SSE field), not Serializer.data: documentation only.
    data = serializers.CharField(  # type: ignore[assignment]
        required=False,
        help_text="JSON: an event (id, kind, payload, created_at), or for `end` the status",
    )
    retry = serializers.IntegerField(required=False, help_text="reconnect delay (ms)")
