"""The shapes of post text, the licence ledger and rights problems over the API."""

from __future__ import annotations

from rest_framework import serializers

from provenance.models import LicenceEntry, Platform, PostText


class PostTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostText
        fields = [
            "platform",
            "title",
            "description",
            "hashtags",
            "writer",
            "is_edited",
            "updated_at",
        ]
        read_only_fields = fields


class PostTextInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    title = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )


class LicenceEntrySerializer(serializers.ModelSerializer):
    asset = serializers.IntegerField(source="source_asset_id", allow_null=True, read_only=True)
    scene = serializers.IntegerField(source="position", allow_null=True, read_only=True)

    class Meta:
        model = LicenceEntry
        fields = [
            "role",
            "scene",
            "asset",
            "source",
            "licence",
            "credit",
            "source_url",
            "allowed_uses",
        ]
        read_only_fields = fields


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()


class LicencesSerializer(serializers.Serializer):
    output = serializers.IntegerField(
        allow_null=True, help_text="the reel (final, else preview) the ledger belongs to"
    )
    entries = LicenceEntrySerializer(many=True)
    problems = ProblemSerializer(many=True, help_text="what stops publishing, each named")


class RightsConfirmationInput(serializers.Serializer):
    statement = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="e.g. 'I made this track' or the licence you bought",
    )


class RightsConfirmationSerializer(serializers.Serializer):
    asset = serializers.IntegerField(source="asset_id")
    statement = serializers.CharField()
    created_at = serializers.DateTimeField()
