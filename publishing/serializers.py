"""Shapes of linked accounts and publications. Tokens are never among the fields."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from provenance.models import Platform
from publishing.models import LinkedAccount, Privacy, Publication

MAX_HASHTAGS = 30


class LinkedAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkedAccount
        fields = [
            "id",
            "platform",
            "external_id",
            "display_name",
            "scopes",
            "status",
            "status_reason",
            "expires_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ConnectInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)


class ConnectOutput(serializers.Serializer):
    authorization_url = serializers.URLField()


class CallbackInput(serializers.Serializer):
    code = serializers.CharField(max_length=2000)
    state = serializers.CharField(max_length=200)


class PlatformStatusSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    configured = serializers.BooleanField()


class PublicationSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=Publication.State.choices, read_only=True)
    error_message = serializers.CharField(read_only=True)
    story = serializers.IntegerField(source="story_id", read_only=True)
    account = serializers.IntegerField(source="account_id", read_only=True, allow_null=True)
    job = serializers.IntegerField(source="job_id", read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "story",
            "account",
            "job",
            "platform",
            "state",
            "title",
            "description",
            "hashtags",
            "privacy",
            "scheduled_at",
            "post_id",
            "post_url",
            "published_at",
            "error_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PublishInput(serializers.Serializer):
    targets = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices), min_length=1, max_length=3
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=MAX_HASHTAGS,
    )
    privacy = serializers.ChoiceField(choices=Privacy.choices, default=Privacy.PUBLIC)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_scheduled_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The schedule time must be in the future."))
        return value
